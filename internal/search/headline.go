package search

import "math"

// A newswire flash is a headline without a body ("U.S. CONSUMER CREDIT
// ROSE 536 MLN DLRS IN JAN"): the headline is the whole story. Scored on
// its fields alone it loses every body clause to the full stories that
// mention its subject, so both engines also score a flash's headline as
// the body it stands for (docs/relevance.md, third pass of issue 23).

// HeadlineScore is what weighted terms score, by BM25 with parameters k1
// and b, on a body made of a headline's terms (tf: each term's count; n:
// their number), a body field having avgLen terms on average; df gives
// the number of the docs articles whose body holds a term.
func HeadlineScore(tf map[string]int, n int, weights map[string]float64, df func(string) (float64, error), docs, avgLen, k1, b float64) (float64, error) {
	if n == 0 || avgLen <= 0 {
		return 0, nil
	}
	s := 0.0
	for t, w := range weights {
		f := float64(tf[t])
		if f == 0 {
			continue
		}
		d, err := df(t)
		if err != nil {
			return 0, err
		}
		idf := math.Log(1 + (docs-d+0.5)/(d+0.5))
		s += w * idf * f * (k1 + 1) / (f + k1*(1-b+b*float64(n)/avgLen))
	}
	return s, nil
}
