package search

import "strings"

// A Fragment is a passage of text with what the query matched in it. The
// text is shown on one line: runs of spaces and line breaks are one space,
// and a passage cut inside a sentence starts or ends with "…".
type Fragment struct {
	Text  string
	Spans []Span // sorted, disjoint byte ranges of Text
}

// Span is a matched byte range [Start, End) of a fragment's text.
type Span struct{ Start, End int }

// Pieces calls f with the fragment's text cut at the edges of its spans,
// in order: marked is true for the text of a span. A caller renders a
// fragment by writing each piece its own way (escaped HTML in <mark>,
// bold on a terminal).
func (f Fragment) Pieces(yield func(text string, marked bool)) {
	pos := 0
	for _, s := range f.Spans {
		if s.Start < pos || s.End > len(f.Text) || s.Start >= s.End {
			continue // not sorted and disjoint: skip rather than slice out of range
		}
		if s.Start > pos {
			yield(f.Text[pos:s.Start], false)
		}
		yield(f.Text[s.Start:s.End], true)
		pos = s.End
	}
	if pos < len(f.Text) {
		yield(f.Text[pos:], false)
	}
}

// Mark returns the fragment's text with each span between open and
// close, as plain text: "[" and "]", or a terminal's bold on and off.
func (f Fragment) Mark(open, close string) string {
	var b strings.Builder
	f.Pieces(func(text string, marked bool) {
		if marked {
			b.WriteString(open)
			b.WriteString(text)
			b.WriteString(close)
			return
		}
		b.WriteString(text)
	})
	return b.String()
}
