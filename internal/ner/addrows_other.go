//go:build !amd64 || purego

package ner

// addRows adds each of rows to sc.
func addRows(sc *[nClass]float32, rows []*[nClass]float32) {
	for _, r := range rows {
		addRow(sc, r)
	}
}
