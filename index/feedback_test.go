package index

import (
	"context"
	"fmt"
	"strings"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// checkFeedbackScoresAgree scores the feedback words of each query on its
// first hits every way feedbackScores may take, from the postings (by a
// search of the hits, or read on their snapshot) and from the stored
// text, and wants the same figures: the stored text must be analysed
// exactly as it was indexed.
func checkFeedbackScoresAgree(t *testing.T, ix *Index, queries []string) {
	t.Helper()
	ctx := context.Background()
	scored := 0
	for _, text := range queries {
		n, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		q, c, _, err := ix.bleveQuery(ctx, search.Request{Query: n}, false, DefaultRanking)
		if err != nil {
			t.Fatal(err)
		}
		col := &hitCollector{ranked: true, n: search.FeedbackRerank, keep: true}
		if err := ix.collectWith(ctx, q, col); err != nil {
			t.Fatal(err)
		}
		hits := col.hits
		if len(hits) < 2 {
			t.Fatalf("%q: %d hits, too few to learn from", text, len(hits))
		}
		clauses, _, err := ix.expansion(ctx, hits[:min(len(hits), DefaultRanking.FeedbackDocs)], c, DefaultRanking)
		if err != nil || len(clauses) == 0 {
			t.Fatalf("%q: no feedback words (%v)", text, err)
		}
		sctx := ix.withBM25Stats(ctx)
		st := sctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats)
		dfs, err := ix.clauseDocFreqs(sctx, clauses)
		if err != nil {
			t.Fatal(err)
		}
		fromPostings, err := ix.feedbackFromPostings(sctx, hits, clauses)
		if err != nil {
			t.Fatal(err)
		}
		fromText, err := ix.feedbackFromText(sctx, st, hits, clauses, dfs)
		if err != nil {
			t.Fatal(err)
		}
		onSnapshot, err := feedbackOnSnapshot(sctx, col.snap, hits, clauses)
		col.release()
		if err != nil {
			t.Fatal(err)
		}
		if len(fromPostings) == 0 {
			t.Fatalf("%q: the feedback words score none of %d hits", text, len(hits))
		}
		for _, h := range hits {
			if p, x, o := fromPostings[h.ID], fromText[h.ID], onSnapshot[h.ID]; p != x || p != o {
				t.Errorf("%q, %s: %v from the postings by a search, %v read on the snapshot, %v from the stored text", text, h.ID, p, o, x)
			}
		}
		scored += len(fromPostings)
	}
	t.Logf("%d hits scored alike over %d queries", scored, len(queries))
}

func TestFeedbackScoresAgreeOnReuters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Reuters index")
	}
	checkFeedbackScoresAgree(t, sharedReuters(t), []string{
		"oil prices", "coffee quota", "bank rates", "said", "tin council", "steel mill output", "gulf tanker attack",
	})
}

// The forms that analysis treats apart: possessives, words that are their
// own stem beside their other forms, stop words, digits, accents, an
// invalid byte, a body of stop words only and an empty one.
func TestFeedbackScoresAgreeOnHardText(t *testing.T) {
	ix := openTemp(t)
	bodies := []string{
		"IBM'S profits and IBM's profit rose; the profits' rise was Ibm’s.",
		"Oil, oils and oiled rigs: the oil of Brazil's oilfields, OIL stocks.",
		"Café prices in São Paulo rose 221,000 tonnes; cafe exports, CAFÉS.",
		"The the and of it is was to be: \xff oil price \xfe prices pricing.",
		"of the and",
		"",
		"Exports of oil and cafe rose as prices of oil fell; oil oil oil.",
	}
	var articles []corpus.Article
	for i := range 60 {
		b := bodies[i%len(bodies)]
		articles = append(articles, corpus.Article{ID: fmt.Sprintf("a%02d", i), Title: "Oil and cafe prices",
			Body: strings.Repeat(b+" ", 1+i%3) + fmt.Sprintf(" word%d", i%5)})
	}
	if err := ix.Put(articles...); err != nil {
		t.Fatal(err)
	}
	checkFeedbackScoresAgree(t, ix, []string{"oil", "prices", "cafe", "profits"})
}
