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
	// FeedbackMaxDF keeps words found in more than this share of the
	// archive's articles out of the feedback (0: no ceiling), so that the
	// words added are about a subject, not the way every story is written.
	FeedbackMaxDF float64
	// HeadlineBody scores an article without a body (a newswire flash)
	// as though its headline were its body too: the query's words and the
	// feedback words are scored on it as on a body of those words, among
	// the first search.FeedbackRerank hits.
	HeadlineBody bool
	// FeedbackFill: when a query matches fewer than this many articles,
	// the articles that share its subject (any of its words and the
	// feedback words) follow its own matches, up to that many in all.
	FeedbackFill int
	// TitleBoost weighs a match in the title against one in the body
	// (titleBoost when 0); ProximityBoost weighs the clause for words
	// close together (proximityBoost when 0; below 0 there is none).
	TitleBoost     float64
	ProximityBoost float64
	// BigramBoost weighs a clause for each two adjacent plain words of a
	// query found as a phrase, in the body or the title (0: none): the
	// ordered-pair feature of a sequential dependence model.
	BigramBoost float64
	// K1 and B are BM25's saturation and length normalisation (bm25K1 and
	// bm25B when 0).
	K1, B float64
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
	FeedbackFill:   search.FeedbackRerank,
	Dedup:          true,
	HeadlineBody:   true,
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

func (r Ranking) bm25() bm25Params { return bm25Params{k1: r.K1, b: r.B}.orDefault() }

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
