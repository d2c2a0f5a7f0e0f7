package ner

import "testing"

func TestEventsAreNoOrganisationsOrPlaces(t *testing.T) {
	for _, c := range []struct {
		text  string
		spans []Span
		want  string
	}{
		{"They met at the Baku Conference and read the Pandora Papers .",
			[]Span{{4, 6, "LOC"}, {9, 11, "LOC"}}, "Baku Conference/MISC Pandora Papers/MISC"},
		{"198 countries are parties to the Convention on Climate Change .",
			[]Span{{6, 10, "ORG"}}, "Convention on Climate Change/MISC"},
		{"The War on Terror went on .", []Span{{1, 4, "MISC"}}, "War on Terror/MISC"},
		{"The Treaty of Rome stands .", []Span{{1, 4, "ORG"}}, "Treaty of Rome/MISC"},
		// Negative: the head before "of" or "on" is no event word, nor the
		// last word; a conference on a subject may be a standing body.
		{"The Bank of America and the Commission on Human Rights met in Summit County .",
			[]Span{{1, 4, "ORG"}, {6, 10, "ORG"}, {12, 14, "LOC"}},
			"Bank of America/ORG Commission on Human Rights/ORG Summit County/LOC"},
		{"The United Nations Conference on Trade and Development ( UNCTAD ) met .",
			[]Span{{1, 8, "ORG"}}, "United Nations Conference on Trade and Development/ORG"},
		// Negative: a person keeps the type (head nouns of people are another rule's).
		{"John Summit said so .", []Span{{0, 2, "PER"}}, "John Summit/PER"},
	} {
		ms := mentionsIn(c.text, c.spans...)
		retypeEvents(ms)
		if got := typesOf(ms); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

func TestBracketNamesJoinTheNameBefore(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		text  string
		spans []Span
		want  string
	}{
		{"Abbas Kamel heads the Egyptian General Intelligence Directorate ( Mukhabarat el-amma ) . The Mukhabarat said no .",
			[]Span{{0, 2, "PER"}, {4, 8, "ORG"}, {9, 10, "LOC"}, {14, 15, "LOC"}},
			"Abbas Kamel/PER Egyptian General Intelligence Directorate/ORG Egyptian General Intelligence Directorate/ORG Egyptian General Intelligence Directorate/ORG"},
		{"Talks between Korea Electric Power Corp ( Kepco ) and GE went on . Kepco said so .",
			[]Span{{2, 6, "ORG"}, {7, 8, "LOC"}, {10, 11, "ORG"}, {14, 15, "ORG"}},
			"Korea Electric Power Corp/ORG Korea Electric Power Corp/ORG GE/ORG Korea Electric Power Corp/ORG"},
		{"Armenia was invited to the International Conference on Climate Change ( COP29 ) . Chairing the COP29 is an honour .",
			[]Span{{0, 1, "LOC"}, {5, 10, "MISC"}, {11, 12, "ORG"}, {16, 17, "ORG"}},
			"Armenia/LOC International Conference on Climate Change/MISC International Conference on Climate Change/MISC International Conference on Climate Change/MISC"},
		// Negative: a person in brackets is no other name of the body.
		{"Acme Corp ( John Smith ) said so .", []Span{{0, 2, "ORG"}, {3, 5, "PER"}}, "Acme Corp/ORG John Smith/PER"},
		// Negative: a known place in brackets stays a place.
		{"Shell ( Singapore ) said so .", []Span{{0, 1, "ORG"}, {2, 3, "LOC"}}, "Shell/ORG Singapore/LOC"},
		// Negative: a place's bracket, and a bracket that holds a clause.
		{"Baku ( Azeri Capital ) and Acme Corp ( Boston Globe reported on it today ) .",
			[]Span{{0, 1, "LOC"}, {2, 4, "MISC"}, {6, 8, "ORG"}, {9, 11, "ORG"}},
			"Baku/LOC Azeri Capital/MISC Acme Corp/ORG Boston Globe/ORG"},
	} {
		ms := mentionsIn(c.text, c.spans...)
		r.linkBracketNames(ms)
		if got := typesOf(ms); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.text, got, c.want)
		}
	}
}

func TestSourcesAreNoPlaces(t *testing.T) {
	r := testRecognizer(t, nil)
	ms := mentionsIn("According to Wikipedia , the coup failed ; according to Russia and according to John Smith it did not .",
		Span{2, 3, "LOC"}, Span{10, 11, "LOC"}, Span{14, 16, "PER"})
	r.retypeSources(ms)
	// Negative: a known place and a person keep their types.
	if got := typesOf(ms); got != "Wikipedia/ORG Russia/LOC John Smith/PER" {
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
