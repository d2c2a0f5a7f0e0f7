package index

import (
	"context"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Bleve's phrase searcher has no slop, so a phrase with slop ("a b"~3) is
// Folio's own query: a conjunction of its terms, with term vectors, whose
// matches are kept only when the positions of the words satisfy the slop.
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

func (q *sloppyPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	opt.IncludeTermVectors = true // positions are what we check
	boost := q.boost
	if boost == 0 {
		boost = 1
	}
	var terms []search.Searcher
	seen := map[string]bool{}
	for _, w := range q.words {
		if seen[w] {
			continue // a repeated word needs one term searcher; its positions serve each use
		}
		seen[w] = true
		ts, err := searcher.NewTermSearcher(ctx, r, w, q.field, boost, opt)
		if err != nil {
			for _, s := range terms {
				s.Close()
			}
			return nil, err
		}
		terms = append(terms, ts)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, terms, opt)
	if err != nil {
		for _, s := range terms {
			s.Close()
		}
		return nil, err
	}
	return &sloppySearcher{must: must, words: q.words, slop: q.slop}, nil
}

// sloppySearcher filters the documents of a conjunction by word positions.
type sloppySearcher struct {
	must  search.Searcher
	words []string
	slop  int
}

func (s *sloppySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		dm, err := s.must.Next(ctx)
		if err != nil || dm == nil {
			return dm, err
		}
		if s.accept(dm) {
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *sloppySearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.must.Advance(ctx, id)
	if err != nil || dm == nil {
		return dm, err
	}
	if s.accept(dm) {
		return dm, nil
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// accept reports whether the document's word positions satisfy the slop.
func (s *sloppySearcher) accept(dm *search.DocumentMatch) bool {
	positions := map[string][]int{}
	for _, ftl := range dm.FieldTermLocations {
		positions[ftl.Term] = append(positions[ftl.Term], int(ftl.Location.Pos))
	}
	for _, p := range positions {
		sort.Ints(p)
	}
	return len(sloppyMatches(s.words, positions, s.slop, true)) > 0
}

func (s *sloppySearcher) Close() error               { return s.must.Close() }
func (s *sloppySearcher) Weight() float64            { return s.must.Weight() }
func (s *sloppySearcher) SetQueryNorm(n float64)     { s.must.SetQueryNorm(n) }
func (s *sloppySearcher) Count() uint64              { return s.must.Count() } // an upper bound, as for phrases
func (s *sloppySearcher) Min() int                   { return 0 }
func (s *sloppySearcher) Size() int                  { return s.must.Size() + 64 }
func (s *sloppySearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() }

// sloppyMatches finds the occurrences of a phrase given the sorted
// positions of each of its words. Each result lists the chosen position of
// every word, in phrase order. With first set it stops at the first.
// Occurrences are found by trying each possible smallest p_i - i (the
// anchor) in turn and picking, for every word, a position in the window
// [anchor+i, anchor+i+slop]; repeated words are given distinct positions
// by backtracking.
func sloppyMatches(words []string, positions map[string][]int, slop int, first bool) [][]int {
	n := len(words)
	if n == 0 {
		return nil
	}
	anchors := map[int]bool{}
	for i, w := range words {
		for _, p := range positions[w] {
			anchors[p-i] = true
		}
	}
	sorted := make([]int, 0, len(anchors))
	for a := range anchors {
		sorted = append(sorted, a)
	}
	sort.Ints(sorted)

	var out [][]int
	chosen := make([]int, n)
	used := map[int]bool{}
	var place func(i, anchor int) bool
	place = func(i, anchor int) bool {
		if i == n {
			return true
		}
		ps := positions[words[i]]
		lo := sort.SearchInts(ps, anchor+i)
		for k := lo; k < len(ps) && ps[k] <= anchor+i+slop; k++ {
			if used[ps[k]] {
				continue
			}
			used[ps[k]] = true
			chosen[i] = ps[k]
			ok := place(i+1, anchor)
			delete(used, ps[k])
			if ok {
				return true
			}
		}
		return false
	}
	for _, a := range sorted {
		if place(0, a) {
			out = append(out, append([]int(nil), chosen...))
			if first {
				return out
			}
		}
	}
	return out
}
