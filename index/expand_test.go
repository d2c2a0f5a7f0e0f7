package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// TestExpansionBudget checks that prefix and fuzzy words, and the fuzzy
// retries of misspelt words, may expand to at most the request's budget
// of index terms together, and that a query over it is a 400
// query_too_complex that says what to do.
func TestExpansionBudget(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var vocab []string
	var batch []corpus.Article
	for i := 0; i < 30; i++ {
		w := fmt.Sprintf("quota%02d", i)
		vocab = append(vocab, w)
		batch = append(batch, corpus.Article{ID: w, Title: "x", Body: w + " filler"})
	}
	if err := ix.Put(batch...); err != nil {
		t.Fatal(err)
	}
	within := func(word string, d int) int {
		n := 0
		for _, w := range vocab {
			if withinEdits(w, word, d) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		q     string
		terms int // index terms the query's words expand to (all in the body)
	}{
		{"quota*", 30},
		{"quota1*", 10},
		{"quota* OR quota*", 30},            // one word counted once
		{"quota1* OR quota2*", 20},          // two words add up
		{"quota11~1", within("quota11", 1)}, // quota01, quota10, quota12… and itself
		{"quota0", within("quota0", 1)},     // unmatched: retried as quota0~1 by the spelling fallback
		{"quota1* quota0", 10 + within("quota0", 1)},
	} {
		n, err := query.Parse(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if c.terms < 2 {
			t.Fatalf("%s: %d terms; the case checks nothing", c.q, c.terms)
		}
		res, err := ix.Search(context.Background(), search.Request{Query: n, MaxExpansions: c.terms})
		if err != nil || res.Total == 0 {
			t.Errorf("%s within a budget of %d: %v, %d hits", c.q, c.terms, err, totalOf(res))
		}
		_, err = ix.Search(context.Background(), search.Request{Query: n, MaxExpansions: c.terms - 1})
		var bad *search.BadRequestError
		if !errors.As(err, &bad) || bad.Code != "query_too_complex" || !strings.Contains(bad.Msg, "search.max_expansions") {
			t.Errorf("%s over a budget of %d: %v, want a query_too_complex search.BadRequestError", c.q, c.terms-1, err)
		}
	}
}
