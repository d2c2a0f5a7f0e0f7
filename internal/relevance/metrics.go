// Package relevance measures how well Folio ranks: it runs a judged query
// set over a labelled corpus through Folio and through a reference engine
// (SQLite FTS5's bm25()), and through Folio on OpenSearch when a cluster
// is given, each a search.Engine asked as the API asks it, and reports
// precision at 10, nDCG at 10 and average precision for each query and
// their means, paired significance tests between engines, and
// cross-validated figures for the ranking choices tuned on the set.
package relevance

import "math"

// PrecisionAt is the share of the first k ranks that hold a relevant
// document. A ranking shorter than k is counted as if padded with
// non-relevant documents: an engine that returns 3 good hits out of a
// possible 10 scores 0.3, not 1.0.
func PrecisionAt(ranked []bool, k int) float64 {
	if k <= 0 {
		return 0
	}
	n := 0
	for i, rel := range ranked {
		if i == k {
			break
		}
		if rel {
			n++
		}
	}
	return float64(n) / float64(k)
}

// NDCGAt is the normalised discounted cumulative gain of the first k ranks
// with binary gains and a log2(rank+1) discount. The ideal ranking puts
// min(k, relevant) relevant documents first, where relevant is the number
// of relevant documents in the whole collection, so an engine is not
// rewarded for returning few results. With no relevant document at all
// the figure is 0.
func NDCGAt(ranked []bool, relevant, k int) float64 {
	ideal := 0.0
	for i := 0; i < k && i < relevant; i++ {
		ideal += discount(i)
	}
	if ideal == 0 {
		return 0
	}
	dcg := 0.0
	for i, rel := range ranked {
		if i == k {
			break
		}
		if rel {
			dcg += discount(i)
		}
	}
	return dcg / ideal
}

// discount is the weight of the gain at 0-based rank i.
func discount(i int) float64 { return 1 / math.Log2(float64(i)+2) }

// AveragePrecision is the mean of the precision at each rank that holds a
// relevant document, over all relevant documents in the collection
// (relevant), so that one not retrieved counts as precision 0.
func AveragePrecision(ranked []bool, relevant int) float64 {
	if relevant <= 0 {
		return 0
	}
	sum, hits := 0.0, 0
	for i, rel := range ranked {
		if rel {
			hits++
			sum += float64(hits) / float64(i+1)
		}
	}
	return sum / float64(relevant)
}
