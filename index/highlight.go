package index

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/snippet"
)

// maxSnippetText is how many bytes of a body are searched for matches to
// show.
const maxSnippetText = 1 << 20

// highlighter marks what a query matched in stored text. Folio finds the
// matches itself, by analysing the text with the index's own analyzers,
// rather than through Bleve's highlighter: it needs several fragments per
// hit, sentence boundaries and a matched phrase as one <mark>.
type highlighter struct {
	ix        *Index
	m         *matchSet
	fragments int
	meter     *meter       // counts the work; once the search's context is done, matching stops early
	stems     *stemCounter // the stems of ASCII text, each word looked up once a search
}

func (ix *Index) newHighlighter(ctx context.Context, m *matchSet, fragments int) *highlighter {
	return &highlighter{ix: ix, m: m, fragments: fragments, meter: newMeter(ctx)}
}

// appliesTo reports whether a match on query field qf ("" = title and
// body) concerns the stored field f.
func appliesTo(qf, f string) bool { return qf == "" || qf == f }

// spans returns the sorted, non-overlapping ranges of text (the stored
// value of field) that the query matched.
func (h *highlighter) spans(field, text string) []search.Span {
	if text == "" || h.m == nil {
		return nil
	}
	var out []search.Span
	if len(h.m.terms) > 0 {
		want := map[string]bool{}
		for _, t := range h.m.terms {
			if appliesTo(t.field, field) {
				want[t.text] = true
			}
		}
		if len(want) > 0 {
			out = h.termSpans(text, want)
		}
	}
	if len(h.m.phrases)+len(h.m.prefixes)+len(h.m.fuzzy) > 0 {
		exact := h.ix.exact.Analyze([]byte(text))
		h.meter.step(0, len(exact))
		for _, p := range h.m.phrases {
			if appliesTo(p.field, field) {
				out = append(out, phraseSpans(exact, p, h.meter)...)
			}
		}
		for _, tok := range exact {
			if h.meter.step(0, len(h.m.prefixes)+len(h.m.fuzzy)) != nil {
				break // the search is over; it reports why
			}
			term := string(tok.Term)
			for _, p := range h.m.prefixes {
				if appliesTo(p.field, field) && strings.HasPrefix(term, p.text) {
					out = append(out, search.Span{Start: tok.Start, End: tok.End})
				}
			}
			for _, z := range h.m.fuzzy {
				if appliesTo(z.field, field) && withinEdits(term, z.text, z.distance) {
					out = append(out, search.Span{Start: tok.Start, End: tok.End})
				}
			}
		}
	}
	return mergeSpans(out)
}

// termSpans are the words of text whose stem is wanted (marked stems), as
// the stemming analyzer finds them; the stem counter reads ASCII text.
func (h *highlighter) termSpans(text string, want map[string]bool) []search.Span {
	var out []search.Span
	if h.stems == nil {
		h.stems = newStemCounter(h.ix.positional, nil)
	}
	h.stems.onlyInitialsOf(want)
	words := 0
	ascii := h.stems.eachASCII(text, func(w wordSlot, start, end int) {
		words++
		if want[w.stem] {
			out = append(out, search.Span{Start: start, End: end})
		}
	})
	h.stems.filtering = false
	if ascii {
		h.meter.step(0, words+h.stems.skipped)
		return out
	}
	tokens := h.ix.text.Analyze([]byte(text))
	h.meter.step(0, len(tokens))
	for _, tok := range tokens {
		if want[string(tok.Term)] {
			out = append(out, search.Span{Start: tok.Start, End: tok.End})
		}
	}
	return out
}

// phraseSpans finds the phrase in a token stream of the exact analyzer,
// by the same rule the index applies (sloppyMatches). An exact phrase is
// one span from its first word to its last; with slop, each word is marked
// on its own, since other words may stand between them. mt counts the
// work; when it stops the matching, the spans found so far are returned.
func phraseSpans(tokens analysis.TokenStream, p phraseMatch, mt *meter) []search.Span {
	want := map[string]bool{}
	for _, w := range p.words {
		want[w] = true
	}
	positions := map[string][]int{}
	byPos := map[int]*analysis.Token{}
	for _, t := range tokens {
		if want[string(t.Term)] {
			positions[string(t.Term)] = append(positions[string(t.Term)], t.Position)
			byPos[t.Position] = t
		}
	}
	var out []search.Span
	matches, _ := sloppyMatches(p.words, positions, p.slop, false, mt)
	for _, m := range matches {
		if p.slop == 0 {
			out = append(out, search.Span{Start: byPos[m[0]].Start, End: byPos[m[len(m)-1]].End})
			continue
		}
		for _, pos := range m {
			out = append(out, search.Span{Start: byPos[pos].Start, End: byPos[pos].End})
		}
	}
	return out
}

// mergeSpans sorts spans and joins overlapping ones.
func mergeSpans(s []search.Span) []search.Span {
	if len(s) < 2 {
		return s
	}
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start || s[i].Start == s[j].Start && s[i].End > s[j].End })
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.Start < last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

// title returns the title with its matches.
func (h *highlighter) title(text string) search.Fragment {
	return search.Fragment{Text: text, Spans: h.spans(fTitle, text)}
}

// bodyFragments returns up to h.fragments fragments of the body, best first,
// with their matches (see snippet.Best).
func (h *highlighter) bodyFragments(body string) []search.Fragment {
	if h.fragments <= 0 || strings.TrimSpace(body) == "" {
		return []search.Fragment{}
	}
	// Matches are looked for in the first maxSnippetText bytes: a hostile
	// article costs no more to analyse than an ordinary long one.
	text := body
	if len(text) > maxSnippetText {
		cut := maxSnippetText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	spans := h.spans(fBody, text)
	return snippet.Best(body, spans, h.fragments)
}

// withinEdits reports whether a and b are at most d edits apart
// (Levenshtein distance, by runes).
func withinEdits(a, b string, d int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > d {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > d {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
