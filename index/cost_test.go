package index

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// The index FuzzQueryCost searches: small, built once per test binary,
// with what hostile queries feed on (common words repeated, runs of one
// word, many words sharing prefixes and a few edits).
var costIndex struct {
	once      sync.Once
	dir       string
	ix        *Index
	positions int64 // words in titles and bodies
	docs      int64
	err       error
}

const costIndexDocs = 300

func fuzzIndex(t testing.TB) *Index {
	costIndex.once.Do(func() {
		if costIndex.dir, costIndex.err = os.MkdirTemp("", "folio-cost-"); costIndex.err != nil {
			return
		}
		costIndex.ix, costIndex.err = Open(costIndex.dir + "/ix")
		if costIndex.err != nil {
			return
		}
		rng := rand.New(rand.NewSource(15))
		common := strings.Fields("the of to and in a said for on it is was by at")
		var vocab []string
		for _, a := range []string{"ba", "co", "de", "ma", "pr", "st", "tr"} {
			for _, b := range []string{"a", "e", "i", "o", "u"} {
				for _, c := range []string{"n", "r", "st", "t", "ck", "l"} {
					vocab = append(vocab, a+b+c, a+b+c+"s", a+b+c+"ing")
				}
			}
		}
		var batch []corpus.Article
		for d := 0; d < costIndexDocs; d++ {
			var words []string
			for n := 20 + rng.Intn(100); len(words) < n; {
				switch r := rng.Intn(10); {
				case d%10 == 0 && r < 6:
					words = append(words, "the") // a run of one word
				case r < 5:
					words = append(words, common[rng.Intn(len(common))])
				default:
					words = append(words, vocab[rng.Intn(len(vocab))])
				}
			}
			title := strings.Join(words[:5], " ")
			costIndex.positions += int64(len(words) + 5)
			batch = append(batch, corpus.Article{ID: fmt.Sprintf("c%03d", d), Title: title, Body: strings.Join(words, " ")})
		}
		costIndex.docs = costIndexDocs
		costIndex.err = costIndex.ix.Put(batch...)
	})
	if costIndex.err != nil {
		t.Fatal(costIndex.err)
	}
	return costIndex.ix
}

// costPerChar bounds the counted work of a search per character of its
// query, in passes over the index: every word of a query reads at most
// its postings and positions in a few fields, a sloppy phrase's matcher
// takes O(n·P) steps for n words over P positions (see slopMatcher), and
// snippets, the collector and facets cost a pass or so per search. Work
// that grows faster than the query, as backtracking over repeated words
// did, breaks the bound.
const costPerChar = 4

// FuzzQueryCost runs queries of the query language on a small index and
// fails on any whose work is more than linear in its length: counted
// postings and positions over costPerChar passes over the index per
// character, expansions over the budget, or a wall-clock time far beyond
// what that work takes. The seeds in testdata/fuzz/FuzzQueryCost are
// pathological shapes; go test runs them as a test.
func FuzzQueryCost(f *testing.F) {
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 1000 {
			return // the server refuses these (search.max_query_len)
		}
		n, err := query.Parse(q)
		if err != nil {
			return
		}
		ix := fuzzIndex(t)
		// The query, with snippets; then without, and doubled (below).
		type outcome struct {
			res, plain, twice *search.Result
			err, twiceErr     error
		}
		done := make(chan outcome, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		start := time.Now()
		go func() {
			var o outcome
			if o.res, o.err = ix.Search(ctx, search.Request{Query: n, Size: 10, Fragments: 3}); o.err == nil {
				if o.twice, o.twiceErr = ix.Search(ctx, search.Request{Query: doubled(n), Size: 10}); o.twiceErr == nil {
					o.plain, o.err = ix.Search(ctx, search.Request{Query: n, Size: 10})
				}
			}
			done <- o
		}()
		var o outcome
		select {
		case o = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%q: no answer after 10 s", q)
		}
		var bad *search.BadRequestError
		if errors.As(o.err, &bad) {
			return // refused before any work: too complex, or an unknown field
		}
		if o.err != nil {
			t.Fatalf("%q: %v", q, o.err)
		}
		c := o.res.Cost
		limit := costPerChar * int64(len(q)+1) * (costIndex.positions + costIndex.docs)
		work := c.Postings + c.Positions
		t.Logf("%d postings, %d positions, %d terms: %.3f of the bound", c.Postings, c.Positions, c.Terms, float64(work)/float64(limit))
		if work > limit {
			t.Errorf("%q: %d postings and %d positions, over %d (%d passes over the index per character)",
				q, c.Postings, c.Positions, limit, costPerChar)
		}
		// The query twice over may cost about twice as much, never more
		// than four times; the slack is what a search costs whatever its
		// query (counting the hits, facets, titles' highlights).
		if o.twiceErr == nil {
			w1, w2 := o.plain.Cost.Postings+o.plain.Cost.Positions, o.twice.Cost.Postings+o.twice.Cost.Positions
			if slack := 8*costIndex.docs + 200; w2 > 4*w1+slack {
				t.Errorf("%q: doubled, it costs %d, %.1f times the %d of the query", q, w2, float64(w2)/float64(w1), w1)
			}
		} else if !errors.As(o.twiceErr, &bad) {
			t.Fatalf("%q doubled: %v", q, o.twiceErr)
		}
		if c.Terms > DefaultMaxExpansions {
			t.Errorf("%q: expanded to %d terms, over the budget of %d", q, c.Terms, DefaultMaxExpansions)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%q: took %v (%+v)", q, took, c)
		}
	})
}

// doubled is n written twice over, at no more than twice its size: the
// clauses of a top-level AND or OR, or the words of a phrase, repeated.
func doubled(n query.Node) query.Node {
	switch n := n.(type) {
	case query.And:
		return query.And{Nodes: append(append([]query.Node(nil), n.Nodes...), n.Nodes...)}
	case query.Or:
		return query.Or{Nodes: append(append([]query.Node(nil), n.Nodes...), n.Nodes...)}
	case query.Not:
		return query.Not{Node: doubled(n.Node)}
	case query.Phrase:
		n.Words = append(append([]string(nil), n.Words...), n.Words...)
		return n
	}
	return n
}
