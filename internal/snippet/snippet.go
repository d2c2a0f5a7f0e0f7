// Package snippet chooses the passages of an article that a hit shows:
// given the text and the byte spans a query matched in it, it picks the
// fragments with the most distinct matches, of about a sentence or two,
// cut at sentence or word boundaries. It knows nothing of any engine, so
// every engine shows the same passages for the same matches.
package snippet

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/search"
)

// Fragment sizes in bytes of source text: fragments aim for fragTarget and
// end at a sentence end between fragMin and fragMax when there is one.
const (
	fragMin    = 160
	fragTarget = 200
	fragMax    = 220
	// fragLead is how much text before the first match a fragment keeps
	// when it cannot start at the sentence's start.
	fragLead = 50
	// sentenceReach is how far before the match a fragment may start to
	// start with its sentence: far enough for a sentence wrapped over a
	// line or two of wire copy, near enough to leave the match room.
	sentenceReach = 120

	// maxFragmentStarts bounds the matches tried as a fragment's anchor:
	// a hostile article with a million matches costs no more than an
	// ordinary long one.
	maxFragmentStarts = 1000
)

// Best returns up to n fragments of text, best first: those with the most
// distinct matched words, then the most matches, then the earliest. spans
// must be sorted and disjoint. With no span the one fragment is the lead.
func Best(text string, spans []search.Span, n int) []search.Fragment {
	out := []search.Fragment{}
	if n <= 0 || strings.TrimSpace(text) == "" {
		return out
	}
	if len(spans) == 0 {
		start, end := fragmentAround(text, search.Span{})
		return append(out, Cut(text, nil, start, end))
	}
	type frag struct {
		start, end int
		score      int
	}
	anchors := spans[:min(len(spans), maxFragmentStarts)]
	frags := make([]frag, 0, len(anchors))
	distinct := map[string]bool{} // the matched words of one fragment, lower-cased
	for i, s := range anchors {
		start, end := fragmentAround(text, s)
		// Spans are sorted and disjoint: those inside the fragment are a
		// run around i, found by walking out from it.
		lo := i
		for lo > 0 && spans[lo-1].Start >= start {
			lo--
		}
		clear(distinct)
		count := 0
		for _, t := range spans[lo:] {
			if t.End > end {
				break
			}
			distinct[strings.ToLower(text[t.Start:t.End])] = true
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
			if len(chosen) == n {
				break
			}
		}
	}
	for _, f := range chosen {
		out = append(out, Cut(text, spans, f.start, f.end))
	}
	return out
}

// Cut cuts text[start:end] out as a fragment on one line: runs
// of white space become one space, and an ellipsis marks where it cuts a
// sentence. The spans inside it move with the text; a span that crosses
// an edge (a phrase whose last words fall beyond the end) is kept as far
// as the fragment goes.
func Cut(text string, spans []search.Span, start, end int) search.Fragment {
	var b strings.Builder
	if start > 0 && !sentenceStart(text, start) {
		b.WriteString("… ")
	}
	// startAt[i] and endAt[i] are one past where the word rune starting
	// or ending at text[start+i] lands in the fragment; 0 elsewhere.
	tables := edgeTables.Get().(*[]int32)
	defer func() {
		if cap(*tables) <= maxPooledEdges { // a rare long cut is not kept
			edgeTables.Put(tables)
		}
	}()
	n := end - start + 1
	*tables = slices.Grow((*tables)[:0], 2*n)[:2*n]
	clear(*tables)
	startAt, endAt := (*tables)[:n], (*tables)[n:]
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
		startAt[i-start] = int32(b.Len() + 1)
		b.WriteString(text[i : i+size])
		i += size
		endAt[i-start] = int32(b.Len() + 1)
	}
	f := search.Fragment{}
	for _, s := range spans {
		if s.End <= start || s.Start >= end {
			continue
		}
		from, to := max(s.Start, start)-start, min(s.End, end)-start
		for from < to && startAt[from] == 0 {
			from++
		}
		for to > from && endAt[to] == 0 {
			to--
		}
		if from < to {
			f.Spans = append(f.Spans, search.Span{Start: int(startAt[from]) - 1, End: int(endAt[to]) - 1})
		}
	}
	if end < len(text) && !sentenceEnd(text, end) {
		b.WriteString(" …")
	}
	f.Text = b.String()
	return f
}

// edgeTables are Cut's tables, reused: a page's thirty fragments would
// otherwise allocate a quarter of what a search with snippets does.
var edgeTables = sync.Pool{New: func() any { return new([]int32) }}

const maxPooledEdges = 1 << 14

// fragmentAround chooses a fragment of about fragTarget bytes holding s:
// from the start of s's sentence if that is near, else from a word
// boundary a little before s; to a sentence end if one falls between
// fragMin and fragMax, else to a word boundary.
func fragmentAround(text string, s search.Span) (start, end int) {
	start = sentenceStartBefore(text, s.Start, sentenceReach)
	if start < 0 {
		start = wordStartAtOrAfter(text, s.Start-fragLead, s.Start)
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
	if end < s.End { // a match longer than a fragment is shown whole
		end = s.End
	}
	return start, end
}

// sentenceEnd reports whether a sentence ends just before byte i: after
// ., ! or ? (and a closing quote), at a space or line break, unless the
// next word starts lower-case ("U.S. oil output" goes on).
func sentenceEnd(text string, i int) bool {
	if i <= 0 || i > len(text) {
		return false
	}
	if i < len(text) {
		r, _ := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			return false
		}
		if next, _ := utf8.DecodeRuneInString(text[skipSpace(text, i):]); unicode.IsLower(next) {
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

// sentenceStart reports whether the word at byte i starts a sentence: it
// follows a sentence end or a paragraph break, or nothing. A single line
// break is not a paragraph break: wire copy wraps its lines inside
// sentences. A paragraph break is a blank line or a line break before an
// indented line.
func sentenceStart(text string, i int) bool {
	j := i
	breaks, indented := 0, false
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsSpace(r) {
			break
		}
		if r == '\n' {
			breaks++
			indented = indented || j < i // white space between this break and the word
		}
		j -= size
	}
	if j == 0 || breaks > 1 || breaks == 1 && indented {
		return true
	}
	return sentenceEnd(text, j)
}

// sentenceStartBefore is the start of the sentence holding byte i, or -1
// when it lies more than within bytes before i.
func sentenceStartBefore(text string, i, within int) int {
	for j := i; j > 0; {
		if i-j > within {
			return -1
		}
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if unicode.IsSpace(r) {
			if k := skipSpace(text, j); sentenceStart(text, k) {
				return k
			}
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
