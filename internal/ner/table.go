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

// pairTable maps a feature hash to its weight rows in both passes of a
// two-pass model (-1 where a pass lacks it), so the features the passes
// share are looked up once.
type pairTable struct {
	slots []pairSlot
	mask  uint64
}

type pairSlot struct {
	key  uint64 // 0 marks an empty slot
	rows [2]int32
}

func newPairTable(m1, m2 *Model) *pairTable {
	size := 16
	for size < (len(m1.index)+len(m2.index))*2 {
		size <<= 1
	}
	t := &pairTable{slots: make([]pairSlot, size), mask: uint64(size - 1)}
	for p, m := range []*Model{m1, m2} {
		for k, r := range m.index {
			s := t.slot(k)
			if s.key == 0 {
				s.key = fixKey(k)
				s.rows = [2]int32{-1, -1}
			}
			s.rows[p] = r
		}
	}
	return t
}

func fixKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

// slot returns k's slot, or the empty one where it would go.
func (t *pairTable) slot(k uint64) *pairSlot {
	k = fixKey(k)
	i := (k * 0x9E3779B97F4A7C15) >> 20 & t.mask
	for {
		s := &t.slots[i]
		if s.key == k || s.key == 0 {
			return s
		}
		i = (i + 1) & t.mask
	}
}

var pairTables sync.Map // *Model -> *pairTable

// pairTableOf builds a two-pass model's pair table once.
func pairTableOf(m *Model) *pairTable {
	if t, ok := pairTables.Load(m); ok {
		return t.(*pairTable)
	}
	t, _ := pairTables.LoadOrStore(m, newPairTable(m, m.next))
	return t.(*pairTable)
}
