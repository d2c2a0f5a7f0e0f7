package ner

import (
	"embed"
	"strings"
	"sync"
)

// Name lists from outside the training data: places (ISO 3166 names and
// the time zone database's cities), well-known organisations and
// nationalities. They are features like the training gazetteer, but cover
// names CoNLL's 1996 training text never saw.
//
//go:embed lists/*.txt
var listFiles embed.FS

var listOnce = sync.OnceValue(func() gazetteer {
	g := gazetteer{}
	for _, f := range []struct {
		file string
		typ  int
	}{{"lists/places.txt", 2}, {"lists/orgs.txt", 1}, {"lists/misc.txt", 3}} {
		b, err := listFiles.ReadFile(f.file)
		if err != nil {
			panic(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			toks := Tokenize(line)
			ws := make([]string, len(toks))
			for i, t := range toks {
				ws[i] = t.Text
			}
			g.add(ws, f.typ)
		}
	}
	return g
})

// externalLists returns the gazetteer of the embedded name lists.
func externalLists() gazetteer { return listOnce() }

var listTable = sync.OnceValue(func() *gazTable { return compileGazetteer(listOnce()) })
