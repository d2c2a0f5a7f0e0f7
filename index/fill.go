package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// fillCandidates is how many articles holding some of a query's words
// fill ranks with the feedback words.
const fillCandidates = 200

// fill is up to n articles that hold some of the query's words but not
// enough to match, within its filters and exclusions, ranked by those
// words and the feedback words' clauses (none: the words alone): RM3
// retrieves with the expanded query.
// A researcher whose words find a handful of stories together then still
// sees the others on the subject, best first (in Reuters, `tea auction`
// matches 3 articles and 15 are about tea).
//
// Only the first show of them may reach the page: only theirs are read
// from the stored articles.
func (ix *Index) fill(ctx context.Context, c *compiler, clauses []*bm25TermQuery, have []*bsearch.DocumentMatch, n, show int) ([]*bsearch.DocumentMatch, error) {
	// Scored from their stored text (feedback.go), the candidates' scores
	// by the words are the first search's; a filter would add its own.
	dfs, byText := ix.fillByText(ctx, clauses, have)
	byText = byText && len(c.filterClauses) == 0
	first, words, err := ix.fillCandidates(ctx, c, have, max(n, fillCandidates), byText)
	if err != nil || len(first) == 0 {
		return nil, err
	}
	if byText {
		return ix.fillFromText(ctx, clauses, dfs, first, n, show)
	}
	return ix.fillFromPostings(ctx, words, clauses, first, n, show)
}

// filling is a fill prepared with the feedback: its candidates are
// scored by the feedback words in the same pass as the matches (rerank),
// which at 20,000 articles halves what a query of a short list costs,
// the words' postings being walked once instead of twice.
type filling struct {
	n, show int // as fill's
	// ranked are the candidates, the feedback words' scores added, best
	// first, once rerank scored them (scored).
	ranked []*bsearch.DocumentMatch
	scored bool
}

// newFilling prepares the fill of a search of c, when its candidates can
// be scored with the matches: without filters, whose clauses would add
// their own score to the candidates' (fillFromText).
func newFilling(c *compiler, n, show int) *filling {
	if len(c.filterClauses) > 0 {
		return nil
	}
	return &filling{n: n, show: show}
}

// candidates is the fill's candidates by the query's words alone, to be
// scored with have by the feedback words; with their stored articles
// when stored (to score them from their text), else read for the page
// only once ranked (rank). onSnap reports whether they were found on
// snap, have's snapshot.
func (f *filling) candidates(ctx context.Context, ix *Index, c *compiler, have []*bsearch.DocumentMatch, snap *scorch.IndexSnapshot, stored bool) (cands []*bsearch.DocumentMatch, onSnap bool, err error) {
	q, _, err := fillQuery(c, have)
	if err != nil {
		return nil, false, err
	}
	col := &hitCollector{ranked: true, n: max(f.n, fillCandidates), keep: true}
	if !stored {
		col.stored = func(int) bool { return false }
	}
	defer col.release()
	if err := ix.collectWith(ctx, q, col); err != nil {
		return nil, false, err
	}
	return col.hits, snap != nil && col.snap == snap, nil
}

// rank adds the feedback words' scores extra to the candidates, found on
// snap, and keeps the best n, the stored articles of the first show only.
func (f *filling) rank(snap *scorch.IndexSnapshot, cands []*bsearch.DocumentMatch, extra map[string]float64) error {
	addScores(cands, extra)
	cands = cands[:min(f.n, len(cands))]
	show := max(0, min(f.show, len(cands)))
	for _, h := range cands[show:] {
		h.Fields = nil // past the page: as if never read
	}
	segs, offsets := segmentsOf(snap)
	for _, h := range cands[:show] {
		if _, ok := h.Fields[fStored]; ok {
			continue
		}
		stored, err := storedArticleOf(segs, offsets, h.IndexInternalID)
		if err != nil {
			return err
		}
		h.Fields = map[string]any{fStored: stored}
	}
	f.ranked, f.scored = cands, true
	return nil
}

// fillCandidates is the best n articles by the query's words that are
// not among have, within its filters and exclusions, with their stored
// articles if stored; and the words' clauses.
func (ix *Index) fillCandidates(ctx context.Context, c *compiler, have []*bsearch.DocumentMatch, n int, stored bool) ([]*bsearch.DocumentMatch, []bq.Query, error) {
	q, words, err := fillQuery(c, have)
	if err != nil {
		return nil, nil, err
	}
	load := func(int) bool { return false }
	if stored {
		load = nil
	}
	first, err := ix.collect(ctx, q, n, load)
	return first, words, err
}

