package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/folio-search/folio/internal/textnorm"

	"github.com/folio-search/folio/internal/ner"
)

// Word clusters give the tagger a notion of "words used alike" learned from
// plenty of unlabelled news, so a name never seen in the labelled data still
// looks like the names it shares contexts with. Folio builds them cheaply:
// each word is described by the words around it (positive PMI over
// positional contexts), reduced to a dense vector by a randomised SVD, and
// the vectors are split in two again and again (spherical 2-means), which
// gives every word a bit path whose prefixes are clusters at several
// granularities, as Brown clusters do.

// ClusterOptions control cluster learning.
type ClusterOptions struct {
	MinCount   int // words seen fewer times get no cluster
	Contexts   int // most frequent words used as context features
	Dim        int // SVD dimensions
	Depth      int // longest bit path
	Seed       int64
	Log        io.Writer
	MaxWorkers int
}

// ReadUnlabelled reads the title and body of every JSON Lines record in the
// files and returns their token streams, one slice per text.
func ReadUnlabelled(paths []string) ([][]string, error) {
	var out [][]string
	err := eachUnlabelled(paths, func(title, body string) {
		for _, text := range []string{title, body} {
			toks := ner.Tokenize(text)
			if len(toks) == 0 {
				continue
			}
			ws := make([]string, len(toks))
			for i, t := range toks {
				ws[i] = textnorm.Fold(t.Text)
			}
			out = append(out, ws)
		}
	})
	return out, err
}

// eachUnlabelled calls f with the title and body of every JSON Lines
// record in the files, in order.
func eachUnlabelled(paths []string, f func(title, body string)) error {
	for _, p := range paths {
		if err := eachUnlabelledIn(p, f); err != nil {
			return err
		}
	}
	return nil
}

