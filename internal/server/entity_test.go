package server_test

import (
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/textnorm"
)

// TestEntityFiltersMatchMentions: for every person, organisation and place
// the facets offer, the filter returns exactly the articles whose entity
// list (GET /api/articles/{id}) names it, and two filters combine as AND.
func TestEntityFiltersMatchMentions(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var all searchResult
	get(t, ts.URL, "/api/search?size=100&facet_size=200", 200, &all)

	// Which articles name which entity, by type, from the articles themselves.
	named := map[string]map[string][]string{"person": {}, "org": {}, "place": {}}
	param := map[string]string{"PER": "person", "ORG": "org", "LOC": "place"}
	for _, h := range all.Hits {
		var a corpus.Article
		get(t, ts.URL, "/api/articles/"+h.ID, 200, &a)
		seen := map[string]bool{}
		for _, e := range a.Entities {
			p, ok := param[e.Type]
			if !ok || seen[p+e.Name] {
				continue
			}
			seen[p+e.Name] = true
			named[p][e.Name] = append(named[p][e.Name], a.ID)
			// An entity named only in the headline has no body mentions.
			if len(e.Mentions) == 0 && !strings.Contains(textnorm.Key(a.Title), textnorm.Key(e.Name)) {
				t.Errorf("%s: entity %q has no mentions and is not in the title", a.ID, e.Name)
			}
			for _, m := range e.Mentions {
				if m.Start < 0 || m.End > len(a.Body) || m.Start >= m.End {
					t.Errorf("%s: mention %+v of %q outside the body", a.ID, m, e.Name)
				}
			}
		}
	}
	checked := 0
	for p, byName := range named {
		if len(all.Facets[p]) == 0 {
			t.Errorf("no %s facet on the sample corpus", p)
		}
		for _, f := range all.Facets[p] {
			want := byName[f.Value]
			sort.Strings(want)
			var res searchResult
			get(t, ts.URL, "/api/search?size=100&"+url.Values{p: {f.Value}}.Encode(), 200, &res)
			if got := ids(res); got != strings.Join(want, " ") || f.Count != len(want) {
				t.Errorf("%s=%q: filter [%s], facet count %d, articles naming it [%s]", p, f.Value, got, f.Count, strings.Join(want, " "))
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d entity values checked", checked)
	}
	// Two persons together: only articles naming both.
	var both searchResult
	get(t, ts.URL, "/api/search?"+url.Values{"person": {"Ilham Aliyev", "Nikol Pashinyan"}}.Encode(), 200, &both)
	want := intersect(named["person"]["Ilham Aliyev"], named["person"]["Nikol Pashinyan"])
	if ids(both) != strings.Join(want, " ") || len(want) == 0 {
		t.Errorf("Aliyev AND Pashinyan: [%s], want [%s]", ids(both), strings.Join(want, " "))
	}
	// The query language's filter is the same filter.
	var viaQuery searchResult
	get(t, ts.URL, searchPath(`person:"ilham aliyev" person:"Nikol Pashinyan"`), 200, &viaQuery)
	if ids(viaQuery) != ids(both) {
		t.Errorf("person: in q [%s] differs from the parameters [%s]", ids(viaQuery), ids(both))
	}
}

func intersect(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	var out []string
	for _, x := range b {
		if in[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
