package server_test

import (
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/foliotest"
)

// variantAnswer is the part of GET /api/search that names variants add.
type variantAnswer struct {
	Total             int                 `json:"total"`
	Hits              []apiHit            `json:"hits"`
	Matched           map[string][]string `json:"matched"`
	DidYouMean        *string             `json:"did_you_mean"`
	DidYouMeanTotal   *int                `json:"did_you_mean_total"`
	DidYouMeanFilters map[string][]string `json:"did_you_mean_filters"`
}

// TestNameVariantsOnTheSample: on the bundled sample (a tag page of Ilham
// Aliyev), person:"Ilham Aliev", person:Алиев and person:"Ilham Əliyev"
// find his articles and say so; the phrase "Ilham Aliev" finds nothing
// and offers "ilham aliyev" with its count.
func TestNameVariantsOnTheSample(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var canon variantAnswer
	get(t, ts.URL, "/api/search?size=100&person=Ilham+Aliyev", 200, &canon)
	if canon.Total == 0 {
		t.Fatal("no article of Ilham Aliyev in the sample")
	}
	want := ids2(canon.Hits)
	for _, typed := range []string{"Ilham Aliev", "Алиев", "Ilham Əliyev"} {
		for _, path := range []string{
			"/api/search?size=100&" + url.Values{"person": {typed}}.Encode(),
			"/api/search?size=100&" + url.Values{"q": {`person:"` + typed + `"`}}.Encode(),
		} {
			var res variantAnswer
			get(t, ts.URL, path, 200, &res)
			if got := ids2(res.Hits); !containsAll(got, want) {
				t.Errorf("%s: articles %v, want %v among them", path, got, want)
			}
			if !slices.Contains(res.Matched["person"], "Ilham Aliyev") {
				t.Errorf("%s: matched %v", path, res.Matched)
			}
		}
	}
	var phrase, miss variantAnswer
	get(t, ts.URL, "/api/search?q=%22Ilham+Aliyev%22", 200, &phrase)
	get(t, ts.URL, "/api/search?q=%22Ilham+Aliev%22", 200, &miss)
	if miss.Total != 0 || miss.DidYouMean == nil || *miss.DidYouMean != `"ilham aliyev"` ||
		miss.DidYouMeanTotal == nil || *miss.DidYouMeanTotal != phrase.Total {
		t.Errorf(`"Ilham Aliev": total %d, did you mean %v (%v); want 0, "ilham aliyev" (%d)`, miss.Total, miss.DidYouMean, miss.DidYouMeanTotal, phrase.Total)
	}
	var none variantAnswer
	get(t, ts.URL, "/api/search?person=Ilhan+Alyev", 200, &none)
	if none.Total != 0 || !slices.Equal(none.DidYouMeanFilters["person"], []string{"Ilham Aliyev"}) ||
		none.DidYouMeanTotal == nil || *none.DidYouMeanTotal != canon.Total {
		t.Errorf("person=Ilhan Alyev: total %d, suggested %v (%v)", none.Total, none.DidYouMeanFilters, none.DidYouMeanTotal)
	}
	// Without entity filters, matched is empty and present.
	var plain map[string]any
	get(t, ts.URL, "/api/search?q=baku", 200, &plain)
	if m, ok := plain["matched"].(map[string]any); !ok || len(m) != 0 {
		t.Errorf("q=baku: matched %v, want {}", plain["matched"])
	}
}

func ids2(hits []apiHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return len(want) > 0
}

type relatedAnswer struct {
	Entity struct {
		Type, Name string
		Matched    []string
	}
	Articles int
	Total    int
	Related  map[string][]struct {
		Name            string
		Count, Articles int
		Score, PMI      float64
	}
	Slices []struct {
		Period   string
		Articles int
	}
}

// TestRelatedEntitiesAPI: GET /api/entities/related answers JSON, CSV and
// GraphML for an entity typed as a variant, and refuses bad parameters.
func TestRelatedEntitiesAPI(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var canon variantAnswer
	get(t, ts.URL, "/api/search?person=Ilham+Aliyev&facets=none", 200, &canon)
	var res relatedAnswer
	get(t, ts.URL, "/api/entities/related?type=person&name=Ilham+Aliev&min_count=1", 200, &res)
	if !slices.Equal(res.Entity.Matched, []string{"Ilham Aliyev"}) || res.Articles != canon.Total || res.Total == 0 {
		t.Fatalf("entity %+v, %d of %d articles; want Ilham Aliyev in %d", res.Entity, res.Articles, res.Total, canon.Total)
	}
	n := 0
	for typ, list := range res.Related {
		for i, e := range list {
			n++
			if e.Count < 1 || e.Count > res.Articles || e.Count > e.Articles || e.Name == "Ilham Aliyev" {
				t.Errorf("%s %q: count %d of %d articles (entity in %d)", typ, e.Name, e.Count, e.Articles, res.Articles)
			}
			if i > 0 && e.Score > list[i-1].Score {
				t.Errorf("%s: %q scores %.3f after %.3f", typ, e.Name, e.Score, list[i-1].Score)
			}
		}
	}
	if n == 0 {
		t.Error("nothing related to Ilham Aliyev in the sample")
	}
	if res.Slices == nil {
		t.Error("slices: null, want []")
	}

	resp, err := http.Get(ts.URL + "/api/entities/related?type=person&name=Ilham+Aliyev&min_count=1&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) != n+1 || strings.Join(rows[0], ",") != "period,type,name,count,articles,score,pmi" {
		t.Errorf("csv: %d rows (want %d), header %v, %v", len(rows), n+1, rows[:min(1, len(rows))], err)
	}
	resp, err = http.Get(ts.URL + "/api/entities/related?type=person&name=Ilham+Aliyev&min_count=1&format=graphml")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var g struct {
		Nodes []struct {
			ID string `xml:"id,attr"`
		} `xml:"graph>node"`
		Edges []struct {
			Source string `xml:"source,attr"`
		} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(body, &g); err != nil || len(g.Nodes) != n+1 || len(g.Edges) != n || g.Nodes[0].ID != "person:Ilham Aliyev" {
		t.Errorf("graphml: %d nodes, %d edges (want %d, %d), %v: %.300s", len(g.Nodes), len(g.Edges), n+1, n, err, body)
	}

	for path, status := range map[string]int{
		"/api/entities/related?type=tag&name=x":               400,
		"/api/entities/related?type=person":                   400,
		"/api/entities/related?type=person&name=x&slice=week": 400,
		"/api/entities/related?type=person&name=x&format=xls": 400,
		"/api/entities/related?type=person&name=x&size=1000":  400,
		"/api/entities/related?type=person&name=x&types=tag":  400,
		"/api/entities/related?type=person&name=x&q=%22open":  400,
		"/api/entities/related?type=person&name=Nobody+Atall": 404,
	} {
		get(t, ts.URL, path, status, nil)
	}
}
