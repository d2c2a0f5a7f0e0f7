package index

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// fillFixture is an index of searchtest.ShortList.
func fillFixture(t *testing.T) *Index {
	t.Helper()
	ix := openTemp(t)
	if err := ix.Put(searchtest.ShortList()...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func day(y int) *time.Time { d := time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC); return &d }

// A plain query that matches few articles is followed by the others of
// its subject, which feedback finds; total still counts its matches.
func TestFeedbackFill(t *testing.T) {
	ix := fillFixture(t)
	fb := ix.WithRanking(Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1, FeedbackFill: 100})
	run := func(e search.Engine, q string, edit func(*search.Request)) *search.Result {
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
	res := run(fb, "tea auction", nil)
	got := hitIDs(res)
	if res.Total != 3 || len(got) < 7 {
		t.Fatalf("total %d, hits %v: want 3 matches followed by the 4 tea stories", res.Total, got)
	}
	if head := slices.Sorted(slices.Values(got[:3])); !slices.Equal(head, []string{"auction 0", "auction 1", "auction 2"}) {
		t.Errorf("first three %v, want the matches", got[:3])
	}
	if next := slices.Sorted(slices.Values(got[3:7])); !slices.Equal(next, []string{"tea 0", "tea 1", "tea 2", "tea 3"}) {
		t.Errorf("ranks 4-7 %v, want the tea stories", got[3:7])
	}
	for _, id := range got {
		if strings.HasPrefix(id, "weather") {
			t.Errorf("%s added: it shares no word with the query or its subject", id)
		}
	}
	if res.Next != "" {
		t.Errorf("every hit on one page, yet next %q", res.Next)
	}

	// Pages of two walk the same list, by cursor.
	var paged []string
	after := ""
	for range 20 {
		page := run(fb, "tea auction", func(r *search.Request) { r.Size, r.After = 2, after })
		paged = append(paged, hitIDs(page)...)
		if after = page.Next; after == "" {
			break
		}
	}
	if !slices.Equal(paged, got) {
		t.Errorf("paged by 2: %v, want %v", paged, got)
	}

	// Added articles meet the request's date range and the query's
	// exclusions.
	in1987 := run(fb, "tea auction", func(r *search.Request) { r.From, r.To = *day(1987), *day(1988) })
	if ids := hitIDs(in1987); slices.Contains(ids, "tea 1") || slices.Contains(ids, "tea 3") || !slices.Contains(ids, "tea 0") {
		t.Errorf("within 1987: %v, want tea 0 and 2 added, not 1 and 3 (1988)", ids)
	}
	if ids := hitIDs(run(fb, "tea auction -output", nil)); len(ids) != 3+1 || !slices.Contains(ids, "cars") {
		t.Errorf("tea auction -output: %v, want the 3 matches and the car auction only", ids)
	}

	// Nothing is added with expand=false, to a +word or phrase query, or
	// by a ranking without fill.
	for _, c := range []struct {
		name string
		e    search.Engine
		q    string
		off  bool
	}{
		{"expand=false", fb, "tea auction", true},
		{"+auction", fb, "tea +auction", false},
		{"phrase", fb, `"tea auction"`, false},
		{"no fill", ix.WithRanking(Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1}), "tea auction", false},
	} {
		res := run(c.e, c.q, func(r *search.Request) { r.NoExpand = c.off })
		if uint64(len(res.Hits)) != res.Total {
			t.Errorf("%s: %d hits for %d matches: %v", c.name, len(res.Hits), res.Total, hitIDs(res))
		}
	}
}
