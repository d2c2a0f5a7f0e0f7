package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// feedbackRerank is how many of the best matches feedback reranks. It
// does not depend on the page, so every page size sees one order; past
// it, hits keep the query's own order (their scores are all lower).
const feedbackRerank = 100

// rerank is pseudo-relevance feedback in the manner of RM3: the words that
// characterise the best rank.FeedbackDocs of hits (frequent in them, each
// article weighted by its score, and rare in the archive) become an
// optional clause, and the first feedbackRerank hits are scored again
// with it. A researcher's word for a subject is seldom the only one its
// stories use; the clause lifts the matches that also speak the
// subject's other words. It never adds a match: what a query finds stays
// what its words say. hits are in relevance order, those the page may
// show with their stored articles. It returns the hits reranked and the
// words, or hits as they were and nil when the query found too few
// articles to learn from.
func (ix *Index) rerank(ctx context.Context, c *compiler, rank Ranking, hits []*bsearch.DocumentMatch) ([]*bsearch.DocumentMatch, []string, error) {
	docs := hits[:min(len(hits), rank.FeedbackDocs)]
	if len(docs) < 2 {
		return hits, nil, nil
	}
	eq, words, err := ix.expansion(ctx, docs, c, rank)
	if err != nil || eq == nil {
		return hits, nil, err
	}
	top := hits[:min(len(hits), feedbackRerank)]
	ids := make([]string, len(top))
	for i, h := range top {
		ids[i] = h.ID
	}
	// Only the clause is scored again, on the reranked hits alone; the
	// query's own score is the first pass's.
	only := bleve.NewDocIDQuery(ids)
	only.SetBoost(0) // it selects, and adds nothing to the score
	col := &hitCollector{ranked: true, n: len(top), stored: func(int) bool { return false }}
	sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(only, eq), len(top), 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	// Bleve sums a disjunction's scores in the order its searchers reach
	// a document, which varies with the segments; rounded, two copies of
	// a story gain exactly the same and keep their order by ID.
	extra := make(map[string]float64, len(col.hits))
	for _, h := range col.hits {
		extra[h.ID] = math.Round(h.Score*1e9) / 1e9
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
	return append(reranked, hits[len(top):]...), words, nil
}

// expansion is the clause of the words that characterise docs, and the
// words; nil when none qualifies.
func (ix *Index) expansion(ctx context.Context, docs []*bsearch.DocumentMatch, c *compiler, rank Ranking) (bq.Query, []string, error) {
	asked := map[string]bool{}
	for _, t := range c.matches.terms {
		asked[t.text] = true
	}
	// weight[t] = Σ over the articles of score share · tf / length.
	total := 0.0
	for _, h := range docs {
		total += h.Score
	}
	weight := map[string]float64{}
	inDocs := map[string]int{}
	for _, h := range docs {
		a, err := matchArticle(h)
		if err != nil {
			return nil, nil, err
		}
		terms := ix.analyze(ix.text, a.Title+"\n"+a.Body)
		if len(terms) == 0 {
			continue
		}
		tf := map[string]int{}
		for _, t := range terms {
			tf[t]++
		}
		share := h.Score / total / float64(len(terms))
		for t, n := range tf {
			if asked[t] || !worthFeedback(t) {
				continue
			}
			weight[t] += share * float64(n)
			inDocs[t]++
		}
	}
	type cand struct {
		term  string
		score float64
	}
	var cands []cand
	for t, w := range weight {
		if inDocs[t] >= 2 {
			cands = append(cands, cand{t, w})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].term < cands[j].term
	})
	cands = cands[:min(len(cands), 2*rank.FeedbackTerms)]
	// Weigh in rarity, so that words every story uses (said, pct) drop out.
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
	for i := range cands {
		count, err := stemDocCount(ctx, r, fBody, cands[i].term)
		if err != nil {
			return nil, nil, fmt.Errorf("search: %w", err)
		}
		df := float64(count)
		cands[i].score *= math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].term < cands[j].term
	})
	cands = cands[:min(len(cands), rank.FeedbackTerms)]
	if len(cands) == 0 {
		return nil, nil, nil
	}
	var clauses []bq.Query
	words := make([]string, len(cands))
	for i, cd := range cands {
		words[i] = strings.TrimPrefix(cd.term, stemMark) // shown as the stem it is
		clauses = append(clauses, &bm25TermQuery{term: cd.term, field: fBody, boost: rank.FeedbackWeight * cd.score / cands[0].score})
	}
	return bleve.NewDisjunctionQuery(clauses...), words, nil
}

// worthFeedback reports whether an index term may expand a query: a
// word with a letter, of three letters or more; not a number (221,000).
func worthFeedback(t string) bool {
	t = strings.TrimPrefix(t, stemMark)
	return utf8.RuneCountInString(t) >= 3 && strings.ContainsFunc(t, unicode.IsLetter)
}
