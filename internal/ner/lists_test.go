package ner

import (
	"io/fs"
	"testing"
)

// Every embedded list is read with a type, and each type's names reach
// the gazetteer.
func TestEveryListHasAType(t *testing.T) {
	typed := map[string]bool{}
	for _, f := range listTypes {
		typed[f.file] = true
	}
	files, err := fs.Glob(listFiles, "lists/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(listTypes) {
		t.Errorf("%d list files embedded, %d typed", len(files), len(listTypes))
	}
	for _, f := range files {
		if !typed[f[len("lists/"):]] {
			t.Errorf("%s has no type in listTypes", f)
		}
	}
	g := featureLists()
	for _, c := range []struct {
		name string
		typ  int
	}{
		{"Manchester United", 1}, {"Deutsche Bank", 1}, {"Azerbaijan", 2}, {"Rio de Janeiro", 2},
		{"World Cup", 3}, {"Albert Einstein", 0},
	} {
		h := phraseKey(Tokenize(c.name))
		if g[h]&(1<<c.typ) == 0 {
			t.Errorf("%q: types %04b, want %s among them", c.name, g[h], Types[c.typ])
		}
	}
}
