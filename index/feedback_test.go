package index

import (
	"context"
	"fmt"
	"strings"
	"sync"
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
		onSnapshot, err := ix.feedbackOnSnapshot(sctx, st, col.snap, hits, clauses, dfs)
		if err != nil {
			t.Fatal(err)
		}
		// Again, from the postings the first call decoded and kept.
		fromCache, err := ix.feedbackOnSnapshot(sctx, st, col.snap, hits, clauses, dfs)
		col.release()
		if err != nil {
			t.Fatal(err)
		}
		if len(fromPostings) == 0 {
			t.Fatalf("%q: the feedback words score none of %d hits", text, len(hits))
		}
		for _, h := range hits {
			if p, x, o, c := fromPostings[h.ID], fromText[h.ID], onSnapshot[h.ID], fromCache[h.ID]; p != x || p != o || p != c {
				t.Errorf("%q, %s: %v from the postings by a search, %v read on the snapshot, %v decoded before, %v from the stored text", text, h.ID, p, o, c, x)
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

// Articles written in several batches, some of them written again (the
// older copies deleted, until a merge drops them): the hits are found in
// several segments, each with its own decoded postings, by their global
// numbers.
func TestFeedbackScoresAgreeAcrossSegments(t *testing.T) {
	ix := openTemp(t)
	words := []string{"oil", "prices", "tanker", "gulf", "crude", "output", "opec", "quota", "barrels", "refinery"}
	article := func(i, version int) corpus.Article {
		var b strings.Builder
		for j := range 12 + i%7 {
			b.WriteString(words[(i*3+j*j+version)%len(words)] + " ")
		}
		return corpus.Article{ID: fmt.Sprintf("a%03d", i), Title: "Oil " + words[i%len(words)], Body: b.String()}
	}
	for batch := range 4 {
		var articles []corpus.Article
		for i := batch * 40; i < (batch+1)*40; i++ {
			articles = append(articles, article(i, 0))
		}
		if err := ix.Put(articles...); err != nil {
			t.Fatal(err)
		}
	}
	var again []corpus.Article
	for i := 0; i < 160; i += 9 {
		again = append(again, article(i, 1))
	}
	if err := ix.Put(again...); err != nil {
		t.Fatal(err)
	}
	checkFeedbackScoresAgree(t, ix, []string{"oil", "crude prices", "tanker", "opec quota"})
}

func TestPostingsCacheKeepsToItsBudget(t *testing.T) {
	list := func(n int) *decodedPostings {
		p := &decodedPostings{}
		for i := range n {
			p.docs, p.freqs, p.norms = append(p.docs, uint32(2*i)), append(p.freqs, 1), append(p.norms, 1)
		}
		return p
	}
	c := newPostingsCache(100 * bytesPerPosting * maxCachedShare)
	decodes := 0
	get := func(term string, n int) *decodedPostings {
		p, walked, err := c.get(postingsKey{segment: 1, field: fBody, term: term}, func() (*decodedPostings, error) { decodes++; return list(n), nil })
		if err != nil || len(p.docs) != n {
			t.Fatalf("%s: %d postings, %v", term, len(p.docs), err)
		}
		if walked != 0 && walked != n {
			t.Fatalf("%s: %d walked of %d", term, walked, n)
		}
		return p
	}
	for i := range 40 {
		get(fmt.Sprint("w", i), 90)
	}
	if c.used > c.budget || len(c.entries) == 40 || c.order.Len() != len(c.entries) {
		t.Fatalf("%d bytes used of %d, %d entries (%d in order)", c.used, c.budget, len(c.entries), c.order.Len())
	}
	decodes = 0
	get("w39", 90) // the most recent: kept
	get("w0", 90)  // the oldest: gone
	if decodes != 1 {
		t.Fatalf("%d decodes, want 1 (w0 evicted, w39 kept)", decodes)
	}
	get("big", 101) // over its share: decoded for the search, not kept
	if c.holds([]uint64{1}, fBody, "big") || !c.holds([]uint64{1}, fBody, "w0") {
		t.Fatal("a list over its share of the budget was kept, or the last one was not")
	}
	p := list(5) // documents 0, 2, 4, 6, 8
	for _, tc := range []struct{ doc, from, at, next int }{{0, 0, 0, 1}, {3, 0, -1, 2}, {8, 2, 4, 5}, {9, 0, -1, 5}, {4, 3, -1, 3}} {
		if at, next := p.find(uint32(tc.doc), tc.from); at != tc.at || next != tc.next {
			t.Errorf("find(%d, %d) = %d, %d; want %d, %d", tc.doc, tc.from, at, next, tc.at, tc.next)
		}
	}
	u := mergePostings(&decodedPostings{docs: []uint32{1, 3, 5}, freqs: []uint32{1, 2, 3}, norms: []float32{.5, .25, .125}},
		&decodedPostings{docs: []uint32{2, 3, 6}, freqs: []uint32{4, 5, 6}, norms: []float32{.1, .25, .2}})
	if fmt.Sprint(u.docs, u.freqs, u.norms) != "[1 2 3 5 6] [1 4 7 3 6] [0.5 0.1 0.25 0.125 0.2]" {
		t.Fatalf("union %v %v %v", u.docs, u.freqs, u.norms)
	}
}

// Searches with feedback running at once, over a cache too small to keep
// their words, so that lists are decoded, kept and pushed out while others
// read them: every page is the one the same search gives alone.
func TestFeedbackSearchesAgreeWhenConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 1,000 articles")
	}
	ix := openTemp(t)
	if err := ix.Put(newsArticles(t, 500)...); err != nil {
		t.Fatal(err)
	}
	queries := []string{"oil prices", "bank rates", "trade deficit", "said", "profit", "coffee", "shares offer", "government"}
	page := func(text string) string {
		n, err := query.Parse(text)
		if err != nil {
			t.Error(err)
			return ""
		}
		res, err := ix.Search(context.Background(), search.Request{Query: n, Size: 10, Facets: []string{}})
		if err != nil {
			t.Error(err)
			return ""
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d %v:", res.Total, res.Expansion)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, " %s %.9g", h.ID, h.Score)
		}
		return b.String()
	}
	want := map[string]string{}
	for _, q := range queries {
		want[q] = page(q)
	}
	ix.postings = newPostingsCache(4 << 10)     // a few lists at most
	ix.feedbackDocs = newFeedbackDocs(32 << 10) // a few articles' counts
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 * len(queries) {
				q := queries[(g+i)%len(queries)]
				if got := page(q); got != want[q] {
					t.Errorf("%q at once with others:\n%s\nalone:\n%s", q, got, want[q])
				}
			}
		})
	}
	wg.Wait()
	if ix.postings.used > ix.postings.budget {
		t.Errorf("the cache holds %d bytes over its budget of %d", ix.postings.used, ix.postings.budget)
	}
	if ix.feedbackDocs.used > ix.feedbackDocs.budget || len(ix.feedbackDocs.entries) == 0 {
		t.Errorf("the articles' counts hold %d bytes (budget %d) in %d entries", ix.feedbackDocs.used, ix.feedbackDocs.budget, len(ix.feedbackDocs.entries))
	}
}

