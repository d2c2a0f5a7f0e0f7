package index

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/folio-search/folio/internal/search"
)

// Snippet sizes in bytes of source text: fragments aim for fragTarget and
// end at a sentence end between fragMin and fragMax when there is one.
const (
	fragMin    = 160
	fragTarget = 200
	fragMax    = 220
	// fragLead is how much text before the first match a fragment keeps
	// when it cannot start at the sentence's start.
	fragLead = 50

	maxSnippetText    = 1 << 20 // bytes of a body searched for snippets
	maxFragmentStarts = 1000    // matches tried as a fragment's anchor
)

// highlighter marks what a query matched in stored text. Folio finds the
// matches itself, by analysing the text with the index's own analyzers,
// rather than through Bleve's highlighter: it needs several fragments per
// hit, sentence boundaries and a matched phrase as one <mark>.
type highlighter struct {
	ix        *Index
	m         *matchSet
	fragments int
	meter     *meter // counts the work; once the search's context is done, matching stops early
}

func (ix *Index) newHighlighter(ctx context.Context, m *matchSet, fragments int) *highlighter {
	return &highlighter{ix: ix, m: m, fragments: fragments, meter: newMeter(ctx)}
}

// span is a marked byte range of the text.
type span struct{ start, end int }

// appliesTo reports whether a match on query field qf ("" = title and
// body) concerns the stored field f.
func appliesTo(qf, f string) bool { return qf == "" || qf == f }

// spans returns the sorted, non-overlapping ranges of text (the stored
// value of field) that the query matched.
func (h *highlighter) spans(field, text string) []span {
	if text == "" || h.m == nil {
		return nil
	}
	var out []span
	if len(h.m.terms) > 0 {
		want := map[string]bool{}
		for _, t := range h.m.terms {
			if appliesTo(t.field, field) {
				want[t.text] = true
			}
		}
		if len(want) > 0 {
			tokens := h.ix.text.Analyze([]byte(text))
			h.meter.step(0, len(tokens))
			for _, tok := range tokens {
				if want[string(tok.Term)] {
					out = append(out, span{tok.Start, tok.End})
				}
			}
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
					out = append(out, span{tok.Start, tok.End})
				}
			}
			for _, z := range h.m.fuzzy {
				if appliesTo(z.field, field) && withinEdits(term, z.text, z.distance) {
					out = append(out, span{tok.Start, tok.End})
				}
			}
		}
	}
	return mergeSpans(out)
}

// phraseSpans finds the phrase in a token stream of the exact analyzer,
// by the same rule the index applies (sloppyMatches). An exact phrase is
// one span from its first word to its last; with slop, each word is marked
// on its own, since other words may stand between them. mt counts the
// work; when it stops the matching, the spans found so far are returned.
func phraseSpans(tokens analysis.TokenStream, p phraseMatch, mt *meter) []span {
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
	var out []span
	matches, _ := sloppyMatches(p.words, positions, p.slop, false, mt)
	for _, m := range matches {
		if p.slop == 0 {
			out = append(out, span{byPos[m[0]].Start, byPos[m[len(m)-1]].End})
			continue
		}
		for _, pos := range m {
			out = append(out, span{byPos[pos].Start, byPos[pos].End})
		}
	}
	return out
}

