package snippet

import (
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/search"
)

// TestCutClipsSpansAtTheEdges: a match that crosses an edge of a fragment
// is marked as far as the fragment goes.
func TestCutClipsSpansAtTheEdges(t *testing.T) {
	text := "the terms of trade fell"
	spans := []search.Span{{Start: 10, End: 18}} // "of trade"
	if got, want := Cut(text, spans, 0, 12).Mark("[", "]"), "the terms [of] …"; got != want {
		t.Errorf("span past the end: %q, want %q", got, want)
	}
	if got, want := Cut(text, spans, 13, len(text)).Mark("[", "]"), "… [trade] fell"; got != want {
		t.Errorf("span before the start: %q, want %q", got, want)
	}
}

// TestCutFoldsWhiteSpace: runs of spaces and line breaks become one space
// and the spans move with the text.
func TestCutFoldsWhiteSpace(t *testing.T) {
	text := "The  terms\n\nof \t trade fell. Then"
	spans := []search.Span{{Start: 4, End: 10}, {Start: 12, End: 23}} // "terms", "of \t trade"
	f := Cut(text, spans, 0, 28)
	if got, want := f.Mark("[", "]"), "The [terms] [of trade] fell."; got != want {
		t.Errorf("folded: %q, want %q", got, want)
	}
	for _, s := range f.Spans {
		if s.Start < 0 || s.End > len(f.Text) || s.Start >= s.End {
			t.Errorf("span %v outside %q", s, f.Text)
		}
	}
}

// TestBestPrefersDistinctMatches: of two passages, the one holding both
// query words comes first, and fragments never overlap.
func TestBestPrefersDistinctMatches(t *testing.T) {
	filler := strings.Repeat("Nothing of note happened here today. ", 8)
	text := "Coffee was mentioned once. " + filler + "Coffee prices rose as coffee growers met. " + filler
	var spans []search.Span
	for _, w := range []string{"Coffee", "prices", "coffee"} {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			spans = append(spans, search.Span{Start: i + j, End: i + j + len(w)})
			i += j + len(w)
		}
	}
	slices.SortFunc(spans, func(a, b search.Span) int { return a.Start - b.Start })
	frags := Best(text, spans, 2)
	if len(frags) != 2 {
		t.Fatalf("got %d fragments: %+v", len(frags), frags)
	}
	if !strings.Contains(frags[0].Mark("[", "]"), "[Coffee] [prices] rose as [coffee]") {
		t.Errorf("best fragment = %q", frags[0].Mark("[", "]"))
	}
	if lead := Best(text, nil, 3); len(lead) != 1 || !strings.HasPrefix(lead[0].Text, "Coffee was mentioned once.") {
		t.Errorf("without matches: %+v, want the lead alone", lead)
	}
}
