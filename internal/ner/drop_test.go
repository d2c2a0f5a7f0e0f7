package ner

import (
	"strings"
	"testing"
)

func TestQuotedCoinage(t *testing.T) {
	text := "They call this a “Kovyor (carpet) operation,” and the ‘Caviar diplomacy,’ goes on ."
	ms := mentionsIn(text, Span{5, 6, "PER"}, Span{15, 16, "PER"})
	if len(ms) != 2 || ms[0].name != "Kovyor" || ms[1].name != "Caviar" {
		t.Fatalf("test spans: %s", typesOf(ms))
	}
	if ms = dropCoinages(ms); len(ms) != 0 {
		t.Errorf("coinages kept: %s", typesOf(ms))
	}
	// Negative: a name after a closing quote, and a quoted name alone.
	text = "“We have tried,” Dauster said. “Now,” said “Markey” himself."
	ms = mentionsIn(text, Span{6, 7, "PER"}, Span{15, 16, "PER"})
	if len(ms) != 2 || ms[0].name != "Dauster" || ms[1].name != "Markey" {
		t.Fatalf("test spans: %s", typesOf(ms))
	}
	if ms = dropCoinages(ms); len(ms) != 2 {
		t.Errorf("names dropped: %s", typesOf(ms))
	}
}

func TestNamePieces(t *testing.T) {
	text := "The Institute for Intelligence and Special Operations met French Intelligence ; Houston-based Simmons and Smith agreed ."
	ms := mentionsIn(text, Span{1, 2, "ORG"}, Span{3, 4, "PER"}, Span{8, 9, "MISC"}, Span{9, 10, "PER"}, Span{11, 12, "MISC"}, Span{12, 13, "PER"}, Span{14, 15, "PER"})
	ms = dropNamePieces(ms)
	if got := typesOf(ms); got != "Institute/ORG French/MISC Houston-based/MISC Simmons/PER Smith/PER" {
		t.Errorf("got %s", got)
	}
}

func TestAbbreviationIsNoName(t *testing.T) {
	r := testRecognizer(t, nil)
	es := r.Extract("Should Pashinyan Go to Baku at Aliyev’s Invitation to Attend an Int’l Conference?", "")
	for _, e := range es {
		if strings.HasPrefix(e.Name, "Int") {
			t.Errorf("abbreviation kept: %s:%q", e.Type, e.Name)
		}
	}
	// Negative: the names around it stay.
	if find(es, "Baku") == nil {
		t.Errorf("Baku lost: %v", names(es))
	}
}

func TestFamilyTakenForAPerson(t *testing.T) {
	ms := mentionsIn("Ilham Aliyev ; Aliyevs Own Buildings ; Serena Williams ; Williams won .",
		Span{0, 2, "PER"}, Span{3, 4, "PER"}, Span{7, 9, "PER"}, Span{10, 11, "PER"})
	for _, m := range ms {
		m.canon = m.name
	}
	// Negative: a surname that ends in s is no family.
	if got := typesOf(dropFamilies(ms)); got != "Ilham Aliyev/PER Serena Williams/PER Williams/PER" {
		t.Errorf("got %s", got)
	}
}

func TestLoneAbbreviationsAndDeities(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "He flew to St. Petersburg . May Allah rest their souls , said Ilham Aliyev ."
	ms := mentionsIn(text, Span{3, 4, "ORG"}, Span{7, 8, "PER"}, Span{13, 15, "PER"})
	if ms[0].name != "St." || ms[1].name != "Allah" {
		t.Fatalf("test spans: %s", typesOf(ms))
	}
	if !r.isJunk(ms[0]) {
		t.Errorf("lone abbreviation %q kept", ms[0].name)
	}
	// Negative: initials-style names stay.
	if u := mentionsIn("The U.S. said .", Span{1, 2, "LOC"}); r.isJunk(u[0]) {
		t.Errorf("%q taken for junk", u[0].name)
	}
	r.fixDemonyms(ms)
	if ms[1].typ != "MISC" || ms[2].typ != "PER" {
		t.Errorf("got %s", typesOf(ms))
	}
}

func TestQuotedTitles(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "In an article titled, “Luxury London Properties Are Hidden Behind an Offshore Trust,” OCCRP said; " +
		"the documentary “History of the Golden Man” was about Acme Corp, and the book “Inside Acme Corp” sold, but he said “Zorba Widgets” twice."
	ms := spansOf(t, text, [2]string{"Luxury London Properties", "ORG"}, [2]string{"Offshore Trust", "ORG"}, [2]string{"OCCRP", "ORG"},
		[2]string{"Golden Man", "ORG"}, [2]string{"Acme Corp", "ORG"}, [2]string{"Zorba Widgets", "ORG"})
	// The second "Acme Corp", inside the book's title.
	toks := Tokenize(text)
	for i := len(toks) - 1; i > 0; i-- {
		if toks[i].Text == "Corp" {
			m := &mention{seg: 1, sent: ms[0].sent, from: i - 1, to: i + 1, typ: "ORG"}
			m.name = m.text([]string{"", text})
			ms = append(ms[:5], m, ms[5])
			break
		}
	}
	ms = r.dropQuotedTitles(ms)
	// Negative: a name the article gives outside the title stays in it,
	// and a quoted name that is no work's title stays.
	want := "OCCRP/ORG Acme Corp/ORG Acme Corp/ORG Zorba Widgets/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestCommonWordsByArticle(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		text string
		want int
	}{
		{"Penthouse apartments are near ; they own flats and penthouses .", 0},
		// Negative: a known place in an article set in lower case in part,
		// and a word the article capitalises mid-sentence too.
		{"Colombia said so ; colombia 's oil flows .", 1},
		{"Penthouse said so ; the Penthouse editor and penthouses .", 1},
	} {
		ms := mentionsIn(c.text, Span{0, 1, "ORG"})
		if got := r.dropCommonByArticle(ms, []*taggedSentence{ms[0].sent}); len(got) != c.want {
			t.Errorf("%q: %d mentions kept, want %d", c.text, len(got), c.want)
		}
	}
}

func TestHeadlineWordAlone(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "Despite His Denials , Aliyev is Upset By International Criticism of Azerbaijan"
	ms := spansOf(t, text, [2]string{"International", "ORG"}, [2]string{"Azerbaijan", "LOC"}, [2]string{"Aliyev", "PER"})
	if !r.isJunk(ms[0]) {
		t.Errorf("%q kept", ms[0].name)
	}
	// Negative: names stay names in a headline.
	for _, m := range ms[1:] {
		if r.isJunk(m) {
			t.Errorf("%q dropped", m.name)
		}
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
