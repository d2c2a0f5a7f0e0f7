package index

import (
	"bytes"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Exact phrases are Folio's own searcher. Bleve's phrase searcher runs a
// conjunction of term searchers and, for every document holding all the
// words, builds maps of every word's locations before it compares
// positions; on common words ("said it") that was most of a phrase query's
// time. This one walks the words' postings in step, rarest first, and
// compares the position lists the postings already hold. A match scores
// as one BM25 term whose frequency is the phrase's and whose idf is the
// sum of its words', as Lucene scores phrases.

// exactPhraseQuery matches words at consecutive positions in one field.
type exactPhraseQuery struct {
	field string
	words []string // two or more, exact-analysed
	boost float64
}

func (q *exactPhraseQuery) SetBoost(b float64) { q.boost = b }
func (q *exactPhraseQuery) Boost() float64     { return q.boost }

func (q *exactPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	s := &phraseSearcher{word: make([]int, len(q.words)), cursor: make([]int, len(q.words))}
	closeAll := func() {
		for _, p := range s.postings {
			p.reader.Close()
		}
	}
	docs := 0.0
	if st, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok && st.DocCount > 0 {
		docs = st.DocCount
		s.avgLen = float64(st.FieldCardinality[q.field]) / st.DocCount
	} else if n, err := r.DocCount(); err == nil {
		docs = float64(n)
	}
	idf := 0.0
	index := map[string]int{}
	for i, w := range q.words {
		k, seen := index[w]
		if !seen {
			reader, err := r.TermFieldReader(ctx, []byte(w), q.field, true, true, true)
			if err != nil {
				closeAll()
				return nil, err
			}
			k = len(s.postings)
			index[w] = k
			s.postings = append(s.postings, &phrasePostings{reader: reader})
			if reader.Count() == 0 {
				closeAll()
				return searcher.NewMatchNoneSearcher(r)
			}
		}
		s.word[i] = k
		df := float64(s.postings[k].reader.Count())
		idf += math.Log(1 + (docs-df+0.5)/(df+0.5))
	}
	boost := q.boost
	if boost == 0 {
		boost = 1
	}
	s.weight = boost * idf
	// Lead with the rarest word: the others only ever advance to its documents.
	s.order = make([]*phrasePostings, len(s.postings))
	copy(s.order, s.postings)
	slices.SortFunc(s.order, func(a, b *phrasePostings) int {
		return int(a.reader.Count()) - int(b.reader.Count())
	})
	return s, nil
}

// phrasePostings is one distinct word's postings and where they stand.
type phrasePostings struct {
	reader bindex.TermFieldReader
	doc    bindex.TermFieldDoc
	at     *bindex.TermFieldDoc // nil before the start and after the end
	pos    []uint64             // the word's positions in the current document
}

func (p *phrasePostings) next(target bindex.IndexInternalID) (err error) {
	p.doc = bindex.TermFieldDoc{ID: p.doc.ID[:0], Vectors: p.doc.Vectors[:0]}
	if target == nil {
		p.at, err = p.reader.Next(&p.doc)
	} else {
		p.at, err = p.reader.Advance(target, &p.doc)
	}
	return err
}

type phraseSearcher struct {
	postings []*phrasePostings // one per distinct word
	order    []*phrasePostings // the same, rarest first
	word     []int             // phrase word i -> its postings
	cursor   []int             // per phrase word, where frequency's scan stands
	weight   float64           // boost · Σ idf
	avgLen   float64
	started  bool
	done     bool
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.find(ctx, nil)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	return s.find(ctx, id)
}

// find returns the first phrase match at or after target (after the
// current document if target is nil).
func (s *phraseSearcher) find(ctx *search.SearchContext, target bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	lead := s.order[0]
	if !s.started || target == nil || lead.at == nil || bytes.Compare(lead.at.ID, target) < 0 {
		if err := lead.next(target); err != nil {
			return nil, err
		}
		s.started = true
	}
	for lead.at != nil {
		doc := lead.at.ID
		all := true
		for _, p := range s.order[1:] {
			if p.at == nil || bytes.Compare(p.at.ID, doc) < 0 {
				if err := p.next(doc); err != nil {
					return nil, err
				}
			}
			if p.at == nil {
				s.done = true
				return nil, nil
			}
			if c := bytes.Compare(p.at.ID, doc); c > 0 {
				// This word's next document is further on: the lead jumps there.
				if err := lead.next(p.at.ID); err != nil {
					return nil, err
				}
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if f := s.frequency(); f > 0 {
			return s.match(ctx, f), nil
		}
		if err := lead.next(nil); err != nil {
			return nil, err
		}
	}
	s.done = true
	return nil, nil
}

// frequency counts the occurrences of the phrase in the current document.
func (s *phraseSearcher) frequency() int {
	for _, p := range s.postings {
		p.pos = p.pos[:0]
		for _, v := range p.at.Vectors {
			p.pos = append(p.pos, v.Pos)
		}
		slices.Sort(p.pos) // in order already, but a merged segment need not promise it
	}
	n := 0
	first := s.postings[s.word[0]].pos
	cursor := s.cursor
	clear(cursor)
	for _, start := range first {
		ok := true
		for i := 1; i < len(s.word) && ok; i++ {
			ps := s.postings[s.word[i]].pos
			c := cursor[i]
			for c < len(ps) && ps[c] < start+uint64(i) {
				c++
			}
			cursor[i] = c
			ok = c < len(ps) && ps[c] == start+uint64(i)
		}
		if ok {
			n++
		}
	}
	return n
}

func (s *phraseSearcher) match(ctx *search.SearchContext, freq int) *search.DocumentMatch {
	at := s.order[0].at
	return bm25Match(ctx, at.ID, float64(freq), at.Norm, s.weight, s.avgLen)
}

// Scores are final: query normalisation does not apply to them.
func (s *phraseSearcher) Weight() float64            { return 1 }
func (s *phraseSearcher) SetQueryNorm(float64)       {}
func (s *phraseSearcher) Count() uint64              { return s.order[0].reader.Count() } // an upper bound
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *phraseSearcher) Size() int {
	n := 64
	for _, p := range s.postings {
		n += p.reader.Size()
	}
	return n
}

func (s *phraseSearcher) Close() error {
	var first error
	for _, p := range s.postings {
		if err := p.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
