package search

import "testing"

func TestAssociation(t *testing.T) {
	// Always together and rare: strong. Independent: 0.
	if g2, pmi := Association(10, 10, 10, 1000); g2 < 100 || pmi < 6 {
		t.Errorf("together: G² %.1f PMI %.1f", g2, pmi)
	}
	if g2, pmi := Association(10, 100, 100, 1000); g2 != 0 || pmi != 0 {
		t.Errorf("independent: G² %.1f PMI %.1f", g2, pmi)
	}
}
