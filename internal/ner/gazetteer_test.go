package ner

import (
	"slices"
	"testing"
)

// The compiled gazetteer and lists must mark every token as the maps do.
func TestGazPairMarksAsMaps(t *testing.T) {
	r := testRecognizer(t, nil)
	marked, diff := 0, 0
	for _, body := range reutersBodies(t, 500) {
		for _, ts := range r.tag([]string{"", body}, false, nil) {
			s := ts.ctx
			g, e := r.gaz.markInto(s, nil, nil)
			want := &sentCtx{toks: s.toks}
			r.m.gaz.mark(want)
			we := featureLists().markInto(want, nil)
			if !slices.Equal(g, want.gaz) || !slices.Equal(e, we) {
				diff++
			}
			for i := range g {
				if g[i]|e[i] != 0 {
					marked++
				}
			}
		}
	}
	if diff > 0 {
		t.Fatalf("%d sentences marked differently", diff)
	}
	if marked == 0 {
		t.Fatal("no token marked: the test checks nothing")
	}
	t.Logf("%d tokens marked", marked)
}

// oneWord packs a word's types in the gazetteer and the lists into a
// byte, plus 1, and gives 0 when they do not fit.
func TestGazPairOneWord(t *testing.T) {
	g, l := gazetteer{}, gazetteer{}
	for typ := range 4 {
		g.add([]string{"Alpha"}, typ)
		g.add([]string{"Both"}, typ)
		l.add([]string{"Both"}, typ)
	}
	l.add([]string{"Beta"}, 2)
	gp := compileGazPair(g, l)
	for w, want := range map[string]uint8{"alpha": 1 + 15, "beta": 1 + 4<<4, "both": 0, "gamma": 1} {
		if got := gp.oneWord(lowerKeyOf(w)); got != want {
			t.Errorf("%s: got %d, want %d", w, got, want)
		}
	}
}
