package train

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// Exchange classes: a second, flat clustering of words, by the class bigram
// model of Brown et al. that Brown clusters also maximise, found by the
// exchange algorithm (Kneser and Ney; Martin, Liermann and Ney): every word
// in turn moves to the class that most raises the likelihood of the text
// under P(w_i | w_{i-1}) = P(c(w_i) | c(w_{i-1})) P(w_i | c(w_i)). Where
// the SVD clusters compare the windows words stand in, these compare the
// words before and after only, in another way; the tagger gets both.

// ExchangeOptions control exchange clustering.
type ExchangeOptions struct {
	Classes  int // number of classes
	MinCount int // rarer words share one pseudo-word
	Iters    int // passes over the vocabulary at most
	Log      io.Writer
}

// LearnExchangeClasses returns a class (1..Classes) for every word seen at
// least MinCount times in texts. It is deterministic.
func LearnExchangeClasses(texts [][]string, o ExchangeOptions) map[string]uint16 {
	if o.Classes <= 0 {
		o.Classes = 500
	}
	if o.MinCount <= 0 {
		o.MinCount = 3
	}
	if o.Iters <= 0 {
		o.Iters = 10
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format, a...)
		}
	}
	words := frequentWords(texts, o.MinCount)
	// Ids: 0 the text boundary, 1 the rare words, then the words by
	// frequency.
	const bound, rare = 0, 1
	id := make(map[string]int32, len(words))
	for i, w := range words {
		id[w] = int32(i + 2)
	}
	nw := len(words) + 2
	uni := make([]int64, nw)
	pairs := map[uint64]int32{}
	key := func(a, b int32) uint64 { return uint64(a)<<32 | uint64(b) }
	seq := make([]int32, 0, 1024)
	for _, t := range texts {
		seq = append(seq[:0], bound)
		for _, w := range t {
			x, ok := id[w]
			if !ok {
				x = rare
			}
			seq = append(seq, x)
		}
		seq = append(seq, bound)
		for i, x := range seq {
			if i > 0 {
				uni[x]++ // the boundary is counted once per text
				pairs[key(seq[i-1], x)]++
			}
		}
	}
	// Neighbour lists, right and left, sorted for determinism.
	type nb struct {
		w int32
		n int32
	}
	right := make([][]nb, nw)
	left := make([][]nb, nw)
	pk := make([]uint64, 0, len(pairs))
	for k := range pairs {
		pk = append(pk, k)
	}
	slices.Sort(pk)
	for _, k := range pk {
		a, b, n := int32(k>>32), int32(uint32(k)), pairs[k]
		if a == b {
			continue // self pairs are left out of the moves' arithmetic
		}
		right[a] = append(right[a], nb{b, n})
		left[b] = append(left[b], nb{a, n})
	}
	pairs = nil
	nc := o.Classes + 1 // class 0 holds the boundary alone
	cls := make([]int32, nw)
	for w := 1; w < nw; w++ {
		cls[w] = int32(1 + (w-1)%(nc-1))
	}
	n2 := make([]int64, nc*nc)  // n2[a*nc+b]: class bigrams a b
	n2t := make([]int64, nc*nc) // transposed
	n1 := make([]int64, nc)
	for w := 0; w < nw; w++ {
		n1[cls[w]] += uni[w]
		for _, r := range right[w] {
			n2[int(cls[w])*nc+int(cls[r.w])] += int64(r.n)
		}
	}
	for a := 0; a < nc; a++ {
		for b := 0; b < nc; b++ {
			n2t[b*nc+a] = n2[a*nc+b]
		}
	}
	const tab = 1 << 22
	xlx := make([]float64, tab)
	for i := 1; i < tab; i++ {
		xlx[i] = float64(i) * math.Log(float64(i))
	}
	f := func(x int64) float64 {
		if x < tab {
			return xlx[x]
		}
		return float64(x) * math.Log(float64(x))
	}
	rc := make([]int64, nc)
	lc := make([]int64, nc)
	var rt, lt []int32
	for it := 0; it < o.Iters; it++ {
		moves := 0
		for w := 1; w < nw; w++ {
			a := int(cls[w])
			rt, lt = rt[:0], lt[:0]
			for _, r := range right[w] {
				c := cls[r.w]
				if rc[c] == 0 {
					rt = append(rt, c)
				}
				rc[c] += int64(r.n)
			}
			for _, l := range left[w] {
				c := cls[l.w]
				if lc[c] == 0 {
					lt = append(lt, c)
				}
				lc[c] += int64(l.n)
			}
			// Take the word out of its class.
			for _, c := range rt {
				n2[a*nc+int(c)] -= rc[c]
				n2t[int(c)*nc+a] -= rc[c]
			}
			for _, c := range lt {
				n2t[a*nc+int(c)] -= lc[c]
				n2[int(c)*nc+a] -= lc[c]
			}
			n1[a] -= uni[w]
			best, bestD := a, math.Inf(-1)
			nw := uni[w]
			for b := 1; b < nc; b++ {
				row, rowT := n2[b*nc:(b+1)*nc], n2t[b*nc:(b+1)*nc]
				d := -2 * (f(n1[b]+nw) - f(n1[b]))
				for _, c := range rt {
					x := row[c]
					d += f(x+rc[c]) - f(x)
				}
				for _, c := range lt {
					x := rowT[c]
					d += f(x+lc[c]) - f(x)
				}
				if d > bestD+1e-9 || (b == a && d >= bestD-1e-9) {
					best, bestD = b, d
				}
			}
			if best != a {
				moves++
			}
			b := best
			for _, c := range rt {
				n2[b*nc+int(c)] += rc[c]
				n2t[int(c)*nc+b] += rc[c]
				rc[c] = 0
			}
			for _, c := range lt {
				n2t[b*nc+int(c)] += lc[c]
				n2[int(c)*nc+b] += lc[c]
				lc[c] = 0
			}
			n1[b] += uni[w]
			cls[w] = int32(b)
		}
		logf("exchange: pass %d, %d words moved\n", it+1, moves)
		if moves*1000 < nw {
			break
		}
	}
	out := make(map[string]uint16, len(words))
	for i, w := range words {
		out[w] = uint16(cls[i+2])
	}
	return out
}
