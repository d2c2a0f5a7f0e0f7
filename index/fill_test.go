package index

import (
	"context"
	"slices"
	"testing"

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

// A plain query that matches few articles is followed by the others of
// its subject, which feedback finds; total still counts its matches. The
// tea stories, which speak the subject's other words, come before the car
// auction when feedback weighs its words fully; a ranking without fill
// adds nothing.
func TestFeedbackFill(t *testing.T) {
	ix := fillFixture(t)
	searchtest.CheckShortList(t, ix)
	fb := ix.WithRanking(Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1, FeedbackFill: 100})
	got := searchtest.CheckShortList(t, fb)
	if next := slices.Sorted(slices.Values(got[3:7])); !slices.Equal(next, []string{"tea 0", "tea 1", "tea 2", "tea 3"}) {
		t.Errorf("ranks 4-7 %v, want the tea stories", got[3:7])
	}
	n, _ := query.Parse("tea auction")
	res, err := ix.WithRanking(Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1}).Search(context.Background(), search.Request{Query: n, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(res.Hits)) != res.Total {
		t.Errorf("no fill: %d hits for %d matches: %v", len(res.Hits), res.Total, hitIDs(res))
	}
}