// mergeSpans sorts spans and joins overlapping ones.
func mergeSpans(s []span) []span {
	if len(s) < 2 {
		return s
	}
	sort.Slice(s, func(i, j int) bool { return s[i].start < s[j].start || s[i].start == s[j].start && s[i].end > s[j].end })
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.start < last.end {
			if x.end > last.end {
				last.end = x.end
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// title returns the title with its matches.
func (h *highlighter) title(text string) search.Fragment {
	f := search.Fragment{Text: text}
	for _, s := range h.spans(fTitle, text) {
		f.Spans = append(f.Spans, search.Span{Start: s.start, End: s.end})
	}
	return f
}

// bodyFragments returns up to h.fragments fragments of the body, best first,
// with their matches. With no match in the body the first fragment is its
// lead.
func (h *highlighter) bodyFragments(body string) []search.Fragment {
	out := []search.Fragment{}
	if h.fragments <= 0 || strings.TrimSpace(body) == "" {
		return out
	}
	// Snippets come from the first maxSnippetText bytes, and fragments are
	// tried around the first maxFragmentStarts matches: a hostile article
	// with a million matches costs no more than an ordinary long one.
	text := body
	if len(text) > maxSnippetText {
		cut := maxSnippetText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	spans := h.spans(fBody, text)
	if len(spans) == 0 {
		start, end := fragmentAround(body, span{0, 0})
		return append(out, cutFragment(body, nil, start, end))
	}

	type frag struct {
		start, end int
		score      int
	}
	var frags []frag
	for i, s := range spans[:min(len(spans), maxFragmentStarts)] {
		start, end := fragmentAround(body, s)
		// Spans are sorted and disjoint: those inside the fragment are a
		// run around i, found by walking out from it.
		lo := i
		for lo > 0 && spans[lo-1].start >= start {
			lo--
		}
		distinct := map[string]bool{}
		count := 0
		for _, t := range spans[lo:] {
			if t.end > end {
				break
			}
			distinct[strings.ToLower(body[t.start:t.end])] = true
			count++
		}
		frags = append(frags, frag{start, end, len(distinct)*10 + count})
	}
	// Best first; among equals, the earlier in the text.
	sort.SliceStable(frags, func(i, j int) bool { return frags[i].score > frags[j].score })
	var chosen []frag
	for _, f := range frags {
		overlaps := false
		for _, c := range chosen {
			overlaps = overlaps || f.start < c.end && c.start < f.end
		}
		if !overlaps {
			chosen = append(chosen, f)
			if len(chosen) == h.fragments {
				break
			}
		}
	}
	for _, f := range chosen {
		out = append(out, cutFragment(body, spans, f.start, f.end))
	}
	return out
}

// cutFragment cuts text[start:end] out as a fragment on one line: runs
// of white space become one space, and an ellipsis marks where it cuts a
// sentence. The spans inside it move with the text; a span that crosses
// an edge (a phrase whose last words fall beyond the end) is kept as far
// as the fragment goes.
func cutFragment(text string, spans []span, start, end int) search.Fragment {
	var b strings.Builder
	if start > 0 && !sentenceStart(text, start) {
		b.WriteString("… ")
	}
	// startAt[i] and endAt[i] are where the word rune starting or ending
	// at text[start+i] lands in the fragment; -1 elsewhere.
	startAt := make([]int, end-start+1)
	endAt := make([]int, end-start+1)
	for i := range startAt {
		startAt[i], endAt[i] = -1, -1
	}
	words, space := false, false
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(text[i:end])
		if unicode.IsSpace(r) {
			space = true
			i += size
			continue
		}
		if space && words {
			b.WriteByte(' ')
		}
		space, words = false, true
		startAt[i-start] = b.Len()
		b.WriteString(text[i : i+size])
		i += size
		endAt[i-start] = b.Len()
	}
	f := search.Fragment{}
	for _, s := range spans {
		if s.end <= start || s.start >= end {
			continue
		}
		from, to := max(s.start, start)-start, min(s.end, end)-start
		for from < to && startAt[from] < 0 {
			from++
		}
		for to > from && endAt[to] < 0 {
			to--
		}
		if from < to {
			f.Spans = append(f.Spans, search.Span{Start: startAt[from], End: endAt[to]})
		}
	}
	if end < len(text) && !sentenceEnd(text, end) {
		b.WriteString(" …")
	}
	f.Text = b.String()
	return f
}

// fragmentAround chooses a fragment of about fragTarget bytes holding s:
// from the start of s's sentence if that is near, else from a word
// boundary a little before s; to a sentence end if one falls between
// fragMin and fragMax, else to a word boundary.
func fragmentAround(text string, s span) (start, end int) {
	start = sentenceStartBefore(text, s.start, fragTarget-fragMin)
	if start < 0 {
		start = wordStartAtOrAfter(text, s.start-fragLead, s.start)
	}
	limit := start + fragMax
	if limit >= len(text) {
		return start, len(text)
	}
	end = -1
	for i := start + fragMin; i <= limit && i < len(text); i++ {
		if sentenceEnd(text, i) {
			end = i
		}
	}
	if end < 0 {
		end = wordEndAtOrBefore(text, start+fragTarget)
	}
	if end < s.end { // a match longer than a fragment is shown whole
		end = s.end
	}
	return start, end
}

// sentenceEnd reports whether a sentence ends just before byte i: after
// ., ! or ? (and a closing quote), at a space or line break.
func sentenceEnd(text string, i int) bool {
	if i <= 0 || i > len(text) {
		return false
	}
	if i < len(text) {
		r, _ := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			return false
		}
	}
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if strings.ContainsRune("\"'’”)", r) {
			j -= size
			continue
		}
		return r == '.' || r == '!' || r == '?'
	}
	return false
}

func sentenceStart(text string, i int) bool {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if r == '\n' {
			return true
		}
		if !unicode.IsSpace(r) {
			return sentenceEnd(text, j)
		}
		j -= size
	}
	return true
}

// sentenceStartBefore is the start of the sentence holding byte i, or -1
// when it lies more than within bytes before i.
func sentenceStartBefore(text string, i, within int) int {
	for j := i; j > 0; {
		if i-j > within {
			return -1
		}
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if r == '\n' || (unicode.IsSpace(r) && sentenceEnd(text, j-size)) {
			return skipSpace(text, j)
		}
		j -= size
	}
	return 0
}

func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// wordStartAtOrAfter moves i forward to the start of a word, but not
// past limit.
func wordStartAtOrAfter(text string, i, limit int) int {
	if i <= 0 {
		return 0
	}
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	for i < len(text) && i < limit {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			return skipSpace(text, i)
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return min(i, len(text))
}

// wordEndAtOrBefore moves i back to the end of a word. Text with no
// space before i (one giant token) is cut at i.
func wordEndAtOrBefore(text string, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	j := i
	for j > 0 { // back to a space
		if r, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsSpace(r) {
			break
		}
		_, size := utf8.DecodeLastRuneInString(text[:j])
		j -= size
	}
	for j > 0 { // back over the spaces
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsSpace(r) {
			break
		}
		j -= size
	}
	if j == 0 {
		return i
	}
	return j
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
