package index

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// clauseScores is what the feedback clause adds to each of the articles
// ids: the sum over its terms of their BM25 scores, as bm25TermQuery
// scores them, times the share of the terms the article holds (as a
// disjunction of the terms scores in Bleve: an article that speaks more
// of the subject's words gains more than in proportion), read straight from each term's postings at those articles
// (in index order, so each postings list is walked once). A search of the
// clause limited to the articles by a conjunction cost twice as much: a
// heap of the terms' searchers advanced to every article. Articles no
// longer in the index get nothing.
func (ix *Index) clauseScores(ctx context.Context, clauses []*bm25TermQuery, ids []string) (map[string]float64, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	type doc struct {
		id       string
		internal bindex.IndexInternalID
	}
	docs := make([]doc, 0, len(ids))
	for _, id := range ids {
		in, err := r.InternalID(id)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if in != nil {
			docs = append(docs, doc{id, slices.Clone(in)})
		}
	}
	slices.SortFunc(docs, func(a, b doc) int { return bytes.Compare(a.internal, b.internal) })
	n, avgLen := 0.0, 0.0
	if st, ok := ix.withBM25Stats(ctx).Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok && st.DocCount > 0 {
		n = st.DocCount
		avgLen = float64(st.FieldCardinality[fBody]) / st.DocCount
	} else if c, err := r.DocCount(); err == nil {
		n = float64(c)
	}
	out := make(map[string]float64, len(docs))
	held := make(map[string]int, len(docs))
	meter := newMeter(ctx)
	for _, q := range clauses {
		tfr, err := r.TermFieldReader(ctx, []byte(q.term), q.field, true, true, false)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		df := float64(tfr.Count())
		weight := q.boost * math.Log(1+(n-df+0.5)/(df+0.5))
		var at *bindex.TermFieldDoc // where the postings stand
		for _, d := range docs {
			if at != nil && bytes.Compare(at.ID, d.internal) > 0 {
				continue // the term is not in d
			}
			if err := meter.step(1, 0); err != nil {
				tfr.Close()
				return nil, err
			}
			if at, err = tfr.Advance(d.internal, &bindex.TermFieldDoc{}); err != nil {
				tfr.Close()
				return nil, fmt.Errorf("search: %w", err)
			}
			if at == nil {
				break // past the term's last article
			}
			if bytes.Equal(at.ID, d.internal) {
				out[d.id] += bm25Score(float64(at.Freq), at.Norm, weight, avgLen, q.bm25.orDefault())
				held[d.id]++
			}
		}
		tfr.Close()
	}
	for id, n := range held {
		out[id] *= float64(n) / float64(len(clauses))
	}
	return out, meter.check()
}
