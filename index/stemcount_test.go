package index

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/search"
)

// A stem counter finds in a text the stems the stemming analyzer makes of
// it, as often, and where: feedback learns its words from it, and
// snippets mark the query's words by it. Hard forms first, then news.
func TestStemCounterGivesTheAnalyzersStems(t *testing.T) {
	ix := openTemp(t)
	texts := []string{
		"IBM'S profits and IBM's profit rose; the profits' rise was Ibm’s.",
		"Oil, oils and oiled rigs: the oil of Brazil's oilfields, OIL stocks.",
		"Café prices in São Paulo rose 221,000 tonnes; cafe exports, CAFÉS.",
		"The the and of it is was to be: \xff oil price \xfe prices pricing.",
		"of the and", "", "U.S. 3.5 pct, 1,000 dlrs; don't won't it's a_b x2y",
	}
	for _, a := range newsArticles(t, 2000) {
		texts = append(texts, a.Title+"\n"+a.Body)
	}
	checkSpans(t, ix, texts)
	counter := newStemCounter(ix.positional, nil)
	for _, text := range texts {
		want := map[string]int{}
		// Stored text is valid UTF-8 (encoding/json wrote it); the analyzer
		// would stop at an invalid byte.
		for _, term := range ix.analyze(ix.text, strings.ToValidUTF8(text, "\uFFFD")) {
			want[term]++
		}
		got := map[string]int{}
		counter.addStems(text, got)
		if !maps.Equal(got, want) {
			t.Errorf("%.60q: counted %v, the analyzer %v", text, got, want)
		}
	}
}

// checkSpans wants the highlighter to mark in each text the words the
// stemming analyzer finds for some of the text's own stems.
func checkSpans(t *testing.T, ix *Index, texts []string) {
	t.Helper()
	h := ix.newHighlighter(context.Background(), &matchSet{}, 3)
	for _, text := range texts {
		text = strings.ToValidUTF8(text, "\uFFFD")
		tokens := ix.text.Analyze([]byte(text))
		want := map[string]bool{}
		for i, tok := range tokens {
			if i%5 == 0 {
				want[string(tok.Term)] = true
			}
		}
		var spans []search.Span
		for _, tok := range tokens {
			if want[string(tok.Term)] {
				spans = append(spans, search.Span{Start: tok.Start, End: tok.End})
			}
		}
		if got := h.termSpans(text, want); !slices.Equal(got, spans) {
			t.Errorf("%.60q: marked %v, the analyzer %v", text, got, spans)
		}
	}
}

// A word's stem begins with the word's first letter, lower-cased: the
// snippets skip the words whose initial no wanted stem has
// (stemCounter.initials). Snowball only ever takes suffixes off (and
// its exceptions, dying → die, keep the initial too); every word of the
// Reuters and BBC articles is checked, and the exceptions.
func TestStemsKeepTheirInitial(t *testing.T) {
	words := map[string]bool{}
	for _, w := range strings.Fields("skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes Yes yelling YYY y's 1987s _x a's") {
		words[w] = true
	}
	for _, a := range newsArticles(t, 1_000_000) {
		text := []byte(a.Title + "\n" + a.Body)
		if !isASCII(string(text)) {
			continue // the counter reads only ASCII text in place
		}
		for i := 0; ; {
			start, end, _ := nextASCIIWord(text, i)
			if start == end {
				break
			}
			i = end
			words[string(text[start:end])] = true
		}
	}
	for w := range words {
		lower := []byte(strings.ToLower(w))
		s := wordStem(lower)
		if s != nil && (len(s) == len(stemMark) || s[len(stemMark)] != lower[0]) {
			t.Errorf("%q stems to %q", w, s)
		}
	}
	if len(words) < 50_000 {
		t.Fatalf("only %d distinct words", len(words))
	}
	t.Logf("%d distinct words keep their initial", len(words))
}
