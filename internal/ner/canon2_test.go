package ner

import (
	"strings"
	"testing"
)

// mentionsIn tags nothing: it makes mentions of the given token ranges of
// text, as the tagger would have found them, for testing the rules alone.
func mentionsIn(text string, spans ...Span) []*mention {
	toks := Tokenize(text)
	ts := &taggedSentence{seg: 1, toks: toks, ctx: &sentCtx{}}
	var ms []*mention
	for _, sp := range spans {
		m := &mention{seg: 1, sent: ts, from: sp.Start, to: sp.End, typ: sp.Type}
		m.name = m.text([]string{"", text})
		ms = append(ms, m)
	}
	return ms
}

func TestHeadNounMakesSpanNonPerson(t *testing.T) {
	// "The State Security Service said ... the Service added ... John Bond said"
	text := "The State Security Service said on Monday that the Service would act . John Bond said so ."
	ms := mentionsIn(text, Span{1, 4, "PER"}, Span{9, 10, "PER"}, Span{14, 16, "PER"})
	ms = retypeByHead(ms)
	if len(ms) != 3 {
		t.Fatalf("%d mentions", len(ms))
	}
	if ms[0].typ != "ORG" {
		t.Errorf("%q typed %s, want ORG", ms[0].name, ms[0].typ)
	}
	// The bare head noun refers back to the one name ending in it.
	if ms[1].name != "State Security Service" || ms[1].typ != "ORG" {
		t.Errorf("bare head noun: %q %s", ms[1].name, ms[1].typ)
	}
	// Negative: a surname that is no head noun stays a person.
	if ms[2].typ != "PER" {
		t.Errorf("%q typed %s", ms[2].name, ms[2].typ)
	}
	// A work or event: "Rose Peace Accord" is miscellaneous.
	ms = retypeByHead(mentionsIn("The Rose Peace Accord held .", Span{1, 4, "PER"}))
	if ms[0].typ != "MISC" {
		t.Errorf("accord typed %s", ms[0].typ)
	}
	// A bare head noun with no longer name is no entity.
	if ms := retypeByHead(mentionsIn("The Directorate said .", Span{1, 2, "PER"})); len(ms) != 0 {
		t.Errorf("lone head noun kept: %q", ms[0].name)
	}
}

func TestDemonyms(t *testing.T) {
	r := testRecognizer(t, nil)
	places := map[string]bool{"kyrgyzstan": true, "mongolia": true, "georgia": true}
	for _, w := range []string{"Kyrgyzstani", "Mongolians", "Georgian", "Georgians", "Omani", "Tajiks"} {
		if !r.isDemonym(w, places) {
			t.Errorf("%s not taken for a nationality", w)
		}
	}
	// Negative: names that only look like a place plus a suffix.
	for _, w := range []string{"Brian", "Adrian", "Jordan", "Georgia", "Mongolia", "Lucian", "Kyrgyzstan"} {
		if r.isDemonym(w, places) {
			t.Errorf("%s taken for a nationality", w)
		}
	}
	es := r.Extract("", "Kyrgyzstani officials met in Bishkek, the capital of Kyrgyzstan, on Monday.")
	for _, e := range es {
		if e.Name == "Kyrgyzstani" && e.Type != "MISC" {
			t.Errorf("nationality typed %s: %v", e.Type, names(es))
		}
	}
}

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

func tokTexts(ts []Token) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return out
}

func TestPeopleGroupIsNoPerson(t *testing.T) {
	r := testRecognizer(t, nil)
	ms := mentionsIn("The Kosovo Albanians and John Smith met the Bosnian Serbs .", Span{1, 3, "PER"}, Span{4, 6, "PER"}, Span{8, 10, "LOC"})
	r.fixDemonyms(ms)
	for _, k := range []int{0, 2} {
		if ms[k].typ != "MISC" {
			t.Errorf("%q typed %s, want MISC", ms[k].name, ms[k].typ)
		}
	}
	if ms[1].typ != "PER" {
		t.Errorf("%q typed %s, want PER", ms[1].name, ms[1].typ)
	}
}
