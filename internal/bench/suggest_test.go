package bench

import (
	"reflect"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
)

func TestGenerateSuggestTypesWords(t *testing.T) {
	src := []corpus.Article{
		{ID: "a", Title: "Harbour traffic rises in March", Body: "x"},
		{ID: "b", Title: "Ministers meet over grain prices", Body: "y"},
	}
	ents := func(id string) map[string][]string {
		return map[string][]string{"person": {"Mara Quill"}}
	}
	a := GenerateSuggest(src, ents, 200, 3)
	if !reflect.DeepEqual(a, GenerateSuggest(src, ents, 200, 3)) {
		t.Fatal("the same seed gave other keystrokes")
	}
	if reflect.DeepEqual(a, GenerateSuggest(src, ents, 200, 4)) {
		t.Fatal("another seed gave the same keystrokes")
	}
	if len(a) != 200 {
		t.Fatalf("%d keystrokes, want 200", len(a))
	}
	// Each text is the one before it and a letter, or starts a new word,
	// or is a whole word with two letters swapped.
	var sources []string
	for _, s := range src {
		sources = append(sources, strings.ToLower(s.Title))
	}
	sources = append(sources, "mara quill")
	starts, typos := 0, 0
	for i, k := range a {
		if k == "" {
			t.Fatalf("keystroke %d is empty", i)
		}
		typo := false
		switch {
		case i > 0 && strings.HasPrefix(k, a[i-1]) && len([]rune(k)) == len([]rune(a[i-1]))+1:
		case len([]rune(k)) == 1:
			starts++
		default:
			typo = true
			typos++
			if i == 0 || len(k) != len(a[i-1])+1 && len(k) != len(a[i-1]) {
				t.Errorf("keystroke %d %q after %q is neither the next letter, a new word nor a typo", i, k, a[i-1])
			}
		}
		found := typo
		for _, s := range sources {
			if strings.Contains(s, strings.ToLower(k)) {
				found = true
			}
		}
		if !found {
			t.Errorf("keystroke %q is from no title or name", k)
		}
	}
	if starts < 10 || typos == 0 {
		t.Errorf("%d words started, %d typos: want many and some", starts, typos)
	}
}

func TestSuggestTarget(t *testing.T) {
	for p99, pass := range map[float64]bool{4.2: true, 10: true, 10.5: false} {
		r := &Report{Cells: []Cell{{Engine: Folio, Class: ClassSuggest, Clients: 1, P99: p99}}}
		got, ok := suggestTarget(r)
		if !ok || got.Pass != pass {
			t.Errorf("p99 %.1f ms: target %+v, want pass %v", p99, got, pass)
		}
	}
	if _, ok := suggestTarget(&Report{}); ok {
		t.Error("a target without a suggest cell")
	}
}
