package ner

import (
	"maps"
	"testing"
)

func TestExchangeClasses(t *testing.T) {
	var texts [][]string
	for i := 0; i < 50; i++ {
		texts = append(texts,
			[]string{"the", "cat", "runs", "in", "Paris"},
			[]string{"the", "dog", "runs", "in", "London"},
			[]string{"a", "cat", "sleeps", "in", "London"},
			[]string{"a", "dog", "sleeps", "in", "Paris"})
	}
	o := ExchangeOptions{Classes: 4, MinCount: 3}
	c := LearnExchangeClasses(texts, o)
	if len(c) != 9 {
		t.Fatalf("%d words classed: %v", len(c), c)
	}
	for _, p := range [][2]string{{"cat", "dog"}, {"Paris", "London"}, {"runs", "sleeps"}, {"the", "a"}} {
		if c[p[0]] != c[p[1]] {
			t.Errorf("%s and %s in classes %d and %d: %v", p[0], p[1], c[p[0]], c[p[1]], c)
		}
	}
	if c["cat"] == c["Paris"] {
		t.Errorf("cat and Paris share class %d", c["cat"])
	}
	if !maps.Equal(c, LearnExchangeClasses(texts, o)) {
		t.Error("not deterministic")
	}
}

func TestAutoCodes(t *testing.T) {
	a := autoCounts{
		"smith":  {0, 18, 1, 0, 1}, // a person, nearly always
		"the":    {30, 0, 0, 0, 0}, // never a name
		"rarely": {1, 1, 0, 0, 0},  // too rare
		"jordan": {2, 10, 0, 10, 0},
	}
	c := a.codes(3)
	if _, ok := c["rarely"]; ok {
		t.Error("rare word coded")
	}
	dec := func(w string) (typ, frac, share, many int) {
		x := int(c[w]) - 1
		return x / 20, x % 20 / 4, x % 4 / 2, x % 2
	}
	if typ, frac, share, many := dec("smith"); typ != 0 || frac != 4 || share != 1 || many != 1 {
		t.Errorf("smith: %d %d %d %d", typ, frac, share, many)
	}
	if _, frac, _, many := dec("the"); frac != 0 || many != 1 {
		t.Errorf("the: frac %d many %d", frac, many)
	}
	if _, frac, share, many := dec("jordan"); frac != 3 || share != 0 || many != 1 {
		t.Errorf("jordan: frac %d share %d many %d", frac, share, many)
	}
}
