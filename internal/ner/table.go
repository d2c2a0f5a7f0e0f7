package ner

import "sync"

// featTable maps feature hashes to weight rows with open addressing and
// linear probing: a tagged token looks up a dozen features, and this is
// faster than a Go map for that.
type featTable struct {
	slots []featSlot
	mask  uint64
	// Two bits per hashed key in one word, about 8 bits per feature: most
	// features looked up are absent (rare bigrams, unseen words), and this
	// small filter answers for all but one in twenty of them without
	// touching the larger table (one bit a key let one in eight through).
	seen     []uint64
	seenMask uint64 // of the word index
}

// featSlot keeps a key beside its row, so that a hit reads one cache line.
type featSlot struct {
	key uint64 // 0 marks an empty slot
	row int32
}

func newFeatTable(n int) *featTable {
	size := 16
	for size < n*2 {
		size <<= 1
	}
	bits := 64
	for bits < n*8 {
		bits <<= 1
	}
	return &featTable{slots: make([]featSlot, size), mask: uint64(size - 1),
		seen: make([]uint64, bits/64), seenMask: uint64(bits/64 - 1)}
}

// seenBits are the filter's word for key k and its two bits there (from
// other bits of k than those that index slots).
func (t *featTable) seenBits(k uint64) (int, uint64) {
	x := k * 0xD6E8FEB86659FD93
	return int(x >> 40 & t.seenMask), 1<<(x>>28&63) | 1<<(x>>34&63)
}

func (t *featTable) put(k uint64, row int32) {
	if k == 0 {
		k = 1 // 0 is reserved; a collision with feature 1 is harmless
	}
	i := (k * 0x9E3779B97F4A7C15) >> 20 & t.mask
	for t.slots[i].key != 0 && t.slots[i].key != k {
		i = (i + 1) & t.mask
	}
	t.slots[i] = featSlot{k, row}
	w, b := t.seenBits(k)
	t.seen[w] |= b
}

func (t *featTable) get(k uint64) (int32, bool) {
	if k == 0 {
		k = 1
	}
	if w, b := t.seenBits(k); t.seen[w]&b != b {
		return 0, false
	}
	i := (k * 0x9E3779B97F4A7C15) >> 20 & t.mask
	for {
		switch s := &t.slots[i]; s.key {
		case k:
			return s.row, true
		case 0:
			return 0, false
		}
		i = (i + 1) & t.mask
	}
}

var denseModels sync.Map // *Model -> *denseModel

// denseOf builds a model's dense rows once.
func denseOf(m *Model) *denseModel {
	if d, ok := denseModels.Load(m); ok {
		return d.(*denseModel)
	}
	d, _ := denseModels.LoadOrStore(m, newDenseModel(m))
	return d.(*denseModel)
}

var gazTables sync.Map // *Model -> *gazPair

// gazTableOf compiles a model's gazetteer, with the name lists, once.
func gazTableOf(m *Model) *gazPair {
	if t, ok := gazTables.Load(m); ok {
		return t.(*gazPair)
	}
	t, _ := gazTables.LoadOrStore(m, compileGazPair(m.gaz, featureLists()))
	return t.(*gazPair)
}
