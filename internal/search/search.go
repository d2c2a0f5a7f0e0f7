// Package search is the seam between Folio's engines and what uses them.
// It holds the engine-neutral request and result types and the Engine
// interface; the server, the command line, the benchmark and the
// relevance evaluation depend on it alone, and each engine (index for
// Bleve, internal/fts5 for SQLite) implements it.
//
//	readers (corpus) → ingest → Engine ← search.Request ← server, CLI, bench, eval
//	                             Engine → search.Result → HTML (server), text (CLI)
//
// Results carry plain text with match spans, never markup: how a match is
// shown is for the caller to decide.
package search

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
)

// An Engine indexes articles and searches them. Its methods are safe for
// concurrent use: searches run while batches are written.
type Engine interface {
	// Search runs one request. A request that cannot be run as given is
	// a *BadRequestError; a cancelled or expired ctx stops the search
	// with an error that wraps ctx's.
	Search(ctx context.Context, req Request) (*Result, error)
	// Article returns a stored article, or ErrNotFound.
	Article(ctx context.Context, id string) (*corpus.Article, error)
	// Count is the number of articles held.
	Count(ctx context.Context) (uint64, error)
	// WriteBatch upserts articles by ID, whole or not at all (it is the
	// ingest.Writer of the engine).
	WriteBatch(ctx context.Context, articles []corpus.Article) error
	// FinishIngest runs what a run of batches leaves to do, such as
	// linking people across articles. optimize asks the engine to compact
	// its files, which only pays after a large ingest.
	FinishIngest(ctx context.Context, optimize bool) error
	// Delete removes an article; deleting an absent ID is not an error.
	Delete(ctx context.Context, id string) error
	// Close releases the engine; written batches are durable.
	Close() error
}

// Minimum-should-match, Folio's rule for long queries on Bleve and on
// OpenSearch (FTS5, the reference, requires every word): from
// MSMFrom plain words on (bare words of title and body, not +required,
// not stop words), a query needs only ShouldMatch of them.
const (
	MSMFrom  = 3
	MSMShare = 0.67
)

// ShouldMatch is how many of a query's n plain words must match: all of
// them below from words (or when from is 0), else share of them, rounded
// down, at least two.
func ShouldMatch(n, from int, share float64) int {
	if from <= 0 || n < from {
		return n
	}
	k := int(math.Floor(float64(n)*share + 1e-9))
	return min(n, max(k, 2))
}

// ErrNotFound is returned for an article ID that the engine does not hold.
var ErrNotFound = errors.New("article not found")

// ErrUnavailable is wrapped by the errors of an engine whose store cannot
// answer for now, such as a cluster that is unreachable or has no copy of
// some shard: the same call may succeed later, with no restart of Folio.
var ErrUnavailable = errors.New("the index is unavailable")

// Sort orders.
const (
	ByRelevance = "relevance" // the default; a query without text has none and sorts newest first
	ByDate      = "date"      // oldest first
	ByDateDesc  = "-date"     // newest first
)

// Request is one search. The zero value (apart from Size) finds everything.
type Request struct {
	Query query.Node // nil or query.MatchAll{} for no text query
	// Filters are exact filters by facet name (facet.All); every value
	// must hold. Values match whatever their case.
	Filters  map[string][]string
	From, To time.Time // date range [From, To); zero leaves a side open
	Sort     string    // ByRelevance (or ""), ByDate or ByDateDesc
	Size     int       // hits per page; 10 when 0
	Page     int       // 1-based; ignored when After is set
	After    string    // cursor from a previous Result.Next
	// FacetSize is how many values each keyword facet returns; 10 when 0.
	FacetSize int
	// Fragments is how many fragments of the body each hit carries; 0 for
	// none.
	Fragments int
	// Facets names the facets to compute (facet.Names); nil means all of
	// them. Facets cost time in proportion to the number of matches, so
	// callers that show none ask for none.
	Facets   []string
	WithBody bool // fill Hit.Body with the article's text
	// MaxExpansions bounds the index terms that the query's prefix and
	// fuzzy words may expand to, together (the engine's default when 0);
	// a query over it is a BadRequestError with Code "query_too_complex".
	MaxExpansions int
	// NoExpand turns off pseudo-relevance feedback: the ranking then
	// reads only the query's own words.
	NoExpand bool
}

// WantsFacet reports whether the request asks for the facet name.
func (r *Request) WantsFacet(name string) bool { return wants(r.Facets, name) }

// wants reports whether a request's facet list asks for name; nil asks
// for all.
func wants(facets []string, name string) bool {
	return facets == nil || slices.Contains(facets, name)
}

// Result is a page of hits with facets over all matches.
type Result struct {
	Total  uint64
	Took   time.Duration
	Hits   []Hit
	Facets map[string][]FacetValue // by facet name; the date histogram in date order
	Next   string                  // cursor for the page after this one; "" at the end
	// Fuzzy is set when terms that matched nothing were retried fuzzily;
	// DidYouMean is then the query with the likeliest corrections, if any.
	Fuzzy      bool
	DidYouMean string
	// A suggestion from name variants (a phrase or filter value that
	// another spelling of a known name would find more with) sets
	// DidYouMean to the query to run instead, DidYouMeanFilters to the
	// filters to run it with when they change too, and DidYouMeanTotal to
	// how many articles it finds.
	DidYouMeanFilters map[string][]string
	DidYouMeanTotal   uint64
	// Matched are the canonical names that the request's entity filters
	// (person:"Ilham Aliev", person=Алиев) stood for, by facet name; nil
	// without entity filters.
	Matched map[string][]string
	// Cost is the work the search did, where the engine counts it.
	Cost Cost
	// Expansion are the words, as indexed (stemmed), that pseudo-relevance
	// feedback took from the best matches to rerank them; nil when none.
	Expansion []string
}

// Hit is one matching article.
type Hit struct {
	ID    string
	Title Fragment // the whole title, its matches marked
	URL   string
	Date  *time.Time
	// Values are the article's values of each keyword facet, by facet
	// name (facet.All).
	Values map[string][]string
	Score  float64
	// Fragments are passages of the body with the matches marked, best
	// first; with no match in the body, the first is its lead.
	Fragments []Fragment
	Body      string // only when Request.WithBody
}

// FacetValue is one facet bucket.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Cost is the work a search did: documents stepped through in postings
// lists, word positions compared, and index terms that prefix and fuzzy
// words expanded to. The counts are deterministic for a given index and
// request, so tests can bound them where timings would be flaky.
type Cost struct {
	Postings, Positions, Terms int64
}

// BadRequestError is a search request that cannot be run as given (an
// unknown filter, a malformed cursor, a query that would cost too much).
// Code, when set, is the API's error code (default "bad_request").
type BadRequestError struct {
	Msg  string
	Code string
}

func (e *BadRequestError) Error() string { return e.Msg }

// EachArticle calls f with each article of ids that article finds,
// skipping those it does not hold (ErrNotFound).
func EachArticle(ctx context.Context, article func(context.Context, string) (*corpus.Article, error), ids []string, f func(*corpus.Article)) error {
	for _, id := range ids {
		a, err := article(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		f(a)
	}
	return nil
}
