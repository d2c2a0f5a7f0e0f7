package index

import (
	"bytes"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// stemCounter counts in texts what a positional field indexes of them
// (positional.go): the positions that hold a stem, which are the field's
// length for BM25, and the occurrences of some marked stems. It reads a
// text as the positional analyzer would, but an ASCII text (nearly all
// news) in place: no token is built, and each distinct word is looked up
// once a counter, where the analyzer folds, lower-cases and stems every
// occurrence. Scoring feedback words on a hundred stored articles costs
// about a third of analysing them.
type stemCounter struct {
	positional analysis.Analyzer // for text that is not ASCII
	slots      map[string]int    // the counted marked stems, to their index in freqs
	words      map[string]wordSlot
	lower      []byte
	// initials, while filtering, are the only first letters (lower-cased)
	// of the words worth stemming: a stem begins with its word's initial
	// (TestStemsKeepTheirInitial), so a snippet looking for a few stems
	// skips the other words unread. skipped counts them.
	initials  [128]bool
	filtering bool
	skipped   int
}

// onlyInitialsOf makes the counter skip the words that cannot stem to one
// of the marked stems of want, until the next call; it filters nothing
// when a stem is not a marked stem of an ASCII word.
func (c *stemCounter) onlyInitialsOf(want map[string]bool) {
	c.initials, c.filtering, c.skipped = [128]bool{}, true, 0
	for stem := range want {
		if !isStem(stem) || len(stem) == len(stemMark) || stem[len(stemMark)] >= 0x80 {
			c.filtering = false
			return
		}
		b := stem[len(stemMark)]
		c.initials[b], c.initials[b|0x20] = true, true
	}
}

// wordSlot is what a lower-cased word counts for: its marked stem ("" for
// a stop word, whose position holds none), and which of the counted stems
// it is (-1: none).
type wordSlot struct {
	stem string
	slot int
}

// newStemCounter counts the marked stems stems, freqs[i] for stems[i].
func newStemCounter(positional analysis.Analyzer, stems []string) *stemCounter {
	c := &stemCounter{positional: positional, slots: make(map[string]int, len(stems)), words: map[string]wordSlot{}}
	for i, s := range stems {
		c.slots[s] = i
	}
	return c
}

// count sets freqs (len the stems) to the occurrences of each stem in s,
// and returns the positions of s that hold a stem.
func (c *stemCounter) count(s string, freqs []int) (length int) {
	clear(freqs)
	c.each(s, func(w wordSlot) {
		length++
		if w.slot >= 0 {
			freqs[w.slot]++
		}
	})
	return length
}

// addStems adds to tf the marked stem of each position of s that holds one.
func (c *stemCounter) addStems(s string, tf map[string]int) {
	c.each(s, func(w wordSlot) { tf[w.stem]++ })
}

// each calls visit with each position of s that holds a stem, in order.
func (c *stemCounter) each(s string, visit func(wordSlot)) {
	if !c.eachASCII(s, func(w wordSlot, _, _ int) { visit(w) }) {
		c.eachAnalysed([]byte(strings.ToValidUTF8(s, "\uFFFD")), visit)
	}
}

// eachASCII calls visit with each word of s that holds a stem, and its
// bounds in s, in order, when s is ASCII; it reports whether s is.
func (c *stemCounter) eachASCII(s string, visit func(w wordSlot, start, end int)) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	for i := 0; ; { // read in place
		start, end, _ := nextASCIIWord(s, i)
		if start == end {
			return true
		}
		i = end
		if c.filtering && !c.initials[s[start]|0x20] {
			c.skipped++
			continue
		}
		w := c.lowerCased(s[start:end])
		ws, ok := c.words[string(w)]
		if !ok {
			ws = c.classify(wordStems.stem(w))
			c.words[string(w)] = ws
		}
		if ws.stem != "" {
			visit(ws, start, end)
		}
	}
}

// lowerCased is word lower-cased, as the analyzer's filter does ASCII.
func (c *stemCounter) lowerCased(word string) []byte {
	c.lower = append(c.lower[:0], word...)
	for i, b := range c.lower {
		if 'A' <= b && b <= 'Z' {
			c.lower[i] = b + ('a' - 'A')
		}
	}
	return c.lower
}

// classify is what a position holding the marked stem stem counts for
// (nil: a stop word's, which holds none).
func (c *stemCounter) classify(stem []byte) wordSlot {
	if stem == nil {
		return wordSlot{slot: -1}
	}
	slot, ok := c.slots[string(stem)]
	if !ok {
		slot = -1
	}
	return wordSlot{stem: string(stem), slot: slot}
}

// eachAnalysed is each by the positional analyzer's tokens: a marked stem
// holds its position, and so does a word that is its own stem.
func (c *stemCounter) eachAnalysed(text []byte, visit func(wordSlot)) {
	for _, t := range c.positional.Analyze(text) {
		switch {
		case bytes.HasPrefix(t.Term, []byte(stemMark)):
			visit(c.classify(t.Term))
		case t.Type == ownStem:
			visit(c.classify(markStem(t.Term)))
		}
	}
}
