package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// reutersIndex indexes 3,000 Reuters articles, each with a few made-up
// entities, in several batches (so several segments), then replaces and
// deletes some (so segments hold deleted documents). A fifth of the
// articles are indexed twice under two IDs, so many scores tie. It returns
// the index and the articles it holds by ID.
func reutersIndex(t *testing.T) (*Index, map[string]corpus.Article) {
	const path = "../../shared/corpora/reuters21578/reuters21578.jsonl"
	if _, err := os.Stat(path); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	var articles []corpus.Article
	for a, err := range corpus.ReadFile(path) {
		if err != nil {
			continue
		}
		i := len(articles)
		a.Entities = []corpus.Entity{
			{Type: "PER", Name: fmt.Sprintf("Person %d", i%37)},
			{Type: "ORG", Name: fmt.Sprintf("Org %d", i%23)},
			{Type: "ORG", Name: fmt.Sprintf("Org %d", i%5)},
			{Type: "LOC", Name: fmt.Sprintf("Place %d", i%11)},
		}
		articles = append(articles, a)
		if i%5 == 0 {
			twin := a
			twin.ID += "-twin"
			articles = append(articles, twin)
		}
		if len(articles) >= 3000 {
			break
		}
	}
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for lo := 0; lo < len(articles); lo += 700 {
		if err := ix.Put(articles[lo:min(lo+700, len(articles))]...); err != nil {
			t.Fatal(err)
		}
	}
	held := map[string]corpus.Article{}
	for _, a := range articles {
		held[a.ID] = a
	}
	var changed []corpus.Article
	for i := 3; i < len(articles); i += 41 {
		a := articles[i]
		a.Tags = append(slices.Clone(a.Tags), "replaced")
		a.Entities = append(slices.Clone(a.Entities), corpus.Entity{Type: "PER", Name: "Person Replaced"})
		changed = append(changed, a)
		held[a.ID] = a
	}
	if err := ix.Put(changed...); err != nil {
		t.Fatal(err)
	}
	for i := 5; i < len(articles); i += 53 {
		if err := ix.Delete(context.Background(), articles[i].ID); err != nil {
			t.Fatal(err)
		}
		delete(held, articles[i].ID)
	}
	return ix, held
}

// Facets over a real multi-segment index with deletions equal the counts
// a reader would make from the matching articles themselves, for matches
// from a handful to all of the index.
func TestFacetCountsMatchTheArticles(t *testing.T) {
	ix, held := reutersIndex(t)
	ctx := context.Background()
	reqs := []search.Request{
		{},
		{Query: query.Term{Text: "said"}},
		{Query: query.Term{Text: "oil"}},
		{Query: query.Term{Text: "coffee"}},
		{Query: query.Phrase{Words: []string{"mln", "dlrs"}}},
		{Filters: map[string][]string{"tag": {"earn"}}},
		{Filters: map[string][]string{"tag": {"replaced"}}},
		{Query: query.Term{Text: "bank"}, Filters: map[string][]string{"person": {"Person 3"}}},
		{Query: query.Term{Text: "said"}, From: time.Date(1987, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(1987, 3, 2, 0, 0, 0, 0, time.UTC)},
		{Query: query.Term{Text: "nosuchwordanywhere"}},
	}
	for _, req := range reqs {
		name := fmt.Sprintf("%v %v %v", req.Query, req.Filters, req.From.Format("2006-01-02"))
		all := req
		all.Size, all.Facets = 100000, []string{}
		res, err := ix.Search(ctx, all)
		if err != nil {
			t.Fatal(name, err)
		}
		if int(res.Total) != len(res.Hits) {
			t.Fatalf("%s: total %d, %d hits", name, res.Total, len(res.Hits))
		}
		want := map[string]map[string]int{"tag": {}, "person": {}, "org": {}, "place": {}, "month": {}, "day": {}}
		for _, h := range res.Hits {
			a, ok := held[h.ID]
			if !ok {
				t.Fatalf("%s: hit %s is not in the index", name, h.ID)
			}
			for _, tag := range uniq(a.Tags) {
				want["tag"][tag]++
			}
			for facet, typ := range map[string]string{"person": "PER", "org": "ORG", "place": "LOC"} {
				for _, n := range uniq(entityNames(&a, typ)) {
					want[facet][n]++
				}
			}
			if a.Date != nil {
				want["month"][a.Date.UTC().Format("2006-01")]++
				want["day"][a.Date.UTC().Format("2006-01-02")]++
			}
		}
		req.FacetSize = 7
		res, err = ix.Search(ctx, req)
		if err != nil {
			t.Fatal(name, err)
		}
		for _, facet := range []string{"tag", "person", "org", "place"} {
			if got, exp := res.Facets[facet], topValues(want[facet], 7); !slices.Equal(got, exp) {
				t.Errorf("%s: facet %s = %v, want %v", name, facet, got, exp)
			}
		}
		exp := search.DateHistogram(topValues(want["month"], 0), topValues(want["day"], 0))
		if got := res.Facets["date"]; !slices.Equal(got, exp) {
			t.Errorf("%s: date facet = %v, want %v", name, got, exp)
		}
	}
}

// The collector's relevance order is Bleve's own sort by score and then
// ID, page after page, by page number and by cursor, ties included (with
// the plain ranking: feedback and demoted copies reorder it on purpose).
func TestRelevanceOrderMatchesBleve(t *testing.T) {
	ix, _ := reutersIndex(t)
	plain := ix.WithRanking(Ranking{})
	ctx := context.Background()
	for _, text := range []string{"said", "oil prices", "coffee", "mln dlrs"} {
		n, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, Size: 7, Facets: []string{}}
		q, _, _, err := ix.bleveQuery(ctx, req, false, Ranking{})
		if err != nil {
			t.Fatal(err)
		}
		sr := bleve.NewSearchRequestOptions(q, 70, 0, false)
		sr.SortBy([]string{"-_score", "_id"})
		res, err := ix.bleve.SearchInContext(ix.withBM25Stats(ctx), sr)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		ties := 0
		for i, h := range res.Hits {
			want = append(want, h.ID)
			if i > 0 && h.Score == res.Hits[i-1].Score {
				ties++
			}
		}
		byPage, byCursor := pagedIDs(t, plain, req, 10)
		if !slices.Equal(byPage, want) || !slices.Equal(byCursor, want) {
			t.Errorf("%q:\n pages   %v\n cursors %v\n bleve   %v", text, byPage, byCursor, want)
		}
		t.Logf("%q: %d hits compared, %d score ties", text, len(want), ties)
	}
}

// pagedIDs is the IDs of pages 1 to pages of req, asked by page number
// and by cursor.
func pagedIDs(t *testing.T, e search.Engine, req search.Request, pages int) (byPage, byCursor []string) {
	t.Helper()
	ctx := context.Background()
	for page := 1; page <= pages; page++ {
		p := req
		p.Page = page
		r, err := e.Search(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			byPage = append(byPage, h.ID)
		}
	}
	for after, page := "", 1; page <= pages; page++ {
		c := req
		c.After = after
		r, err := e.Search(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			byCursor = append(byCursor, h.ID)
		}
		if after = r.Next; after == "" {
			break
		}
	}
	return byPage, byCursor
}

func uniq(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return slices.Compact(out)
}
