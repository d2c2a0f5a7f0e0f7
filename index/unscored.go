package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// unscoredQuery matches what its query matches and adds nothing to a
// score. A request's filters and date range restrict what a text query
// finds without reordering it, as the cluster's filter context does
// (internal/opensearch): scored, a filter's term added its idf to each
// hit, more to an article of a rare day or tag.
type unscoredQuery struct{ q bq.Query }

func (u unscoredQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := u.q.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	return unscoredSearcher{s}, nil
}

// unscoredSearcher weighs nothing in its query's norm and scores each
// match 0.
type unscoredSearcher struct{ bsearch.Searcher }

func (s unscoredSearcher) Weight() float64      { return 0 }
func (s unscoredSearcher) SetQueryNorm(float64) {}

func (s unscoredSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return unscored(s.Searcher.Next(ctx))
}

func (s unscoredSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return unscored(s.Searcher.Advance(ctx, id))
}

func unscored(m *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if m != nil {
		m.Score, m.Expl = 0, nil
	}
	return m, err
}
