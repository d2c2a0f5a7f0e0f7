package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Exact copies (every fifth story of the test index has a twin with the
// same title and body, and Reuters repeats some itself) never share the
// first ten ranks: each copy comes below them, after its original, and
// paging by number and by cursor still lists every hit once, in the same
// order, also where feedback reranks the first hits.
func TestCopiesDemoted(t *testing.T) {
	ix, _ := reutersIndex(t)
	dedup := ix.WithRanking(Ranking{Dedup: true})
	plain := ix.WithRanking(Ranking{})
	for _, text := range []string{"said", "oil prices", "coffee", "mln dlrs"} {
		n, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, Size: 7, Facets: []string{}}
		byPage, byCursor := pagedIDs(t, dedup, req, 10)
		if !slices.Equal(byPage, byCursor) {
			t.Errorf("%q:\n pages   %v\n cursors %v", text, byPage, byCursor)
		}
		scoreOrder, _ := pagedIDs(t, plain, req, 10)
		// The plain order has copies side by side in its top ten, or the
		// test proves nothing.
		if key := copiesKeys(t, ix, scoreOrder[:10]); len(key) == len(uniq(key)) {
			t.Fatalf("%q: no copies in the plain top ten %v", text, scoreOrder[:10])
		}
		if keys := copiesKeys(t, ix, byPage[:10]); len(keys) != len(uniq(keys)) {
			t.Errorf("%q: copies in the top ten %v", text, byPage[:10])
		}
		// The same hits, copies after their originals.
		got, want := slices.Clone(byPage[:40]), slices.Clone(scoreOrder[:40])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: hits %v, want those of %v", text, byPage[:40], scoreOrder[:40])
		}
		// With feedback too, pages past the reranked hits (7 × 20 > 100)
		// list the same hits as the plain order, each once, by number and
		// by cursor alike; a query that matched fewer than 100 may be
		// followed by articles with some of its words, after its matches.
		fbPage, fbCursor := pagedIDs(t, ix, req, 20)
		if !slices.Equal(fbPage, fbCursor) {
			t.Errorf("%q with feedback:\n pages   %v\n cursors %v", text, fbPage, fbCursor)
		}
		if len(fbPage) != len(uniq(fbPage)) {
			t.Errorf("%q with feedback: a hit listed twice in %v", text, fbPage)
		}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		plain140, _ := pagedIDs(t, plain, req, 20)
		got, want = slices.Clone(fbPage[:min(len(fbPage), int(res.Total))]), slices.Clone(plain140)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q with feedback: hits %v, want those of %v", text, fbPage, plain140)
		}
		for i, id := range byPage {
			if orig, ok := strings.CutSuffix(id, "-twin"); ok && slices.Index(byPage, orig) > i && slices.Index(byPage, orig) < 10 {
				t.Errorf("%q: %s at rank %d above its original", text, id, i+1)
			}
		}
	}
}

// copiesKeys is the title and body of each article, as a key.
func copiesKeys(t *testing.T, ix *Index, ids []string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		a, err := ix.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Title+"\x00"+a.Body)
	}
	return out
}
