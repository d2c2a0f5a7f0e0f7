package quote

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
)

// ent is an entity of body named at every place one of its spellings
// stands, as the recogniser would give it.
func ent(typ, name, body string, spellings ...string) corpus.Entity {
	e := corpus.Entity{Type: typ, Name: name}
	taken := map[int]bool{}
	for _, s := range append([]string{name}, spellings...) {
		for i := 0; ; {
			j := strings.Index(body[i:], s)
			if j < 0 {
				break
			}
			if !taken[i+j] {
				e.Mentions = append(e.Mentions, corpus.Mention{Start: i + j, End: i + j + len(s)})
				for k := i + j; k < i+j+len(s); k++ {
					taken[k] = true
				}
			}
			i += j + len(s)
		}
	}
	return e
}

// extract runs Extract and checks what holds for every quote: its
// offsets give its text, and a speaker comes with a kind and a route.
func extract(t *testing.T, body string, ents ...corpus.Entity) []corpus.Quote {
	t.Helper()
	a := &corpus.Article{Body: body, Entities: ents}
	qs := Extract(a)
	for _, q := range qs {
		if q.Start < 0 || q.End > len(body) || body[q.Start:q.End] != q.Text {
			t.Fatalf("quote %q: offsets %d:%d do not give it", q.Text, q.Start, q.End)
		}
		if (q.Speaker == "") != (q.SpeakerKind == corpus.SpeakerUnknown) || (q.Speaker == "") != (q.Route == "") {
			t.Fatalf("quote %q: speaker %q kind %q route %q", q.Text, q.Speaker, q.SpeakerKind, q.Route)
		}
	}
	return qs
}

type want struct{ text, speaker, route, cue string }

func check(t *testing.T, got []corpus.Quote, wants ...want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d quotes %+v, want %d", len(got), got, len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.Text != w.text || g.Speaker != w.speaker || g.Route != w.route || g.Cue != w.cue {
			t.Errorf("quote %d = %q by %q (%s, cue %q), want %q by %q (%s, cue %q)",
				i, g.Text, g.Speaker, g.Route, g.Cue, w.text, w.speaker, w.route, w.cue)
		}
	}
}

func TestEveryMarkStyle(t *testing.T) {
	for _, marks := range [][2]string{{`"`, `"`}, {"“", "”"}, {"„", "“"}, {"«", "»"}, {"»", "«"}, {"‹", "›"}, {"‘", "’"}, {"'", "'"}} {
		body := "The talks ended late. " + marks[0] + "We will not sign this treaty," + marks[1] + " said Ilham Aliyev."
		got := extract(t, body, ent("PER", "Ilham Aliyev", body))
		check(t, got, want{"We will not sign this treaty,", "Ilham Aliyev", RouteExplicit, "said"})
	}
}

func TestNestedQuoteIsOne(t *testing.T) {
	body := `"They told me 'never again' and I believed them," said Jane Hollis.`
	got := extract(t, body, ent("PER", "Jane Hollis", body))
	check(t, got, want{`They told me 'never again' and I believed them,`, "Jane Hollis", RouteExplicit, "said"})
	body = `“He called it “a farce” before the vote,” said Jane Hollis.`
	check(t, extract(t, body, ent("PER", "Jane Hollis", body)),
		want{`He called it “a farce” before the vote,`, "Jane Hollis", RouteExplicit, "said"})
}

func TestMultiParagraphQuote(t *testing.T) {
	// The opening mark repeats at each paragraph; only the last closes.
	body := "Jane Hollis said: \"We came here to work, not to argue.\n\n\"And we will stay until the job is done.\"\n\nThe meeting closed at noon."
	got := extract(t, body, ent("PER", "Jane Hollis", body))
	check(t, got,
		want{"We came here to work, not to argue.", "Jane Hollis", RouteExplicit, "said"},
		want{"And we will stay until the job is done.", "Jane Hollis", RouteContinuation, "said"})
	// The same quote with its paragraphs merged into one.
	body = "Jane Hollis said: \"We came here to work, not to argue. \"And we will stay until the job is done.\" The meeting closed."
	got = extract(t, body, ent("PER", "Jane Hollis", body))
	check(t, got,
		want{"We came here to work, not to argue.", "Jane Hollis", RouteExplicit, "said"},
		want{"And we will stay until the job is done.", "Jane Hollis", RouteContinuation, "said"})
}

func TestSplitQuoteHasOneSpeaker(t *testing.T) {
	body := `Mrs Hollis left the hall early. "We will win this," she said, "and nothing will stop us."`
	got := extract(t, body, ent("PER", "Jane Hollis", body, "Hollis"))
	check(t, got,
		want{"We will win this,", "Jane Hollis", RoutePronoun, "said"},
		want{"and nothing will stop us.", "Jane Hollis", RoutePronoun, "said"})
}

