package searchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// ShortList is the corpus of the tests of feedback filling a short list,
// shared by the engines so that they answer the same: three stories match
// "tea auction"; four more are about tea in the same words (estates,
// leaf, Mombasa) without an auction, "tea 1" and "tea 3" dated 1988; one
// is about a car auction; twenty are weather.
func ShortList() []corpus.Article {
	day := func(y int) *time.Time { d := time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC); return &d }
	var out []corpus.Article
	for i := range 3 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("auction %d", i), Title: "Tea auction in Mombasa", Date: day(1987),
			Body: "Tea estates sent leaf to the auction in Mombasa; tea leaf prices rose as estates sold."})
	}
	for i := range 4 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("tea %d", i), Title: "Kenya tea estates", Date: day(1987 + i%2),
			Body: fmt.Sprintf("Tea estates near Mombasa picked more leaf; estates expect leaf output to grow (%d).", i)})
	}
	out = append(out, corpus.Article{ID: "cars", Title: "Car auction", Date: day(1987), Body: "Old cars were sold at auction."})
	for i := range 20 {
		out = append(out, corpus.Article{ID: fmt.Sprintf("weather %d", i), Title: "Weather", Date: day(1987), Body: "Rain is expected on the coast."})
	}
	return out
}

// CheckShortList checks an engine holding ShortList: a plain query of few
// matches is followed by the other articles of its subject (the tea
// stories, and the car auction that shares a word), total counting the
// matches; pages of two by cursor walk the same list; the added articles
// meet the request's date range and the query's exclusions; nothing is
// added with expand=false, to a +word or to a phrase; a query of one
// match is followed by the articles holding one of its words, a query of
// none by nothing. It returns the hits of "tea auction", for comparisons
// between engines.
func CheckShortList(t *testing.T, e search.Engine) []string {
	t.Helper()
	run := func(q string, edit func(*search.Request)) *search.Result {
		t.Helper()
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, Size: 100, Facets: []string{}}
		if edit != nil {
			edit(&req)
		}
		res, err := e.Search(context.Background(), req)
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
	res := run("tea auction", nil)
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
	if res.Next != "" {
		t.Errorf("every hit on one page, yet next %q", res.Next)
	}
	var paged []string
	after := ""
	for range 20 {
		page := run("tea auction", func(r *search.Request) { r.Size, r.After = 2, after })
		paged = append(paged, ids(page)...)
		if after = page.Next; after == "" {
			break
		}
	}
	if !slices.Equal(paged, got) {
		t.Errorf("paged by 2: %v, want %v", paged, got)
	}
	in1987 := ids(run("tea auction", func(r *search.Request) {
		r.From, r.To = time.Date(1987, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1987, 12, 31, 0, 0, 0, 0, time.UTC)
	}))
	if slices.Contains(in1987, "tea 1") || slices.Contains(in1987, "tea 3") || !slices.Contains(in1987, "tea 0") {
		t.Errorf("within 1987: %v, want tea 0 and tea 2 added, not tea 1 and tea 3 (1988)", in1987)
	}
	if got := ids(run("tea auction -output", nil)); len(got) != 3+1 || !slices.Contains(got, "cars") {
		t.Errorf("tea auction -output: %v, want the 3 matches and the car auction only", got)
	}
	// One match is too few to learn the subject's words from; the articles
	// holding one of the query's words still follow it. None match: none
	// follow.
	one := run("old auction", nil)
	if got := ids(one); one.Total != 1 || len(got) != 4 || got[0] != "cars" ||
		!slices.Equal(slices.Sorted(slices.Values(got[1:])), []string{"auction 0", "auction 1", "auction 2"}) {
		t.Errorf("old auction: total %d, hits %v: want cars, then the three tea auctions", one.Total, got)
	}
	if none := run("old mombasa", nil); none.Total != 0 || len(none.Hits) != 0 {
		t.Errorf("old mombasa: total %d, hits %v: want none", none.Total, ids(none))
	}
	for _, c := range []struct {
		q   string
		off bool
	}{{"tea auction", true}, {"tea +auction", false}, {`"tea auction"`, false}} {
		res := run(c.q, func(r *search.Request) { r.NoExpand = c.off })
		if uint64(len(res.Hits)) != res.Total {
			t.Errorf("%s (expand=%v): %d hits for %d matches: %v", c.q, !c.off, len(res.Hits), res.Total, ids(res))
		}
	}
	return got
}
