package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/fts5"
)

// TestEvalWithOpenSearch runs folio eval on a small judged corpus with a
// real node: the report has a folio-os column whose rankings are Folio's
// own on the same articles, and a second run reuses the filled index.
func TestEvalWithOpenSearch(t *testing.T) {
	if err := fts5.Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
	url := clusterURL(t)
	name := throwawayIndex(t, url, "eval")
	dir := t.TempDir()
	var corpus strings.Builder
	for i := range 12 {
		tag, title := "grain", "Wheat harvest up"
		if i%2 == 1 {
			tag, title = "crude", "Oil output cut"
		}
		fmt.Fprintf(&corpus, `{"id":"a%d","title":%q,"body":"Report %d on the market.","tags":[%q]}`+"\n", i, title, i, tag)
	}
	os.WriteFile(filepath.Join(dir, "c.jsonl"), []byte(corpus.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "q.tsv"), []byte("wheat harvest\tgrain\noil\tcrude\n"), 0o644)
	args := []string{"eval", "--json", "--corpus", "c.jsonl", "--queries", "q.tsv", "--opensearch", url, "--opensearch-index", name}
	for run := range 2 {
		stdout, errOut, code := folio(t, dir, args...)
		var report struct {
			Engines []string
			Mean    map[string]struct {
				P    float64 `json:"p_at_10"`
				NDCG float64 `json:"ndcg_at_10"`
			}
			Queries []struct {
				Engines map[string]struct{ Top []string }
			}
		}
		if code != 0 || json.Unmarshal([]byte(stdout), &report) != nil {
			t.Fatalf("eval: exit %d\n%s%s", code, stdout, errOut)
		}
		if strings.Join(report.Engines, " ") != "folio fts5 folio-noexp folio-prev folio-os folio-cv" {
			t.Fatalf("engines %v", report.Engines)
		}
		// Each topic's articles share a title: each query finds six
		// articles, all relevant, on Bleve and on OpenSearch.
		for _, name := range []string{"folio", "folio-os"} {
			if p := report.Mean[name].P; p < 0.599 || p > 0.601 {
				t.Errorf("run %d: %s mean P@10 %.3f, want 0.6", run, name, p)
			}
		}
		os := report.Queries[0].Engines["folio-os"].Top
		if len(os) != 6 {
			t.Errorf("run %d: folio-os top for wheat harvest %v", run, os)
		}
		if run == 1 && !strings.Contains(errOut, "OpenSearch index "+name) {
			t.Errorf("second run's steps:\n%s", errOut)
		}
	}
}
