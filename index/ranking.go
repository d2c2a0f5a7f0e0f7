package index

import (
	"context"

	"github.com/folio-search/folio/internal/search"
)

// Ranking holds the ranking choices beyond BM25 that the relevance
// evaluation (internal/relevance) measures and tunes. The zero value is
// Folio's ranking before them: every word required, no feedback, no
// demotion of duplicates.
type Ranking struct {
	// MSMFrom is the number of plain words from which a query asks only
	// for a share of them, MSMShare (rounded down, at least 2); 0 keeps
	// every word required. Words marked +word stay required.
	MSMFrom  int
	MSMShare float64
	// Feedback: the words that best characterise the top FeedbackDocs
	// articles (at most FeedbackTerms of them) rerank the matches, with
	// FeedbackWeight the weight of all of them against the query's own
	// words; 0 docs is off. The matches stay those of the query.
	FeedbackDocs   int
	FeedbackTerms  int
	FeedbackWeight float64
	// TitleBoost weighs a match in the title against one in the body
	// (titleBoost when 0); ProximityBoost weighs the clause for words
	// close together (proximityBoost when 0; below 0 there is none).
	TitleBoost     float64
	ProximityBoost float64
	// Dedup keeps exact duplicates (same title and body) out of the first
	// search.DedupTop ranks: a copy of a story above is moved below them.
	Dedup bool
}

// DefaultRanking is the ranking of Index.Search. Each choice was measured
// on the development queries of the judged Reuters set, with
// cross-validation (docs/relevance.md).
var DefaultRanking = Ranking{
	MSMFrom:        search.MSMFrom,
	MSMShare:       search.MSMShare,
	FeedbackDocs:   search.Feedback.Docs,
	FeedbackTerms:  search.Feedback.Terms,
	FeedbackWeight: search.Feedback.Weight,
	Dedup:          true,
}

func (r Ranking) titleBoost() float64 {
	if r.TitleBoost > 0 {
		return r.TitleBoost
	}
	return titleBoost
}

func (r Ranking) proximityBoost() float64 {
	switch {
	case r.ProximityBoost < 0:
		return 0
	case r.ProximityBoost > 0:
		return r.ProximityBoost
	}
	return proximityBoost
}

// required is the number of a query's n plain words that must match.
func (r Ranking) required(n int) int { return search.ShouldMatch(n, r.MSMFrom, r.MSMShare) }

// Ranked is an Index that ranks with other choices than DefaultRanking,
// for the relevance evaluation; everything but Search is the Index's.
type Ranked struct {
	*Index
	ranking Ranking
}

// WithRanking returns ix ranking with r.
func (ix *Index) WithRanking(r Ranking) *Ranked { return &Ranked{Index: ix, ranking: r} }

// Search runs req with the view's ranking.
func (v *Ranked) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	return v.search(ctx, req, searchOptions{suggest: true, ranking: &v.ranking})
}
