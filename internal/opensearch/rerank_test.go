package opensearch

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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
// matches is followed by the other articles of its subject, as in Bleve:
// total counts the matches, the added meet the query's date range and
// exclusions, pages by cursor walk the same list, and nothing is added
// with expand=false, to a +word or to a phrase.
func TestFillShortLists(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, w := range []search.Engine{e, ix} {
		if err := w.WriteBatch(ctx, searchtest.ShortList()); err != nil {
			t.Fatal(err)
		}
	}
	run := func(eng search.Engine, q string, edit func(*search.Request)) *search.Result {
		t.Helper()
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, Size: 100, Facets: []string{}}
		if edit != nil {
			edit(&req)
		}
		res, err := eng.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ids := func(res *search.Result) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	res := run(e, "tea auction", nil)
	got := ids(res)
	if res.Total != 3 || len(got) < 7 {
		t.Fatalf("total %d, hits %v: want 3 matches followed by the 4 tea stories", res.Total, got)
	}
	if head := slices.Sorted(slices.Values(got[:3])); !slices.Equal(head, []string{"auction 0", "auction 1", "auction 2"}) {
		t.Errorf("first three %v, want the matches", got[:3])
	}
	if added := slices.Sorted(slices.Values(got[3:])); !slices.Equal(added, []string{"cars", "tea 0", "tea 1", "tea 2", "tea 3"}) {
		t.Errorf("added %v, want the tea stories and the car auction", got[3:])
	}
	for _, id := range got {
		if strings.HasPrefix(id, "weather") {
			t.Errorf("%s added: it shares no word with the query or its subject", id)
		}
	}
	if bl := ids(run(ix, "tea auction", nil)); !slices.Equal(got, bl) {
		t.Errorf("the cluster lists %v, Bleve %v", got, bl)
	}
	var paged []string
	after := ""
	for range 20 {
		page := run(e, "tea auction", func(r *search.Request) { r.Size, r.After = 2, after })
		paged = append(paged, ids(page)...)
		if after = page.Next; after == "" {
			break
		}
	}
	if !slices.Equal(paged, got) {
		t.Errorf("paged by 2: %v, want %v", paged, got)
	}
	in1987 := ids(run(e, "tea auction", func(r *search.Request) {
		r.From, r.To = time.Date(1987, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1987, 12, 31, 0, 0, 0, 0, time.UTC)
	}))
	if slices.Contains(in1987, "tea 1") || slices.Contains(in1987, "tea 3") || !slices.Contains(in1987, "tea 0") {
		t.Errorf("within 1987: %v, want tea 0 and tea 2 added, not tea 1 and tea 3 (1988)", in1987)
	}
	if got := ids(run(e, "tea auction -output", nil)); len(got) != 3+1 || !slices.Contains(got, "cars") {
		t.Errorf("tea auction -output: %v, want the 3 matches and the car auction only", got)
	}
	for _, c := range []struct {
		q   string
		off bool
	}{{"tea auction", true}, {"tea +auction", false}, {`"tea auction"`, false}} {
		res := run(e, c.q, func(r *search.Request) { r.NoExpand = c.off })
		if uint64(len(res.Hits)) != res.Total {
			t.Errorf("%s (expand=%v): %d hits for %d matches: %v", c.q, !c.off, len(res.Hits), res.Total, ids(res))
		}
	}
}
