package ner

import (
	"math/rand"
	"testing"
	"unsafe"
)

// addRows must add exactly as addRow does, row by row.
func TestAddRows(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 40; n++ {
		rows := make([]*row, n)
		for i := range rows {
			rows[i] = new(row)
			for c := range rows[i] {
				rows[i][c] = float32(rng.NormFloat64() * 100)
			}
		}
		var want, got row
		for c := range want {
			want[c] = float32(c) - 3
		}
		got = want
		for _, r := range rows {
			addRow(&want, r)
		}
		addRows(&got, rows)
		if got != want {
			t.Fatalf("%d rows: got %v, want %v", n, got, want)
		}
	}
}

// The rows the tagger adds most start on 64-byte boundaries, given that
// allocations of these sizes are 64-byte aligned: then a row is one cache
// line. A field added before them must keep it so.
func TestRowsAlignToCacheLines(t *testing.T) {
	offs := map[string]uintptr{
		"cachedWord.scores": unsafe.Offsetof(cachedWord{}.scores),
		"denseModel.fixed":  unsafe.Offsetof(denseModel{}.fixed),
		"shapeRows.prev":    unsafe.Offsetof(shapeRows{}.prev),
		"clusterRows.prev":  unsafe.Offsetof(clusterRows{}.prev),
	}
	for name, off := range offs {
		if off%64 != 0 {
			t.Errorf("%s at offset %d, not a multiple of 64", name, off)
		}
	}
	if n := unsafe.Sizeof(cachedWord{}); n%64 != 0 {
		t.Errorf("a cachedWord is %d bytes, not a multiple of 64", n)
	}
	if unsafe.Sizeof(row{}) != 64 {
		t.Errorf("a row is %d bytes", unsafe.Sizeof(row{}))
	}
}

// bestAllowedRel must choose as bestAllowed does on the full scores, ties
// included.
func TestBestAllowedRel(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for n := 0; n < 2000; n++ {
		var full [nClass]float32
		for c := range full {
			full[c] = float32(rng.Intn(7) - 3) // small range: many ties
		}
		var rel row
		for c := range rel {
			rel[c] = full[c+1] - full[0]
		}
		for prev := 0; prev <= nClass; prev++ {
			for _, last := range []bool{false, true} {
				if got, want := bestAllowedRel(&rel, prev, last), bestAllowed(&full, prev, last); got != want {
					t.Fatalf("scores %v, prev %d, last %v: got %d, want %d", full, prev, last, got, want)
				}
			}
		}
	}
}

// sumBest must choose as addRows and bestAllowedRel do, ties included.
func TestSumBest(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for n := 0; n < 3000; n++ {
		var base row
		rows := make([]*row, rng.Intn(8))
		for c := range base {
			base[c] = float32(rng.Intn(7) - 3) // small range: many ties
		}
		for i := range rows {
			rows[i] = new(row)
			for c := range rows[i] {
				rows[i][c] = float32(rng.Intn(3) - 1)
			}
		}
		sc := base
		addRows(&sc, rows)
		for prev := 0; prev <= nClass; prev++ {
			for _, last := range []bool{false, true} {
				got := sumBest(&base, rows, allowedBits[b2i(last)][prev])
				if want := bestAllowedRel(&sc, prev, last); got != want {
					t.Fatalf("scores %v, prev %d, last %v: got %d, want %d", sc, prev, last, got, want)
				}
			}
		}
	}
}
