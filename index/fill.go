package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// fill is up to n articles that hold some of the query's words but not
// enough to match, within its filters and exclusions, ranked by those
// words and the feedback words eq: RM3 retrieves with the expanded query.
// A researcher whose words find a handful of stories together then still
// sees the others on the subject, best first (in Reuters, `tea auction`
// matches 3 articles and 15 are about tea).
func (ix *Index) fill(ctx context.Context, c *compiler, eq bq.Query, have []*bsearch.DocumentMatch, n int) ([]*bsearch.DocumentMatch, error) {
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
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewDisjunctionQuery(words...)) // at least one of them
	b.AddShould(eq)
	b.AddMustNot(bleve.NewDocIDQuery(ids))
	if len(c.filterClauses) > 0 {
		b.AddMust(c.filterClauses...)
	}
	if len(c.exclusions) > 0 {
		b.AddMustNot(c.exclusions...)
	}
	col := &hitCollector{ranked: true, n: n}
	sr := bleve.NewSearchRequestOptions(b, n, 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return col.hits, nil
}
