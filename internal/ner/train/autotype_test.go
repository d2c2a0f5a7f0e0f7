package train

import "testing"

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
