package quote_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ner"
	"github.com/folio-search/folio/internal/quote"
)

const corpora = "../../../shared/corpora/"

// TestDevSetTargets runs the evaluation as folio quotes-eval does, with
// the entities ingest finds, and holds the figures to the targets.
func TestDevSetTargets(t *testing.T) {
	gold, err := quote.ReadGold(corpora + "quotes/dev.jsonl")
	if err != nil {
		t.Skip("the quotes dev set is not there:", err)
	}
	f, err := os.Open(corpora + "bbc/bbc.jsonl")
	if err != nil {
		t.Skip("the BBC corpus is not there:", err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, g := range gold {
		want[g.Article] = true
	}
	articles := map[string]*corpus.Article{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var a corpus.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if want[a.ID] {
			articles[a.ID] = &a
		}
	}
	rec, err := ner.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := quote.Evaluate(articles, nil, gold, func(a *corpus.Article) []corpus.Quote {
		rec.Enrich(a)
		return quote.Extract(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	o := r.Overall
	t.Logf("quote P %.3f R %.3f, speaker %.3f, pair P %.3f R %.3f F1 %.3f; %d spans, %d dropped (%d annotated)",
		o.QuotePrecision, o.QuoteRecall, o.SpeakerAccuracy, o.PairPrecision, o.PairRecall, o.PairF1, r.Spans, r.Dropped, r.DroppedQuotes)
	if r.Articles != 30 || o.Gold != 139 {
		t.Errorf("scored %d articles, %d quotes; want 30, 139", r.Articles, o.Gold)
	}
	if o.QuotePrecision < 0.95 || o.QuoteRecall < 0.90 || o.SpeakerAccuracy < 0.90 || o.PairF1 < 0.85 {
		for _, e := range r.Errors {
			t.Log(e)
		}
		t.Errorf("below target: quote P %.3f (0.95) R %.3f (0.90), speaker %.3f (0.90), pair F1 %.3f (0.85)",
			o.QuotePrecision, o.QuoteRecall, o.SpeakerAccuracy, o.PairF1)
	}
}
