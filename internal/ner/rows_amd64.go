//go:build !purego

package ner

import "unsafe"

// addRows adds each of rows to sc (assembly: SSE, four classes at a time).
//
//go:noescape
func addRows(sc *row, rows []*row)

// sumBest returns the best class of the scores base + rows (relative to
// class 0) among those whose bit is set in allowed, the lowest on ties
// (assembly: SSE, without branches on the scores).
//
//go:noescape
func sumBest(base *row, rows []*row, allowed uint32) int

// prefetchWords asks for the bytes [from, to) of each word's cachedWord
// to be brought into the cache (PREFETCHT0): the loads of a sentence's
// words then overlap instead of stalling one by one.
//
//go:noescape
func prefetchWords(words []*cachedWord, from, to uintptr)

// prefetchLine asks for the cache line at p to be fetched (PREFETCHT0).
//
//go:noescape
func prefetchLine(p unsafe.Pointer)
