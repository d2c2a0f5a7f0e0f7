package search

import (
	"context"
	"time"

	"github.com/folio-search/folio/internal/query"
)

// A QuoteSearcher searches the quotes of the articles it holds. It is an
// interface apart from Engine: an engine without a quote index still is
// one, and callers ask for quotes with a type assertion.
type QuoteSearcher interface {
	// SearchQuotes runs one request; errors are as Engine.Search's.
	SearchQuotes(ctx context.Context, req QuoteRequest) (*QuoteResult, error)
}

// Quote facets.
const (
	QuoteFacetSpeaker = "speaker"
	QuoteFacetDate    = "date"
)

// QuoteRequest is one search of quotes. A quote is the same words in every
// article that carries them (its lineage); its date is its first
// appearance's.
type QuoteRequest struct {
	Query    query.Node // matched against the quote's words; nil for all
	Speakers []string   // any of them; values match whatever their case
	Tags     []string   // every one must be a tag of an article carrying the quote
	From, To time.Time  // first appearance in [From, To); zero leaves a side open
	Sort     string     // ByRelevance (or ""), ByDate or ByDateDesc
	Size     int        // hits per page; 10 when 0
	After    string     // cursor from a previous QuoteResult.Next
	// FacetSize is how many speakers the speaker facet returns; 10 when 0.
	FacetSize int
	// Facets names the facets to compute (QuoteFacetSpeaker,
	// QuoteFacetDate); nil means both.
	Facets []string
}

// WantsFacet reports whether the request asks for the facet name.
func (r *QuoteRequest) WantsFacet(name string) bool { return wants(r.Facets, name) }

// QuoteResult is a page of quotes with facets over all matches.
type QuoteResult struct {
	Total  uint64
	Took   time.Duration
	Hits   []QuoteHit
	Facets map[string][]FacetValue // by facet name; the date histogram in date order
	Next   string                  // cursor for the page after this one; "" at the end
}

// QuoteHit is one quote, as its first appearance gives it.
type QuoteHit struct {
	ID          string   // the quote's own, stable while its first article stays
	Text        Fragment // the whole quote, its matches marked
	Speaker     string   // "" when unknown
	SpeakerKind string   // corpus.SpeakerPerson, SpeakerOrg or SpeakerUnknown
	Cue         string
	ArticleID   string // the article of the first appearance
	Title       string
	URL         string
	Date        *time.Time
	Start, End  int  // byte offsets of the quote in that article's body
	InTitle     bool // or in its title: a headline's quote
	First       QuoteAppearance
	// Articles are the IDs of the articles that carry the quote, first
	// appearance first, at most MaxQuoteArticles of them; Count is how
	// many there are in all.
	Articles []string
	Count    int
	Score    float64
}

// QuoteAppearance is an article carrying a quote, and its date.
type QuoteAppearance struct {
	ArticleID string
	Date      *time.Time
}

// MaxQuoteArticles caps QuoteHit.Articles.
const MaxQuoteArticles = 20
