//go:build !amd64 || purego

package ner

// addRows adds each of rows to sc.
func addRows(sc *row, rows []*row) {
	for _, r := range rows {
		addRow(sc, r)
	}
}