func eachUnlabelledIn(path string, f func(title, body string)) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		var rec struct {
			Title string `json:"title"`
			Body  string `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		f(rec.Title, rec.Body)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

type sparseRow struct {
	col []int32
	val []float32
}

// LearnClusters returns a bit path for every word seen at least MinCount
// times in texts.
func LearnClusters(texts [][]string, o ClusterOptions) map[string]string {
	if o.MinCount == 0 {
		o.MinCount = 3
	}
	if o.Contexts == 0 {
		o.Contexts = 6000
	}
	if o.Dim == 0 {
		o.Dim = 100
	}
	if o.Depth == 0 {
		o.Depth = 16
	}
	if o.MaxWorkers == 0 {
		o.MaxWorkers = 2
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format, a...)
		}
	}
	words := frequentWords(texts, o.MinCount)
	id := make(map[string]int32, len(words))
	for i, w := range words {
		id[w] = int32(i)
	}
	nctx := min(o.Contexts, len(words))
	offsets := []int{-2, -1, 1, 2}
	dims := nctx*len(offsets) + len(offsets) // plus one "rare word" context per offset
	// Co-occurrence counts per target word.
	co := make([]map[int32]float32, len(words))
	for i := range co {
		co[i] = map[int32]float32{}
	}
	for _, t := range texts {
		for i, w := range t {
			r, ok := id[w]
			if !ok {
				continue
			}
			for k, off := range offsets {
				j := i + off
				var c int32
				if j < 0 || j >= len(t) {
					c = int32(nctx*len(offsets) + k)
				} else if x, ok := id[t[j]]; ok && int(x) < nctx {
					c = int32(k*nctx) + x
				} else {
					c = int32(nctx*len(offsets) + k)
				}
				co[r][c]++
			}
		}
	}
	// Positive PMI with context-distribution smoothing (counts^0.75).
	colSum := make([]float64, dims)
	var total float64
	rowSum := make([]float64, len(words))
	for r, m := range co {
		for c, v := range m {
			colSum[c] += float64(v)
			rowSum[r] += float64(v)
			total += float64(v)
		}
	}
	var smooth float64
	colP := make([]float64, dims)
	for c, v := range colSum {
		colP[c] = math.Pow(v, 0.75)
		smooth += colP[c]
	}
	for c := range colP {
		colP[c] /= smooth
	}
	rows := make([]sparseRow, len(words))
	nnz := 0
	for r, m := range co {
		cols := make([]int32, 0, len(m))
		for c := range m {
			cols = append(cols, c)
		}
		slices.Sort(cols)
		var sr sparseRow
		for _, c := range cols {
			pmi := math.Log(float64(m[c]) / total / (rowSum[r] / total * colP[c]))
			if pmi > 0 {
				sr.col = append(sr.col, c)
				sr.val = append(sr.val, float32(pmi))
			}
		}
		rows[r] = sr
		nnz += len(sr.col)
		co[r] = nil
	}
	logf("clusters: %d words, %d context dims, %d non-zeros\n", len(words), dims, nnz)

	emb := randomizedSVD(rows, dims, o.Dim, o.Seed, o.MaxWorkers)
	// Normalise rows: clusters compare directions.
	for _, e := range emb {
		var n float64
		for _, v := range e {
			n += v * v
		}
		if n = math.Sqrt(n); n > 0 {
			for k := range e {
				e[k] /= n
			}
		}
	}
	paths := make([][]byte, len(words))
	idx := make([]int, len(words))
	for i := range idx {
		idx[i] = i
	}
	bisect(emb, idx, paths, o.Depth)
	out := make(map[string]string, len(words))
	for i, w := range words {
		out[w] = string(paths[i])
	}
	logf("clusters: done\n")
	return out
}

// randomizedSVD returns rows of U*sqrt(S) for the top dim singular
// vectors of the sparse matrix (Halko et al.: range finder with power
// iterations, then an exact SVD of the small projected matrix).
func randomizedSVD(rows []sparseRow, ncol, dim int, seed int64, workers int) [][]float64 {
	k := dim + 16
	rng := rand.New(rand.NewSource(seed))
	omega := make([][]float64, ncol)
	for i := range omega {
		omega[i] = make([]float64, k)
		for j := range omega[i] {
			omega[i][j] = rng.NormFloat64()
		}
	}
	y := mulSparse(rows, omega, k, workers) // n x k
	for it := 0; it < 3; it++ {
		orthonormalize(y)
		z := mulSparseT(rows, y, ncol, k) // ncol x k
		orthonormalize(z)
		y = mulSparse(rows, z, k, workers)
	}
	orthonormalize(y)
	// B = Q^T A (k x ncol); B B^T = (A^T Q)^T (A^T Q).
	z := mulSparseT(rows, y, ncol, k)
	bbt := make([][]float64, k)
	for i := range bbt {
		bbt[i] = make([]float64, k)
	}
	for _, zr := range z {
		for i := 0; i < k; i++ {
			if zr[i] == 0 {
				continue
			}
			for j := 0; j < k; j++ {
				bbt[i][j] += zr[i] * zr[j]
			}
		}
	}
	vals, vecs := jacobiEigen(bbt)
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	out := make([][]float64, len(rows))
	for r := range out {
		e := make([]float64, dim)
		for d := 0; d < dim; d++ {
			col := order[d]
			s := math.Sqrt(math.Sqrt(math.Max(vals[col], 0))) // sqrt of singular value
			var v float64
			for j := 0; j < k; j++ {
				v += y[r][j] * vecs[j][col]
			}
			e[d] = v * s
		}
		out[r] = e
	}
	return out
}

func mulSparse(rows []sparseRow, m [][]float64, k, workers int) [][]float64 {
	out := make([][]float64, len(rows))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := w; r < len(rows); r += workers {
				o := make([]float64, k)
				sr := rows[r]
				for i, c := range sr.col {
					v := float64(sr.val[i])
					mr := m[c]
					for j := range o {
						o[j] += v * mr[j]
					}
				}
				out[r] = o
			}
		}(w)
	}
	wg.Wait()
	return out
}

func mulSparseT(rows []sparseRow, m [][]float64, ncol, k int) [][]float64 {
	out := make([][]float64, ncol)
	for i := range out {
		out[i] = make([]float64, k)
	}
	for r, sr := range rows {
		mr := m[r]
		for i, c := range sr.col {
			v := float64(sr.val[i])
			o := out[c]
			for j := range o {
				o[j] += v * mr[j]
			}
		}
	}
	return out
}

// orthonormalize makes the columns of m orthonormal (modified Gram-Schmidt).
func orthonormalize(m [][]float64) {
	if len(m) == 0 {
		return
	}
	k := len(m[0])
	for j := 0; j < k; j++ {
		for p := 0; p < j; p++ {
			var d float64
			for _, r := range m {
				d += r[j] * r[p]
			}
			for _, r := range m {
				r[j] -= d * r[p]
			}
		}
		var n float64
		for _, r := range m {
			n += r[j] * r[j]
		}
		n = math.Sqrt(n)
		if n < 1e-12 {
			continue
		}
		for _, r := range m {
			r[j] /= n
		}
	}
}

// jacobiEigen diagonalises a symmetric matrix (cyclic Jacobi rotations) and
// returns its eigenvalues and eigenvectors (as columns).
func jacobiEigen(a [][]float64) ([]float64, [][]float64) {
	n := len(a)
	v := make([][]float64, n)
	for i := range v {
		v[i] = make([]float64, n)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off float64
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				off += a[i][j] * a[i][j]
			}
		}
		if off < 1e-18 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				if math.Abs(a[p][q]) < 1e-300 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * a[p][q])
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k][p], a[k][q]
					a[k][p] = c*akp - s*akq
					a[k][q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p][k], a[q][k]
					a[p][k] = c*apk - s*aqk
					a[q][k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k][p], v[k][q]
					v[k][p] = c*vkp - s*vkq
					v[k][q] = s*vkp + c*vkq
				}
			}
		}
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = a[i][i]
	}
	return vals, v
}

// bisect splits idx into two by spherical 2-means, appends a bit to each
// member's path, and recurses until depth runs out or a group is tiny.
func bisect(emb [][]float64, idx []int, paths [][]byte, depth int) {
	if depth == 0 || len(idx) < 4 {
		return
	}
	dim := len(emb[idx[0]])
	// Seeds: the first (most frequent) member, and the member least like it.
	c0 := slices.Clone(emb[idx[0]])
	far, fd := idx[len(idx)-1], math.Inf(1)
	for _, i := range idx {
		if d := dot(emb[i], c0); d < fd {
			far, fd = i, d
		}
	}
	c1 := slices.Clone(emb[far])
	side := make([]bool, len(idx))
	for it := 0; it < 12; it++ {
		changed := false
		s0, s1 := make([]float64, dim), make([]float64, dim)
		for k, i := range idx {
			one := dot(emb[i], c1) > dot(emb[i], c0)
			if one != side[k] || it == 0 {
				changed = true
			}
			side[k] = one
			s := s0
			if one {
				s = s1
			}
			for d, v := range emb[i] {
				s[d] += v
			}
		}
		c0, c1 = normalized(s0), normalized(s1)
		if !changed {
			break
		}
	}
	var a, b []int
	for k, i := range idx {
		if side[k] {
			paths[i] = append(paths[i], '1')
			b = append(b, i)
		} else {
			paths[i] = append(paths[i], '0')
			a = append(a, i)
		}
	}
	if len(a) == 0 || len(b) == 0 {
		return
	}
	bisect(emb, a, paths, depth-1)
	bisect(emb, b, paths, depth-1)
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func normalized(v []float64) []float64 {
	n := math.Sqrt(dot(v, v))
	if n > 0 {
		for i := range v {
			v[i] /= n
		}
	}
	return v
}

// frequentWords lists the words seen at least minCount times in texts, most
// frequent first and ties by spelling (a fixed order makes what is learnt
// from them reproducible).
func frequentWords(texts [][]string, minCount int) []string {
	counts := map[string]int{}
	for _, t := range texts {
		for _, w := range t {
			counts[w]++
		}
	}
	words := make([]string, 0, len(counts))
	for w, c := range counts {
		if c >= minCount {
			words = append(words, w)
		}
	}
	sort.Slice(words, func(i, j int) bool {
		ci, cj := counts[words[i]], counts[words[j]]
		if ci != cj {
			return ci > cj
		}
		return words[i] < words[j]
	})
	return words
}
