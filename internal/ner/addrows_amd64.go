//go:build !purego

package ner

// addRows adds each of rows to sc (assembly: SSE, four classes at a time).
//
//go:noescape
func addRows(sc *row, rows []*row)
