package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuotesEvalCommand runs folio quotes-eval on the dev set as a user
// would, in both output forms, and holds the figures to the targets.
func TestQuotesEvalCommand(t *testing.T) {
	const corpora = "../../../shared/corpora/"
	dev, err := filepath.Abs(corpora + "quotes/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	bbc, _ := filepath.Abs(corpora + "bbc/bbc.jsonl")
	for _, p := range []string{dev, bbc} {
		if _, err := os.Stat(p); err != nil {
			t.Skip("corpus not present:", err)
		}
	}
	dir := t.TempDir()
	out, stderr, code := folio(t, dir, "quotes-eval", "--json", "--articles", bbc, dev)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r struct {
		Articles int
		Overall  struct {
			Gold            int
			QuotePrecision  float64 `json:"quote_precision"`
			QuoteRecall     float64 `json:"quote_recall"`
			SpeakerAccuracy float64 `json:"speaker_accuracy"`
			PairF1          float64 `json:"pair_f1"`
		}
		ByRoute map[string]json.RawMessage `json:"by_route"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	o := r.Overall
	if r.Articles != 30 || o.Gold != 139 || o.QuotePrecision < 0.95 || o.QuoteRecall < 0.90 || o.SpeakerAccuracy < 0.90 || o.PairF1 < 0.85 {
		t.Errorf("figures below target or wrong counts: %s", out)
	}
	for _, route := range []string{"explicit", "pronoun", "continuation"} {
		if _, ok := r.ByRoute[route]; !ok {
			t.Errorf("no figures for route %s: %s", route, out)
		}
	}
	table, _, code := folio(t, dir, "quotes-eval", "--articles", bbc, dev)
	if code != 0 || !strings.Contains(table, "quoteP") || !strings.Contains(table, "continuation") {
		t.Errorf("table output (exit %d):\n%s", code, table)
	}
	// A missing file is an input error: exit 2.
	if _, _, code := folio(t, dir, "quotes-eval", filepath.Join(dir, "none.jsonl")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}