// An article's stem counts are kept by its stored record: counted once
// while kept, again for a record that differs (the article rewritten), and
// each time for a hit whose record was not read or for one too long to
// keep; the oldest go first.
func TestFeedbackDocsCountEachRecordOnce(t *testing.T) {
	c := newFeedbackDocs(4 << 10)
	counted := 0
	hit := func(record string) *bsearch.DocumentMatch {
		return &bsearch.DocumentMatch{Fields: map[string]any{fStored: record}}
	}
	stems := func(h *bsearch.DocumentMatch, want int) {
		t.Helper()
		tf, err := c.stems(h, func() (search.TermCounts, error) {
			counted++
			return search.CountTerms(map[string]int{"oil": want}), nil
		})
		if err != nil || tf.Count("oil") != want {
			t.Fatalf("counts %v, %v; want oil %d", tf, err, want)
		}
	}
	stems(hit("record a"), 1)
	stems(hit("record a"), 1)
	stems(hit("record b"), 2)
	if counted != 2 {
		t.Fatalf("counted %d times, want 2", counted)
	}
	stems(&bsearch.DocumentMatch{}, 3) // past the page: no record
	stems(&bsearch.DocumentMatch{}, 3)
	if counted != 4 || len(c.entries) != 2 {
		t.Fatalf("counted %d times with %d entries, want 4 and 2", counted, len(c.entries))
	}
	for i := range 20 {
		stems(hit(fmt.Sprintf("record %d %s", i, strings.Repeat("x", 100))), 4)
	}
	if c.used > c.budget || c.order.Len() != len(c.entries) || len(c.entries) >= 20 {
		t.Fatalf("%d bytes of %d in %d entries (%d in order)", c.used, c.budget, len(c.entries), c.order.Len())
	}
	counted = 0
	stems(hit("record a"), 5) // the oldest: gone, counted again
	if counted != 1 {
		t.Fatalf("an evicted record counted %d times", counted)
	}
	long := hit(strings.Repeat("y", c.budget/maxCachedShare))
	stems(long, 6)
	stems(long, 6)
	if counted != 3 {
		t.Fatalf("a record over its share of the budget counted %d times, want 2", counted-1)
	}
}
