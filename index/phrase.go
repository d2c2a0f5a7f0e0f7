package index

import (
	"bytes"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
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
	bm25  bm25Params
}

func (q *exactPhraseQuery) SetBoost(b float64) { q.boost = b }
func (q *exactPhraseQuery) Boost() float64     { return q.boost }

func (q *exactPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &phraseSearcher{cursor: make([]int, len(q.words))}
	s.meter = newMeter(ctx)
	docs := 0.0
	if st, ok := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok && st.DocCount > 0 {
		docs = st.DocCount
		s.avgLen = float64(st.FieldCardinality[q.field]) / st.DocCount
	} else if n, err := r.DocCount(); err == nil {
		docs = float64(n)
	}
	var err error
	if s.word, err = s.open(ctx, r, q.field, q.words); err != nil {
		return nil, err
	}
	for _, p := range s.postings {
		if p.reader.Count() == 0 {
			s.close()
			return searcher.NewMatchNoneSearcher(r)
		}
	}
	idf := 0.0
	for _, k := range s.word {
		df := float64(s.postings[k].reader.Count())
		idf += math.Log(1 + (docs-df+0.5)/(df+0.5))
	}
	boost := q.boost
	if boost == 0 {
		boost = 1
	}
	s.weight = boost * idf
	s.bm25 = q.bm25.orDefault()
	s.sortRarestFirst()
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
	postingsWalk
	word   []int   // phrase word i -> its postings
	cursor []int   // per phrase word, where frequency's scan stands
	weight float64 // boost · Σ idf
	avgLen float64
	bm25   bm25Params
}

// postingsWalk steps through the documents that hold every one of its
// words, in step, the rarest word leading: the others only ever advance to
// its documents.
type postingsWalk struct {
	postings []*phrasePostings // one per distinct word
	order    []*phrasePostings // the same, rarest first
	started  bool
	done     bool
	meter    *meter
}

// open reads the postings of each distinct word of a phrase in field and
// returns, for each word of the phrase, the index of its postings: a
// repeated word is read once.
func (w *postingsWalk) open(ctx context.Context, r bindex.IndexReader, field string, words []string) ([]int, error) {
	word := make([]int, len(words))
	index := map[string]int{}
	for i, t := range words {
		k, seen := index[t]
		if !seen {
			reader, err := r.TermFieldReader(ctx, []byte(t), field, true, true, true)
			if err != nil {
				w.close()
				return nil, err
			}
			k = len(w.postings)
			index[t] = k
			w.postings = append(w.postings, &phrasePostings{reader: reader})
		}
		word[i] = k
	}
	return word, nil
}

func (w *postingsWalk) sortRarestFirst() {
	w.order = make([]*phrasePostings, len(w.postings))
	copy(w.order, w.postings)
	slices.SortFunc(w.order, func(a, b *phrasePostings) int {
		return int(a.reader.Count()) - int(b.reader.Count())
	})
}

// next moves to the first document at or after target (after the current
// document if target is nil) that holds every word and that accept takes.
// It reports false at the end of the postings.
func (w *postingsWalk) next(target bindex.IndexInternalID, accept func() (bool, error)) (bool, error) {
	if w.done {
		return false, nil
	}
	lead := w.order[0]
	if !w.started || target == nil || lead.at == nil || bytes.Compare(lead.at.ID, target) < 0 {
		if err := lead.next(target); err != nil {
			return false, err
		}
		w.started = true
	}
	for lead.at != nil {
		if err := w.meter.step(1, 0); err != nil {
			return false, err
		}
		doc := lead.at.ID
		all := true
		for _, p := range w.order[1:] {
			if p.at == nil || bytes.Compare(p.at.ID, doc) < 0 {
				if err := p.next(doc); err != nil {
					return false, err
				}
			}
			if p.at == nil {
				w.done = true
				return false, nil
			}
			if c := bytes.Compare(p.at.ID, doc); c > 0 {
				// This word's next document is further on: the lead jumps there.
				if err := lead.next(p.at.ID); err != nil {
					return false, err
				}
				all = false
				break
			}
		}
		if !all {
			continue
		}
		ok, err := accept()
		if ok || err != nil {
			return ok, err
		}
		if err := lead.next(nil); err != nil {
			return false, err
		}
	}
	w.done = true
	return false, nil
}

// close closes the postings and adds the last of the work to the search's
// cost.
func (w *postingsWalk) close() error {
	w.meter.check()
	var first error
	for _, p := range w.postings {
		if err := p.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.find(ctx, nil)
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.find(ctx, id)
}

// find returns the first phrase match at or after target (after the
// current document if target is nil).
func (s *phraseSearcher) find(ctx *bsearch.SearchContext, target bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	freq := 0
	ok, err := s.next(target, func() (bool, error) {
		var err error
		freq, err = s.frequency()
		return freq > 0, err
	})
	if !ok || err != nil {
		return nil, err
	}
	return s.match(ctx, freq), nil
}

// frequency counts the occurrences of the phrase in the current document.
func (s *phraseSearcher) frequency() (int, error) {
	visited := 0
	for _, p := range s.postings {
		p.pos = appendPositions(p.pos[:0], p.at.Vectors)
		slices.Sort(p.pos) // in order already, but a merged segment need not promise it
		visited += len(p.pos)
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
	return n, s.meter.step(0, visited)
}

func (s *phraseSearcher) match(ctx *bsearch.SearchContext, freq int) *bsearch.DocumentMatch {
	at := s.order[0].at
	return bm25Match(ctx, at.ID, float64(freq), at.Norm, s.weight, s.avgLen, s.bm25)
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

func (s *phraseSearcher) Close() error { return s.close() }
