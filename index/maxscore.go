package index

import (
	"bytes"
	"context"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A ranked AND of plain words carries optional clauses that only add to
// the score: the words close together (proximity), all of them in the
// headline. The proximity clause reads the positions of every word in
// every matching article, which for two common words of a large archive
// is most of the search ("year increase" at a million articles: 217 ms
// with it, 71 ms without). Most of those articles cannot reach the page
// whatever the clause adds: their own score plus the most the optional
// clauses can give is below the lowest score the collector keeps. Such
// an article is scored without them (MaxScore, as in Lucene's and other
// engines' top-k retrieval): the hits kept, their scores and their order
// are exactly those of the full evaluation, and every match is still
// counted and faceted.

// scoreBounder is a searcher that knows a score it never reaches.
type scoreBounder interface {
	scoreBound() float64
}

// scoreFloor is the lowest score the hit collector of a search still
// keeps, once it holds its n hits; a match scoring below it is dropped.
type scoreFloor struct {
	score float64
	set   bool
}

type scoreFloorKey struct{}

// maxScoreQuery is Bleve's boolean query of must, must-not and should
// clauses, scored the same, whose should clauses are skipped for
// articles that cannot reach the kept hits. Only the root of a search
// compares with the collector's floor: a clause nested in another adds
// to a score that is not the one collected.
type maxScoreQuery struct {
	must, mustNot, should []bq.Query
	root                  bool
	skipped               int // articles scored without the should clauses, by its last searcher
}

func (q *maxScoreQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	mustS, err := bq.NewConjunctionQuery(q.must).Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	should := &shouldSearcher{must: &observedSearcher{Searcher: mustS}, skipped: &q.skipped}
	for _, sq := range q.should {
		s, err := sq.Searcher(ctx, r, m, opt)
		if err != nil {
			mustS.Close()
			should.Close()
			return nil, err
		}
		should.kids = append(should.kids, s)
	}
	if _, none := mustS.(*searcher.MatchNoneSearcher); none {
		// As Bleve's boolean query does.
		mustS.Close()
		return searcher.NewDisjunctionSearcher(ctx, r, should.kids, 0, opt)
	}
	// Bleve's disjunction reads its clauses in the order of their counts,
	// and sums their scores in that order.
	sort.SliceStable(should.kids, func(i, j int) bool { return should.kids[i].Count() < should.kids[j].Count() })
	n := len(should.kids)
	should.curr, should.done, should.cheap = make([]*bsearch.DocumentMatch, n), make([]bool, n), make([]bool, n)
	costly := false
	floor, _ := ctx.Value(scoreFloorKey{}).(*scoreFloor)
	for i, k := range should.kids {
		switch k.(type) {
		case *boundedSearcher: // the headline's few postings: always read
			should.cheap[i] = true
		case scoreBounder:
			costly = true
		default:
			floor = nil // a costly clause without a bound
		}
	}
	if q.root && costly {
		should.floor = floor // else nothing may, or is worth, skipping
	}
	var mustNot bsearch.Searcher
	if len(q.mustNot) > 0 {
		// As Bleve's boolean query builds its exclusions.
		if mustNot, err = bq.NewDisjunctionQuery(q.mustNot).Searcher(ctx, r, m, opt); err != nil {
			mustS.Close()
			should.Close()
			return nil, err
		}
		if _, none := mustNot.(*searcher.MatchNoneSearcher); none {
			mustNot = nil
		}
	}
	q.skipped = 0
	return searcher.NewBooleanSearcher(ctx, r, should.must, should, mustNot, opt)
}

// observedSearcher passes on its searcher's matches and remembers the
// last one's document and score.
type observedSearcher struct {
	bsearch.Searcher
	id    []byte
	score float64
}

func (s *observedSearcher) seen(d *bsearch.DocumentMatch) {
	if d != nil {
		s.id = append(s.id[:0], d.IndexInternalID...)
		s.score = d.Score
	}
}

func (s *observedSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	s.seen(d)
	return d, err
}

func (s *observedSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	s.seen(d)
	return d, err
}

// shouldSearcher is the should side of a maxScoreQuery: Bleve's
// disjunction of the should clauses with no minimum, scored the same (the
// matched clauses' sum, in the order of their counts, times the share of
// clauses matched), but read only at the documents the boolean searcher
// asks for, the must side's matches, and never ahead of them. It answers
// every document it is asked for, with 0 where no clause matches, which
// the boolean searcher adds to the must side's score as nothing.
//
// Where the must side's score plus the most the clauses can add (the
// headline clauses at their actual scores, the costly ones at their
// bounds) stays below the collector's floor, it reads no costly clause and
// answers 0: the article is dropped, as it would have been.
type shouldSearcher struct {
	must    *observedSearcher
	kids    []bsearch.Searcher
	cheap   []bool // the headline clauses, read for every document
	curr    []*bsearch.DocumentMatch
	done    []bool
	floor   *scoreFloor // nil: never skip
	bounds  []float64   // per costly kid, once known
	skipped *int
}

func (s *shouldSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	// Asked once, before any document: a match before every document,
	// adding nothing, so that each document after is asked by Advance.
	return s.match(ctx, nil, 0), nil
}

func (s *shouldSearcher) match(ctx *bsearch.SearchContext, id bindex.IndexInternalID, score float64) *bsearch.DocumentMatch {
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = append(d.IndexInternalID[:0], id...)
	d.Score = score
	return d
}

// moveTo advances kid i to id unless it is there or past it already.
func (s *shouldSearcher) moveTo(ctx *bsearch.SearchContext, i int, id bindex.IndexInternalID) error {
	if s.done[i] || (s.curr[i] != nil && s.curr[i].IndexInternalID.Compare(id) >= 0) {
		return nil
	}
	if s.curr[i] != nil {
		ctx.DocumentMatchPool.Put(s.curr[i])
	}
	d, err := s.kids[i].Advance(ctx, id)
	if err != nil {
		return err
	}
	s.curr[i], s.done[i] = d, d == nil
	return nil
}

func (s *shouldSearcher) at(i int, id bindex.IndexInternalID) bool {
	return s.curr[i] != nil && s.curr[i].IndexInternalID.Equals(id)
}

func (s *shouldSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	for i := range s.kids {
		if s.cheap[i] {
			if err := s.moveTo(ctx, i, id); err != nil {
				return nil, err
			}
		}
	}
	if s.floor != nil && s.floor.set && bytes.Equal(s.must.id, id) {
		if s.bounds == nil {
			// Bounds hold once the query norms are set, after the
			// searchers are built; so they are read at first use.
			s.bounds = make([]float64, len(s.kids))
			for i, k := range s.kids {
				if !s.cheap[i] {
					s.bounds[i] = k.(scoreBounder).scoreBound()
				}
			}
		}
		most, n := 0.0, 0
		for i := range s.kids {
			switch {
			case !s.cheap[i]:
				most += s.bounds[i]
				n++
			case s.at(i, id):
				most += s.curr[i].Score
				n++
			}
		}
		// A margin covers sums taken in another order.
		if (s.must.score+most*float64(n)/float64(len(s.kids)))*(1+1e-9) < s.floor.score {
			*s.skipped++
			return s.match(ctx, id, 0), nil
		}
	}
	for i := range s.kids {
		if !s.cheap[i] {
			if err := s.moveTo(ctx, i, id); err != nil {
				return nil, err
			}
		}
	}
	sum, matched := 0.0, 0
	for i := range s.kids {
		if s.at(i, id) {
			sum += s.curr[i].Score
			matched++
		}
	}
	if matched == 0 {
		return s.match(ctx, id, 0), nil
	}
	return s.match(ctx, id, sum*float64(matched)/float64(len(s.kids))), nil
}

func (s *shouldSearcher) Weight() float64 {
	w := 0.0
	for _, k := range s.kids {
		w += k.Weight()
	}
	return w
}

func (s *shouldSearcher) SetQueryNorm(n float64) {
	for _, k := range s.kids {
		k.SetQueryNorm(n)
	}
}

func (s *shouldSearcher) Count() uint64 {
	var n uint64
	for _, k := range s.kids {
		n += k.Count()
	}
	return n
}

func (s *shouldSearcher) Size() int {
	n := 64
	for _, k := range s.kids {
		n += k.Size()
	}
	return n
}

func (s *shouldSearcher) DocumentMatchPoolSize() int {
	n := 2
	for _, k := range s.kids {
		n += k.DocumentMatchPoolSize()
	}
	return n
}

func (s *shouldSearcher) Close() error {
	var first error
	for _, k := range s.kids {
		if err := k.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *shouldSearcher) Min() int { return 0 }

// allTermsQuery matches the documents holding every one of its terms,
// scored by the sum of their BM25 scores, as Bleve's conjunction of them
// would, and knows the bound of that sum.
type allTermsQuery struct {
	terms []*bm25TermQuery
}

func (q *allTermsQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	kids := make([]bsearch.Searcher, 0, len(q.terms))
	bound := 0.0
	for _, t := range q.terms {
		s, err := t.Searcher(ctx, r, m, opt)
		if err != nil {
			for _, k := range kids {
				k.Close()
			}
			return nil, err
		}
		kids = append(kids, s)
		bound += s.(*bm25Searcher).scoreBound()
	}
	cs, err := searcher.NewConjunctionSearcher(ctx, r, kids, opt)
	if err != nil {
		return nil, err
	}
	return &boundedSearcher{Searcher: cs, bound: bound}, nil
}

// boundedSearcher is a searcher with a known bound on its scores.
type boundedSearcher struct {
	bsearch.Searcher
	bound float64
}

func (s *boundedSearcher) scoreBound() float64 { return s.bound }

// scoreBound of a BM25 term: the saturation f(k1+1)/(f+k1·norm) stays
// below k1+1, the length norm being positive.
func (s *bm25Searcher) scoreBound() float64 { return math.Abs(s.weight) * (s.bm25.k1 + 1) }
