package ner

import "sync"

// docScratch holds the per-document buffers of tagging, reused from one
// document to the next: allocation and garbage collection would otherwise
// cost the tagger a good share of its time. A nil *docScratch (training)
// allocates afresh.
type docScratch struct {
	gaz     *gazPair // the model's gazetteer and the name lists, compiled (nil: look up the maps)
	ids     idTable
	bits    []uint64 // the sentences' gazetteer and list bits
	caps    []int8   // their docCap
	first   []int    // their classes of the first pass
	pred    [][]int  // the same by sentence
	tokIDs  []int32  // every sentence's ids, one after the other
	ev      []uint8
	occ     []aggOcc
	feats   []uint64 // backing store of the occ features
	agg     [][]uint64
	words   [][5]int32
	spans   []Span // a sentence's predicted entities
	longest []stackSub
	phrases idTable // phrase hash -> index in phraseN
	phraseN [][4]int32
	cov     []stackCover
	vals    []stackVal
	valRows [][]stackVal
	hist    [][5]int16
	aggRows []row
	aggDone []bool
	static  []row         // a sentence's scores before the features of predicted classes
	pad     []*cachedWord // a sentence's words between bounds (padWords)
	bufs    *tagBufs      // where the slabs that outlive the scratch come from (nil: new ones)
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

// resized returns b resized to n elements, reusing its storage; the
// elements are left as they were, for a caller that sets every one.
func resized[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	return b[:n]
}

// release forgets the scratch-backed slices of doc and returns sc to the
// pool.
func (sc *docScratch) release(doc []*sentCtx) {
	for _, s := range doc {
		s.ids, s.agg = nil, nil
		s.gaz, s.ext, s.docCap = nil, nil, nil
	}
	clear(sc.pred)
	for i := range sc.occ {
		sc.occ[i] = aggOcc{}
	}
	sc.bufs = nil
	scratchPool.Put(sc)
}

// idTable numbers the distinct keys of a document in the order they are
// first seen: open addressing over slices reused from one document to the
// next, cheaper than a map for the few hundred words of an article.
type idTable struct {
	keys []uint64
	ids  []int32 // 1 + the key's id, 0: empty slot
	mask uint64
	n    int32
}

// reset empties t for up to n keys.
func (t *idTable) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	t.keys, t.ids = zeroed(t.keys, size), zeroed(t.ids, size)
	t.mask, t.n = uint64(size-1), 0
}

// id returns the id of key k, giving it the next one if it is new.
func (t *idTable) id(k uint64) int32 {
	for i := (k * 0x9E3779B97F4A7C15) >> 32 & t.mask; ; i = (i + 1) & t.mask {
		switch {
		case t.ids[i] == 0:
			t.keys[i] = k
			t.n++
			t.ids[i] = t.n
			return t.n - 1
		case t.keys[i] == k:
			return t.ids[i] - 1
		}
	}
}

// find returns the id of key k, if t holds it.
func (t *idTable) find(k uint64) (int32, bool) {
	for i := (k * 0x9E3779B97F4A7C15) >> 32 & t.mask; ; i = (i + 1) & t.mask {
		switch {
		case t.ids[i] == 0:
			return 0, false
		case t.keys[i] == k:
			return t.ids[i] - 1, true
		}
	}
}

// len is how many keys t holds.
func (t *idTable) len() int { return int(t.n) }
