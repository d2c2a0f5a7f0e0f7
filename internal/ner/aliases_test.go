package ner

import (
	"strings"
	"testing"
)

func TestBuiltinAliasesParse(t *testing.T) {
	m, err := parseAliases(aliasList)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) < 50 {
		t.Errorf("%d aliases read", len(m))
	}
	for _, bad := range []string{"XYZ\tA | B", "ORG A | B", "ORG\tA |  | B", "ORG\tA | B\nORG\tC | B"} {
		if _, err := parseAliases(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// canonOf runs canonicalNames over spans of text and gives name/TYPE=canon.
func canonOf(t *testing.T, r *Recognizer, text string, specs ...[2]string) string {
	t.Helper()
	ms := spansOf(t, text, specs...)
	r.canonicalNames(ms)
	var out []string
	for _, m := range ms {
		out = append(out, m.name+"/"+m.typ+"="+m.canon)
	}
	return strings.Join(out, " ")
}

func TestBuiltinAliasesByType(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		text  string
		specs [][2]string
		want  string
	}{
		// Short forms and acronyms join their entity's one name.
		{"UKIP and the Lib Dems met Labour Party officials in the U.S. and the UK .",
			[][2]string{{"UKIP", "ORG"}, {"Lib Dems", "ORG"}, {"Labour Party", "ORG"}, {"U.S.", "LOC"}, {"UK", "LOC"}},
			"UKIP/ORG=UK Independence Party Lib Dems/ORG=Liberal Democrats Labour Party/ORG=Labour U.S./LOC=United States UK/LOC=United Kingdom"},
		// The alias list is by type: a person called Labour is no party.
		{"Labour said .", [][2]string{{"Labour", "PER"}}, "Labour/PER=Labour"},
		// A broadcaster's channels are the broadcaster; a dot-com is its firm.
		{"BBC Radio 4 and BBC News quoted Amazon.com and ABC Widgets .",
			[][2]string{{"BBC Radio 4", "ORG"}, {"BBC News", "ORG"}, {"Amazon . com", "ORG"}, {"ABC Widgets", "ORG"}},
			"BBC Radio 4/ORG=BBC BBC News/ORG=BBC Amazon.com/ORG=Amazon ABC Widgets/ORG=ABC Widgets"},
		// Spelling variants of an organisation are one name.
		{"The Zorbian Coffee Organisation and Smith & Jones met .",
			[][2]string{{"Zorbian Coffee Organisation", "ORG"}, {"Smith & Jones", "ORG"}},
			"Zorbian Coffee Organisation/ORG=Zorbian Coffee Organization Smith & Jones/ORG=Smith and Jones"},
	} {
		if got := canonOf(t, r, c.text, c.specs...); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.text, got, c.want)
		}
	}
	// Configured aliases come first.
	r = testRecognizer(t, [][]string{{"Britain", "UK"}})
	if got := canonOf(t, r, "The UK said .", [2]string{"UK", "LOC"}); got != "UK/LOC=Britain" {
		t.Errorf("configured alias: %s", got)
	}
}

func TestCommonNounsInCapitalsDropped(t *testing.T) {
	ms := spansOf(t, "PCs and MPs need an ID , said NATO and the NGO .",
		[2]string{"PCs", "ORG"}, [2]string{"MPs", "PER"}, [2]string{"ID", "LOC"}, [2]string{"NATO", "ORG"}, [2]string{"NGO", "ORG"})
	if got := typesOf(dropCommonNouns(ms)); got != "NATO/ORG NGO/ORG" {
		t.Errorf("got %s", got)
	}
}

func TestRetypeByLists(t *testing.T) {
	ms := spansOf(t, "Oscar winners at Christmas and two Christmases ago : Game Cube , Hewlett Packard , Oscar Wilde and Paris .",
		[2]string{"Oscar", "PER"}, [2]string{"Christmas", "LOC"}, [2]string{"Christmases", "LOC"}, [2]string{"Game Cube", "PER"},
		[2]string{"Hewlett Packard", "PER"}, [2]string{"Oscar Wilde", "PER"}, [2]string{"Paris", "LOC"})
	retypeByLists(ms)
	want := "Oscar/MISC Christmas/MISC Christmases/MISC Game Cube/MISC Hewlett Packard/ORG Oscar Wilde/PER Paris/LOC"
	if got := typesOf(ms); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestShortOrgsAndNicknames(t *testing.T) {
	text := "Manchester United beat Chelsea . United and the Blues drew ; the Gunners and the Reds lost ."
	ms := spansOf(t, text, [2]string{"Manchester United", "ORG"}, [2]string{"Chelsea", "ORG"}, [2]string{"United", "ORG"},
		[2]string{"Blues", "ORG"}, [2]string{"Gunners", "ORG"}, [2]string{"Reds", "ORG"})
	for _, m := range ms {
		m.canon = m.name
	}
	linkShortOrgs(ms)
	linkNicknames(ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.canon)
	}
	// "the Reds" is Manchester United here: the one of its clubs named.
	want := "Manchester United|Chelsea|Manchester United|Chelsea|Arsenal|Manchester United"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	// Without a club of the nickname's named, a shared nickname stays.
	ms = spansOf(t, "The Blues won .", [2]string{"Blues", "ORG"})
	ms[0].canon = ms[0].name
	linkNicknames(ms)
	if ms[0].canon != "Blues" {
		t.Errorf("lone Blues became %s", ms[0].canon)
	}
}
