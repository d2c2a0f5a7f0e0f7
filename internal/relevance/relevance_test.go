package relevance

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/fts5"
)

// reutersPath is the shared research corpus, beside the checkout; it is
// never bundled, so the comparison is skipped where it is absent.
const reutersPath = "../../../shared/corpora/reuters21578/reuters21578.jsonl"

// TestFolioAheadOfFTS5 runs the whole judged set through Folio and FTS5
// over all of Reuters-21578 and fails unless Folio's mean P@10 and mean
// nDCG@10 are both ahead.
func TestFolioAheadOfFTS5(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two indexes of Reuters-21578; skipped with -short")
	}
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	if err := fts5.Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
	ctx := context.Background()
	start := time.Now()
	articles, err := LoadCorpus(reutersPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, err := OpenFolio(ctx, filepath.Join(dir, "folio"), articles)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t.Logf("Folio index of %d articles: %s", len(articles), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	ref, err := NewFTS5(ctx, filepath.Join(dir, "fts5"), articles)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	t.Logf("FTS5 table: %s", time.Since(start).Round(time.Millisecond))

	report, err := Evaluate(ctx, NewJudgments(articles), ReutersQueries(), 10, Named{"folio", ix}, Named{"fts5", ref})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := report.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", b.String())
	f, r := report.Mean["folio"], report.Mean["fts5"]
	if f.P <= r.P {
		t.Errorf("Folio's mean P@10 %.3f is not ahead of FTS5's %.3f", f.P, r.P)
	}
	if f.NDCG <= r.NDCG {
		t.Errorf("Folio's mean nDCG@10 %.3f is not ahead of FTS5's %.3f", f.NDCG, r.NDCG)
	}
}
