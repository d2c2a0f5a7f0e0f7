package ner

import (
	"strings"
	"testing"
)

func TestCutAtNonName(t *testing.T) {
	text := "the West who gave all , and CIA ; and others met on Dec. 7 ."
	ms := cutAtNonName(mentionsIn(text, Span{1, 5, "LOC"}, Span{7, 10, "ORG"}, Span{13, 15, "LOC"}))
	var got []string
	for _, m := range ms {
		got = append(got, strings.Join(tokTexts(m.toks()), " "))
	}
	want := []string{"West", "CIA", "Dec."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
	// Negative: particles and connectors inside names stay.
	ms = cutAtNonName(mentionsIn("Ludwig van Beethoven and Bank of England .", Span{0, 3, "PER"}, Span{4, 7, "ORG"}))
	if len(ms) != 2 || ms[0].to != 3 || ms[1].to != 7 {
		t.Fatalf("names with particles cut: %v", ms)
	}
}

func TestPlaceAndPerson(t *testing.T) {
	r := testRecognizer(t, nil)
	ms := mentionsIn("Prime Minister of Turkey Tansu Ciller gave the green light .", Span{3, 6, "ORG"})
	ms = r.splitPlaceAndPerson(ms)
	for _, m := range ms {
		m.name = m.text([]string{"", "Prime Minister of Turkey Tansu Ciller gave the green light ."})
	}
	if got := typesOf(ms); got != "Turkey/LOC Tansu Ciller/PER" {
		t.Errorf("got %s", got)
	}
	// Negative: a place in an organisation's name is no person's.
	ms = r.splitPlaceAndPerson(mentionsIn("The New York Stock Exchange opened .", Span{1, 5, "ORG"}))
	if len(ms) != 1 || ms[0].typ != "ORG" {
		t.Errorf("split: %s", typesOf(ms))
	}
}

func TestSplitAtPlace(t *testing.T) {
	r := testRecognizer(t, nil)
	text := "The COP29 Summit in Baku opens . Baku is ready . The Bank in Transition Fund met ."
	ms := mentionsIn(text, Span{1, 5, "ORG"}, Span{7, 8, "LOC"}, Span{12, 16, "ORG"})
	ms = r.splitAtPlace(ms, []string{"", text})
	// Negative: "in" before a word that is no known place stays inside.
	want := "COP29 Summit/ORG Baku/LOC Baku/LOC Bank in Transition Fund/ORG"
	if got := typesOf(ms); got != want {
		t.Errorf("got %s\nwant %s", got, want)
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
