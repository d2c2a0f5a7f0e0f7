package ner

import (
	"testing"
)

func TestOrgExtendedLeft(t *testing.T) {
	text := "Azerbaijan’s Foreign Intelligence Service acted ; He met President Acme Bank staff ; Israel Intelligence Agency and B-minus Rectifier Corp ."
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("Azerbaijan", "LOC"), span("Intelligence Service", "ORG"), span("Acme Bank", "ORG"),
		span("Israel", "LOC"), span("Intelligence Agency", "ORG"), span("Rectifier Corp", "ORG"))
	extendOrgsLeft(ms, []string{"", text})
	// Negative: no titles, other mentions or hyphenated words are taken in.
	want := "Azerbaijan/LOC Foreign Intelligence Service/ORG Acme Bank/ORG Israel/LOC Intelligence Agency/ORG Rectifier Corp/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestNationalityAndCommonNoun(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "The French Agency has been mobilised ; the French Intelligence Agency and the Azerbaijani Army agreed ."
	ms := spansOf(t, text, [2]string{"French Agency", "ORG"}, [2]string{"French Intelligence Agency", "ORG"}, [2]string{"Azerbaijani Army", "ORG"})
	if !r.isJunk(ms[0]) {
		t.Errorf("%q kept", ms[0].name)
	}
	// Negative: a longer name, and a nationality's army.
	for _, m := range ms[1:] {
		if r.isJunk(m) {
			t.Errorf("%q dropped", m.name)
		}
	}
}

func TestCompleteNames(t *testing.T) {
	text := "Release 32 Armenian Prisoners of War now ; all the Armenian Prisoners of War held ; Armenian Prisoners were freed ."
	toks := Tokenize(text)
	var sps []Span
	n := 0
	for i, tk := range toks {
		if tk.Text != "Armenian" {
			continue
		}
		switch n {
		case 0:
			sps = append(sps, Span{i, i + 4, "MISC"})
		case 1:
			sps = append(sps, Span{i, i + 2, "ORG"}, Span{i + 3, i + 4, "ORG"})
		case 2:
			sps = append(sps, Span{i, i + 2, "ORG"})
		}
		n++
	}
	ms := completeNames(mentionsIn(text, sps...), []string{"", text})
	// Negative: words that do not complete the longer name are left out.
	want := "Armenian Prisoners of War/MISC Armenian Prisoners of War/MISC Armenian Prisoners/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestJoinAcrossAnd(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		text  string
		specs [][2]string
		want  string
	}{
		{"Mossad , Israel’s Institute for Intelligence and Special Operations , was asked .",
			[][2]string{{"Institute for Intelligence", "ORG"}, {"Special Operations", "LOC"}}, "Institute for Intelligence and Special Operations/ORG"},
		// Negative: a second body's name, and a person.
		{"He left Bank of America and First Los Angeles Bank , they said .",
			[][2]string{{"Bank of America", "ORG"}, {"First Los Angeles Bank", "ORG"}}, "Bank of America/ORG First Los Angeles Bank/ORG"},
		{"The Institute for Peace and John Smith , they said .",
			[][2]string{{"Institute for Peace", "ORG"}, {"John Smith", "PER"}}, "Institute for Peace/ORG John Smith/PER"},
	} {
		ms := r.joinAcrossAnd(spansOf(t, c.text, c.specs...), []string{"", c.text})
		if got := typesOf(ms); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}

func TestTakeNationality(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "The French Intelligence Agency met the French Zorbatron Agency ."
	toks := Tokenize(text)
	var sps []Span
	for i, tk := range toks {
		if tk.Text == "French" {
			sps = append(sps, Span{i, i + 1, "MISC"}, Span{i + 1, i + 3, "ORG"})
		}
	}
	ms := r.takeNationality(mentionsIn(text, sps...), []string{"", text})
	// Negative: a name of words news does not write in lower case keeps
	// the nationality apart.
	if got := typesOf(ms); got != "French Intelligence Agency/ORG French/MISC Zorbatron Agency/ORG" {
		t.Errorf("got %s", got)
	}
}

func TestNationalBranchesKeepTheirCountry(t *testing.T) {
	for _, c := range []struct {
		text  string
		spans []Span
		want  string
	}{
		{"Researchers from Transparency International UK , an advocacy group , said so .",
			[]Span{{2, 4, "ORG"}}, "Transparency International UK/ORG"},
		{"Barclays US , Acme Corp USA ( ACU ) and others said so .",
			[]Span{{0, 1, "ORG"}, {1, 2, "LOC"}, {3, 5, "ORG"}, {5, 6, "LOC"}}, "Barclays US/ORG Acme Corp USA/ORG"},
		// Negative: a company's American subsidiary.
		{"Spie Group Inc U.S. subsidiary bought it .", []Span{{0, 3, "ORG"}, {3, 4, "LOC"}}, "Spie Group Inc/ORG U.S./LOC"},
		// Negative: after an acronym, before another name, and a place.
		{"The EU UK talks and Acme UK Prime Minister Jones met in Paris US time .",
			[]Span{{1, 2, "ORG"}, {2, 3, "LOC"}, {5, 6, "ORG"}, {6, 7, "LOC"}, {12, 13, "LOC"}},
			"EU/ORG UK/LOC Acme/ORG UK/LOC Paris/LOC"},
	} {
		ms := joinNationalBranches(mentionsIn(c.text, c.spans...), []string{"", c.text})
		if got := typesOf(ms); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.text, got, c.want)
		}
	}
}

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
