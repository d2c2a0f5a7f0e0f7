package query

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Builders for expected trees; positions are checked separately.
func term(s string) Term             { return Term{Text: s} }
func fterm(f, s string) Term         { return Term{Field: f, Text: s} }
func phrase(w ...string) Phrase      { return Phrase{Words: w} }
func slop(n int, w ...string) Phrase { return Phrase{Words: w, Slop: n} }
func and(n ...Node) And              { return And{Nodes: n} }
func or(n ...Node) Or                { return Or{Nodes: n} }
func not(n Node) Not                 { return Not{Node: n} }
func filter(f, v string) Filter      { return Filter{Field: f, Value: v} }
func day(y, m, d int) time.Time      { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
func dates(from, to time.Time) DateRange {
	return DateRange{From: from, To: to}
}

// show prints a tree compactly for failure messages.
func show(n Node) string {
	switch n := n.(type) {
	case And:
		return "And" + showList(n.Nodes)
	case Or:
		return "Or" + showList(n.Nodes)
	case Not:
		return "Not(" + show(n.Node) + ")"
	case Term:
		if n.Required {
			return fmt.Sprintf("Term(+%s:%q)", n.Field, n.Text)
		}
		return fmt.Sprintf("Term(%s:%q)", n.Field, n.Text)
	case Phrase:
		return fmt.Sprintf("Phrase(%s:%q~%d)", n.Field, n.Words, n.Slop)
	case Prefix:
		return fmt.Sprintf("Prefix(%s:%q)", n.Field, n.Text)
	case Fuzzy:
		return fmt.Sprintf("Fuzzy(%s:%q~%d)", n.Field, n.Text, n.Distance)
	case Filter:
		return fmt.Sprintf("Filter(%s:%q)", n.Field, n.Value)
	case DateRange:
		f := func(t time.Time) string {
			if t.IsZero() {
				return "open"
			}
			return t.Format("2006-01-02")
		}
		return fmt.Sprintf("Date[%s,%s)", f(n.From), f(n.To))
	case MatchAll:
		return "MatchAll"
	}
	return fmt.Sprintf("%#v", n)
}

func showList(ns []Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = show(n)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestParseTrees(t *testing.T) {
	cases := []struct {
		q    string
		want Node
	}{
		// Empty input.
		{"", MatchAll{}},
		{" \t\n ", MatchAll{}},
		{"\x00\x01\x7f", MatchAll{}},

		// Bare words, AND, folding and case.
		{"aliyev", term("aliyev")},
		{"Aliyev OCCRP", and(term("aliyev"), term("occrp"))},
		{"ALIYEV’S int’l", and(term("aliyev's"), term("int'l"))},
		{"well-known", term("well-known")},
		// +word: required in a long query.
		{"+opec oil output quota", and(Term{Text: "opec", Required: true}, term("oil"), term("output"), term("quota"))},
		{"+OPEC*", Prefix{Text: "opec"}},
		{"title:+opec", fterm("title", "opec")},
		{"c++ +", term("c")},
		{"1990–2000", term("1990-2000")},
		{"(corruption),", term("corruption")},
		{"a\tb\x00c", and(term("a"), term("b"), term("c"))},
		{"a\u00a0b\u200bc", and(term("a"), term("b"), term("c"))},
		{"Cafe\u0301", term("café")},
		{"or and not", and(term("or"), term("and"), term("not"))},

		// Punctuation-only words are dropped.
		{"— & ... a", term("a")},
		{"—", MatchAll{}},
		{"ʼ", MatchAll{}}, // a modifier letter that folds to an apostrophe (found by fuzzing)
		{`"ʼ a" xʼ ʼ~1 ʼʼ*`, and(term("a"), term("x"), term("1"))},
		{"a —", term("a")},

		// OR binds tighter than juxtaposition.
		{"a OR b", or(term("a"), term("b"))},
		{"a | b", or(term("a"), term("b"))},
		{"a|b", or(term("a"), term("b"))},
		{"a b OR c", and(term("a"), or(term("b"), term("c")))},
		{"a OR b c", and(or(term("a"), term("b")), term("c"))},
		{"a OR b OR c", or(term("a"), term("b"), term("c"))},
		{"(a OR b) OR c", or(term("a"), term("b"), term("c"))},
		{"(a b) OR c", or(and(term("a"), term("b")), term("c"))},
		{"a OR(b)", or(term("a"), term("b"))},
		{"a OR ...", term("a")},
		{"a OR \"\"", term("a")},

		// Parentheses.
		{"(a)", term("a")},
		{"((a b))", and(term("a"), term("b"))},
		{"a (b c)", and(term("a"), term("b"), term("c"))},
		{"()", MatchAll{}},
		{"a () b", and(term("a"), term("b"))},

		// Exclusion.
		{"-foo", and(not(term("foo")))},
		{"NOT foo", and(not(term("foo")))},
		{"a -b", and(term("a"), not(term("b")))},
		{"a -\"b c\"", and(term("a"), not(phrase("b", "c")))},
		{"a -(b OR c)", and(term("a"), not(or(term("b"), term("c"))))},
		{"a -tag:x", and(term("a"), not(filter("tag", "x")))},
		{"-a -b", and(not(term("a")), not(term("b")))},
		{"--a", term("a")},
		{"-(-a)", term("a")},
		{"NOT -a b", and(term("a"), term("b"))},
		{"-OR", and(not(term("or")))},
		{"-NOT", and(not(term("not")))},
		{"-a OR b", or(not(term("a")), term("b"))},
		{"-\"\" a", term("a")},
		{"a-b", term("a-b")},
		{"—foo", term("foo")},

		// Phrases: every double quote form, mixed, case-insensitive.
		{`"not a poor man"`, phrase("not", "a", "poor", "man")},
		{`“Not A Poor Man”`, phrase("not", "a", "poor", "man")},
		{`“like this"`, phrase("like", "this")},
		{`"like this”`, phrase("like", "this")},
		{`„a b‟`, phrase("a", "b")},
		{`«a b»`, phrase("a", "b")},
		{`＂a b＂`, phrase("a", "b")},
		{`"Aliyev’s  wealth"`, phrase("aliyev's", "wealth")},

		// Balanced single quotes at word boundaries make a phrase;
		// apostrophes inside or at the edge of a word stay in it.
		{`'not a poor man'`, phrase("not", "a", "poor", "man")},
		{`‘not a poor man’`, phrase("not", "a", "poor", "man")},
		{`‚not a poor man‘`, phrase("not", "a", "poor", "man")},
		{`aliyev 'not a poor man', he said`, and(term("aliyev"), phrase("not", "a", "poor", "man"), term("he"), term("said"))},
		{`-'poor man'`, and(not(phrase("poor", "man")))},
		{`'shot down plane'~3`, slop(3, "shot", "down", "plane")},
		{`'not a poor man's house'`, phrase("not", "a", "poor", "man's", "house")},
		{`don't stop`, and(term("don't"), term("stop"))},
		{`don’t stop`, and(term("don't"), term("stop"))},
		{`'90s music`, and(term("90s"), term("music"))},
		{`the '90s and the '80s`, and(term("the"), term("90s"), term("and"), term("the"), term("80s"))},
		{`rock 'n' roll`, and(term("rock"), term("n"), term("roll"))},
		{`rock ’n’ roll`, and(term("rock"), term("n"), term("roll"))},
		{`workers' rights`, and(term("workers"), term("rights"))},
		{`' lone quote`, and(term("lone"), term("quote"))},
		{`'unbalanced phrase`, and(term("unbalanced"), term("phrase"))},
		{`'' empty`, term("empty")},
		{`"a — b"`, phrase("a", "b")},
		{`"corruption"`, term("corruption")},
		{`"corrupt*"`, term("corrupt")},
		{`""`, MatchAll{}},
		{`"  " a`, term("a")},
		{`"a b"c`, and(phrase("a", "b"), term("c"))},
		{`x"a b"`, and(term("x"), phrase("a", "b"))},
		{`"(a OR b)"`, phrase("a", "or", "b")},

		// Slop.
		{`"shot down the plane"~3`, slop(3, "shot", "down", "the", "plane")},
		{`"a b"~0`, phrase("a", "b")},
		{`"a b"~100`, slop(100, "a", "b")},
		{`"a"~3`, term("a")},
		{`""~3 a`, term("a")},
		{`"a b"~2`, slop(2, "a", "b")},
		{`("a b"~2)`, slop(2, "a", "b")},

		// Text fields.
		{"title:crash", fterm("title", "crash")},
		{"body:Crash", fterm("body", "crash")},
		{`title:"a phrase"`, Phrase{Field: "title", Words: []string{"a", "phrase"}}},
		{`title:"word"`, fterm("title", "word")},
		{`title:"a b"~2`, Phrase{Field: "title", Words: []string{"a", "b"}, Slop: 2}},
		{"title:corrupt*", Prefix{Field: "title", Text: "corrupt"}},
		{"title:aliev~1", Fuzzy{Field: "title", Text: "aliev", Distance: 1}},
		{"title:(a OR b)", or(fterm("title", "a"), fterm("title", "b"))},
		{"title:(a body:b)", and(fterm("title", "a"), fterm("body", "b"))},
		{"Title:crash", fterm("title", "crash")},
		{"-title:crash", and(not(fterm("title", "crash")))},
		{"title:foo:bar", fterm("title", "foo:bar")},
		{"title:-x", fterm("title", "x")},
		{"title:...", MatchAll{}},

		// Filters keep case; quotes folded; whitespace collapsed.
		{"tag:COP29", filter("tag", "COP29")},
		{`person:"Ilham Aliyev"`, filter("person", "Ilham Aliyev")},
		{`person:“  Ilham   Aliyev ”`, filter("person", "Ilham Aliyev")},
		{"org:OCCRP place:Baku", and(filter("org", "OCCRP"), filter("place", "Baku"))},
		{`source:Reuters author:"Jane O’Neil"`, and(filter("source", "Reuters"), filter("author", "Jane O'Neil"))},
		{"tag:\"a\tb\"", filter("tag", "a b")},
		{"tag:a*", filter("tag", "a*")},
		{"tag:x~1", filter("tag", "x~1")},
		{"tag:OR", filter("tag", "OR")},
		{"tag:a:b", filter("tag", "a:b")},
		{"TAG:x", filter("tag", "x")},
		{"tags:x", filter("tag", "x")},
		{`tag:(COP29 OR "climate change")`, or(filter("tag", "COP29"), filter("tag", "climate change"))},
		{"tag:(a title:b)", and(filter("tag", "a"), fterm("title", "b"))},

		// Unknown fields are plain text.
		{"foo:bar", term("foo:bar")},
		{"10:30", term("10:30")},
		{"Note: x", and(term("note"), term("x"))},
		{"http://example.com/a", term("http://example.com/a")},
		{":title", term("title")},

		// Dates.
		{"date:2024", dates(day(2024, 1, 1), day(2025, 1, 1))},
		{"date:2024-03", dates(day(2024, 3, 1), day(2024, 4, 1))},
		{"date:2024-3", dates(day(2024, 3, 1), day(2024, 4, 1))},
		{"date:2024-02-29", dates(day(2024, 2, 29), day(2024, 3, 1))},
		{"date:2024-12-31", dates(day(2024, 12, 31), day(2025, 1, 1))},
		{"date:2024-03..2024-06-15", dates(day(2024, 3, 1), day(2024, 6, 16))},
		{"date:2024-01-01..2024-12-31", dates(day(2024, 1, 1), day(2025, 1, 1))},
		{"date:2024-03..2024-03", dates(day(2024, 3, 1), day(2024, 4, 1))},
		{"date:2024–03", dates(day(2024, 3, 1), day(2024, 4, 1))},
		{"date:2024..", dates(day(2024, 1, 1), time.Time{})},
		{"date:..2024-06", dates(time.Time{}, day(2024, 7, 1))},
		{"date:>=2024-06", dates(day(2024, 6, 1), time.Time{})},
		{"date:>2024-06", dates(day(2024, 7, 1), time.Time{})},
		{"date:>2024-12-31", dates(day(2025, 1, 1), time.Time{})},
		{"date:<=2024", dates(time.Time{}, day(2025, 1, 1))},
		{"date:<2024", dates(time.Time{}, day(2024, 1, 1))},
		{"date:<2024-03-05", dates(time.Time{}, day(2024, 3, 5))},
		{"date:9999", dates(day(9999, 1, 1), day(10000, 1, 1))},
		{"date:<1000", dates(time.Time{}, day(1000, 1, 1))},
		{"date:1000..", dates(day(1000, 1, 1), time.Time{})},
		{`date:"2024-03"`, dates(day(2024, 3, 1), day(2024, 4, 1))},
		{`date:" 2024 "`, dates(day(2024, 1, 1), day(2025, 1, 1))},
		{"-date:2024", and(not(dates(day(2024, 1, 1), day(2025, 1, 1))))},
		{"date:(2023 OR 2025)", or(dates(day(2023, 1, 1), day(2024, 1, 1)), dates(day(2025, 1, 1), day(2026, 1, 1)))},
		{"Date:2024", dates(day(2024, 1, 1), day(2025, 1, 1))},

		// Prefix and fuzzy.
		{"corrupt*", Prefix{Text: "corrupt"}},
		{"Corrupt*", Prefix{Text: "corrupt"}},
		{"co*", Prefix{Text: "co"}},
		{"*", MatchAll{}},
		{"aliev~1", Fuzzy{Text: "aliev", Distance: 1}},
		{"aliev~0", Fuzzy{Text: "aliev", Distance: 0}},
		{"aliev~", Fuzzy{Text: "aliev", Distance: 2}},
		{"Aliev~2", Fuzzy{Text: "aliev", Distance: 2}},
		{"~10", term("10")},
		{"a~b", term("a~b")},

		// Mixed.
		{`person:"Ilham Aliyev" (corruption OR bribery) -"no comment" date:>=2024-06 title:oil*`,
			and(filter("person", "Ilham Aliyev"), or(term("corruption"), term("bribery")),
				not(phrase("no", "comment")), dates(day(2024, 6, 1), time.Time{}), Prefix{Field: "title", Text: "oil"})},
	}
	for _, c := range cases {
		got, err := Parse(c.q)
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", c.q, err)
			continue
		}
		if !equal(got, c.want) {
			t.Errorf("Parse(%q)\n got %s\nwant %s", c.q, show(got), show(c.want))
		}
		checkRoundTrip(t, c.q, got)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		q    string
		pos  int
		want string // part of the message
	}{
		{`a "b c`, 2, "missing closing quote for the quote at position 2"},
		{`"a" "b`, 4, "unterminated phrase"},
		{`title:"x`, 6, "unterminated phrase"},
		{`“a`, 0, "unterminated phrase"},
		{`(a`, 0, `"(" at position 0 is never closed`},
		{`a (b (c)`, 2, "never closed"},
		{`a)`, 1, `")" at position 1 has no matching "("`},
		{`(a))`, 3, "no matching"},
		{`)`, 0, "no matching"},
		{`tag:`, 0, "tag: needs a value"},
		{`a tag: b`, 2, "tag: needs a value"},
		{`title:`, 0, "title: needs a value"},
		{`date:`, 0, "date: needs a value"},
		{`Person:)`, 0, "person: needs a value"},
		{`x tags:`, 2, "tags: needs a value"},
		{`tag:""`, 0, "empty quotes"},
		{`tag:"  "`, 0, "empty quotes"},
		{`title:""`, 0, "empty quotes"},
		{`tag:()`, 4, "empty parentheses"},
		{`OR a`, 0, "OR needs a search term on both sides"},
		{`a OR`, 2, "OR needs"},
		{`a OR OR b`, 2, "OR needs"},
		{`a | | b`, 2, "OR needs"},
		{`(a OR) b`, 3, "OR needs"},
		{`| a`, 0, "OR needs"},
		{`a -`, 2, `"-" at the end`},
		{`a - b`, 2, `"-" excludes nothing`},
		{`(a -)`, 3, `"-" excludes nothing`},
		{`-|a`, 0, `"-" excludes nothing`},
		{`a NOT`, 2, "NOT needs"},
		{`NOT OR a`, 0, "NOT needs"},
		{`-- a`, 1, `"-" excludes nothing`},
		{strings.Repeat("(", 33) + "a" + strings.Repeat(")", 33), 32, "nested too deeply"},
		{`"a b"~`, 5, "expected a number"},
		{`"a b"~x`, 5, "expected a number"},
		{`"a b"~101`, 5, "between 0 and 100"},
		{`"a b"~99999999999999999999999`, 5, "between 0 and 100"},
		{`"a b"~3x`, 7, "after the phrase's slop"},
		{`tag:"a b"~2`, 9, "slop applies only"},
		{`date:"2024"~2`, 11, "slop applies only"},
		{`a*`, 0, "at least 2 characters"},
		{`x title:a*`, 8, "at least 2 characters"},
		{`é*`, 0, "at least 2 characters"},
		{`aliev~3`, 5, "fuzzy distance must be 0, 1 or 2"},
		{`aliev~10`, 5, "fuzzy distance"},
		{`a title:aliev~9`, 13, "fuzzy distance"},
		{`date:2024-13`, 5, `invalid date "2024-13": the month`},
		{`date:2024-00`, 5, "the month"},
		{`date:2023-02-29`, 5, "2023-02 has days 01 to 28"},
		{`date:2024-04-31`, 5, "days 01 to 30"},
		{`date:abc`, 5, `invalid date "abc"`},
		{`date:24`, 5, "invalid date"},
		{`date:2024-1-1-1`, 5, "invalid date"},
		{`date:0000`, 5, "the year must be between 1000 and 9999"},
		{`date:0999..2024`, 5, "the year must be"},
		{`date:2024-03-`, 5, "invalid date"},
		{`date:..`, 5, "needs a start or an end"},
		{`x date:2024-06..2024-03`, 7, "starts after it ends"},
		{`date:2024-03..2024-13`, 14, `invalid date "2024-13"`},
		{`date:2024...2025`, 11, `invalid date ".2025"`},
		{`date:>=`, 7, "invalid date"},
		{`date:>9999`, 5, "after 9999-12-31"},
		{`date:>=2024..2025`, 7, "invalid date"},
		{`date:"abc"`, 6, "invalid date"},
		{`date:(2024 OR abc)`, 14, "invalid date"},
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %s, %v; want *Error", c.q, show(n), err)
			continue
		}
		if pe.Pos != c.pos || !strings.Contains(pe.Msg, c.want) {
			t.Errorf("Parse(%q) error at %d %q; want at %d containing %q", c.q, pe.Pos, pe.Msg, c.pos, c.want)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	ok := strings.Repeat("(", maxDepth) + "a" + strings.Repeat(")", maxDepth)
	if n, err := Parse(ok); err != nil || !equal(n, term("a")) {
		t.Fatalf("%d levels: %s, %v", maxDepth, show(n), err)
	}
	// Field groups nest too.
	deep := strings.Repeat("title:(", maxDepth+1) + "a" + strings.Repeat(")", maxDepth+1)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("field groups: %v", err)
	}
}

func TestPositions(t *testing.T) {
	n, err := Parse(`ab  -"c d" title:x tag:Y date:2024 (ee* f~1)`)
	if err != nil {
		t.Fatal(err)
	}
	a := n.(And).Nodes
	got := []int{
		a[0].(Term).Pos,
		a[1].(Not).Node.(Phrase).Pos,
		a[2].(Term).Pos,
		a[3].(Filter).Pos,
		a[4].(DateRange).Pos,
		a[5].(Prefix).Pos,
		a[6].(Fuzzy).Pos,
	}
	want := []int{0, 5, 11, 19, 25, 36, 40}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	// Positions are bytes: "é" is two.
	n, _ = Parse("é x")
	if p := n.(And).Nodes[1].(Term).Pos; p != 3 {
		t.Errorf("after é: pos %d, want 3", p)
	}
}

func TestErrorType(t *testing.T) {
	_, err := Parse("(")
	var pe *Error
	if !errors.As(err, &pe) || pe.Error() != pe.Msg {
		t.Fatalf("error %T %v", err, err)
	}
}

func TestFormat(t *testing.T) {
	cases := []struct{ q, want string }{
		{"", ""},
		{"  Aliyev   OCCRP ", "aliyev occrp"},
		{"a | b", "a OR b"},
		{"(a b) OR c", "(a b) OR c"},
		{"a (b OR c)", "a b OR c"},
		{"NOT (a OR b)", "-(a OR b)"},
		{"-(a b)", "-(a b)"},
		{`“Not a poor man”~2`, `"not a poor man"~2`},
		{`title:(a "b c")`, `title:a title:"b c"`},
		{`person:“Ilham  Aliyev”`, `person:"Ilham Aliyev"`},
		{`tag:COP29`, `tag:COP29`},
		{`tag:"(a)"`, `tag:"(a)"`},
		{`"title:x"`, `"title:x"`},
		{`"a~1"`, `"a~1"`},
		{`"a(b"`, `"a(b"`},
		{`title:"a~1"`, `title:"a~1"`},
		{`foo:bar`, `foo:bar`},
		{`aliev~`, `aliev~2`},
		{`+OPEC  quota`, `+opec quota`},
		{`body:corrupt*`, `body:corrupt*`},
		{"date:2024-01-01..2024-12-31", "date:2024"},
		{"date:2024-03-01..2024-03-31", "date:2024-03"},
		{"date:2024-03..2024-06-15", "date:2024-03..2024-06-15"},
		{"date:>=2024-06", "date:2024-06.."},
		{"date:>2024-06", "date:2024-07.."},
		{"date:<2024-06", "date:..2024-05"},
		{"date:<2024-06-05", "date:..2024-06-04"},
		{"date:<=2024", "date:..2024"},
		{"date:>=1000", "date:1000.."},
		{"-foo", "-foo"},
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.q, err)
			continue
		}
		if got := Format(n); got != c.want {
			t.Errorf("Format(Parse(%q)) = %q, want %q", c.q, got, c.want)
		}
		checkRoundTrip(t, c.q, n)
	}
}

