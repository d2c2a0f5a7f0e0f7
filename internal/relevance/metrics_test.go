package relevance

import (
	"math"
	"testing"
)

// ranking builds a ranking from a pattern such as "R.R..": R relevant, any
// other byte not.
func ranking(p string) []bool {
	out := make([]bool, len(p))
	for i := range p {
		out[i] = p[i] == 'R'
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPrecisionAt(t *testing.T) {
	for _, c := range []struct {
		ranking string
		k       int
		want    float64
	}{
		{"RRRRRRRRRR", 10, 1},
		{"..........", 10, 0},
		{"R.R.R.R.R.", 10, 0.5},
		{"RRR", 10, 0.3},          // short lists are padded with misses
		{"", 10, 0},               // no results
		{"..........RRRR", 10, 0}, // ranks past k do not count
		{"R.", 2, 0.5},
		{"R", 0, 0},
	} {
		if got := PrecisionAt(ranking(c.ranking), c.k); !near(got, c.want) {
			t.Errorf("PrecisionAt(%q, %d) = %v, want %v", c.ranking, c.k, got, c.want)
		}
	}
}

func TestNDCGAt(t *testing.T) {
	l := math.Log2
	for _, c := range []struct {
		name     string
		ranking  string
		relevant int
		want     float64
	}{
		{"perfect", "RRRRRRRRRR", 50, 1},
		{"nothing relevant found", "..........", 50, 0},
		{"no relevant documents exist", "..........", 0, 0},
		// One relevant document in the collection, found at rank 1 or 3.
		{"single at top", "R.........", 1, 1},
		{"single at rank 3", "..R.......", 1, (1 / l(4)) / 1},
		// Two relevant in the collection, at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5),
		// ideal = 1/log2(2) + 1/log2(3).
		{"two of two", ".R.R......", 2, (1/l(3) + 1/l(5)) / (1 + 1/l(3))},
		// Three relevant exist but only one is returned, at rank 1: the
		// ideal counts all three, so a short list cannot score 1.
		{"short list", "R", 3, 1 / (1 + 1/l(3) + 1/l(4))},
		// Ranks past 10 do not count, and the ideal is capped at 10 ranks.
		{"rank 11 ignored", "..........R", 1, 0},
		{"hand computed", "R.R", 100, (1 + 0.5) / idealAt10()},
	} {
		if got := NDCGAt(ranking(c.ranking), c.relevant, 10); !near(got, c.want) {
			t.Errorf("%s: NDCGAt(%q, %d, 10) = %v, want %v", c.name, c.ranking, c.relevant, got, c.want)
		}
	}
}

// idealAt10 is the DCG of ten relevant documents, summed by hand.
func idealAt10() float64 {
	return 1 + 1/math.Log2(3) + 1/math.Log2(4) + 1/math.Log2(5) + 1/math.Log2(6) +
		1/math.Log2(7) + 1/math.Log2(8) + 1/math.Log2(9) + 1/math.Log2(10) + 1/math.Log2(11)
}

// Swapping a relevant document up never lowers nDCG, and moving it past k
// loses it: the discount is strictly decreasing.
func TestNDCGOrder(t *testing.T) {
	prev := 2.0
	for pos := 0; pos < 10; pos++ {
		r := make([]bool, 10)
		r[pos] = true
		got := NDCGAt(r, 5, 10)
		if got >= prev {
			t.Fatalf("nDCG with the relevant document at rank %d = %v, not below rank %d's %v", pos+1, got, pos, prev)
		}
		prev = got
	}
}

func TestSignFlipP(t *testing.T) {
	// Identical engines: nothing to see.
	if p := signFlipP(make([]float64, 50)); p != 1 {
		t.Errorf("all-zero differences: p = %v, want 1", p)
	}
	// One engine better on each of 20 queries: 2 of 2^20 sign patterns are
	// as extreme, so p is as small as the number of rounds allows.
	same := make([]float64, 20)
	for i := range same {
		same[i] = 0.1
	}
	if p := signFlipP(same); p > 0.001 {
		t.Errorf("consistent differences: p = %v, want < 0.001", p)
	}
	// Balanced wins and losses: no evidence either way.
	mixed := []float64{0.1, -0.1, 0.2, -0.2, 0.3, -0.3}
	if p := signFlipP(mixed); p < 0.9 {
		t.Errorf("balanced differences: p = %v, want about 1", p)
	}
}

func TestAveragePrecision(t *testing.T) {
	for _, c := range []struct {
		ranking  string
		relevant int
		want     float64
	}{
		{"R.R", 2, (1 + 2.0/3) / 2},
		{"R.R", 4, (1 + 2.0/3) / 4}, // two never retrieved count as 0
		{"..R", 1, 1.0 / 3},
		{"RRR", 3, 1},
		{"", 5, 0},
		{"R", 0, 0},
	} {
		if got := AveragePrecision(ranking(c.ranking), c.relevant); !near(got, c.want) {
			t.Errorf("AveragePrecision(%q, %d) = %v, want %v", c.ranking, c.relevant, got, c.want)
		}
	}
}

// Cross-validation scores each fold with the candidate chosen on the
// other folds: here x is best on the even queries and y on the odd, so
// with two folds each fold gets the candidate that suits it worst.
func TestCrossValidate(t *testing.T) {
	q := func(i int, x, y float64) QueryResult {
		return QueryResult{Query: string(rune('a' + i)), Engines: map[string]Scores{"x": {NDCG: x, P: x}, "y": {NDCG: y, P: y}, "base": {NDCG: 0.5}}}
	}
	grid := &Report{Engines: []string{"x", "y"}, Queries: []QueryResult{q(0, 1, 0), q(1, 0.2, 0.9), q(2, 1, 0), q(3, 0.2, 0.9)}}
	r := &Report{Engines: []string{"base"}, Mean: map[string]Scores{}}
	for _, gq := range grid.Queries {
		r.Queries = append(r.Queries, QueryResult{Query: gq.Query, Engines: map[string]Scores{"base": gq.Engines["base"]}})
	}
	if err := r.CrossValidate("cv", grid, 2); err != nil {
		t.Fatal(err)
	}
	// Fold 0 (queries 0, 2) is scored with y, chosen on queries 1 and 3;
	// fold 1 with x.
	if got := r.CrossValidated.Chosen; len(got) != 2 || got[0] != "y" || got[1] != "x" {
		t.Errorf("chosen %v, want [y x]", got)
	}
	if m := r.Mean["cv"].NDCG; !near(m, (0+0.2+0+0.2)/4) {
		t.Errorf("cross-validated nDCG %v, want 0.1", m)
	}
	if err := r.CrossValidate("cv2", grid, 1); err == nil {
		t.Error("one fold was accepted")
	}
}
