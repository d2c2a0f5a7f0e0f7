package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// feedback is pseudo-relevance feedback in the manner of RM3: the query
// is run once for its best rank.FeedbackDocs articles, and the words that
// characterise them (frequent in them, each article weighted by its
// score, and rare in the archive) become an optional clause that reranks
// the matches. A researcher's word for a subject is seldom the only one
// its stories use; the clause lifts the matches that also speak the
// subject's other words. It never adds a match: what a query finds stays
// what its words say. It returns the clause, nil when the query found too
// few articles to learn from, and its words.
func (ix *Index) feedback(ctx context.Context, q bq.Query, c *compiler, rank Ranking) (bq.Query, []string, error) {
	col := &hitCollector{ranked: true, n: rank.FeedbackDocs}
	sr := bleve.NewSearchRequestOptions(q, rank.FeedbackDocs, 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr); err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	if len(col.hits) < 2 {
		return nil, nil, nil
	}
	asked := map[string]bool{}
	for _, t := range c.matches.terms {
		asked[t.text] = true
	}
	// weight[t] = Σ over the articles of score share · tf / length.
	total := 0.0
	for _, h := range col.hits {
		total += h.Score
	}
	weight := map[string]float64{}
	docs := map[string]int{}
	for _, h := range col.hits {
		stored, _ := h.Fields[fStored].(string)
		a, err := decodeArticle(h.ID, stored)
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
			docs[t]++
		}
	}
	type cand struct {
		term  string
		score float64
	}
	var cands []cand
	for t, w := range weight {
		if docs[t] >= 2 {
			cands = append(cands, cand{t, w})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].term < cands[j].term
	})
	cands = cands[:min(len(cands), 5*rank.FeedbackTerms)]
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
		tfr, err := r.TermFieldReader(ctx, []byte(cands[i].term), fBody, false, false, false)
		if err != nil {
			return nil, nil, fmt.Errorf("search: %w", err)
		}
		df := float64(tfr.Count())
		tfr.Close()
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
		words[i] = cd.term
		clauses = append(clauses, &bm25TermQuery{term: cd.term, field: fBody, boost: rank.FeedbackWeight * cd.score / cands[0].score})
	}
	return bleve.NewDisjunctionQuery(clauses...), words, nil
}

// worthFeedback reports whether an index term may expand a query: not a
// number or a fragment of one letter or two.
func worthFeedback(t string) bool {
	if utf8.RuneCountInString(t) < 3 {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return true
		}
	}
	return false
}
