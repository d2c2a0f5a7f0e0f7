package opensearch

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// feedbackCorpus has five stories about coffee that speak of quotas and
// exports, two exact copies of the first, a story that says coffee once
// but quotas and exports often, and stories that mention coffee in
// passing among other words.
func feedbackCorpus() []corpus.Article {
	var out []corpus.Article
	for i := range 5 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("c%d", i), Title: "Coffee producers meet",
			Body: fmt.Sprintf("Coffee coffee coffee. The coffee producers discussed the export quota %d, and quota talks on exports continue with the producers.", i)})
	}
	for i := range 2 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("d%d", i), Title: out[0].Title, Body: out[0].Body})
	}
	out = append(out, corpus.Article{ID: "q", Title: "Talks resume",
		Body: "Producers agreed export quotas. The quota system and the exports of producers were discussed at length, with coffee among the goods " +
			"that the delegates from many countries, who met for three days in the capital, listed in their long final statement on trade."})
	for i := range 6 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("p%d", i), Title: "Market day",
			Body: fmt.Sprintf("Shares rose %d points over a coffee break.", i)})
	}
	return out
}

// TestFeedbackAndCopies checks on a real node that a ranked search
// expands its words as the Bleve engine does, adds no match, lifts the
// story that speaks the subject's other words, keeps copies of a story
// out of the ranks beside it, and pages through the reordered ranks by
// cursor and by number as one list.
func TestFeedbackAndCopies(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ctx := context.Background()
	articles := feedbackCorpus()
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, w := range []search.Engine{e, ix} {
		if err := w.WriteBatch(ctx, articles); err != nil {
			t.Fatal(err)
		}
	}
	n, _ := query.Parse("coffee")
	ids := func(res *search.Result) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	for _, eng := range []struct {
		name string
		e    search.Engine
	}{{"opensearch", e}, {"bleve", ix}} {
		t.Run(eng.name, func(t *testing.T) {
			plain, err := eng.e.Search(ctx, search.Request{Query: n, Size: 20, NoExpand: true})
			if err != nil {
				t.Fatal(err)
			}
			fed, err := eng.e.Search(ctx, search.Request{Query: n, Size: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(plain.Expansion) != 0 {
				t.Errorf("expand=false expanded with %v", plain.Expansion)
			}
			if !slices.Contains(fed.Expansion, "quota") || !slices.Contains(fed.Expansion, "export") {
				t.Errorf("expansion %v, want quota and export among them", fed.Expansion)
			}
			if slices.Contains(fed.Expansion, "coffe") || slices.Contains(fed.Expansion, "coffee") {
				t.Errorf("expansion %v holds the query's own word", fed.Expansion)
			}
			if fed.Total != plain.Total || fed.Total != 14 {
				t.Errorf("totals %d with feedback, %d without, want 14 both", fed.Total, plain.Total)
			}
			a, b := ids(plain), ids(fed)
			if slices.Index(b, "q") >= slices.Index(a, "q") {
				t.Errorf("the story of quotas and exports at rank %d with feedback, %d without: %v / %v",
					slices.Index(b, "q"), slices.Index(a, "q"), b, a)
			}
			for _, order := range [][]string{a, b} {
				copies := 0
				for _, id := range order[:10] {
					if id == "c0" || id == "d0" || id == "d1" {
						copies++
					}
				}
				if copies != 1 {
					t.Errorf("%d copies of one story in the top 10: %v", copies, order)
				}
			}
			// Pages of 3 by cursor and by number list the first page of 20.
			var byCursor, byNumber []string
			req := search.Request{Query: n, Size: 3}
			for page := 1; page <= 10; page++ {
				res, err := eng.e.Search(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				byCursor = append(byCursor, ids(res)...)
				if res.Next == "" {
					break
				}
				req.After = res.Next
				res, err = eng.e.Search(ctx, search.Request{Query: n, Size: 3, Page: page})
				if err != nil {
					t.Fatal(err)
				}
				byNumber = append(byNumber, ids(res)...)
			}
			if !slices.Equal(byCursor, b) || !slices.Equal(byNumber, b[:len(byNumber)]) || len(byNumber) < 12 {
				t.Errorf("pages by cursor %v, by number %v, want %v", byCursor, byNumber, b)
			}
		})
	}
	// Both engines pick the same words: the same rule over the same
	// articles, stemmed alike.
	os, err := e.Search(ctx, search.Request{Query: n})
	if err != nil {
		t.Fatal(err)
	}
	bl, err := ix.Search(ctx, search.Request{Query: n})
	if err != nil {
		t.Fatal(err)
	}
	x, y := slices.Sorted(slices.Values(os.Expansion)), slices.Sorted(slices.Values(bl.Expansion))
	if !slices.Equal(x, y) {
		t.Errorf("expansion on the cluster %s, in Bleve %s", strings.Join(x, " "), strings.Join(y, " "))
	}
}

// TestFillShortLists checks on a real node that a plain query of few
// matches is followed by the other articles of its subject as in Bleve
// (searchtest.CheckShortList), in the same order.
func TestFillShortLists(t *testing.T) {
	e, ix := bothEngines(t, searchtest.ShortList())
	got := searchtest.CheckShortList(t, e)
	if bl := searchtest.CheckShortList(t, ix); !slices.Equal(got, bl) {
		t.Errorf("the cluster lists %v, Bleve %v", got, bl)
	}
}

// A flash's headline stands for its body on the cluster as in Bleve: the
// flash ranks first for the words of its headline, on both engines alike.
func TestFlashHeadlineAsBody(t *testing.T) {
	e, ix := bothEngines(t, searchtest.Flashes())
	got := searchtest.CheckFlashes(t, e)
	if bl := searchtest.CheckFlashes(t, ix); len(got) == 0 || got[0] != bl[0] {
		t.Errorf("the cluster lists %v, Bleve %v", got, bl)
	}
	// Without feedback the rule is off, and the flash ranks lower.
	n, _ := query.Parse("consumer credit")
	off, err := e.Search(context.Background(), search.Request{Query: n, Size: 20, Facets: []string{}, NoExpand: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(off.Hits) == 0 || off.Hits[0].ID == "flash" {
		t.Errorf("the flash ranks first without its headline as its body too: the test shows nothing")
	}
}

// bothEngines is a test cluster's engine and a Bleve index, each holding
// articles; both are closed when the test ends.
func bothEngines(t *testing.T, articles []corpus.Article) (*Engine, *index.Index) {
	t.Helper()
	e := openTest(t)
	t.Cleanup(func() { e.Close() })
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, w := range []search.Engine{e, ix} {
		if err := w.WriteBatch(context.Background(), articles); err != nil {
			t.Fatal(err)
		}
	}
	return e, ix
}
