package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// fillCandidates is how many articles holding some of a query's words
// fill ranks with the feedback words.
const fillCandidates = 200

// fill is up to n articles that hold some of the query's words but not
// enough to match, within its filters and exclusions, ranked by those
// words and the feedback words eq: RM3 retrieves with the expanded query.
// A researcher whose words find a handful of stories together then still
// sees the others on the subject, best first (in Reuters, `tea auction`
// matches 3 articles and 15 are about tea).
//
// Only the first show of them may reach the page: only theirs are read
// from the stored articles.
func (ix *Index) fill(ctx context.Context, c *compiler, eq bq.Query, have []*bsearch.DocumentMatch, n, show int) ([]*bsearch.DocumentMatch, error) {
	ids := make([]string, len(have))
	for i, h := range have {
		ids[i] = h.ID
	}
	var words []bq.Query
	for _, t := range c.matches.terms {
		fields, _, err := textFields(t.field)
		if err != nil {
			return nil, err
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
	first, err := ix.collect(ctx, b, max(n, fillCandidates), func(int) bool { return false })
	if err != nil || len(first) == 0 {
		return nil, err
	}
	cands := make([]string, len(first))
	for i, h := range first {
		cands[i] = h.ID
	}
	only := bleve.NewDocIDQuery(cands)
	only.SetBoost(0) // it selects, and adds nothing to the score
	ranked := bleve.NewBooleanQuery()
	ranked.AddMust(only, bleve.NewDisjunctionQuery(words...))
	if eq != nil {
		ranked.AddShould(eq)
	}
	return ix.collect(ctx, ranked, n, func(i int) bool { return i < show })
}

// collect is the best n matches of q, with the stored articles of the
// ranks stored says (nil: all).
func (ix *Index) collect(ctx context.Context, q bq.Query, n int, stored func(int) bool) ([]*bsearch.DocumentMatch, error) {
	col := &hitCollector{ranked: true, n: n, stored: stored}
	sr := bleve.NewSearchRequestOptions(q, n, 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return col.hits, nil
}
