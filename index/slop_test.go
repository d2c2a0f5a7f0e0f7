package index

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
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
		res, err := ix.Search(context.Background(), search.Request{
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
	res, err := ix.Search(context.Background(), search.Request{Query: query.Phrase{Words: []string{"shot", "down", "the"}, Slop: 3}, Fragments: 1})
	if err != nil || res.Total != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	if s := snippets(res.Hits[0])[0]; !strings.Contains(s, "<mark>shot</mark> <mark>the</mark> airliner <mark>down</mark>") {
		t.Errorf("snippet %q", s)
	}
}

// backtrackingMatches is the slop matcher Folio had before, kept as the
// reference for the occurrences the highlighter marks: for every anchor
// (smallest p_i - i) in turn, the first assignment of distinct positions
// that a backtracking search in phrase order finds. It takes exponential
// time on repeated words, so it only sees small inputs.
func backtrackingMatches(words []string, positions map[string][]int, slop int) [][]int {
	anchors := map[int]bool{}
	for i, w := range words {
		for _, p := range positions[w] {
			anchors[p-i] = true
		}
	}
	var sorted []int
	for a := range anchors {
		sorted = append(sorted, a)
	}
	sort.Ints(sorted)
	var out [][]int
	chosen := make([]int, len(words))
	used := map[int]bool{}
	var place func(i, anchor int) bool
	place = func(i, anchor int) bool {
		if i == len(words) {
			return true
		}
		for _, p := range positions[words[i]] {
			if p < anchor+i || p > anchor+i+slop || used[p] {
				continue
			}
			used[p], chosen[i] = true, p
			ok := place(i+1, anchor)
			delete(used, p)
			if ok {
				return true
			}
		}
		return false
	}
	for _, a := range sorted {
		if place(0, a) {
			out = append(out, append([]int(nil), chosen...))
		}
	}
	return out
}

// TestSlopMatcherAgreesWithBacktracking compares the polynomial matcher
// with exhaustive search on many random small documents: the same
// documents match (bruteSlop), and the same occurrences are found, so
// snippets mark the same words.
func TestSlopMatcherAgreesWithBacktracking(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	vocab := []string{"a", "b", "c"}
	matched := 0
	for c := 0; c < 20000; c++ {
		doc := make([]string, 1+rng.Intn(14))
		positions := map[string][]int{}
		for p := range doc {
			doc[p] = vocab[rng.Intn(len(vocab))]
			positions[doc[p]] = append(positions[doc[p]], p)
		}
		phrase := make([]string, 1+rng.Intn(5))
		for i := range phrase {
			phrase[i] = vocab[rng.Intn(len(vocab))]
		}
		slop := rng.Intn(6)
		got, err := sloppyMatches(phrase, positions, slop, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := backtrackingMatches(phrase, positions, slop)
		if fmt.Sprint(dedupe(got)) != fmt.Sprint(dedupe(want)) {
			t.Fatalf("%q in %q, slop %d: matcher %v, backtracking %v", phrase, doc, slop, got, want)
		}
		first, _ := sloppyMatches(phrase, positions, slop, true, nil)
		if exists := bruteSlop(doc, phrase, slop); exists != (len(first) > 0) || exists != (len(want) > 0) {
			t.Fatalf("%q in %q, slop %d: positional check %v, matcher %v", phrase, doc, slop, exists, first)
		}
		for _, m := range got {
			for i := range m {
				if doc[m[i]] != phrase[i] {
					t.Fatalf("%q in %q: occurrence %v puts word %d on %q", phrase, doc, m, i, doc[m[i]])
				}
			}
		}
		if len(got) > 0 {
			matched++
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d inputs matched; the test checks too little", matched)
	}
}

// dedupe lists distinct occurrences in order.
func dedupe(ms [][]int) [][]int {
	var out [][]int
	seen := map[string]bool{}
	for _, m := range ms {
		if k := fmt.Sprint(m); !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

// TestSlopMatcherOnRepeatedWordsIsFast runs the phrase of issue #15, one
// word twenty times with slop 100, over a document of that word alone:
// backtracking tried the orders of the words' occurrences one by one.
func TestSlopMatcherOnRepeatedWordsIsFast(t *testing.T) {
	phrase := strings.Fields(strings.Repeat("the ", 20))
	positions := map[string][]int{}
	for p := 0; p < 2000; p += 3 {
		positions["the"] = append(positions["the"], p)
	}
	for _, stopAtFirst := range []bool{true, false} {
		done := make(chan [][]int, 1)
		go func() {
			m, _ := sloppyMatches(phrase, positions, 100, stopAtFirst, nil)
			done <- m
		}()
		select {
		case m := <-done:
			if len(m) == 0 {
				t.Fatal("no occurrence found")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("matching twenty repeated words took over 5 s")
		}
	}
	// One occurrence short: a word too few times.
	few := map[string][]int{"the": positions["the"][:19]}
	if m, _ := sloppyMatches(phrase, few, 100, true, nil); len(m) != 0 {
		t.Fatalf("19 occurrences matched 20 uses: %v", m)
	}
}
