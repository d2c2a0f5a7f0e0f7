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
		"oil prices -iran", "year increase -dividend -shr",
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
			var none []*maxScoreQuery
			want, err := ix.collect(ctx, asBleveBoolean(m, &none), keep, func(int) bool { return false })
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

// Nested under OR or a filter, where it never skips, the query matches
// what Bleve's boolean query of the same clauses matches. Its scores are
// never lower, and where they differ Bleve's lost the optional clauses of
// an article that holds them: a boolean searcher moved by its parent's
// Advance drops the match its should side had read ahead, which the
// should side here, read at the asked document only, cannot.
func TestMaxScoreNestedKeepsOptionalMatches(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Reuters index")
	}
	ix := sharedReuters(t)
	ctx := context.Background()
	for _, req := range []search.Request{
		{Query: mustParse(t, "(year increase) OR (coffee quota)")},
		{Query: mustParse(t, "oil prices"), Filters: map[string][]string{"tag": {"crude"}}},
		{Query: mustParse(t, "japan ((trade surplus) OR yen)")},
		{Query: mustParse(t, "oil prices -iran"), Filters: map[string][]string{"tag": {"crude"}}},
	} {
		q, _, _, err := ix.bleveQuery(ctx, req, false, DefaultRanking)
		if err != nil {
			t.Fatal(err)
		}
		var nested []*maxScoreQuery
		plain := asBleveBoolean(q, &nested)
		if len(nested) == 0 {
			t.Fatalf("%v: no nested maxScoreQuery", req.Query)
		}
		got, err := ix.collect(ctx, q, 10000, func(int) bool { return false })
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.collect(ctx, plain, 10000, func(int) bool { return false })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%v: %d matches, Bleve's boolean query %d", req.Query, len(got), len(want))
		}
		bleveScore := map[string]float64{}
		for _, h := range want {
			bleveScore[h.ID] = h.Score
		}
		for _, h := range got {
			b, ok := bleveScore[h.ID]
			switch {
			case !ok:
				t.Errorf("%v: %s matches here, not in Bleve's boolean query", req.Query, h.ID)
			case h.Score < b*(1-1e-12):
				t.Errorf("%v: %s scores %v here, %v in Bleve's boolean query", req.Query, h.ID, h.Score, b)
			case h.Score > b*(1+1e-12) && !holdsOptional(t, ix, h.ID, nested):
				t.Errorf("%v: %s scores more here (%v > %v) without holding an optional clause", req.Query, h.ID, h.Score, b)
			}
		}
	}
}

// holdsOptional reports whether the article id matches an optional clause
// of one of qs.
func holdsOptional(t *testing.T, ix *Index, id string, qs []*maxScoreQuery) bool {
	t.Helper()
	for _, m := range qs {
		for _, sq := range m.should {
			hits, err := ix.collect(context.Background(), bleve.NewConjunctionQuery(bleve.NewDocIDQuery([]string{id}), sq), 1, func(int) bool { return false })
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 1 {
				return true
			}
		}
	}
	return false
}

// asBleveBoolean is q with each maxScoreQuery in it replaced by Bleve's
// boolean query of the same clauses; nested gathers those below the root.
func asBleveBoolean(q bq.Query, nested *[]*maxScoreQuery) bq.Query {
	switch q := q.(type) {
	case *maxScoreQuery:
		if !q.root {
			*nested = append(*nested, q)
		}
		b := bleve.NewBooleanQuery()
		b.AddMust(q.must...)
		b.AddShould(q.should...)
		if len(q.mustNot) > 0 {
			b.AddMustNot(q.mustNot...)
		}
		return b
	case *bq.ConjunctionQuery:
		out := make([]bq.Query, len(q.Conjuncts))
		for i, c := range q.Conjuncts {
			out[i] = asBleveBoolean(c, nested)
		}
		return bleve.NewConjunctionQuery(out...)
	case *bq.DisjunctionQuery:
		out := make([]bq.Query, len(q.Disjuncts))
		for i, c := range q.Disjuncts {
			out[i] = asBleveBoolean(c, nested)
		}
		d := bleve.NewDisjunctionQuery(out...)
		d.SetMin(q.Min)
		return d
	case *bq.BooleanQuery:
		b := bleve.NewBooleanQuery()
		if m, ok := q.Must.(*bq.ConjunctionQuery); ok {
			for _, c := range m.Conjuncts {
				b.AddMust(asBleveBoolean(c, nested))
			}
		}
		if s, ok := q.Should.(*bq.DisjunctionQuery); ok {
			for _, c := range s.Disjuncts {
				b.AddShould(asBleveBoolean(c, nested))
			}
		}
		if n, ok := q.MustNot.(*bq.DisjunctionQuery); ok {
			for _, c := range n.Disjuncts {
				b.AddMustNot(asBleveBoolean(c, nested))
			}
		}
		return b
	}
	return q
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
