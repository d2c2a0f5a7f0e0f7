package ner

import "testing"

func TestRetypeByClassifier(t *testing.T) {
	r := testRecognizer(t, nil)
	for _, c := range []struct {
		text  string
		specs [][2]string
		want  string
	}{
		// A classifier noun before the name.
		{"Search start-up Quibbl grew .", [][2]string{{"Quibbl", "PER"}}, "Quibbl/ORG"},
		{"The Xbox game Halo 2 sold , and Halo 2 won .", [][2]string{{"Halo", "PER"}}, "Halo/MISC"},
		// A number after a person's name: a product, unless a date's.
		{"Sales of Quasar 3 rose on March 2 .", [][2]string{{"Quasar", "PER"}, {"March", "PER"}}, "Quasar/MISC March/PER"},
		// Through an introducer, to every name of a list.
		{"Companies such as Blinq , Zoph and Crant rose .", [][2]string{{"Blinq", "PER"}, {"Zoph", "PER"}, {"Crant", "LOC"}},
			"Blinq/ORG Zoph/ORG Crant/ORG"},
		{"Windows , codenamed Longhorn , is late .", [][2]string{{"Longhorn", "PER"}}, "Longhorn/MISC"},
		// Negative: people described by their job stay people.
		{"Leaders such as Blair and Smith spoke .", [][2]string{{"Blair", "PER"}, {"Smith", "PER"}}, "Blair/PER Smith/PER"},
		// The end of a work's title, and not a place's or an office's.
		{"Fans saw Harry Potter and the Prisoner of Azkaban and the Gulf of Mexico .",
			[][2]string{{"Azkaban", "PER"}, {"Mexico", "LOC"}}, "Azkaban/MISC Mexico/LOC"},
		{"He met the new President of France .", [][2]string{{"France", "LOC"}}, "France/LOC"},
	} {
		ms := spansOf(t, c.text, c.specs...)
		r.retypeByClassifier(ms)
		if got := typesOf(ms); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.text, got, c.want)
		}
	}
}

func TestClassifierHoldsForEveryMention(t *testing.T) {
	r := testRecognizer(t, nil)
	// The anti-virus firm Zorbix said Zorbix was hit .
	ms := mentionsIn("The anti-virus firm Zorbix said Zorbix was hit .", Span{3, 4, "PER"}, Span{5, 6, "PER"})
	r.retypeByClassifier(ms)
	if got := typesOf(ms); got != "Zorbix/ORG Zorbix/ORG" {
		t.Errorf("got %s", got)
	}
}

func TestRetypeTitles(t *testing.T) {
	r := testRecognizer(t, nil)
	ms := spansOf(t, "Director Martin Scorsese 's The Aviator won , as did The Hague .",
		[2]string{"Martin Scorsese", "PER"}, [2]string{"Aviator", "ORG"}, [2]string{"Hague", "LOC"})
	r.retypeTitles(ms)
	if got := typesOf(ms); got != "Martin Scorsese/PER Aviator/MISC Hague/LOC" {
		t.Errorf("got %s", got)
	}
}