func TestNotQuotes(t *testing.T) {
	for _, body := range []string{
		`The so-called "peace dividend" never arrived in the region.`,       // scare quotes
		`He starred in "The Lord of the Rings" and then retired.`,           // a title
		`Their "Buy British Now" campaign ran for three years.`,             // a slogan
		`The firm is described as "a pioneer of cheap flights" by many.`,    // a passive: nobody speaks
		`Leaflets calling for a "day of reckoning" were found.`,             // a demand, not speech
		`Mr Bell oversaw the "Lovin' It" advertising campaign at the firm.`, // a name
		`The "secret agent" told him the papers had been found in a cave.`,  // a subject, not a cue
		`He should not apologise for his "Nazi" comment to a reporter, Tom Bell has insisted.`,
		`The band has dubbed its sound "blip-pop."`, // a name given
	} {
		if got := extract(t, body, ent("PER", "Bell", body)); len(got) != 0 {
			t.Errorf("%s: found %+v", body, got)
		}
	}
	// The same short words are a quote when someone is said to speak them.
	body := `Sir Teddy Taylor said the plan was "fully workable".`
	check(t, extract(t, body, ent("PER", "Teddy Taylor", body)), want{"fully workable", "Teddy Taylor", RouteExplicit, "said"})
}

func TestApostrophesAreNotQuotes(t *testing.T) {
	body := "It wasn't the ’80s any more, and Aliyev’s party didn't care for the players' union. " +
		"'We can't stop Aliyev’s reforms now,' said Ilham Aliyev. The '90s were different."
	got := extract(t, body, ent("PER", "Ilham Aliyev", body, "Aliyev"))
	check(t, got, want{"We can't stop Aliyev’s reforms now,", "Ilham Aliyev", RouteExplicit, "said"})
}

func TestUnclosedMarkStopsAtParagraphEnd(t *testing.T) {
	body := "Jane Hollis said: \"We will not stop this work, whatever they say\n\n" +
		"Later, \"the vote is a disgrace,\" said Tom Reid."
	got := extract(t, body, ent("PER", "Jane Hollis", body), ent("PER", "Tom Reid", body))
	check(t, got,
		want{"We will not stop this work, whatever they say", "Jane Hollis", RouteExplicit, "said"},
		want{"the vote is a disgrace,", "Tom Reid", RouteExplicit, "said"})
	// Wire copy starts a paragraph with an indented line.
	body = "Jane Hollis said: \"We will not stop this work, whatever\nthey say\n    Later, \"the vote is a disgrace,\" said Tom Reid."
	got = extract(t, body, ent("PER", "Jane Hollis", body), ent("PER", "Tom Reid", body))
	check(t, got,
		want{"We will not stop this work, whatever\nthey say", "Jane Hollis", RouteExplicit, "said"},
		want{"the vote is a disgrace,", "Tom Reid", RouteExplicit, "said"})
}

func TestExplicitPatterns(t *testing.T) {
	people := func(body string) []corpus.Entity {
		return []corpus.Entity{ent("PER", "Tony Blair", body, "Blair"), ent("ORG", "BBC", body)}
	}
	for _, c := range []struct {
		body string
		want want
	}{
		{`"The talks were hard but fair," Tony Blair said.`, want{"The talks were hard but fair,", "Tony Blair", RouteExplicit, "said"}},
		{`"The talks were hard but fair," said Tony Blair.`, want{"The talks were hard but fair,", "Tony Blair", RouteExplicit, "said"}},
		{`Tony Blair said: "The talks were hard but fair."`, want{"The talks were hard but fair.", "Tony Blair", RouteExplicit, "said"}},
		{`Tony Blair told the BBC: "The talks were hard but fair."`, want{"The talks were hard but fair.", "Tony Blair", RouteExplicit, "told the BBC"}},
		{`Tony Blair said in a statement: "The talks were hard."`, want{"The talks were hard.", "Tony Blair", RouteExplicit, "said in a statement"}},
		{`The deal is "a step forward", according to Tony Blair.`, want{"a step forward", "Tony Blair", RouteExplicit, "according to"}},
		{`"It is over," chief executive Tony Blair said.`, want{"It is over,", "Tony Blair", RouteExplicit, "said"}},
		{`"It is over," Tony Blair has insisted.`, want{"It is over,", "Tony Blair", RouteExplicit, "has insisted"}},
		{`Tony Blair, who spoke after the summit in Brussels, warned: "It is over."`, want{"It is over.", "Tony Blair", RouteExplicit, "warned"}},
	} {
		t.Run(c.body, func(t *testing.T) { check(t, extract(t, c.body, people(c.body)...), c.want) })
	}
}

