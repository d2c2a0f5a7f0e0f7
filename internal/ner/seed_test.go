package ner

import (
	"os"
	"strings"
	"testing"
)

// splitSeed splits the tag-page dump into (title, body) pairs.
func splitSeed(t testing.TB, path string) [][2]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	var out [][2]string
	for _, part := range strings.Split(string(b), "\n  • ")[1:] {
		lines := strings.SplitN(part, "\n", 2)
		title := strings.TrimSpace(lines[0])
		body := ""
		if len(lines) > 1 {
			body = lines[1]
			// The first non-empty line repeats the title.
			bl := strings.TrimLeft(body, "\n ")
			if strings.HasPrefix(bl, title) {
				body = bl[len(title):]
			}
		}
		out = append(out, [2]string{title, body})
	}
	return out
}

// TestDevSeed prints the seed articles' entities by type (FOLIO_NER_DEV set;
// FOLIO_NER_MODEL picks a model file instead of the embedded one).
func TestDevSeed(t *testing.T) {
	if os.Getenv("FOLIO_NER_DEV") == "" {
		t.Skip("FOLIO_NER_DEV not set")
	}
	r := testRecognizer(t, nil)
	if p := os.Getenv("FOLIO_NER_MODEL"); p != "" {
		m, err := ReadModelFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r, _ = NewRecognizer(m, nil)
	}
	for i, a := range splitSeed(t, "../../../shared/corpora/seed/000_679b57b0828ebbbd.txt") {
		by := map[string][]string{}
		for _, e := range r.Extract(a[0], a[1]) {
			by[e.Type] = append(by[e.Type], e.Name)
		}
		t.Logf("article %d: %s", i+1, a[0])
		for _, ty := range Types {
			t.Logf("  %s: %q", ty, by[ty])
		}
	}
}
