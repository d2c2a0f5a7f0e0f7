package ner

import "testing"

// spansOf finds each "words/TYPE" of specs in text (first occurrence).
func spansOf(t *testing.T, text string, specs ...[2]string) []*mention {
	t.Helper()
	toks := Tokenize(text)
	var sps []Span
	for _, s := range specs {
		sps = append(sps, spanOf(t, toks, s[0], s[1]))
	}
	return mentionsIn(text, sps...)
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

func TestNaturalPlaces(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "A mansion overlooking Hampstead Heath ; Edward Heath visited the Zorbia Heath Trust ."
	ms := spansOf(t, text, [2]string{"Hampstead Heath", "ORG"}, [2]string{"Edward Heath", "PER"}, [2]string{"Zorbia Heath Trust", "ORG"})
	r.retypeNaturalPlaces(ms)
	// Negative: a person named Heath, and a trust named after the heath.
	want := "Hampstead Heath/LOC Edward Heath/PER Zorbia Heath Trust/ORG"
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

func TestPlacesByUse(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "The occupation of Artsakh ended ; Artsakh Armenians left . Zorbatel conflict ; in Azerbaijan’s Karabagh , Karabagh victory ; Zorbacorp shares and Zorbacorp said ."
	toks := Tokenize(text)
	var sps []Span
	for i, tk := range toks {
		switch tk.Text {
		case "Artsakh":
			if toks[i+1].Text == "Armenians" {
				sps = append(sps, Span{i, i + 2, "MISC"})
			} else {
				sps = append(sps, Span{i, i + 1, "ORG"})
			}
		case "Zorbatel", "Karabagh", "Zorbacorp":
			sps = append(sps, Span{i, i + 1, "ORG"})
		case "Azerbaijan":
			sps = append(sps, Span{i, i + 1, "LOC"})
		}
	}
	ms := mentionsIn(text, sps...)
	r.placesByUse(ms)
	// Negative: an organisation whose word is used as no place's.
	want := "Artsakh/LOC Artsakh Armenians/MISC Zorbatel/LOC Azerbaijan/LOC Karabagh/LOC Karabagh/LOC Zorbacorp/ORG Zorbacorp/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
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

func TestAcronymInOtherOrder(t *testing.T) {
	text := "Israel asked the General Directorate of External Security ( DGSE ) to help ; the DGSE agreed ; the Zorbian Security Office ( BSZ ) did not ."
	toks := Tokenize(text)
	ts := &taggedSentence{seg: 1, toks: toks, ctx: &sentCtx{}}
	ms := spansOf(t, text, [2]string{"Directorate", "PER"}, [2]string{"External Security", "ORG"}, [2]string{"DGSE", "ORG"},
		[2]string{"Zorbian Security Office", "ORG"})
	for _, m := range ms {
		m.sent = ts
	}
	dgse2 := &mention{seg: 1, sent: ts, typ: "ORG"}
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].Text == "DGSE" {
			dgse2.from, dgse2.to = i, i+1
			break
		}
	}
	dgse2.name = dgse2.text([]string{"", text})
	ms = append(ms[:3], dgse2, ms[3])
	ms = linkAcronyms(ms, []*taggedSentence{ts}, []string{"", text})
	// Negative: letters that are not the initials in any order.
	want := "General Directorate of External Security/ORG General Directorate of External Security/ORG General Directorate of External Security/ORG Zorbian Security Office/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestAppositionWithTitle(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "It was sent by Mukhtar Babayev , Azerbaijan’s Minister of Ecology , to Yerevan ; Ronen Bar , head of Shin Bet , Israel’s Internal Security Agency , came ."
	ms := spansOf(t, text, [2]string{"Mukhtar Babayev", "LOC"}, [2]string{"Shin Bet", "PER"})
	r.retypeByContext(ms)
	// Negative: the possessive's name ending in a body's head noun.
	want := "Mukhtar Babayev/PER Shin Bet/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestInstitutionIsNoPlace(t *testing.T) {
	text := "He teaches at Barnard College near Hyde Park ."
	ms := spansOf(t, text, [2]string{"Barnard College", "LOC"}, [2]string{"Hyde Park", "LOC"})
	ms = fixFacilities(ms, nil)
	// Negative: a park stays a place.
	if got := typesOf(ms); got != "Barnard College/ORG Hyde Park/LOC" {
		t.Errorf("got %s", got)
	}
}

func TestHeadBeforeOf(t *testing.T) {
	text := "It asked the General Directorate of External Security ; 32 Armenian Prisoners of War were held ."
	ms := spansOf(t, text, [2]string{"General Directorate of External Security", "MISC"}, [2]string{"Armenian Prisoners of War", "MISC"})
	ms = retypeByHead(ms)
	// Negative: prisoners are no body.
	if got := typesOf(ms); got != "General Directorate of External Security/ORG Armenian Prisoners of War/MISC" {
		t.Errorf("got %s", got)
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

func TestGenocideIsNoBody(t *testing.T) {
	ms := spansOf(t, "The Armenian Genocide and the Pasha Bank", [2]string{"Armenian Genocide", "ORG"}, [2]string{"Pasha Bank", "ORG"})
	retypeEvents(ms)
	// Negative: a bank stays one.
	if got := typesOf(ms); got != "Armenian Genocide/MISC Pasha Bank/ORG" {
		t.Errorf("got %s", got)
	}
}

func TestMiscWordUsedAsPlace(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "The Artsakh conflict and the Armenian conflict ; the Social Democrats and Social policy ."
	toks := Tokenize(text)
	ms := mentionsIn(text, spanOf(t, toks, "Artsakh", "MISC"), spanOf(t, toks, "Armenian", "MISC"), spanOf(t, toks, "Social Democrats", "ORG"))
	social := &mention{seg: 1, sent: ms[0].sent, from: len(toks) - 3, to: len(toks) - 2, typ: "MISC"}
	social.name = social.text([]string{"", text})
	ms = append(ms, social)
	r.placesByUse(ms)
	// Negative: a nationality, and a party's members who are no people
	// of a place.
	if got := typesOf(ms); got != "Artsakh/LOC Armenian/MISC Social Democrats/ORG Social/MISC" {
		t.Errorf("got %s", got)
	}
}

func TestLinkInitials(t *testing.T) {
	text := "The United Nations and the UN ; U.S. and United States ; AP , Acme Products and Associated Press ; ZP and Zed Parker ."
	toks := Tokenize(text)
	span := func(words, typ string) Span { return spanOf(t, toks, words, typ) }
	ms := mentionsIn(text, span("United Nations", "ORG"), span("UN", "ORG"), span("U.S.", "LOC"), span("United States", "LOC"),
		span("AP", "ORG"), span("Acme Products", "ORG"), span("Associated Press", "ORG"), span("ZP", "ORG"), span("Zed Parker", "PER"))
	linkInitials(ms)
	// Negative: two names with the initials, and a name of another type.
	want := "United Nations/ORG United Nations/ORG United States/LOC United States/LOC AP/ORG Acme Products/ORG Associated Press/ORG ZP/ORG Zed Parker/PER"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
