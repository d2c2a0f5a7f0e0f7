package fts5

import (
	"strings"
	"unicode"

	"github.com/folio-search/folio/internal/search"
)

// fragment turns text that highlight() or snippet() marked (markOpen and
// markClose around each match) into a Fragment with spans. With oneLine,
// runs of spaces and line breaks become one space and the edges are
// trimmed, as Folio shows a body fragment; a title is kept as written.
// A stray mark (the text's own) is dropped, so spans are always sorted,
// disjoint and inside the text.
func fragment(marked string, oneLine bool) search.Fragment {
	var b strings.Builder
	var spans []search.Span
	open := false  // inside a match
	start := -1    // where the match's text starts, once it has some
	space := false // a space is due before the next text
	for _, r := range marked {
		switch {
		case r == markOpen:
			open, start = true, -1
		case r == markClose:
			if open && start >= 0 {
				spans = append(spans, search.Span{Start: start, End: b.Len()})
			}
			open = false
		case oneLine && unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if open && start < 0 {
				start = b.Len()
			}
			b.WriteRune(r)
		}
	}
	return search.Fragment{Text: b.String(), Spans: spans}
}

// lead is the first words of a body, on one line, with "…" where cut:
// the fragment of a hit when nothing in it is matched.
func lead(body string, words int) search.Fragment {
	f := strings.Fields(body)
	text := strings.Join(f[:min(words, len(f))], " ")
	if len(f) > words {
		text += "…"
	}
	return search.Fragment{Text: text}
}