// checkRoundTrip asserts that Parse(Format(n)) == n, the property that
// lets the page show a canonical query and a link reproduce a search.
func checkRoundTrip(t testing.TB, q string, n Node) {
	t.Helper()
	f := Format(n)
	back, err := Parse(f)
	if err != nil {
		t.Errorf("query %q: Format gave %q, which does not parse: %v", q, f, err)
		return
	}
	if !equal(back, n) {
		t.Errorf("query %q: Format gave %q\n parsed %s\n  back  %s", q, f, show(n), show(back))
	}
}

func TestLargeInputs(t *testing.T) {
	mb := 1 << 20
	inputs := map[string]string{
		"words":          strings.Repeat("corruption ", mb/11),
		"dashes":         strings.Repeat("-", mb) + "a",
		"open parens":    strings.Repeat("(", mb),
		"close parens":   strings.Repeat(")", mb),
		"quotes":         strings.Repeat(`"`, mb),
		"odd quotes":     strings.Repeat(`"`, mb+1),
		"ors":            strings.Repeat("a OR ", mb/5) + "a",
		"one word":       strings.Repeat("x", mb),
		"colons":         strings.Repeat("title:", mb/6) + "x",
		"tildes":         strings.Repeat("a~", mb/2),
		"stars":          strings.Repeat("*", mb),
		"controls":       strings.Repeat("\x00\x1b", mb/2),
		"invalid":        strings.Repeat("\xff\xfe", mb/2),
		"date":           "date:" + strings.Repeat("9", mb),
		"nots":           strings.Repeat("NOT ", mb/4) + "a",
		"single quotes":  strings.Repeat("'a ", mb/3),
		"apostrophes":    strings.Repeat("'90s ", mb/5) + `"` + strings.Repeat("'a ", mb/6),
		"single phrases": strings.Repeat("'a b' ", mb/6),
	}
	for name, q := range inputs {
		start := time.Now()
		n, err := Parse(q)
		// Generous: a shared CI machine is slow, but quadratic time on a
		// megabyte would take minutes.
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: took %v", name, el)
		}
		var pe *Error
		if err != nil && (!errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(q) || len(pe.Msg) > 300) {
			t.Errorf("%s: bad error %v", name, err)
		}
		if err == nil {
			_ = Format(n)
		}
	}
}
