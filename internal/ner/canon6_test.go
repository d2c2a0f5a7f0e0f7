package ner

import (
	"strings"
	"testing"
)

func TestPossessivesInFirmNames(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "Moody's Investors Service Inc ; McDonald's Corp ; Lloyd's of London ; Moody's ; " +
		"Britain's Labour Party ; Eastern Europe Group's Bureau ; Reagan's ; Acme's ; Moody's and Standard"
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("Moody 's Investors Service Inc", "ORG"), span("McDonald 's Corp", "ORG"),
		span("Lloyd 's of London", "ORG"), Span{15, 17, "ORG"}, span("Britain 's Labour Party", "ORG"),
		span("Eastern Europe Group 's Bureau", "ORG"), span("Reagan 's", "PER"), span("Acme 's", "ORG"),
		span("Moody 's and Standard", "ORG"))
	ms = r.cleanMentions(cutAtNonName(ms), []string{"", text})
	// Negative: a place's, a longer name's, a person's and an unknown
	// firm's possessive are cut as before.
	want := "Moody's Investors Service Inc/ORG McDonald's Corp/ORG Lloyd's of London/ORG Moody's/ORG " +
		"Britain/ORG Eastern Europe Group/ORG Reagan/PER Acme/ORG Moody's/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPartnerJoinedLeft(t *testing.T) {
	text := "Standard and Poor's Corp said ; IBM and Moody's Investors Service said ; But Moody's Corp said ; Hanson and Smith's Corp ; " +
		"Standard and Poor's said ; Savings and Loan Association ; Britain and France Telecom ; Tokyo and Westpac Banking Corp ; Capital Markets and Salomon Brothers Inc"
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("Poor 's Corp", "ORG"), span("IBM", "ORG"), span("Moody 's Investors Service", "ORG"),
		span("Moody 's Corp", "ORG"), span("Smith 's Corp", "PER"), Span{29, 30, "ORG"}, span("Loan Association", "ORG"),
		span("France Telecom", "ORG"), span("Westpac Banking Corp", "ORG"),
		span("Salomon Brothers Inc", "ORG"))
	testRecognizer(t, nil).joinPartnersLeft(ms, []string{"", text})
	// Negative: a partner that is a name of its own, a word that opens
	// the sentence, a place, a person, the end of another name, and a
	// name that is neither a founder's nor ends in a body's word stay
	// apart.
	want := "Standard and Poor's Corp/ORG IBM/ORG Moody's Investors Service/ORG Moody's Corp/ORG Smith's Corp/PER " +
		"Standard and Poor's/ORG Savings and Loan Association/ORG France Telecom/ORG Westpac Banking Corp/ORG Salomon Brothers Inc/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A company's ending alone is no name either.
func TestWireAbbreviationsAreNoNames(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "Nine Mths ; N.Z. Dlrs ; Shr Profit ; Nine West ; PCT Holdings Inc ; CO ; Corp"
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("Nine Mths", "PER"), span("N.Z. Dlrs", "PER"), span("Shr Profit", "ORG"),
		span("Nine West", "ORG"), span("PCT Holdings Inc", "ORG"), span("CO", "LOC"), Span{len(toks) - 1, len(toks), "ORG"})
	ms = r.cleanMentions(ms, []string{"", text})
	// Negative: whole words only, and an acronym in running text stays.
	if got := typesOf(ms); got != "Nine West/ORG PCT Holdings Inc/ORG" {
		t.Errorf("got %s", got)
	}
}

func TestPartnershipsAreFirms(t *testing.T) {
	text := "analyst at James Capel and Co said ; Alex. Brown and Sons Inc ; Smith and Wesson ; Jones and Co ; Goldman Sachs and Co ; Capel said"
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("James Capel", "PER"), span("Alex . Brown", "PER"), span("Smith", "PER"), span("Wesson", "PER"),
		span("Jones", "PER"), Span{21, 22, "ORG"}, span("Goldman Sachs", "ORG"),
		Span{len(toks) - 2, len(toks) - 1, "PER"})
	extendPartnerships(ms, []string{"", text})
	// Negative: two people joined by "and" stay people, a word in
	// another mention is not taken, and an organisation keeps its name.
	want := "James Capel and Co/ORG Alex. Brown and Sons Inc/ORG Smith/PER Wesson/PER Jones/PER Co/ORG Goldman Sachs/ORG James Capel and Co/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestOfficeHoldersSplitFromBodies(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "Federal Reserve Board Chairman Paul Volcker ; U.S. Trade Representative Clayton Yeutter said ; " +
		"ICCO Executive Director Kobena Erbynn ; Office of the U.S. Trade Representative ; Acme Chairman Foundation ; UN Secretary General"
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("Federal Reserve Board Chairman Paul Volcker", "ORG"), span("U.S. Trade Representative Clayton", "ORG"),
		span("ICCO Executive Director Kobena Erbynn", "ORG"), span("Office of the U.S. Trade Representative", "ORG"),
		span("Acme Chairman Foundation", "ORG"), span("UN Secretary General", "ORG"))
	ms = r.cleanMentions(splitAtTitles(ms), []string{"", text})
	// "U.S. Trade" is no name and goes. Negative: an office named last, a
	// body's name that ends in what names a body, and a title before a
	// title are not cut.
	want := "Federal Reserve Board/ORG Paul Volcker/PER Clayton Yeutter/PER ICCO/ORG Kobena Erbynn/PER " +
		"Office of the U.S. Trade Representative/ORG Acme Chairman Foundation/ORG UN Secretary General/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
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

func TestSignOffsAreNoNames(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		body, name string
		want       bool // whether the name stays
	}{
		{"Texaco said sales rose in March, Chairman John Smith said.\n REUTER...", "reuter", false},
		{"Texaco said sales rose in March, Chairman John Smith said.\nREUTER\n", "reuter", false},
		// Negative: a name in the last sentence, one alone on a line that
		// is not the last, and a place ending a table stay.
		{"Texaco said sales rose, Chairman John Smith told Peter Reuter.", "reuter", true},
		{"Texaco said sales rose.\nReuter\nChairman John Smith spoke to Peter Reuter on Monday.", "reuter", true},
		{"Chairman John Smith said the tenders came from France, Italy and\n Luxembourg", "luxembourg", true},
	} {
		es := r.Extract("", c.body)
		if find(es, "John Smith") == nil {
			t.Fatalf("%q: the tagger found %v", c.body, names(es))
		}
		kept := false
		for _, e := range es {
			kept = kept || strings.Contains(strings.ToLower(e.Name), c.name)
		}
		if kept != c.want {
			t.Errorf("%q: %s kept %v, want %v: %v", c.body, c.name, kept, c.want, names(es))
		}
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