// fillQuery is the query of the articles that hold some of the query's
// words but are not among have, within its filters and exclusions; and
// the words' clauses.
func fillQuery(c *compiler, have []*bsearch.DocumentMatch) (bq.Query, []bq.Query, error) {
	ids := make([]string, len(have))
	for i, h := range have {
		ids[i] = h.ID
	}
	var words []bq.Query
	for _, t := range c.matches.terms {
		fields, _, err := textFields(t.field)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range fields {
			words = append(words, c.boosted(&bm25TermQuery{term: t.text, field: f, bm25: c.rank.bm25()}, f))
		}
	}
	// The feedback words are scored on the fillCandidates best by the
	// query's words alone: over every article holding one of them, they
	// would cost as much as the rest of the search.
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewDisjunctionQuery(words...)) // at least one of them
	b.AddMustNot(bleve.NewDocIDQuery(ids))
	if len(c.filterClauses) > 0 {
		b.AddMust(c.filterClauses...)
	}
	if len(c.exclusions) > 0 {
		b.AddMustNot(c.exclusions...)
	}
	return b, words, nil
}

// fillFromPostings ranks first (the candidates) by the query's words
// and the feedback clauses in one search over them, and keeps the best n,
// with the stored articles of the first show.
func (ix *Index) fillFromPostings(ctx context.Context, words []bq.Query, clauses []*bm25TermQuery, first []*bsearch.DocumentMatch, n, show int) ([]*bsearch.DocumentMatch, error) {
	cands := make([]string, len(first))
	for i, h := range first {
		cands[i] = h.ID
	}
	only := bleve.NewDocIDQuery(cands)
	only.SetBoost(0) // it selects, and adds nothing to the score
	ranked := bleve.NewBooleanQuery()
	ranked.AddMust(only, bleve.NewDisjunctionQuery(words...))
	if len(clauses) > 0 {
		ranked.AddShould(feedbackClause(clauses))
	}
	return ix.collect(ctx, ranked, n, func(i int) bool { return i < show })
}

// fillByText reports whether the feedback clauses are cheaper to score
// on fillCandidates articles from their stored text than from the
// postings, judging the articles' size by have's, with the clauses'
// document frequencies it weighed.
func (ix *Index) fillByText(ctx context.Context, clauses []*bm25TermQuery, have []*bsearch.DocumentMatch) ([]uint64, bool) {
	if len(clauses) == 0 || len(have) == 0 {
		return nil, false
	}
	dfs, err := ix.clauseDocFreqs(ctx, clauses)
	if err != nil {
		return nil, false // the postings then; they report the error
	}
	var postings uint64
	for _, df := range dfs {
		postings += df
	}
	stored, read := 0, 0
	for _, h := range have {
		if n, ok := storedSize(h); ok {
			stored += n
			read++
		}
	}
	if read == 0 {
		return dfs, false
	}
	return dfs, postings >= postingsPerStoredByte*uint64(stored/read*fillCandidates)
}

// fillFromText ranks first (the candidates, best by the query's words,
// with their stored articles) by those scores plus the feedback clauses'
// (of document frequencies dfs) from the stored text, and keeps the best
// n, the stored articles of the first show only.
func (ix *Index) fillFromText(ctx context.Context, clauses []*bm25TermQuery, dfs []uint64, first []*bsearch.DocumentMatch, n, show int) ([]*bsearch.DocumentMatch, error) {
	sctx := ix.withBM25Stats(ctx)
	st, _ := sctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats)
	if st == nil || st.DocCount == 0 {
		return nil, nil
	}
	extra, err := ix.feedbackFromText(sctx, st, first, clauses, dfs)
	if err != nil {
		return nil, err
	}
	addScores(first, extra)
	first = first[:min(n, len(first))]
	for _, h := range first[max(0, min(show, len(first))):] {
		h.Fields = nil // past the page: as if never read
	}
	return first, nil
}

// collect is the best n matches of q, with the stored articles of the
// ranks stored says (nil: all).
func (ix *Index) collect(ctx context.Context, q bq.Query, n int, stored func(int) bool) ([]*bsearch.DocumentMatch, error) {
	col := &hitCollector{ranked: true, n: n, stored: stored}
	err := ix.collectWith(ctx, q, col)
	return col.hits, err
}

// collectWith searches q into col, which ranks its hits.
func (ix *Index) collectWith(ctx context.Context, q bq.Query, col *hitCollector) error {
	sr := bleve.NewSearchRequestOptions(q, col.n, 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}