func TestTitlesAndPronouns(t *testing.T) {
	body := "Prime Minister Tony Blair met Mrs Jane Hollis in London. " +
		`Mr Blair said: "We agreed on the budget." "It was a long night," she said. ` +
		`"The budget is fair," the prime minister added.`
	got := extract(t, body, ent("PER", "Tony Blair", body, "Blair"), ent("PER", "Jane Hollis", body, "Hollis"))
	check(t, got,
		want{"We agreed on the budget.", "Tony Blair", RouteTitle, "said"},
		want{"It was a long night,", "Jane Hollis", RoutePronoun, "said"},
		want{"The budget is fair,", "Tony Blair", RouteTitle, "added"})
	// The nearest person is not the speaker when the quote names him.
	body = `Tom Reid told reporters he would stay. Coach Sam Hart picked the side. "Sam has been great to me," he said.`
	got = extract(t, body, ent("PER", "Tom Reid", body), ent("PER", "Sam Hart", body, "Sam"))
	check(t, got, want{"Sam has been great to me,", "Tom Reid", RoutePronoun, "said"})
}

func TestContinuationKeepsSpeaker(t *testing.T) {
	body := "\"We have done what we promised,\" said Jane Hollis.\n\n\"Now the rest is up to the voters.\""
	got := extract(t, body, ent("PER", "Jane Hollis", body))
	check(t, got,
		want{"We have done what we promised,", "Jane Hollis", RouteExplicit, "said"},
		want{"Now the rest is up to the voters.", "Jane Hollis", RouteContinuation, "said"})
	// After indirect speech the quote keeps the speaker, not a cue.
	body = "Geoff Barrow said the band was surprised by the news. \"We've just had our heads down for a year.\""
	check(t, extract(t, body, ent("PER", "Geoff Barrow", body)),
		want{"We've just had our heads down for a year.", "Geoff Barrow", RouteContinuation, ""})
}

func TestOrganisations(t *testing.T) {
	body := `The Home Office moved to cut claims. "The scheme was short-term and has ended," the ministry said. ` +
		`"No one was turned away for their race," a Home Office spokesman said.`
	got := extract(t, body, ent("ORG", "Home Office", body))
	check(t, got,
		want{"The scheme was short-term and has ended,", "Home Office", RouteOrganisation, "said"},
		want{"No one was turned away for their race,", "Home Office", RouteOrganisation, "said"})
}

func TestNeverGuesses(t *testing.T) {
	body := `Tony Blair arrived late. "This is the worst decision in a generation," a judge said. ` +
		`"We will be back next year with more of the same."`
	got := extract(t, body, ent("PER", "Tony Blair", body))
	check(t, got,
		want{"This is the worst decision in a generation,", "", "", "said"},
		want{"We will be back next year with more of the same.", "", "", ""})
	// A pronoun with no person before it within reach stays unknown.
	body = `"The market will recover by spring," he said.`
	check(t, extract(t, body), want{"The market will recover by spring,", "", "", "said"})
}

func TestWithoutEntitiesSpeakersAsWritten(t *testing.T) {
	body := `"We will not sign this treaty," said Jane Hollis. Later Lord Tebbit said: "Nor will we."`
	check(t, extract(t, body),
		want{"We will not sign this treaty,", "Jane Hollis", RouteExplicit, "said"},
		want{"Nor will we.", "Lord Tebbit", RouteTitle, "said"})
}

func TestLabelFormat(t *testing.T) {
	body := "City won 2-0.\n- Manchester City boss Kevin Keegan: \"We had a great chance to take the lead early on.\""
	check(t, extract(t, body, ent("PER", "Kevin Keegan", body)),
		want{"We had a great chance to take the lead early on.", "Kevin Keegan", RouteExplicit, ""})
}

func TestHeadlineQuotes(t *testing.T) {
	a := &corpus.Article{Title: "'We will win the vote,' says Blair", Body: "Tony Blair spoke in Sedgefield."}
	a.Entities = []corpus.Entity{ent("PER", "Tony Blair", a.Body, "Blair")}
	got := ExtractTitle(a)
	if len(got) != 1 || got[0].Text != "We will win the vote," || got[0].Speaker != "Tony Blair" ||
		a.Title[got[0].Start:got[0].End] != got[0].Text {
		t.Fatalf("headline quotes = %+v", got)
	}
}

// TestManyMarksBoundedTime feeds thousands of unbalanced marks of every
// style; the scan is linear, so this takes milliseconds. The bound is
// generous for a shared machine.
func TestManyMarksBoundedTime(t *testing.T) {
	var b strings.Builder
	pieces := []string{`"`, "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", " said Tom Reid ", "he said, ", "words ", "\n\n"}
	for i := 0; b.Len() < 400_000; i++ {
		b.WriteString(pieces[(i*7+i/3)%len(pieces)])
	}
	body := b.String()
	start := time.Now()
	qs := extract(t, body, ent("PER", "Tom Reid", body))
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("%d bytes with thousands of marks took %s", len(body), el)
	}
	t.Logf("%d bytes, %d quotes, %s", len(body), len(qs), time.Since(start))
}
