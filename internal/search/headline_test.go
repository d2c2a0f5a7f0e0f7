package search

import (
	"math"
	"testing"
)

// A headline scores as a body of its terms would: BM25 of each weighted
// term it holds, with the body's statistics; terms it lacks add nothing,
// and a longer headline scores a term less.
func TestHeadlineScore(t *testing.T) {
	df := func(t string) (float64, error) { return map[string]float64{"credit": 9, "consum": 99}[t], nil }
	tf := map[string]int{"credit": 2, "consum": 1, "rose": 1}
	w := map[string]float64{"credit": 1, "consum": 0.5, "absent": 3}
	got, err := HeadlineScore(tf, 8, w, df, 1000, 80, 1.2, 0.75)
	if err != nil {
		t.Fatal(err)
	}
	bm25 := func(f, d, n float64) float64 {
		return math.Log(1+(1000-d+0.5)/(d+0.5)) * f * 2.2 / (f + 1.2*(0.25+0.75*n/80))
	}
	if want := bm25(2, 9, 8) + 0.5*bm25(1, 99, 8); math.Abs(got-want) > 1e-9 {
		t.Errorf("score %v, want %v", got, want)
	}
	longer, _ := HeadlineScore(tf, 40, w, df, 1000, 80, 1.2, 0.75)
	if longer >= got {
		t.Errorf("a 40-term headline scores %v, an 8-term one %v: want less", longer, got)
	}
	if s, _ := HeadlineScore(tf, 0, w, df, 1000, 80, 1.2, 0.75); s != 0 {
		t.Errorf("an empty headline scores %v", s)
	}
}
