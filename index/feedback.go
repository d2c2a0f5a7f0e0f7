package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/folio-search/folio/internal/search"
)

// rerank is pseudo-relevance feedback in the manner of RM3: the words that
// characterise the best rank.FeedbackDocs of hits (frequent in them, each
// article weighted by its score, and rare in the archive) become an
// optional clause, and the first search.FeedbackRerank hits are scored again
// with it. A researcher's word for a subject is seldom the only one its
// stories use; the clause lifts the matches that also speak the
// subject's other words. It never adds a match: what a query finds stays
// what its words say. hits are in relevance order, those the page may
// show with their stored articles. It returns the hits reranked and the
// words, or hits as they were and nil when the query found too few
// articles to learn from.
func (ix *Index) rerank(ctx context.Context, c *compiler, rank Ranking, hits []*bsearch.DocumentMatch) ([]*bsearch.DocumentMatch, bq.Query, []string, error) {
	docs := hits[:min(len(hits), rank.FeedbackDocs)]
	if len(docs) < 2 {
		return hits, nil, nil, nil
	}
	clauses, words, err := ix.expansion(ctx, docs, c, rank)
	if err != nil || clauses == nil {
		return hits, nil, nil, err
	}
	// A flash's headline stands for its body (headline.go): the clause,
	// on bodies only, is scored on it too.
	var flashes map[string]float64
	if rank.HeadlineBody {
		bodies, err := ix.headlineBodies(hits[:min(len(hits), search.FeedbackRerank)])
		if err != nil {
			return nil, nil, nil, err
		}
		weights := make(map[string]float64, len(clauses))
		for _, q := range clauses {
			weights[q.term] += q.boost
		}
		if flashes, err = ix.headlineScores(ctx, rank, bodies, weights); err != nil {
			return nil, nil, nil, err
		}
	}
	top := hits[:min(len(hits), search.FeedbackRerank)]
	ids := make([]string, len(top))
	for i, h := range top {
		ids[i] = h.ID
	}
	eqs := make([]bq.Query, len(clauses))
	for i, q := range clauses {
		eqs[i] = q
	}
	eq := bleve.NewDisjunctionQuery(eqs...)
	// Only the clause is scored again, on the reranked hits alone; the
	// query's own score is the first pass's.
	only := bleve.NewDocIDQuery(ids)
	only.SetBoost(0) // it selects, and adds nothing to the score
	col := &hitCollector{ranked: true, n: len(top), stored: func(int) bool { return false }}
	sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(only, eq), len(top), 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return nil, nil, nil, fmt.Errorf("search: %w", err)
	}
	// Bleve sums a disjunction's scores in the order its searchers reach
	// a document, which varies with the segments; rounded, two copies of
	// a story gain exactly the same and keep their order by ID.
	extra := make(map[string]float64, len(col.hits))
	for _, h := range col.hits {
		extra[h.ID] = math.Round(h.Score*1e9) / 1e9
	}
	for id, s := range flashes {
		extra[id] += math.Round(s*1e9) / 1e9
	}
	reranked := slices.Clone(top)
	for _, h := range reranked {
		h.Score += extra[h.ID]
	}
	sort.SliceStable(reranked, func(i, j int) bool {
		if reranked[i].Score != reranked[j].Score {
			return reranked[i].Score > reranked[j].Score
		}
		return reranked[i].ID < reranked[j].ID
	})
	return append(reranked, hits[len(top):]...), eq, words, nil
}

// expansion is the clause (one term query a word) of the words that characterise docs
// (search.FeedbackTerms), and the words; nil when none qualifies.
func (ix *Index) expansion(ctx context.Context, docs []*bsearch.DocumentMatch, c *compiler, rank Ranking) ([]*bm25TermQuery, []string, error) {
	asked := map[string]bool{}
	for _, t := range c.matches.terms {
		asked[t.text] = true
	}
	fdocs := make([]search.FeedbackDoc, 0, len(docs))
	for _, h := range docs {
		a, err := matchArticle(h)
		if err != nil {
			return nil, nil, err
		}
		tf := map[string]int{}
		for _, t := range ix.analyze(ix.text, a.Title+"\n"+a.Body) {
			tf[t]++
		}
		fdocs = append(fdocs, search.FeedbackDoc{Score: h.Score, Terms: tf})
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	docFreqs := func(terms []string) (map[string]int, error) {
		df := make(map[string]int, len(terms))
		for _, t := range terms {
			count, err := stemDocCount(ctx, r, fBody, t)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			df[t] = int(count)
		}
		return df, nil
	}
	picked, err := search.FeedbackTerms(fdocs, rank.FeedbackTerms, rank.FeedbackMaxDF, func(t string) bool { return asked[t] }, docFreqs, int(n))
	if err != nil || len(picked) == 0 {
		return nil, nil, err
	}
	clauses := make([]*bm25TermQuery, len(picked))
	words := make([]string, len(picked))
	for i, p := range picked {
		words[i] = strings.TrimPrefix(p.Term, stemMark) // shown as the stem it is
		clauses[i] = &bm25TermQuery{term: p.Term, field: fBody, boost: rank.FeedbackWeight * p.Weight, bm25: rank.bm25()}
	}
	return clauses, words, nil
}
