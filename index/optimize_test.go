package index

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
)

// segmentSizes lists the article counts of the index's current segments.
func segmentSizes(t *testing.T, ix *Index) []int {
	t.Helper()
	adv, err := ix.bleve.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.(*scorch.Scorch).Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var sizes []int
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		sizes = append(sizes, int(s.FullSize()))
	}
	return sizes
}

func TestOptimizeBoundsSegmentSize(t *testing.T) {
	articles := firstReuters(t, 1200)
	defer func(old int) { maxSegmentDocs = old }(maxSegmentDocs)
	maxSegmentDocs = 500 // for Bleve's background merges as well
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for lo := 0; lo < len(articles); lo += 100 {
		if err := ix.Put(articles[lo : lo+100]...); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	oil := Request{Query: query.Term{Text: "oil"}, Size: 50, FacetSize: 10}
	want, err := ix.Search(ctx, oil)
	if err != nil {
		t.Fatal(err)
	}

	if err := ix.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	sizes := segmentSizes(t, ix)
	t.Logf("segments after optimize: %v", sizes)
	total, small := 0, 0
	for _, n := range sizes {
		total += n
		if n >= maxSegmentDocs {
			t.Errorf("a segment of %d articles; the bound is %d (segments %v)", n, maxSegmentDocs, sizes)
		}
		if n < maxSegmentDocs/2 {
			small++
		}
	}
	// Two segments below half the bound would have been merged.
	if total != len(articles) || small > 1 {
		t.Errorf("segments %v: want %d articles, at most one segment below %d", sizes, len(articles), maxSegmentDocs/2)
	}
	got, err := ix.Search(ctx, oil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != want.Total || !slices.Equal(hitIDs(got), hitIDs(want)) {
		t.Errorf("after optimize: %d hits %v, before: %d hits %v", got.Total, hitIDs(got), want.Total, hitIDs(want))
	}

	maxSegmentDocs = 1 << 30
	if err := ix.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if sizes := segmentSizes(t, ix); len(sizes) != 1 || sizes[0] != len(articles) {
		t.Errorf("unbounded optimize left segments %v, want one of %d", sizes, len(articles))
	}
}

func hitIDs(r *Result) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// firstReuters returns the first n readable Reuters-21578 articles, or
// skips the test where the corpus is not beside the project.
func firstReuters(t *testing.T, n int) []corpus.Article {
	t.Helper()
	const path = "../../shared/corpora/reuters21578/reuters21578.jsonl"
	if _, err := os.Stat(path); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	var articles []corpus.Article
	for a, err := range corpus.ReadFile(path) {
		if err == nil {
			articles = append(articles, a)
		}
		if len(articles) == n {
			break
		}
	}
	return articles
}
