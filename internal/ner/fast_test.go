package ner

import (
	"slices"
	"testing"
)

// The fast two-pass decoder shares lookups between the passes; it must
// tag exactly as running each pass on its own does.
func TestTwoPassFastPathAgrees(t *testing.T) {
	r := testRecognizer(t, nil)
	if r.m.next == nil {
		t.Skip("single-pass model")
	}
	diff := 0
	for _, body := range reutersBodies(t, 300) {
		fast := r.tagTexts("", body)
		slow := r.tag([]string{"", body}, false)
		r.decode(slow, r.m, 0)
		pred := make([][]int, len(slow))
		ctxs := make([]*sentCtx, len(slow))
		for si, ts := range slow {
			pred[si] = slices.Clone(ts.classes)
			ctxs[si] = ts.ctx
		}
		setStack(ctxs, pred)
		r.decode(slow, r.m.next, 1)
		for si := range fast {
			if !slices.Equal(fast[si].classes, slow[si].classes) {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Fatalf("%d sentences tagged differently", diff)
	}
}
