package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
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
	oil := search.Request{Query: query.Term{Text: "oil"}, Size: 50, FacetSize: 10}
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

func hitIDs(r *search.Result) []string {
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

// An optimizing ingest merges its batches once and relinks people after:
// the articles written again stay a small segment of their own rather
// than being merged with everything else a second time.
func TestIngestOptimizesBeforeRelinking(t *testing.T) {
	// Bleve's background merger would merge the relinked article's segment
	// whenever it got round to it (1 run in 100 before the check, on a busy
	// machine): here it merges nothing, so only Optimize does.
	defer func(old func() map[string]any) { backgroundMergeOptions = old }(backgroundMergeOptions)
	backgroundMergeOptions = func() map[string]any {
		return map[string]any{"MaxSegmentSize": maxSegmentDocs, "MaxSegmentsPerTier": 1000, "FloorSegmentSize": 1}
	}
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	articles := []corpus.Article{personArticle("a0", "Erdogan said the talks went well.", "Erdogan")}
	for i := 1; i <= 8; i++ {
		articles = append(articles, personArticle(fmt.Sprintf("b%d", i), "The talks went on.", "Ilham Aliyev"))
	}
	articles = append(articles, personArticle("a9", "Recep Tayyip Erdogan visited Baku.", "Recep Tayyip Erdogan"))
	_, err = ix.Ingest(context.Background(), seqOf(articles...), IngestOptions{BatchSize: 2, Writers: 1, Optimize: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := withPerson(t, ix, "Recep Tayyip Erdogan"); !slices.Equal(got, []string{"a0", "a9"}) {
		t.Errorf("Recep Tayyip Erdogan: %v, want a0 a9", got)
	}
	if n, _ := ix.Count(context.Background()); n != 10 {
		t.Errorf("%d articles, want 10", n)
	}
	// The merged batches (10 articles, the first relinked away) and the
	// relinked article.
	if got := segmentSizes(t, ix); !slices.Equal(got, []int{10, 1}) {
		t.Errorf("segment sizes %v, want [10 1]", got)
	}
}
