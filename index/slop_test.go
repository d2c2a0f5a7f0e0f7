package index

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
)

// bruteSlop is the positional check, by exhaustion: some assignment of
// distinct positions to the phrase's words puts every p_i - i within slop
// of each other.
func bruteSlop(doc, phrase []string, slop int) bool {
	chosen := make([]int, len(phrase))
	used := make([]bool, len(doc))
	var try func(i int) bool
	try = func(i int) bool {
		if i == len(phrase) {
			lo, hi := chosen[0], chosen[0]
			for k, p := range chosen {
				lo, hi = min(lo, p-k), max(hi, p-k)
			}
			return hi-lo <= slop
		}
		for p, w := range doc {
			if w == phrase[i] && !used[p] {
				used[p], chosen[i] = true, p
				if try(i + 1) {
					used[p] = false
					return true
				}
				used[p] = false
			}
		}
		return false
	}
	return try(0)
}

// TestSloppyPhrasesMatchPositionalCheck generates documents and phrases over
// a small vocabulary and checks that the index returns exactly the
// documents the positional check accepts, for slops 0 to 4.
func TestSloppyPhrasesMatchPositionalCheck(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	vocab := []string{"red", "green", "blue", "gold", "iron", "salt"}
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := map[string][]string{}
	var batch []corpus.Article
	for d := 0; d < 300; d++ {
		words := make([]string, 3+rng.Intn(10))
		for i := range words {
			words[i] = vocab[rng.Intn(len(vocab))]
		}
		id := fmt.Sprintf("d%03d", d)
		docs[id] = words
		batch = append(batch, corpus.Article{ID: id, Title: "x", Body: strings.Join(words, " ")})
	}
	if err := ix.Put(batch...); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for c := 0; c < 120; c++ {
		phrase := make([]string, 2+rng.Intn(3))
		for i := range phrase {
			phrase[i] = vocab[rng.Intn(len(vocab))]
		}
		slop := rng.Intn(5)
		var want []string
		for id, words := range docs {
			if bruteSlop(words, phrase, slop) {
				want = append(want, id)
			}
		}
		sort.Strings(want)
		res, err := ix.Search(context.Background(), Request{
			Query: query.Phrase{Field: "body", Words: phrase, Slop: slop}, Size: 1000, Sort: "relevance",
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") || int(res.Total) != len(want) {
			t.Fatalf("%q~%d: index found %d %v, positional check %d %v", phrase, slop, res.Total, got, len(want), want)
		}
		checked += len(want)
	}
	if checked == 0 {
		t.Fatal("no generated phrase matched anything; the test checks nothing")
	}
}

func TestSloppyPhraseSnippetMarksWords(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.Put(corpus.Article{ID: "p", Title: "Crash", Body: "Missiles shot the airliner down over the steppe."})
	res, err := ix.Search(context.Background(), Request{Query: query.Phrase{Words: []string{"shot", "down", "the"}, Slop: 3}, Snippets: 1})
	if err != nil || res.Total != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	if s := res.Hits[0].Snippets[0]; !strings.Contains(s, "<mark>shot</mark> <mark>the</mark> airliner <mark>down</mark>") {
		t.Errorf("snippet %q", s)
	}
}
