package ner

import "sync"

// featTable maps feature hashes to weight rows with open addressing and
// linear probing: a tagged token looks up a dozen features, and this is
// faster than a Go map for that.
type featTable struct {
	keys []uint64 // 0 marks an empty slot
	rows []int32
	mask uint64
}

func newFeatTable(n int) *featTable {
	size := 16
	for size < n*2 {
		size <<= 1
	}
	return &featTable{keys: make([]uint64, size), rows: make([]int32, size), mask: uint64(size - 1)}
}

func (t *featTable) put(k uint64, row int32) {
	if k == 0 {
		k = 1 // 0 is reserved; a collision with feature 1 is harmless
	}
	i := (k * 0x9E3779B97F4A7C15) >> 20 & t.mask
	for t.keys[i] != 0 && t.keys[i] != k {
		i = (i + 1) & t.mask
	}
	t.keys[i] = k
	t.rows[i] = row
}

func (t *featTable) get(k uint64) (int32, bool) {
	if k == 0 {
		k = 1
	}
	i := (k * 0x9E3779B97F4A7C15) >> 20 & t.mask
	for {
		switch t.keys[i] {
		case k:
			return t.rows[i], true
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
