package index

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Skipping the optional clauses of articles that cannot reach the kept
// hits must keep exactly the hits, scores and order of Bleve's boolean
// query of the same clauses, on queries of common and rare words.
func TestMaxScoreKeepsTheHits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Reuters index")
	}
	ix := sharedReuters(t)
	ctx := context.Background()
	skipped := 0
	for _, text := range []string{
		"year increase", "said stock", "oil prices", "bank rates said", "loss shr", "tin council",
		"coffee quota talks", "mln dlrs year", "company said it", "gulf tanker attack",
		"oil prices opec quota output", `"trade surplus" japan said`, "title:oil prices said", "+bank rates cut",
	} {
		n, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, keep := range []int{10, 100} {
			q, _, _, err := ix.bleveQuery(ctx, search.Request{Query: n}, false, DefaultRanking)
			if err != nil {
				t.Fatal(err)
			}
			m, ok := q.(*maxScoreQuery)
			if !ok || !m.root {
				t.Fatalf("%q compiles to %T, not a root maxScoreQuery", text, q)
			}
			got, err := ix.collect(ctx, m, keep, func(int) bool { return false })
			if err != nil {
				t.Fatal(err)
			}
			skipped += m.skipped
			b := bleve.NewBooleanQuery()
			b.AddMust(m.must...)
			b.AddShould(m.should...)
			want, err := ix.collect(ctx, b, keep, func(int) bool { return false })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%q top %d: %d hits, Bleve's boolean query %d", text, keep, len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID || got[i].Score != want[i].Score {
					t.Errorf("%q top %d, rank %d: %s %v, Bleve's boolean query %s %v", text, keep, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
					break
				}
			}
		}
	}
	if skipped == 0 {
		t.Error("no article was scored without its optional clauses")
	}
	t.Logf("%d articles scored without the optional clauses", skipped)
}

// Under a filter the boolean query's score is not the one collected, so
// it never skips.
func TestMaxScoreOnlyAtTheRoot(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Put(corpus.Article{ID: "a", Title: "Oil price", Body: "The oil price rose.", Tags: []string{"energy"}}); err != nil {
		t.Fatal(err)
	}
	n, _ := query.Parse("oil price")
	q, _, _, err := ix.bleveQuery(context.Background(), search.Request{Query: n, Filters: map[string][]string{"tag": {"energy"}}}, false, DefaultRanking)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := q.(*bq.ConjunctionQuery)
	if !ok {
		t.Fatalf("a filtered query compiled to %T", q)
	}
	m, ok := c.Conjuncts[0].(*maxScoreQuery)
	if !ok || m.root {
		t.Fatalf("the text query under a filter is %T (root %v)", c.Conjuncts[0], ok && m.root)
	}
}
