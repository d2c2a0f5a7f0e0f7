package index

import (
	"context"
	"maps"
	"math"
	"slices"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/folio-search/folio/corpus"
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

// Ranking the fill's candidates from their stored text gives the order
// and scores of the search over their postings, on Reuters queries that
// match too few articles to fill a page.
func TestFillFromTextRanksAsFromPostings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Reuters index")
	}
	ix := sharedReuters(t)
	ctx := context.Background()
	compared := 0
	for _, text := range []string{"tea auction", "tin council buffer", "cocoa buffer stock", "lumber prices"} {
		q, c, _, err := ix.bleveQuery(ctx, search.Request{Query: mustParse(t, text)}, false, DefaultRanking)
		if err != nil {
			t.Fatal(err)
		}
		hits, err := ix.collect(ctx, q, search.FeedbackRerank, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < 2 || len(hits) >= search.FeedbackRerank {
			t.Fatalf("%q: %d matches, want a short list", text, len(hits))
		}
		_, clauses, _, err := ix.rerank(ctx, c, DefaultRanking, hits, nil, nil)
		if err != nil || len(clauses) == 0 {
			t.Fatalf("%q: no feedback words (%v)", text, err)
		}
		first, words, err := ix.fillCandidates(ctx, c, hits, fillCandidates, true)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.fillFromPostings(ctx, words, clauses, slices.Clone(first), 50, 10)
		if err != nil {
			t.Fatal(err)
		}
		dfs, err := ix.clauseDocFreqs(ctx, clauses)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.fillFromText(ctx, clauses, dfs, first, 50, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%q: %d articles from the text, %d from the postings", text, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-8 {
				t.Errorf("%q, rank %d: %s %v from the text, %s %v from the postings", text, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
				break
			}
		}
		if _, ok := got[10].Fields[fStored]; ok {
			t.Errorf("%q: rank 11 keeps its stored article", text)
		}
		// A page far past the matches reads none of them.
		again, _, err := ix.fillCandidates(ctx, c, hits, fillCandidates, true)
		if err != nil {
			t.Fatal(err)
		}
		none, err := ix.fillFromText(ctx, clauses, dfs, again, 20, -5)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range none {
			if h.Fields != nil {
				t.Fatalf("%q: %s keeps its fields with no rank to show", text, h.ID)
			}
		}
		compared += len(got)
	}
	t.Logf("%d filled ranks compared", compared)
}

// The fill's candidates are scored in the matches' pass only when both
// were found on the same snapshot. After an article arrives between the
// two, the matches are still scored on theirs, kept for the search, and
// the fill is left to its own pass.
func TestFillAcrossSnapshots(t *testing.T) {
	ix := fillFixture(t)
	rank := Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1, FeedbackFill: 100}
	ctx := context.Background()
	q, c, _, err := ix.bleveQuery(ctx, search.Request{Query: mustParse(t, "tea auction")}, false, rank)
	if err != nil {
		t.Fatal(err)
	}
	matches := func() *hitCollector {
		col := &hitCollector{ranked: true, n: search.FeedbackRerank, keep: true}
		if err := ix.collectWith(ctx, q, col); err != nil {
			t.Fatal(err)
		}
		return col
	}
	same := matches()
	defer same.release()
	fill := newFilling(c, 50, 10)
	reranked, clauses, _, err := ix.rerank(ctx, c, rank, same.hits, same.snap, fill)
	if err != nil || clauses == nil {
		t.Fatalf("no feedback words (%v)", err)
	}
	if !fill.scored || len(fill.ranked) == 0 {
		t.Fatal("on one snapshot, the fill was not scored with the matches")
	}
	want := scoresOf(reranked)

	older := matches()
	defer older.release()
	if err := ix.Put(corpus.Article{ID: "late", Title: "Tea auction in Colombo", Body: "Tea prices at the Colombo auction rose."}); err != nil {
		t.Fatal(err)
	}
	apart := newFilling(c, 50, 10)
	reranked, _, _, err = ix.rerank(ctx, c, rank, older.hits, older.snap, apart)
	if err != nil {
		t.Fatal(err)
	}
	if apart.scored {
		t.Error("candidates found on a newer snapshot were scored with the matches")
	}
	if got := scoresOf(reranked); len(got) != len(want) || !maps.EqualFunc(got, want, func(a, b float64) bool { return a > 0 && b > 0 }) {
		t.Errorf("matches scored on their kept snapshot %v, on one snapshot %v", got, want)
	}
	more, err := ix.fill(ctx, c, clauses, older.hits, 50, 10)
	if err != nil || len(more) == 0 {
		t.Fatalf("the fill apart found %d articles (%v)", len(more), err)
	}
}

// scoresOf is hits' scores by ID.
func scoresOf(hits []*bsearch.DocumentMatch) map[string]float64 {
	out := map[string]float64{}
	for _, h := range hits {
		out[h.ID] = h.Score
	}
	return out
}
