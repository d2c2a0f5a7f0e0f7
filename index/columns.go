package index

import (
	"container/heap"
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/folio-search/folio/internal/facet"

	"github.com/folio-search/folio/internal/search"
)

// Facet columns hold each document's facet values as small integers, one
// column per facet field and segment, built once from the segment's
// postings when a search first counts facets on it (segments never change).
// Counting a facet is then a pass over the matches adding to an array,
// which is cheaper than reading doc values, whose compressed chunks are
// decoded again for every scattered match.

// columnFields are the facet fields kept in columns.
var columnFields = func() []string {
	var fields []string
	for _, f := range facet.All {
		fields = append(fields, f.Field)
	}
	return append(fields, fMonth)
}()

// column is one field's values of one segment's documents: document d's
// value ordinals are vals[start[d]:start[d+1]].
type column struct {
	start []uint32
	vals  []uint32
}

// ordinals numbers a field's values across segments; numbers are never
// reused, so a column stays valid while the table grows.
type ordinals struct {
	mu    sync.RWMutex
	ids   map[string]uint32
	names []string
}

func (o *ordinals) id(v string) uint32 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if id, ok := o.ids[v]; ok {
		return id
	}
	id := uint32(len(o.names))
	o.ids[v] = id
	o.names = append(o.names, v)
	return id
}

// lookup returns v's number, if v has one.
func (o *ordinals) lookup(v string) (uint32, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	id, ok := o.ids[v]
	return id, ok
}

// snapshotNames returns the names numbered so far.
func (o *ordinals) snapshotNames() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.names
}

// segmentColumns are one segment's columns, built once.
type segmentColumns struct {
	once sync.Once
	cols map[string]*column
	err  error
}

// columnStore keeps the columns of the segments in use.
type columnStore struct {
	mu   sync.Mutex
	ords map[string]*ordinals
	segs map[uint64]*segmentColumns
	last *scorch.IndexSnapshot // the snapshot whose segments were last kept
}

// columns returns the columns of every segment of snap, building the
// missing ones; columns of segments that left the index are dropped.
func (cs *columnStore) columns(snap *scorch.IndexSnapshot) ([]map[string]*column, error) {
	segs := snap.Segments()
	cs.mu.Lock()
	if cs.segs == nil {
		cs.segs = map[uint64]*segmentColumns{}
		cs.ords = map[string]*ordinals{}
		for _, f := range columnFields {
			cs.ords[f] = &ordinals{ids: map[string]uint32{}}
		}
	}
	entries := make([]*segmentColumns, len(segs))
	for i, s := range segs {
		e := cs.segs[s.Id()]
		if e == nil {
			e = &segmentColumns{}
			cs.segs[s.Id()] = e
		}
		entries[i] = e
	}
	if cs.last != snap {
		cs.last = snap
		live := map[uint64]bool{}
		for _, s := range segs {
			live[s.Id()] = true
		}
		for id := range cs.segs {
			if !live[id] {
				delete(cs.segs, id)
			}
		}
	}
	cs.mu.Unlock()

	out := make([]map[string]*column, len(segs))
	for i, e := range entries {
		seg := segs[i]
		e.once.Do(func() { e.cols, e.err = cs.build(seg) })
		if e.err != nil {
			return nil, e.err
		}
		out[i] = e.cols
	}
	return out, nil
}

// build reads one segment's columns from its postings.
func (cs *columnStore) build(s *scorch.SegmentSnapshot) (map[string]*column, error) {
	n := int(s.FullSize())
	cols := map[string]*column{}
	for _, field := range columnFields {
		dict, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("facet columns: %w", err)
		}
		type posting struct {
			ord  uint32
			docs []uint32
		}
		var all []posting
		counts := make([]uint32, n+1)
		var pl segment.PostingsList
		var it segment.PostingsIterator
		terms := dict.AutomatonIterator(nil, nil, nil)
		for {
			e, err := terms.Next()
			if err != nil {
				return nil, fmt.Errorf("facet columns: %w", err)
			}
			if e == nil {
				break
			}
			if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
				return nil, fmt.Errorf("facet columns: %w", err)
			}
			it = pl.Iterator(false, false, false, it)
			docs, err := postingDocs(it)
			if err != nil {
				return nil, err
			}
			for _, d := range docs {
				counts[d+1]++
			}
			all = append(all, posting{cs.ords[field].id(e.Term), docs})
		}
		c := &column{start: counts}
		for d := 1; d <= n; d++ {
			c.start[d] += c.start[d-1]
		}
		c.vals = make([]uint32, c.start[n])
		next := append([]uint32(nil), c.start[:n]...)
		for _, p := range all {
			for _, d := range p.docs {
				c.vals[next[d]] = p.ord
				next[d]++
			}
		}
		cols[field] = c
	}
	return cols, nil
}

// postingDocs lists the documents of a postings iterator.
func postingDocs(it segment.PostingsIterator) ([]uint32, error) {
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if actual := o.ActualBitmap(); actual != nil {
			return actual.ToArray(), nil
		}
		if d, ok := o.DocNum1Hit(); ok {
			return []uint32{uint32(d)}, nil
		}
	}
	var docs []uint32
	for {
		p, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("facet columns: %w", err)
		}
		if p == nil {
			return docs, nil
		}
		docs = append(docs, uint32(p.Number()))
	}
}

// columnCounts counts the values of fields over the matches m with the
// columns of snap's segments, and ranks them. mt counts the work and
// stops it when the search's context is done.
func (cs *columnStore) columnCounts(snap *scorch.IndexSnapshot, m *docSet, fields []string, sizeOf func(string) int, mt *meter) (map[string][]search.FacetValue, error) {
	segCols, err := cs.columns(snap)
	if err != nil {
		return nil, err
	}
	out := map[string][]search.FacetValue{}
	for _, f := range fields {
		names := cs.ords[f].snapshotNames()
		counts := make([]int32, len(names))
		for s, docs := range m.docs {
			if err := mt.step(len(docs), 0); err != nil {
				return nil, err
			}
			c := segCols[s][f]
			for _, d := range docs {
				for _, v := range c.vals[c.start[d]:c.start[d+1]] {
					counts[v]++
				}
			}
		}
		size := sizeOf(f)
		var top worstFirst
		for id, n := range counts {
			if n == 0 {
				continue
			}
			v := search.FacetValue{Value: names[id], Count: int(n)}
			switch {
			case size <= 0 || len(top) < size:
				top = append(top, v)
				if len(top) == size {
					heap.Init(&top)
				}
			case ranksBefore(v, top[0]):
				top[0] = v
				heap.Fix(&top, 0)
			}
		}
		vals := []search.FacetValue(top)
		sort.Slice(vals, func(i, j int) bool { return ranksBefore(vals[i], vals[j]) })
		out[f] = vals
	}
	return out, nil
}

// Warm builds the facet columns of the whole index and the table of
// suggestions, so that the first search that counts facets and the first
// keystroke do not wait for them. Servers call it once at start, in the
// background.
func (ix *Index) Warm(ctx context.Context) error {
	if _, err := ix.Search(ctx, search.Request{Size: 1, Facets: facet.Names}); err != nil {
		return err
	}
	_, err := ix.suggestions(ctx)
	return err
}
