package ner

import (
	"embed"
	"strings"
	"sync"
)

// Name lists from outside the training data: places (ISO 3166 names, the
// time zone database's cities, a world list), organisations (institutions,
// companies, sports clubs), nationalities, events and other names, and
// WordNet's named instances. They are features like the training
// gazetteer, but cover names CoNLL's 1996 training text never saw; the
// tagger learns how far to trust each type. Each file says where it comes
// from in its first lines.
//
//go:embed lists/*.txt
var listFiles embed.FS

// readLists builds a gazetteer from the list files that keep(f) picks.
func readLists(keep func(listFile) bool) gazetteer {
	g := gazetteer{}
	eachListName(func(f listFile, name string) {
		if !keep(f) {
			return
		}
		toks := Tokenize(name)
		ws := make([]string, len(toks))
		for i, t := range toks {
			ws[i] = t.Text
		}
		g.add(ws, f.typ)
	})
	return g
}

// eachListName calls fn with every name of every list file, in the order
// of listTypes.
func eachListName(fn func(f listFile, name string)) {
	for _, f := range listTypes {
		b, err := listFiles.ReadFile("lists/" + f.file)
		if err != nil {
			panic(err) // listTypes names a file go:embed did not take
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
				fn(f, line)
			}
		}
	}
}

// listFile is one embedded list: its entity type (index into Types), and
// whether the naming rules consult it too.
type listFile struct {
	file  string
	typ   int
	rules bool
}

// listTypes names every list file. Naming rules that derive names from
// list entries see only the short curated lists (externalLists): with the
// large ones, "Bria" + "n" would make "Brian" a nationality. The tagger
// weighs every list as evidence among others, and rules that look a whole
// name up (a firm's possessive, a headline's casing) see every list too.
var listTypes = []listFile{
	{"places.txt", 2, true}, {"orgs.txt", 1, true}, {"misc.txt", 3, true},
	{"world-places.txt", 2, false}, {"wordnet-places.txt", 2, false},
	{"organisations.txt", 1, false}, {"clubs.txt", 1, false}, {"wordnet-organisations.txt", 1, false},
	{"misc-names.txt", 3, false}, {"wordnet-misc.txt", 3, false},
	{"wordnet-people.txt", 0, false},
}

var (
	ruleListsOnce    = sync.OnceValue(func() gazetteer { return readLists(func(f listFile) bool { return f.rules }) })
	featureListsOnce = sync.OnceValue(func() gazetteer { return readLists(func(listFile) bool { return true }) })
)

// externalLists returns the gazetteer of the lists the naming rules use.
func externalLists() gazetteer { return ruleListsOnce() }

// featureLists returns the gazetteer of every list, for the tagger's
// features.
func featureLists() gazetteer { return featureListsOnce() }
