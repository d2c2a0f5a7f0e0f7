package index

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/search"
)

// hitCollector takes over from Bleve's top-N handling inside a search. Bleve
// hands it every match, in document order, on the index snapshot the search
// runs on; it records the match set for the facets and, in relevance
// order, keeps the best hits itself.
//
// Relevance order breaks score ties by article ID so that cursors page
// deterministically. Bleve would read the stored ID of every match to do
// that, which costs more than the search itself when a word matches half
// the archive. The collector reads IDs only for the hits that can reach
// the page: the best n by score and any tied with the n-th.
type hitCollector struct {
	ranked bool         // keep the hits here (relevance order); else Bleve's handler does
	n      int          // hits to keep: the page's offset plus its size
	after  *scoreCursor // relevance cursor; nil for none
	facets *facetPlan   // nil when no facet is wanted
	// stored says which ranks of the kept hits need their stored
	// article; nil for all of them.
	stored func(rank int) bool
	// flashes: tell the kept hits without a body by their mark (fFlash),
	// on the snapshot they were found on (fIsFlash).
	flashes bool
	// keep holds the snapshot the hits were found on (snap) until release,
	// so that the search's later steps read them by their numbers there;
	// with lazy, the stored articles of the ranks stored leaves out are
	// read from it when a step asks for them (storedOf).
	keep, lazy bool
	snap       *scorch.IndexSnapshot

	top   scoreHeap                // the best n hits, lowest score first
	floor scoreFloor               // top's lowest score once it holds n (maxscore.go)
	ties  []*bsearch.DocumentMatch // hits tied with top's lowest score that did not fit

	matches *docSet
	meter   *meter // counts the matches and notices the end of the search's context
	// Results, set when Bleve signals the end of the matches.
	hits      []*bsearch.DocumentMatch // relevance order, IDs and stored articles loaded
	facetVals map[string][]search.FacetValue
}

// scoreCursor is a relevance-order position: hits after it score lower, or
// score the same and have a greater ID.
type scoreCursor struct {
	score float64
	id    string
}

// install puts the collector into ctx, where Bleve's top-N collector looks
// for a document match handler.
func (c *hitCollector) install(ctx context.Context) context.Context {
	c.meter = newMeter(ctx)
	if c.ranked {
		ctx = context.WithValue(ctx, scoreFloorKey{}, &c.floor)
	}
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(c.handler))
}

func (c *hitCollector) handler(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
	if !ok {
		return nil, false, fmt.Errorf("search: unexpected index reader %T", sctx.IndexReader)
	}
	var next bsearch.DocumentMatchHandler
	loadID := false
	if !c.ranked {
		var err error
		if next, loadID, err = collector.MakeTopNDocumentMatchHandler(sctx); err != nil {
			return nil, false, err
		}
	}
	if c.facets != nil {
		c.matches = newDocSet(snap)
	}
	return func(d *bsearch.DocumentMatch) error {
		if d == nil { // the end of the matches
			if err := c.meter.check(); err != nil {
				return err
			}
			if c.ranked {
				if err := c.finish(sctx, snap); err != nil {
					return err
				}
			}
			if c.facets != nil {
				var err error
				if c.facetVals, err = c.facets.count(snap, c.matches, c.meter); err != nil {
					return err
				}
			}
			if next != nil {
				return next(nil)
			}
			return nil
		}
		if err := c.meter.step(1, 0); err != nil {
			return err
		}
		if c.matches != nil {
			c.matches.add(d.IndexInternalID)
		}
		if next != nil {
			return next(d)
		}
		return c.offer(sctx, d)
	}, loadID, nil
}

