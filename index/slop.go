package index

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Bleve's phrase searcher has no slop, so a phrase with slop ("a b"~3) is
// Folio's own query: the documents holding all its words, whose matches
// are kept only when the positions of the words satisfy the slop.
//
// The slop rule is Lucene's: with word i of the phrase at position p_i, the
// values p_i - i must all lie within slop of each other. Slop 1 lets one
// word stray by one position; swapping two adjacent words takes slop 2.
// A word repeated in the phrase needs a distinct occurrence for each use.

// sloppyPhraseQuery matches words within slop positions in one field.
type sloppyPhraseQuery struct {
	field string
	words []string
	slop  int
	boost float64
}

func (q *sloppyPhraseQuery) SetBoost(b float64) { q.boost = b }
func (q *sloppyPhraseQuery) Boost() float64     { return q.boost }

func (q *sloppyPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	boost := q.boost
	if boost == 0 {
		boost = 1
	}
	docs, avgLen, err := termScoreMetrics(ctx, r, q.field)
	if err != nil {
		return nil, err
	}
	s := &sloppySearcher{pos: make([][]int, len(q.words)), match: newSlopMatcher(q.words, q.slop), boost: boost, docs: docs, avgLen: avgLen}
	s.meter = newMeter(ctx)
	if s.word, err = s.open(ctx, r, q.field, q.words); err != nil {
		return nil, err
	}
	s.wordPos = make([][]int, len(s.postings))
	s.scorers = make([]*scorer.TermQueryScorer, len(s.postings))
	for i, k := range s.word {
		if s.scorers[k] == nil {
			s.scorers[k] = scorer.NewTermQueryScorer([]byte(q.words[i]), q.field, boost, docs, s.postings[k].reader.Count(), avgLen, opt)
		}
	}
	s.sortRarestFirst()
	// Scores are those of Bleve's conjunction of term searchers, which
	// this searcher replaced: each word scored by Bleve's term scorer,
	// normalised together, summed in the conjunction's order.
	s.scoreOrder = make(byCount, len(s.postings))
	for k := range s.scoreOrder {
		s.scoreOrder[k] = k
	}
	s.counts = make([]uint64, len(s.postings))
	for k, p := range s.postings {
		s.counts[k] = p.reader.Count()
	}
	sort.Sort(countOrder{s.scoreOrder, s.counts})
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// termScoreMetrics are the document count and average field length with
// which Bleve's term searcher scores a term of field.
func termScoreMetrics(ctx context.Context, r bindex.IndexReader, field string) (uint64, float64, error) {
	model := ""
	if f, ok := ctx.Value(bsearch.GetScoringModelCallbackKey).(bsearch.GetScoringModelCallbackFn); ok {
		model = f()
	}
	if model != bindex.BM25Scoring {
		n, err := r.DocCount()
		return n, 0, err
	}
	var count uint64
	var cardinality int
	if st, ok := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok {
		count, cardinality = uint64(st.DocCount), st.FieldCardinality[field]
	} else {
		var err error
		if count, err = r.DocCount(); err != nil {
			return 0, 0, err
		}
		if br, ok := r.(bindex.BM25Reader); ok {
			if cardinality, err = br.FieldCardinality(field); err != nil {
				return 0, 0, err
			}
		}
	}
	if count == 0 {
		return 0, 0, nil
	}
	return count, math.Ceil(float64(cardinality) / float64(count)), nil
}

type byCount []int

// countOrder sorts word indexes by document count, as Bleve's conjunction
// orders its searchers (sort.Sort, so ties fall as they fall there).
type countOrder struct {
	order  byCount
	counts []uint64
}

func (o countOrder) Len() int           { return len(o.order) }
func (o countOrder) Less(i, j int) bool { return o.counts[o.order[i]] < o.counts[o.order[j]] }
func (o countOrder) Swap(i, j int)      { o.order[i], o.order[j] = o.order[j], o.order[i] }

// sloppySearcher walks the postings of a phrase's words in step, as the
// exact phrase searcher does, and keeps the documents where the words'
// positions satisfy the slop.
type sloppySearcher struct {
	postingsWalk
	word       []int    // phrase word i -> its postings
	positions  []uint64 // one word's positions, as read (appendPositions)
	wordPos    [][]int  // per distinct word, its positions in the current document
	pos        [][]int  // per phrase word, the positions of its word
	match      *slopMatcher
	scorers    []*scorer.TermQueryScorer // per distinct word
	scoreOrder byCount
	counts     []uint64
	// What the scorers were made with, for scoreBound.
	boost, avgLen, queryNorm float64
	docs                     uint64
}

// scoreBound is above any score of the searcher: each word's term score
// is idf · sat · queryWeight, where Bleve's saturation sat stays below k1
// for BM25 (√f·k1 / (√f + k1·norm)) and below 1 otherwise (√f/√len), and
// its queryWeight is boost · idf · queryNorm.
func (s *sloppySearcher) scoreBound() float64 {
	sat := math.Max(bsearch.BM25_k1, 1)
	bound := 0.0
	for _, n := range s.counts {
		var idf float64
		if s.avgLen > 0 {
			idf = math.Log(1 + (float64(s.docs)-float64(n)+0.5)/(float64(n)+0.5))
		} else {
			idf = 1 + math.Log(float64(s.docs)/float64(n+1))
		}
		bound += math.Abs(idf) * sat * math.Abs(s.boost*idf*s.queryNorm)
	}
	return bound
}

func (s *sloppySearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.find(ctx, nil)
}

func (s *sloppySearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.find(ctx, id)
}

func (s *sloppySearcher) find(ctx *bsearch.SearchContext, target bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	ok, err := s.next(target, s.accept)
	if !ok || err != nil {
		return nil, err
	}
	return s.score(ctx), nil
}

// accept reports whether the current document's word positions satisfy
// the slop.
func (s *sloppySearcher) accept() (bool, error) {
	visited := 0
	for k, p := range s.postings {
		s.positions = appendPositions(s.positions[:0], p.at.Vectors)
		ps := s.wordPos[k][:0]
		for _, pos := range s.positions {
			ps = append(ps, int(pos))
		}
		slices.Sort(ps) // in order already, but a merged segment need not promise it
		s.wordPos[k] = ps
		visited += len(ps)
	}
	for i, k := range s.word {
		s.pos[i] = s.wordPos[k]
	}
	if err := s.meter.step(0, visited); err != nil {
		return false, err
	}
	found := false
	err := s.match.each(s.pos, s.meter, func([]int) bool {
		found = true
		return false
	})
	return found, err
}

// score is the document's score as Bleve's conjunction gave it: the sum,
// in the conjunction's order, of each word's term score.
func (s *sloppySearcher) score(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	sum := 0.0
	for _, k := range s.scoreOrder {
		at := s.postings[k].at
		tfd := bindex.TermFieldDoc{ID: at.ID, Freq: at.Freq, Norm: at.Norm} // no vectors: no locations to copy
		dm := s.scorers[k].Score(ctx, &tfd)
		sum += dm.Score
		ctx.DocumentMatchPool.Put(dm)
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bindex.NewIndexInternalIDFrom(dm.IndexInternalID, s.order[0].at.ID)
	dm.Score = sum
	return dm
}

func (s *sloppySearcher) Weight() float64 {
	w := 0.0
	for _, k := range s.scoreOrder {
		w += s.scorers[k].Weight()
	}
	return w
}

func (s *sloppySearcher) SetQueryNorm(n float64) {
	s.queryNorm = n
	for _, sc := range s.scorers {
		sc.SetQueryNorm(n)
	}
}

func (s *sloppySearcher) Count() uint64              { return s.order[0].reader.Count() } // an upper bound, as for phrases
func (s *sloppySearcher) Min() int                   { return 0 }
func (s *sloppySearcher) DocumentMatchPoolSize() int { return len(s.postings) + 1 }
func (s *sloppySearcher) Close() error               { return s.close() }

func (s *sloppySearcher) Size() int {
	n := 64
	for _, p := range s.postings {
		n += p.reader.Size()
	}
	return n
}

// slopMatcher finds the occurrences of a phrase with slop among the
// positions of its words, in time polynomial in the positions.
//
// Fix the smallest value a of p_i - i (the anchor): every word i must then
// take a position in its window [a+i, a+i+slop]. Words of the phrase that
// differ hold disjoint positions, so only the uses of one word compete.
// Their windows have the same length and start in the order of the uses,
// so giving each use in turn the earliest position left in its window
// finds distinct positions whenever any exist: if the earliest free
// position q of use j's window goes to a later use j' in some assignment
// while j takes x > q, then x lies in j' 's window too (x > q >= a+j' and
// x <= a+j+slop < a+j'+slop), and swapping the two keeps the assignment
// valid. The same exchange shows that this greedy choice is the smallest
// assignment in phrase order, the one a backtracking search tries first.
//
// The greedy positions never decrease as the anchor grows, so one cursor
// per phrase word serves every anchor. A word that cannot fit its window
// moves the anchor to the first value where its next position fits; an
// occurrence found at anchor a is the occurrence of every anchor up to the
// smallest p_i - i it chose, so the next anchor tried is one past that.
// Each failure of word i is at a later position of that word than the one
// before, and each occurrence has a larger smallest p_i - i, so a document
// costs O(n·P) steps for a phrase of n words whose words hold P positions.
type slopMatcher struct {
	slop   int
	prev   []int // per phrase word, the previous use of the same word, or -1
	uses   []int // per phrase word, how many times its word is used
	cursor []int // per phrase word, where its scan of positions stands
	chosen []int // per phrase word, its position in the occurrence at hand
}

func newSlopMatcher(words []string, slop int) *slopMatcher {
	n := len(words)
	m := &slopMatcher{slop: slop, prev: make([]int, n), uses: make([]int, n), cursor: make([]int, n), chosen: make([]int, n)}
	last := map[string]int{}
	count := map[string]int{}
	for i, w := range words {
		m.prev[i] = -1
		if j, ok := last[w]; ok {
			m.prev[i] = j
		}
		last[w] = i
		count[w]++
	}
	for i, w := range words {
		m.uses[i] = count[w]
	}
	return m
}

// each calls yield with the position of every phrase word for each
// occurrence, by increasing smallest p_i - i, until yield returns false.
// pos[i] holds the sorted positions of phrase word i (the uses of one word
// share them). Its steps are counted by mt, which may stop it with the
// context's error.
func (m *slopMatcher) each(pos [][]int, mt *meter, yield func(chosen []int) bool) error {
	n := len(pos)
	if n == 0 {
		return nil
	}
	a := math.MaxInt
	for i, ps := range pos {
		if len(ps) < m.uses[i] {
			return nil // too few occurrences for the uses of a word
		}
		a = min(a, ps[0]-i)
	}
	clear(m.cursor)
	for {
		steps, ok := 0, true
		for i := 0; i < n; i++ {
			ps := pos[i]
			lo := a + i
			if j := m.prev[i]; j >= 0 {
				lo = max(lo, m.chosen[j]+1)
			}
			c := m.cursor[i]
			for c < len(ps) && ps[c] < lo {
				c++
			}
			steps += 1 + c - m.cursor[i]
			m.cursor[i] = c
			if c == len(ps) {
				return mt.step(0, steps) // no larger anchor can place this word either
			}
			if ps[c] > a+i+m.slop {
				a = ps[c] - i - m.slop // the first anchor whose window holds it
				ok = false
				break
			}
			m.chosen[i] = ps[c]
		}
		if err := mt.step(0, steps); err != nil {
			return err
		}
		if !ok {
			continue
		}
		if !yield(m.chosen) {
			return nil
		}
		least := m.chosen[0]
		for i, p := range m.chosen {
			least = min(least, p-i)
		}
		a = least + 1
	}
}

// sloppyMatches finds the occurrences of a phrase given the sorted
// positions of each of its words: for every anchor (smallest p_i - i)
// with an occurrence, the chosen position of every word, in phrase order.
// With first set it stops at the first. mt (nil for none) counts the work
// and may stop it with the context's error.
func sloppyMatches(words []string, positions map[string][]int, slop int, first bool, mt *meter) ([][]int, error) {
	pos := make([][]int, len(words))
	for i, w := range words {
		pos[i] = positions[w]
	}
	var out [][]int
	err := newSlopMatcher(words, slop).each(pos, mt, func(chosen []int) bool {
		out = append(out, append([]int(nil), chosen...))
		return !first
	})
	return out, err
}
