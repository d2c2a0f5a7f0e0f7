package index

import (
	"context"
	"fmt"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// Ranking.HeadlineBody scores a flash's headline as its body too
// (search.HeadlineScore): a headline twice the average title's length is
// also normalised down in the title, so without it a flash that says
// exactly what a query asks ranks below stories that mention it.

// headlinesAsBodies adds to the score of each flash among the first
// search.FeedbackRerank hits what the query's words would score on a body
// made of its headline, and reorders those hits. moved reports whether a
// score changed.
func (ix *Index) headlinesAsBodies(ctx context.Context, c *compiler, rank Ranking, hits []*bsearch.DocumentMatch) (_ []*bsearch.DocumentMatch, moved bool, err error) {
	top := hits[:min(len(hits), search.FeedbackRerank)]
	words := map[string]float64{}
	for _, t := range c.matches.terms {
		if t.field == "" || t.field == "body" {
			words[t.text] = 1
		}
	}
	bodies, err := ix.headlineBodies(top)
	if err != nil || len(bodies) == 0 || len(words) == 0 {
		return hits, false, err
	}
	extra, err := ix.headlineScores(ctx, rank, bodies, words)
	if err != nil || len(extra) == 0 {
		return hits, false, err
	}
	addScores(top, extra)
	return hits, true, nil
}

// headlineBodies is, for each article of hits without a body, the index
// terms of its headline. Each hit keeps them (nil for a story), so a
// search reads each stored record for this once.
func (ix *Index) headlineBodies(hits []*bsearch.DocumentMatch) (map[string][]string, error) {
	out := map[string][]string{}
	for _, h := range hits {
		terms, seen := h.Fields[fHeadlineTerms].([]string)
		if !seen {
			var title string
			hasBody := false
			flash, marked := h.Fields[fIsFlash].(bool)
			if a, ok := h.Fields[fArticle].(*corpus.Article); ok {
				title, hasBody = a.Title, a.Body != ""
			} else if marked && !flash {
				hasBody = true // a story: its record need not be read
			} else {
				rec, err := matchRecord(h)
				if err != nil {
					return nil, err
				}
				if rec.article != nil {
					title, hasBody = rec.article.Title, rec.article.Body != ""
				} else if title, hasBody, err = headlineOf(rec.json); err != nil {
					return nil, fmt.Errorf("stored article %s is damaged: %w", h.ID, err)
				}
			}
			if !hasBody {
				terms = ix.analyze(ix.text, title)
			}
			if h.Fields == nil {
				h.Fields = map[string]any{}
			}
			h.Fields[fHeadlineTerms] = terms
		}
		if terms != nil {
			out[h.ID] = terms
		}
	}
	return out, nil
}

// fHeadlineTerms keys, in a hit's fields, its headline's terms when it
// has no body (nil for a story).
const fHeadlineTerms = "\x00headline"

// headlineScores is, for each article of bodies (its headline's terms),
// what the weighted terms score on a body of those terms
// (search.HeadlineScore); articles that score nothing are left out.
func (ix *Index) headlineScores(ctx context.Context, rank Ranking, bodies map[string][]string, weights map[string]float64) (map[string]float64, error) {
	if len(bodies) == 0 || len(weights) == 0 {
		return nil, nil
	}
	st, ok := ix.withBM25Stats(ctx).Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats)
	if !ok || st.DocCount == 0 {
		return nil, nil
	}
	avgLen := float64(st.FieldCardinality[fBody]) / st.DocCount
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	dfs := map[string]float64{}
	df := func(t string) (float64, error) {
		if d, ok := dfs[t]; ok {
			return d, nil
		}
		n, err := stemDocCount(ctx, r, fBody, t)
		if err != nil {
			return 0, fmt.Errorf("search: %w", err)
		}
		dfs[t] = float64(n)
		return float64(n), nil
	}
	p := rank.bm25()
	out := map[string]float64{}
	for id, terms := range bodies {
		tf := map[string]int{}
		for _, t := range terms {
			tf[t]++
		}
		s, err := search.HeadlineScore(tf, len(terms), weights, df, st.DocCount, avgLen, p.k1, p.b)
		if err != nil {
			return nil, err
		}
		if s > 0 {
			out[id] = s
		}
	}
	return out, nil
}