// offer considers one match for the page in relevance order.
func (c *hitCollector) offer(sctx *bsearch.SearchContext, d *bsearch.DocumentMatch) error {
	drop := func(d *bsearch.DocumentMatch) { sctx.DocumentMatchPool.Put(d) }
	if c.after != nil && d.Score >= c.after.score {
		if d.Score > c.after.score {
			drop(d)
			return nil
		}
		id, err := sctx.IndexReader.ExternalID(d.IndexInternalID)
		if err != nil {
			return err
		}
		if id <= c.after.id {
			drop(d)
			return nil
		}
		d.ID = id
	}
	if len(c.top) < c.n {
		heap.Push(&c.top, d)
		c.raiseFloor()
		return nil
	}
	low := c.top[0].Score
	switch {
	case d.Score < low:
		drop(d)
	case d.Score == low:
		c.ties = append(c.ties, d)
	default:
		out := c.top[0]
		c.top[0] = d
		heap.Fix(&c.top, 0)
		if c.top[0].Score == low {
			c.ties = append(c.ties, out)
			break
		}
		drop(out) // the old lowest score no longer reaches the page
		for _, t := range c.ties {
			drop(t)
		}
		c.ties = c.ties[:0]
	}
	c.raiseFloor()
	return nil
}

// raiseFloor tells the search the lowest score kept, once n are kept.
func (c *hitCollector) raiseFloor() {
	if len(c.top) == c.n {
		c.floor = scoreFloor{score: c.top[0].Score, set: true}
	}
}

// finish orders the kept hits by score and ID, cuts the page and loads
// the page's stored articles.
func (c *hitCollector) finish(sctx *bsearch.SearchContext, snap *scorch.IndexSnapshot) error {
	kept := append([]*bsearch.DocumentMatch(c.top), c.ties...)
	for _, d := range kept {
		if err := c.meter.step(1, 0); err != nil {
			return err
		}
		if d.ID != "" {
			continue
		}
		id, err := snap.ExternalID(d.IndexInternalID)
		if err != nil {
			return err
		}
		d.ID = id
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].Score != kept[j].Score {
			return kept[i].Score > kept[j].Score
		}
		return kept[i].ID < kept[j].ID
	})
	if len(kept) > c.n {
		kept = kept[:c.n]
	}
	segs, offsets := segmentsOf(snap)
	var source *storedSource
	if c.keep && c.lazy {
		source = &storedSource{segs: segs, offsets: offsets}
	}
	for i, d := range kept {
		d.Sort = []string{"_score", d.ID}
		if c.stored != nil && !c.stored(i) {
			if source != nil {
				d.Fields = map[string]interface{}{fSource: source}
			}
			continue
		}
		if err := c.meter.step(1, 0); err != nil {
			return err
		}
		stored, err := storedArticleOf(segs, offsets, d.IndexInternalID)
		if err != nil {
			return err
		}
		d.Fields = map[string]interface{}{fStored: stored}
	}
	if c.flashes {
		if err := markFlashes(snap, kept); err != nil {
			return err
		}
	}
	if c.keep {
		snap.AddRef()
		c.snap = snap
	}
	c.hits = kept
	return nil
}

// release lets go of the snapshot kept.
func (c *hitCollector) release() {
	if c.snap != nil {
		c.snap.DecRef()
		c.snap = nil
	}
}

// fIsFlash keys, in a hit's fields, whether its article has no body, when
// the index marks such articles (markFlashes).
const fIsFlash = "\x00flash"

// markFlashes records in each of hits whether its article is marked as
// having no body. The mark's postings are read on the snapshot the hits
// come from, in document order, skipping to each hit.
func markFlashes(snap *scorch.IndexSnapshot, hits []*bsearch.DocumentMatch) error {
	byDoc := slices.Clone(hits)
	slices.SortFunc(byDoc, func(a, b *bsearch.DocumentMatch) int { return bytes.Compare(a.IndexInternalID, b.IndexInternalID) })
	r, err := snap.TermFieldReader(context.Background(), []byte(flashValue), fFlash, false, false, false)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	var next *bindex.TermFieldDoc
	for i, d := range byDoc {
		if i == 0 || (next != nil && bytes.Compare(next.ID, d.IndexInternalID) < 0) {
			if next, err = r.Advance(d.IndexInternalID, nil); err != nil {
				return fmt.Errorf("search: %w", err)
			}
		}
		if d.Fields == nil {
			d.Fields = map[string]any{}
		}
		d.Fields[fIsFlash] = next != nil && bytes.Equal(next.ID, d.IndexInternalID)
	}
	return nil
}

