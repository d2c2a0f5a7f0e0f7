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

// TestFragmentsStartAtSentenceStarts: in wire copy wrapped at hard line
// breaks, a fragment starts where its sentence starts, or with "…" when
// it is cut; a line break inside a sentence is not a sentence start, and
// a paragraph break (an indented line or a blank line) is.
func TestFragmentsStartAtSentenceStarts(t *testing.T) {
	long := strings.Repeat("The ministry said output would be reviewed at the end of\nthe season, ", 6)
	for _, tc := range []struct {
		name, text, match, want string
	}{
		{"wrapped line inside a sentence", "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects for the coming temporao.",
			"January", "Showers continued"},
		{"indented paragraph", "The dry period ended in March and farmers were pleased with\nthe rain\n    Arrivals for the week ended February 22 were 155,221 bags\nof 60 kilos.",
			"kilos", "Arrivals for"},
		{"blank line", "A heading without a stop\n\nPrices rose sharply on\nthe news of the frost.",
			"frost", "Prices rose"},
		{"an abbreviation's stop before a lower-case word", "Energy Secretary John Herrington has\nproposed several ways to boost U.S. oil production, but he said\nall would cost money.",
			"production", "Energy Secretary"},
		{"sentence far back is cut with an ellipsis", long + "and cocoa arrivals\nwere slow.", "cocoa", "… "},
	} {
		i := strings.Index(tc.text, tc.match)
		frags := Best(tc.text, []search.Span{{Start: i, End: i + len(tc.match)}}, 1)
		if len(frags) != 1 {
			t.Fatalf("%s: %d fragments", tc.name, len(frags))
		}
		if got := frags[0].Text; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: fragment %q, want it to start with %q", tc.name, got, tc.want)
		}
	}
	// A fragment cut at a wrapped line's start is marked as cut.
	text := "Showers continued throughout the week in\nthe Bahia cocoa zone."
	start := strings.Index(text, "the Bahia")
	if got := Cut(text, nil, start, len(text)).Text; got != "… the Bahia cocoa zone." {
		t.Errorf("cut at a wrapped line: %q", got)
	}
	if got := Cut(text, nil, 0, len(text)).Text; got != "Showers continued throughout the week in the Bahia cocoa zone." {
		t.Errorf("whole text: %q", got)
	}
}
