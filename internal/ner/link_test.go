package ner

import (
	"testing"
)

func TestCanonicalFirstNameLinking(t *testing.T) {
	r := testRecognizer(t, nil)
	es := r.Extract("", "Marina Kovalenko, the founder of the bank, spoke in Kiev on Monday. Marina said profits would rise.")
	if e := find(es, "Marina Kovalenko"); e == nil || len(e.Mentions) != 2 {
		t.Fatalf("first name not linked: %v", names(es))
	}
	if find(es, "Marina") != nil {
		t.Fatalf("first name kept apart: %v", names(es))
	}
	// Negative: two people share the first name; it links to neither.
	es = r.Extract("", "Marina Kovalenko spoke in Kiev on Monday. Her deputy, Marina Petrenko, agreed with her. Marina said profits would rise.")
	for _, n := range []string{"Marina Kovalenko", "Marina Petrenko"} {
		if e := find(es, n); e == nil || len(e.Mentions) != 1 {
			t.Fatalf("%s: ambiguous first name linked or name lost: %v", n, names(es))
		}
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