// storedSource is where a hit left unread by its collector can be read:
// the segments of the snapshot the search keeps.
type storedSource struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
}

// fSource keys, in a hit's fields, its storedSource.
const fSource = "\x00source"

// storedOf is a hit's stored article, read now if its collector left it
// for later; ok is false for a hit past those a page may show, which has
// neither.
func storedOf(h *bsearch.DocumentMatch) (stored string, ok bool, err error) {
	if s, ok := h.Fields[fStored].(string); ok {
		return s, true, nil
	}
	src, ok := h.Fields[fSource].(*storedSource)
	if !ok {
		return "", false, nil
	}
	if stored, err = storedArticleOf(src.segs, src.offsets, h.IndexInternalID); err != nil {
		return "", false, err
	}
	h.Fields[fStored] = stored
	return stored, true, nil
}

// mayShow reports whether a hit may reach the page: its stored article
// is read, or can be.
func mayShow(h *bsearch.DocumentMatch) bool {
	_, read := h.Fields[fStored]
	_, later := h.Fields[fSource]
	return read || later
}

// storedSize is the size of a hit's stored article if it was read.
func storedSize(h *bsearch.DocumentMatch) (int, bool) {
	s, ok := h.Fields[fStored].(string)
	return len(s), ok
}

// storedArticle reads the stored article field of one document.
func storedArticleOf(segs []*scorch.SegmentSnapshot, offsets []uint64, id bindex.IndexInternalID) (string, error) {
	seg, local := locate(offsets, binary.BigEndian.Uint64(id))
	var stored string
	err := segs[seg].VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
		if field == fStored {
			stored = string(value)
			return false
		}
		return true
	})
	if err != nil {
		return "", fmt.Errorf("search: reading a stored article: %w", err)
	}
	return stored, nil
}

// segmentsOf returns a snapshot's segments and the global number of each
// one's first document. Scorch numbers documents across segments in
// segment order, counting deleted ones.
func segmentsOf(snap *scorch.IndexSnapshot) ([]*scorch.SegmentSnapshot, []uint64) {
	segs := snap.Segments()
	offsets := make([]uint64, len(segs))
	var running uint64
	for i, s := range segs {
		offsets[i] = running
		running += uint64(s.FullSize())
	}
	return segs, offsets
}

// locate maps a global document number to its segment and local number.
func locate(offsets []uint64, global uint64) (int, uint64) {
	i := sort.Search(len(offsets), func(i int) bool { return offsets[i] > global }) - 1
	return i, global - offsets[i]
}

// scoreHeap is a min-heap of hits by score.
type scoreHeap []*bsearch.DocumentMatch

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[i].Score < h[j].Score }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(*bsearch.DocumentMatch)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// docSet is the documents a search matched, as local document numbers
// per segment of the snapshot.
type docSet struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64
	docs    [][]uint32 // ascending within each segment
	cur     int        // segment of the last match, as matches come in order
	total   int
}

func newDocSet(snap *scorch.IndexSnapshot) *docSet {
	segs, offsets := segmentsOf(snap)
	return &docSet{segs: segs, offsets: offsets, docs: make([][]uint32, len(segs))}
}

func (m *docSet) add(id bindex.IndexInternalID) {
	global := binary.BigEndian.Uint64(id)
	if global < m.offsets[m.cur] || (m.cur+1 < len(m.offsets) && global >= m.offsets[m.cur+1]) {
		m.cur, _ = locate(m.offsets, global)
	}
	m.docs[m.cur] = append(m.docs[m.cur], uint32(global-m.offsets[m.cur]))
	m.total++
}
