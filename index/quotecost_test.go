package index_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/search"
)

// quoted finds text between straight double quotes, as Reuters-21578 sets
// its few quotes: enough to measure what indexing them costs, with the
// extraction itself left out.
var quoted = regexp.MustCompile(`"([^"\n]{20,600})"`)

func withFoundQuotes(a *corpus.Article) {
	for _, m := range quoted.FindAllStringSubmatchIndex(a.Body, -1) {
		a.Quotes = append(a.Quotes, corpus.Quote{Text: a.Body[m[2]:m[3]], SpeakerKind: corpus.SpeakerUnknown, Start: m[2], End: m[3]})
	}
}

// withManyQuotes makes every sentence of the body a quote, and every
// article carry perArticle of them at most: a worst case.
func withManyQuotes(perArticle int) func(*corpus.Article) {
	return func(a *corpus.Article) {
		start := 0
		for i := 0; i < len(a.Body) && len(a.Quotes) < perArticle; i++ {
			if a.Body[i] != '.' {
				continue
			}
			if text := strings.TrimSpace(a.Body[start:i]); len(text) > 20 {
				s := start + strings.Index(a.Body[start:i], text)
				a.Quotes = append(a.Quotes, corpus.Quote{Text: text, Speaker: "Worst Case", SpeakerKind: corpus.SpeakerPerson, Cue: "said", Start: s, End: s + len(text)})
			}
			start = i + 1
		}
	}
}

// TestQuoteIndexingCost measures, in alternating pairs, Reuters-21578
// ingested with entities with and without its quotes indexed. It runs
// only when FOLIO_QUOTE_COST is set (it takes minutes); the figures are
// in the README's measurements.
func TestQuoteIndexingCost(t *testing.T) {
	if os.Getenv("FOLIO_QUOTE_COST") == "" {
		t.Skip("set FOLIO_QUOTE_COST=1 (and -timeout 60m) to measure")
	}
	const path = "../../shared/corpora/reuters21578/reuters21578.jsonl"
	enrich := foliotest.Enrich(t)
	run := func(name string, quotes func(*corpus.Article)) (time.Duration, int, uint64) {
		dir := t.TempDir() + "/index"
		found := 0
		cpu0 := cpuTime(t)
		start := time.Now()
		ix, stats, err := index.Create(context.Background(), dir, corpus.ReadPaths([]string{path}), index.IngestOptions{
			Enrich: func(a *corpus.Article) {
				enrich(a)
				if quotes != nil {
					quotes(a)
				}
			},
			OnBatch: func(index.IngestStats) {},
		})
		wall := time.Since(start)
		took := cpuTime(t) - cpu0
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		res, err := ix.SearchQuotes(context.Background(), search.QuoteRequest{Size: 1, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		found = int(stats.Indexed)
		t.Logf("%-22s %6.1f s CPU  %6.1f s wall  %d articles  %d quote records", name, took.Seconds(), wall.Seconds(), found, res.Total)
		return took, found, res.Total
	}
	pairs := 3
	var without, with []time.Duration
	for i := 0; i < pairs; i++ {
		d, _, n := run("entities", nil)
		if n != 0 {
			t.Errorf("quotes without quotes: %d", n)
		}
		without = append(without, d)
		d, _, n = run("entities+quotes", withFoundQuotes)
		if n == 0 {
			t.Error("no quote indexed")
		}
		with = append(with, d)
	}
	median := func(ds []time.Duration) time.Duration { slices.Sort(ds); return ds[len(ds)/2] }
	mw, mq := median(without), median(with)
	t.Logf("Reuters-21578 median CPU of %d: %.1f s without quotes, %.1f s with: %+.1f%%", pairs, mw.Seconds(), mq.Seconds(), 100*(mq.Seconds()/mw.Seconds()-1))
	if os.Getenv("FOLIO_QUOTE_COST") == "worst" {
		d, _, n := run("entities+40 quotes", withManyQuotes(40))
		t.Logf("worst case (every sentence a quote, at most 40 an article): %.1f s CPU, %+.1f%% over the median without, %d records", d.Seconds(), 100*(d.Seconds()/mw.Seconds()-1), n)
	}
}

// cpuTime is the CPU time the process has used: on a machine shared with
// other work, wall time varied by a third between identical runs.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
