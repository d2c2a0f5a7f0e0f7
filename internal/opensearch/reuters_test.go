package opensearch

import (
	"context"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

const reutersPath = "../../../shared/corpora/reuters21578/reuters21578.jsonl"

// reutersN is how many Reuters-21578 articles the comparison indexes.
const reutersN = 5000

// TestReutersSameAsBleve indexes the first reutersN Reuters articles in
// Bleve and on the cluster and compares, query by query, the totals, the
// facet counts and the date histogram, and for misspelt words the
// fuzzy retry and its correction: the two engines must agree.
func TestReutersSameAsBleve(t *testing.T) {
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	e := openTest(t)
	defer e.Close()
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	var batch []corpus.Article
	n := 0
	flush := func() {
		for _, w := range []search.Engine{e, ix} {
			if err := w.WriteBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		batch = batch[:0]
	}
	for a, err := range corpus.ReadFile(reutersPath) {
		if err != nil {
			continue
		}
		if batch = append(batch, a); len(batch) == 1000 {
			flush()
		}
		if n++; n == reutersN {
			break
		}
	}
	flush()
	for _, w := range []search.Engine{e, ix} {
		if err := w.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		"", "oil", "oil prices", `"crude oil"`, `"oil prices"~3`, "oil -opec", "cocoa OR coffee",
		"tag:crude", "tag:crude -tag:nat-gas", "date:1987-03", "date:1987-03-02", "title:cocoa", "body:wheat",
		"(coffee OR cocoa) brazil", "export*", "shipping~1", "bank's", "u.s. dollar",
		// Misspelt: retried fuzzily, with the same correction as Bleve's.
		"goverment", "petroluem prices", "coffee OR cofee OR brazill", "exprots -wheat", "inflaton rate",
	} {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, FacetSize: 50}
		want, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Search(ctx, req)
		if err != nil {
			t.Fatalf("q=%q: %v", q, err)
		}
		if got.Fuzzy != want.Fuzzy || got.DidYouMean != want.DidYouMean {
			t.Errorf("q=%q: fuzzy %v, did you mean %q; Bleve %v, %q", q, got.Fuzzy, got.DidYouMean, want.Fuzzy, want.DidYouMean)
		}
		if got.Total != want.Total {
			t.Errorf("q=%q: total %d, Bleve %d", q, got.Total, want.Total)
			continue
		}
		for name, wv := range want.Facets {
			gv := got.Facets[name]
			if !maps.Equal(counts(gv), counts(wv)) {
				t.Errorf("q=%q: facet %s = %v, Bleve %v", q, name, gv, wv)
			}
		}
		var gotIDs, wantIDs []string
		for _, h := range got.Hits {
			gotIDs = append(gotIDs, h.ID)
		}
		for _, h := range want.Hits {
			wantIDs = append(wantIDs, h.ID)
		}
		t.Logf("q=%q: total %d; top 10 shared with Bleve: %d", q, got.Total, shared(gotIDs, wantIDs))
	}
}

func counts(vs []search.FacetValue) map[string]int {
	m := map[string]int{}
	for _, v := range vs {
		m[v.Value] = v.Count
	}
	return m
}

func shared(a, b []string) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}
