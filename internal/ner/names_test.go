package ner

import (
	"testing"
)

func TestRepublicsTakeTheShortName(t *testing.T) {
	text := "The Republic of Armenia , Armenia , the Islamic Republic of Iran and Iran ; the Republic of Kazakhstan and the Czech Republic ."
	ms := mentionsIn(text, Span{1, 4, "LOC"}, Span{5, 6, "LOC"}, Span{8, 12, "LOC"}, Span{13, 14, "LOC"}, Span{16, 19, "LOC"}, Span{21, 23, "LOC"})
	foldRepublics(ms, []string{"", text})
	// Negative: Kazakhstan is not named short, and "Czech Republic" has no "of".
	want := "Armenia/LOC Armenia/LOC Iran/LOC Iran/LOC Republic of Kazakhstan/LOC Czech Republic/LOC"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// A name written across a line break or a run of spaces is cleaned, and
// so shorter than the text it spans.
func TestRepublicsAcrossWhiteSpace(t *testing.T) {
	text := "Armenia and the Republic of\n                              Armenia ."
	ms := mentionsIn(text, Span{0, 1, "LOC"}, Span{3, 6, "LOC"})
	foldRepublics(ms, []string{"", text})
	if got := typesOf(ms); got != "Armenia/LOC Armenia/LOC" {
		t.Errorf("got %s", got)
	}
}

func TestCapitalsHeadlinesTakeTheListsCasing(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct{ title, body, want string }{
		{"CANADA SETS NEW TRADE TALKS", "Talks open next week, officials said.", "Canada"},
		{"NEW YORK BANKS RAISE PRIME RATE", "Banks raised rates on Monday.", "New York"},
		// Negative: a name the lists write in capitals stays so.
		{"OPEC OUTPUT RISES IN MARCH", "Output rose in March, a survey said.", "OPEC"},
	} {
		es := r.Extract(c.title, c.body)
		if e := find(es, c.want); e == nil || len(e.TitleMentions) != 1 {
			t.Errorf("%q: got %v, want %q", c.title, names(es), c.want)
		}
	}
	for name, want := range map[string]string{"NEW YORK": "New York", "FED": "Fed", "OPEC": "", "ZORBATRON": ""} {
		if got, _ := listCasing(name); got != want {
			t.Errorf("listCasing(%q) = %q, want %q", name, got, want)
		}
	}
	// Negative: capitals in running text are no headline.
	if inCapitals(Tokenize("The FED said rates would rise, its spokesman said.")) {
		t.Error("running text taken for a capitals headline")
	}
}

func TestLegalFormsLeaveCanonicalNames(t *testing.T) {
	r := testRecognizer(t, nil)
	// The entity's name is canonical, its mention the words as written.
	es := r.Extract("", "General Motors Corp said sales fell. A General Motors spokesman said more. Co Inc said nothing.")
	if e := find(es, "General Motors"); e == nil || len(e.Mentions) != 2 || find(es, "General Motors Corp") != nil {
		t.Errorf("General Motors: %v", names(es))
	} else if m := e.Mentions[0]; m.End-m.Start != len("General Motors Corp") {
		t.Errorf("first mention spans %d bytes, want the words as written", m.End-m.Start)
	}
	// Negative: a name of legal forms alone is no name.
	text := "Co Inc ; General Motors Corp"
	ms := mentionsIn(text, Span{0, 2, "ORG"}, Span{3, 6, "ORG"})
	if !r.isJunk(ms[0]) || r.isJunk(ms[1]) {
		t.Error("isJunk: a bare legal form kept, or a firm's name taken for junk")
	}
}

func TestStateAbbreviations(t *testing.T) {
	for name, want := range map[string]string{"Calif": "California", "Calif.": "California", "N.Y.": "New York",
		"W.Va.": "West Virginia", "Tex": "Texas",
		// Negative: postal capitals, unknown words, a title and full names.
		"PA": "", "NY": "", "Cali": "", "Miss": "", "Texas": "", "L.A.": ""} {
		if got := stateName(name); got != want {
			t.Errorf("stateName(%q) = %q, want %q", name, got, want)
		}
	}
	r := testRecognizer(t, nil)
	es := r.Extract("", "Acme Corp, based in Irvine, Calif., said sales rose. Its plant in California will close.")
	if e := find(es, "California"); e == nil || len(e.Mentions) != 2 || find(es, "Calif") != nil {
		t.Errorf("California: %v", names(es))
	}
}
