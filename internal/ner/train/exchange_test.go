package train

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
