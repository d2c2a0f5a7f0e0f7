package web_test

// The page's facets come from GET /api/facets: these tests check the page
// against that table and the facets it added (author, source).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/folio-search/folio/internal/foliotest"
)

// newsroomArticle is one record of the newsroom fixture.
type newsroomArticle struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Author string `json:"author,omitempty"`
	Source string `json:"source"`
	Date   string `json:"date"`
	Body   string `json:"body"`
}

// newsroom writes nine harbour reports by three authors (one without)
// from three sources, and returns the file and its records.
func newsroom(t *testing.T) (string, []newsroomArticle) {
	t.Helper()
	authors := []string{"Anna Berg", "Ben Cole", "Anna Berg", "", "Chloé Dumas", "Anna Berg", "Ben Cole", "Anna Berg", "Ben Cole"}
	sources := []string{"harbour-gazette", "coast-weekly", "coast-weekly", "harbour-gazette", "Radio Nord", "harbour-gazette", "harbour-gazette", "Radio Nord", "coast-weekly"}
	var recs []newsroomArticle
	var b strings.Builder
	for i := range authors {
		r := newsroomArticle{
			ID: fmt.Sprintf("nr-%d", i+1), Title: fmt.Sprintf("Harbour report %d", i+1), Author: authors[i], Source: sources[i],
			Date: fmt.Sprintf("2024-%02d-10T08:00:00Z", i%3+1),
			Body: fmt.Sprintf("The harbour report number %d covers ships, cranes and the tide.", i+1),
		}
		recs = append(recs, r)
		line, _ := json.Marshal(r)
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "newsroom.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, recs
}

func countWhere(recs []newsroomArticle, keep func(newsroomArticle) bool) int {
	n := 0
	for _, r := range recs {
		if keep(r) {
			n++
		}
	}
	return n
}

// facetRow is a row of GET /api/facets.
type facetRow struct {
	Name, Kind, Label, Singular string
}

func facetTable(t *testing.T, base string) []facetRow {
	t.Helper()
	res, err := http.Get(base + "/api/facets")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Facets []facetRow }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /api/facets: HTTP %d, %v", res.StatusCode, err)
	}
	return body.Facets
}

// totalIs is a condition: the page shows n results.
func totalIs(n int) string {
	return fmt.Sprintf(`document.querySelector('#summary .total')?.textContent.replace(/\D/g, '') === '%d'`, n)
}

// The facet groups are the table's, in its order and with its labels: all
// the groups the API has values for, and no others.
func TestPageFacetGroupsFollowTheTable(t *testing.T) {
	path, _ := newsroom(t)
	srv := foliotest.NewServer(t, "bundled", path)
	table := facetTable(t, srv.URL)
	_, facets := apiSearch(t, srv.URL, url.Values{"q": {"harbour OR aliyev"}})
	var want, wantIDs []string
	for _, f := range table {
		if f.Kind == "terms" && len(facets[f.Name]) > 0 {
			want, wantIDs = append(want, f.Label), append(wantIDs, "facet-"+f.Name)
		}
	}
	for _, name := range []string{"tag", "author", "source"} {
		if len(facets[name]) == 0 {
			t.Fatalf("the API has no %s values for this search; the test needs them", name)
		}
	}

	tb := newTab(t, srv)
	tb.do("opening a search", chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape("harbour OR aliyev")))
	tb.settled("results")
	got := eval[[]string](tb, `[...document.querySelectorAll('#facets .facet-group .facet-title')].map(h => h.textContent)`)
	if !slices.Equal(got, want) {
		t.Errorf("facet groups %q, the table's with values %q", got, want)
	}
	if ids := eval[[]string](tb, `[...document.querySelectorAll('#facets .facet-group .facet-title')].map(h => h.id)`); !slices.Equal(ids, wantIDs) {
		t.Errorf("facet groups are %q, the table's with values %q", ids, wantIDs)
	}
	tb.screenshot("groups", 0)
}

