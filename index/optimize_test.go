package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// segmentSizes lists the article counts of the index's current segments.
func segmentSizes(t *testing.T, ix *Index) []int {
	t.Helper()
	return sizesOf(t, ix.bleve)
}

// sizesOf is the number of documents (deleted ones too) of each segment
// of b.
func sizesOf(t *testing.T, b bleve.Index) []int {
	t.Helper()
	adv, err := b.Advanced()
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
func firstReuters(t testing.TB, n int) []corpus.Article {
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

// An optimizing ingest relinks people before it merges its batches, once:
// the merge drops the articles relinking replaced, so no segment keeps
// them as deleted documents (which every search would subtract from
// every postings list it reads), and nothing is merged twice.
func TestIngestRelinksBeforeOptimizing(t *testing.T) {
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
	// One segment of the 10 articles, the relinked one's old version gone
	// (merged after relinking, the sizes were [10 1]: 10 with a deleted
	// article, and the article written again).
	if got := segmentSizes(t, ix); !slices.Equal(got, []int{10}) {
		t.Errorf("segment sizes %v, want [10]", got)
	}
}

// planSegment is a segment of n live articles for the merge planner.
type planSegment struct{ id, n uint64 }

func (s planSegment) Id() uint64          { return s.id }
func (s planSegment) FullSize() int64     { return int64(s.n) }
func (s planSegment) LiveSize() int64     { return int64(s.n) }
func (s planSegment) HasVector() bool     { return false }
func (s planSegment) FileSize() int64     { return int64(s.n) << 10 }
func (s planSegment) LiveFileSize() int64 { return int64(s.n) << 10 }

// mergeOptions decodes merge-plan options as Bleve does.
func mergeOptions(t *testing.T, m map[string]any) *mergeplan.MergePlanOptions {
	t.Helper()
	o := mergeplan.DefaultMergePlanOptions
	b, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(b, &o)
	}
	if err == nil {
		err = mergeplan.ValidateMergePlannerOptions(&o)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &o
}

// merged is how many segments a plan merges, and the most in one task.
func merged(t *testing.T, segs []mergeplan.Segment, o *mergeplan.MergePlanOptions) (n, widest int) {
	t.Helper()
	plan, err := mergeplan.Plan(segs, o)
	if err != nil {
		t.Fatal(err)
	}
	if plan == nil {
		return 0, 0
	}
	for _, task := range plan.Tasks {
		n += len(task.Segments)
		widest = max(widest, len(task.Segments))
	}
	return n, widest
}

// A bulk ingest's merger lets the segments of its batches gather and
// merges them many at once, where serving keeps few segments.
func TestBulkMergesFewerTimesThanServing(t *testing.T) {
	var segs []mergeplan.Segment
	for i := range 30 {
		segs = append(segs, planSegment{uint64(i), 2000})
	}
	serving, bulk := mergeOptions(t, backgroundMergeOptions()), mergeOptions(t, bulkMergeOptions())
	if n, _ := merged(t, segs, serving); n == 0 {
		t.Errorf("serving: 30 batch segments left unmerged")
	}
	if n, _ := merged(t, segs, bulk); n != 0 {
		t.Errorf("bulk: %d of 30 batch segments merged, want none yet", n)
	}
	for i := 30; i < 40; i++ {
		segs = append(segs, planSegment{uint64(i), 2000})
	}
	if n, widest := merged(t, segs, bulk); n == 0 || widest < 30 {
		t.Errorf("bulk: %d of 40 batch segments merged, at most %d at once; want 30 or more at once", n, widest)
	}
	// Optimize's bound holds in both.
	if bulk.MaxSegmentSize != int64(maxSegmentDocs) || serving.MaxSegmentSize != int64(maxSegmentDocs) {
		t.Errorf("MaxSegmentSize %d (bulk), %d (serving), want %d", bulk.MaxSegmentSize, serving.MaxSegmentSize, maxSegmentDocs)
	}
}

// An index opened for a bulk ingest is the same index: opened again for
// serving, it holds what the ingest wrote.
func TestOpenForBulkIngest(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := OpenWith(dir, OpenOptions{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	var articles []corpus.Article
	for i := range 40 {
		articles = append(articles, corpus.Article{ID: fmt.Sprint("a", i), Title: "Bulk", Body: fmt.Sprint("article number ", i)})
	}
	if _, err := ix.Ingest(context.Background(), seqOf(articles...), IngestOptions{BatchSize: 4, Optimize: true}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(context.Background()); n != 40 {
		t.Errorf("%d articles, want 40", n)
	}
	if got := segmentSizes(t, ix); !slices.Equal(got, []int{40}) {
		t.Errorf("segment sizes %v after the bulk ingest, want [40]", got)
	}
}
