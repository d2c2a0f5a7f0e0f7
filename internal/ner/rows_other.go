//go:build !amd64 || purego

package ner

import "unsafe"

// addRows adds each of rows to sc.
func addRows(sc *row, rows []*row) {
	for _, r := range rows {
		addRow(sc, r)
	}
}

// sumBest returns the best class of the scores base + rows (relative to
// class 0) among those whose bit is set in allowed, the lowest on ties.
func sumBest(base *row, rows []*row, allowed uint32) int {
	sc := *base
	addRows(&sc, rows)
	best, bs := -1, float32(0)
	if allowed&1 != 0 {
		best = 0
	}
	for c := 1; c < nClass; c++ {
		if allowed&(1<<c) != 0 && (best < 0 || sc[c-1] > bs) {
			best, bs = c, sc[c-1]
		}
	}
	return best
}

// prefetchWords is a hint that other architectures go without.
func prefetchWords(words []*cachedWord, from, to uintptr) {}

// prefetchLine is a hint that other architectures go without.
func prefetchLine(p unsafe.Pointer) {}