// Author and source are facets on the page: their groups carry the
// table's labels and the file's counts, a click narrows the results and
// shows a chip, and the URL round-trips through Back and Forward.
func TestPageAuthorAndSourceFacets(t *testing.T) {
	path, recs := newsroom(t)
	srv := foliotest.NewServer(t, path)
	table := facetTable(t, srv.URL)
	row := func(name string) facetRow {
		i := slices.IndexFunc(table, func(f facetRow) bool { return f.Name == name })
		if i < 0 {
			t.Fatalf("GET /api/facets does not list %s", name)
		}
		return table[i]
	}
	author, source := row("author"), row("source")
	byAnna := countWhere(recs, func(r newsroomArticle) bool { return r.Author == "Anna Berg" })
	annaInGazette := countWhere(recs, func(r newsroomArticle) bool { return r.Author == "Anna Berg" && r.Source == "harbour-gazette" })
	if byAnna <= annaInGazette || annaInGazette == 0 || byAnna == len(recs) {
		t.Fatalf("the fixture does not narrow: %d articles, %d by Anna Berg, %d of those in the gazette", len(recs), byAnna, annaInGazette)
	}

	tb := newTab(t, srv)
	tb.do("opening a search", chromedp.Navigate(srv.URL+"/?q=harbour"))
	tb.settled("results")
	if got := tb.shownTotal(); got != len(recs) {
		t.Fatalf("page shows %d results, the file has %d", got, len(recs))
	}
	if h := tb.text("#facet-author"); h != author.Label {
		t.Errorf("author group is titled %q, the table says %q", h, author.Label)
	}
	if h := tb.text("#facet-source"); h != source.Label {
		t.Errorf("source group is titled %q, the table says %q", h, source.Label)
	}
	anna := `#facets a.facet-item[data-focus-key="facet:author:Anna Berg"]`
	if c := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).textContent.replace(/\D/g, '')`, anna+" .facet-count")); c != fmt.Sprint(byAnna) {
		t.Errorf("Anna Berg's count reads %q, the file has %d", c, byAnna)
	}
	// A hit's author and source show in its row.
	if got := eval[[]string](tb, `[...document.querySelectorAll('#results > li .result-author .facet-link')].map(a => a.textContent)`); len(got) != len(recs)-countWhere(recs, func(r newsroomArticle) bool { return r.Author == "" }) {
		t.Errorf("result rows show the authors %q", got)
	}

	tb.do("clicking Anna Berg", chromedp.Click(chromedp.CSS(anna)))
	tb.waitFor("the author chip", `document.querySelector('#chips .chip-author')`)
	tb.waitFor("her articles", totalIs(byAnna))
	tb.settled("the narrowed results")
	if k, v := tb.text("#chips .chip-author .chip-kind"), tb.text("#chips .chip-author .chip-value"); k != author.Singular+":" || v != "Anna Berg" {
		t.Errorf("chip reads %q %q, want %q Anna Berg", k, v, author.Singular+":")
	}
	if got := tb.location().Query()["author"]; !slices.Equal(got, []string{"Anna Berg"}) {
		t.Errorf("URL author= is %q", got)
	}
	if got := eval[[]string](tb, `[...new Set([...document.querySelectorAll('#results > li .result-author .facet-link')].map(a => a.textContent))]`); !slices.Equal(got, []string{"Anna Berg"}) {
		t.Errorf("narrowed rows show the authors %q", got)
	}

	tb.do("clicking the gazette", chromedp.Click(chromedp.CSS(`#facets a.facet-item[data-focus-key="facet:source:harbour-gazette"]`)))
	tb.waitFor("the source chip", `document.querySelector('#chips .chip-source')`)
	tb.waitFor("her gazette articles", totalIs(annaInGazette))
	tb.settled("both filters")
	if k := tb.text("#chips .chip-source .chip-kind"); k != source.Singular+":" {
		t.Errorf("source chip kind %q, want %q", k, source.Singular+":")
	}
	both := tb.location()
	if q := both.Query(); !slices.Equal(q["author"], []string{"Anna Berg"}) || !slices.Equal(q["source"], []string{"harbour-gazette"}) {
		t.Errorf("URL with both filters: %s", both)
	}
	tb.screenshot("author-source", 0)

	tb.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	tb.waitFor("the source chip to go", `!document.querySelector('#chips .chip-source') && document.querySelector('#chips .chip-author')`)
	tb.waitFor("her articles again", totalIs(byAnna))
	tb.do("going back again", chromedp.Evaluate[chromedp.Void](`history.back()`))
	tb.waitFor("no chips", `document.getElementById('chips').hidden`)
	tb.waitFor("every article", totalIs(len(recs)))
	tb.do("going forward twice", chromedp.Evaluate[chromedp.Void](`history.go(2)`))
	tb.waitFor("both chips", `document.querySelector('#chips .chip-author') && document.querySelector('#chips .chip-source')`)
	tb.waitFor("her gazette articles again", totalIs(annaInGazette))
	if got := tb.location().String(); got != both.String() {
		t.Errorf("after Forward the URL is %s, want %s", got, both)
	}

	// The URL alone brings the search back, in a fresh load.
	tb.do("loading the URL", chromedp.Navigate(both.String()))
	tb.waitFor("both chips after a load", `document.querySelector('#chips .chip-author') && document.querySelector('#chips .chip-source')`)
	tb.waitFor("her gazette articles after a load", totalIs(annaInGazette))
	if n := eval[int](tb, `document.querySelectorAll('#facets a.facet-item.active').length`); n != 2 {
		t.Errorf("%d facet values selected, want 2", n)
	}
}

// Without the facet table the page says so, and still searches with the
// URL's filters.
func TestPageWithoutTheFacetTable(t *testing.T) {
	path, recs := newsroom(t)
	srv := foliotest.NewServer(t, path)
	tb := newTab(t, srv)
	block := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetBlockedURLs, network.SetBlockedURLsParams{
			URLPatterns: []*network.BlockPattern{{URLPattern: srv.URL + "/api/facets", Block: true}},
		})
		return err
	})
	tb.do("blocking /api/facets", block)
	tb.do("opening a filtered search", chromedp.Navigate(srv.URL+"/?q=harbour&author="+url.QueryEscape("Anna Berg")))
	tb.settled("results")
	tb.waitFor("the results", totalIs(countWhere(recs, func(r newsroomArticle) bool { return r.Author == "Anna Berg" })))
	if msg := tb.text("#facets .facets-error"); !strings.Contains(msg, "filters could not be loaded") {
		t.Errorf("filter panel says %q", msg)
	}
	if msg := tb.text("#notice"); !strings.Contains(msg, "filters could not be loaded") {
		t.Errorf("notice says %q", msg)
	}
	if n := eval[int](tb, `document.querySelectorAll('#facets .facet-group').length`); n != 0 {
		t.Errorf("%d facet groups without the table", n)
	}
	tb.screenshot("no-table", 0)
	// Typing a new query keeps the URL's filter.
	tb.do("typing", chromedp.SendKeys(chromedp.ID("q"), " cranes"))
	tb.waitFor("the new query in the URL", `new URLSearchParams(location.search).get('q') === 'harbour cranes'`)
	if got := tb.location().Query()["author"]; !slices.Equal(got, []string{"Anna Berg"}) {
		t.Errorf("after typing the URL has author=%q", got)
	}
}
