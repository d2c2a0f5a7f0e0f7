// Package searchtest is the conformance suite of search.Engine: what any
// engine of Folio must do, checked against a small corpus of its own. An
// engine's test calls Run with a function that opens a fresh, empty
// engine; the suite ingests the corpus through WriteBatch and
// FinishIngest and checks every row of the README's query syntax, filters
// and date ranges, facet counts, sorts, cursors, fragments, upserts,
// deletes and bad requests. Expected hits and counts are worked out from
// the corpus itself, never from an engine's answers.
//
// An engine that lacks a feature says so in Capabilities, and the cases
// that need it are skipped (and listed as skipped by go test -v).
package searchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// Capabilities are the optional parts of the query language and of the
// answers. The zero value is the core that every engine must pass: terms
// with stemming, phrases, AND, OR, NOT, grouping, fields, filters, date
// ranges, facets by year and month, sorts, cursors, fragments, upsert and
// delete.
type Capabilities struct {
	Prefix bool // corrupt*
	Fuzzy  bool // aliev~1, aliev~
	Slop   bool // "shot down plane"~3
	// Spelling: a term that matches nothing is retried fuzzily
	// (Result.Fuzzy) and the likeliest correction offered (DidYouMean).
	Spelling bool
	// DayHistogram: matches within one month are bucketed by day.
	DayHistogram bool
	// Quotes: quote: and speaker: find articles by their quotes.
	Quotes bool
	// NameVariants: an entity filter matches the canonical names its
	// value spells in another way (internal/names), and Result.Matched
	// says which.
	NameVariants bool
	// VariantSuggestions: a filter value that names no one, and a phrase
	// or word that spells a known name otherwise, get a DidYouMean with
	// the name and DidYouMeanTotal when it finds more.
	VariantSuggestions bool
	// ShouldMatch: a long query needs only most of its plain words
	// (search.ShouldMatch); +word stays required.
	ShouldMatch bool
}

// All is every capability, for an engine that has them all.
var All = Capabilities{Prefix: true, Fuzzy: true, Slop: true, Spelling: true, DayHistogram: true, Quotes: true, NameVariants: true, VariantSuggestions: true, ShouldMatch: true}

// Run runs the suite. open returns a fresh, empty engine (in t.TempDir(),
// say); Run closes it when the test ends.
func Run(t *testing.T, open func(t *testing.T) search.Engine, caps Capabilities) {
	fx := loadFixture(t)
	e := openFilled(t, open)
	s := &suite{e: e, fx: fx, caps: caps}
	t.Run("Syntax", s.syntax)
	t.Run("Filters", s.filters)
	t.Run("DateRanges", s.dateRanges)
	t.Run("Facets", s.facets)
	t.Run("Sorts", s.sorts)
	t.Run("Cursors", s.cursors)
	t.Run("Pages", s.pages)
	t.Run("DefaultSize", s.defaultSize)
	t.Run("Fragments", s.fragments)
	t.Run("Articles", s.articles)
	t.Run("BadRequests", s.badRequests)
	t.Run("Cancelled", s.cancelled)
	t.Run("Spelling", s.spelling)
	t.Run("NameVariants", s.nameVariants)
	// Name spellings have a corpus of their own, and write to it.
	t.Run("NameSpellings", func(t *testing.T) {
		if !caps.NameVariants {
			t.Skip("engine does not match name variants")
		}
		fx := loadCorpus(t, namesJSONL)
		n := &suite{e: openWith(t, open, fx), fx: fx, caps: caps}
		n.nameSpellings(t)
	})
	// Writes change the corpus, so they get an engine of their own.
	t.Run("Writes", func(t *testing.T) {
		w := &suite{e: openFilled(t, open), fx: loadFixture(t), caps: caps}
		w.writes(t)
	})
}

// suite is an engine holding the corpus fx.
type suite struct {
	e    search.Engine
	fx   *fixture
	caps Capabilities
}

// openFilled opens an engine and ingests the corpus in two batches.
func openFilled(t *testing.T, open func(t *testing.T) search.Engine) search.Engine {
	t.Helper()
	return openWith(t, open, loadFixture(t))
}

// openWith opens an engine and ingests the articles of fx in two batches.
func openWith(t *testing.T, open func(t *testing.T) search.Engine, fx *fixture) search.Engine {
	t.Helper()
	e := open(t)
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	ctx := context.Background()
	articles := slices.Clone(fx.articles)
	for _, batch := range [][]corpus.Article{articles[:7], articles[7:]} {
		if err := e.WriteBatch(ctx, batch); err != nil {
			t.Fatalf("WriteBatch: %v", err)
		}
	}
	if err := e.FinishIngest(ctx, false); err != nil {
		t.Fatalf("FinishIngest: %v", err)
	}
	return e
}

// search runs req and checks what every answer must hold (checkResult).
// what names the request in messages.
func (s *suite) search(t *testing.T, what string, req search.Request) *search.Result {
	t.Helper()
	res, err := s.e.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: Search: %v", what, err)
	}
	s.checkResult(t, what, req, res)
	return res
}

// all runs req with a page large enough for every hit.
func (s *suite) all(t *testing.T, what string, req search.Request) *search.Result {
	t.Helper()
	req.Size = len(s.fx.articles) + 1
	if req.FacetSize == 0 {
		req.FacetSize = s.fx.values() // every value: checkResult checks them all
	}
	return s.search(t, what, req)
}

// describe names a request's parts for messages.
func describe(q string, req search.Request) string {
	out := fmt.Sprintf("q=%q", q)
	if len(req.Filters) > 0 {
		out += fmt.Sprintf(" filters=%v", req.Filters)
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		out += fmt.Sprintf(" dates=[%s, %s)", dateText(req.From), dateText(req.To))
	}
	if req.Sort != "" {
		out += " sort=" + req.Sort
	}
	return out
}
