package ner

import "sync"

// docScratch holds the per-document buffers of tagging, reused from one
// document to the next: allocation and garbage collection would otherwise
// cost the tagger a good share of its time. A nil *docScratch (training)
// allocates afresh.
type docScratch struct {
	gaz     *gazPair // the model's gazetteer and the name lists, compiled (nil: look up the maps)
	ids     map[uint64]int32
	tokIDs  []int32 // every sentence's ids, one after the other
	ev      []uint8
	occ     []aggOcc
	feats   []uint64 // backing store of the occ features
	agg     [][]uint64
	words   [][5]int32
	longest []stackSub
	phrases map[uint64]int32 // phrase hash -> index in phraseN
	phraseN [][4]int32
	cov     []stackCover
	vals    []stackVal
	valRows [][]stackVal
	hist    [][5]int16
	aggRows []row
	aggDone []bool
	fs      []uint64 // a token's run and conjunction features
	bufs    *tagBufs // where the slabs that outlive the scratch come from (nil: new ones)
}

var scratchPool = sync.Pool{New: func() any { return new(docScratch) }}

// zeroed returns b resized to n elements, all zero, reusing its storage.
func zeroed[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	b = b[:n]
	clear(b)
	return b
}

// release forgets the scratch-backed slices of doc and returns sc to the
// pool.
func (sc *docScratch) release(doc []*sentCtx) {
	for _, s := range doc {
		s.ids, s.agg = nil, nil
	}
	for i := range sc.occ {
		sc.occ[i] = aggOcc{}
	}
	sc.bufs = nil
	scratchPool.Put(sc)
}
