package ner

import (
	"math/rand"
	"testing"
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
