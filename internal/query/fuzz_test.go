package query

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParse is the contract every input must meet: an *Error inside the
// query, or a well-formed tree that Format writes back to itself.
func checkParse(t testing.TB, q string) {
	t.Helper()
	n, err := Parse(q)
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q): error %T %v is not *Error", q, err, err)
		}
		if pe.Pos < 0 || pe.Pos > len(q) {
			t.Fatalf("Parse(%q): error position %d outside [0, %d]: %s", q, pe.Pos, len(q), pe.Msg)
		}
		if pe.Msg == "" || !utf8.ValidString(pe.Msg) {
			t.Fatalf("Parse(%q): bad message %q", q, pe.Msg)
		}
		return
	}
	if err := checkShape(n, true); err != "" {
		t.Fatalf("Parse(%q) = %s: %s", q, show(n), err)
	}
	for _, p := range positions(n) {
		if p < 0 || p >= len(q) {
			t.Fatalf("Parse(%q) = %s: node position %d outside the query", q, show(n), p)
		}
	}
	f := Format(n)
	back, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(%q) = %s\nFormat = %q does not parse: %v", q, show(n), f, err)
	}
	if !equal(back, n) {
		t.Fatalf("Parse(%q) = %s\nFormat = %q\nparses to %s", q, show(n), f, show(back))
	}
	if f2 := Format(back); f2 != f {
		t.Fatalf("Parse(%q): Format not canonical: %q then %q", q, f, f2)
	}
}

// checkShape states what the index can rely on: no nils, no one-child or
// nested And/Or, no double negation, normalised non-empty text, valid
// UTF-8, and And{Not} only at the top.
func checkShape(n Node, top bool) string {
	normal := func(s string) string {
		switch {
		case s == "":
			return "empty text"
		case !utf8.ValidString(s):
			return "invalid UTF-8 in " + quoteShort(s)
		case normTerm(s) != s:
			return "text not normalised: " + quoteShort(s)
		case !hasAlnum(s):
			return "text without a letter or digit: " + quoteShort(s)
		}
		return ""
	}
	textField := func(f string) string {
		if f != "" && f != "title" && f != "body" {
			return "bad text field " + f
		}
		return ""
	}
	switch n := n.(type) {
	case MatchAll:
		if !top {
			return "MatchAll inside a tree"
		}
	case And:
		if len(n.Nodes) < 2 {
			if _, ok := n.Nodes[0].(Not); !top || len(n.Nodes) != 1 || !ok {
				return "And with fewer than two nodes"
			}
		}
		for _, c := range n.Nodes {
			if _, ok := c.(And); ok {
				return "And inside And"
			}
			if e := checkShape(c, false); e != "" {
				return e
			}
		}
	case Or:
		if len(n.Nodes) < 2 {
			return "Or with fewer than two nodes"
		}
		for _, c := range n.Nodes {
			if _, ok := c.(Or); ok {
				return "Or inside Or"
			}
			if e := checkShape(c, false); e != "" {
				return e
			}
		}
	case Not:
		if _, ok := n.Node.(Not); ok {
			return "double negation"
		}
		if top {
			return "bare Not at the top"
		}
		return checkShape(n.Node, false)
	case Term:
		if e := normal(n.Text); e != "" {
			return e
		}
		return textField(n.Field)
	case Phrase:
		if len(n.Words) < 2 {
			return "phrase with fewer than two words"
		}
		if n.Slop < 0 || n.Slop > maxSlop {
			return "bad slop"
		}
		for _, w := range n.Words {
			if e := normal(w); e != "" {
				return e
			}
		}
		return textField(n.Field)
	case Prefix:
		if utf8.RuneCountInString(n.Text) < 2 {
			return "short prefix"
		}
		if e := normal(n.Text); e != "" {
			return e
		}
		return textField(n.Field)
	case Fuzzy:
		if n.Distance < 0 || n.Distance > 2 {
			return "bad distance"
		}
		if e := normal(n.Text); e != "" {
			return e
		}
		return textField(n.Field)
	case Filter:
		if s, ok := fields[n.Field]; !ok || s.kind != asFilter {
			return "bad filter field " + n.Field
		}
		if n.Value == "" || n.Value != cleanValue(n.Value) || !utf8.ValidString(n.Value) {
			return "filter value not clean: " + quoteShort(n.Value)
		}
	case DateRange:
		if n.From.IsZero() && n.To.IsZero() {
			return "date range open at both ends"
		}
		if !n.From.IsZero() && !n.To.IsZero() && !n.From.Before(n.To) {
			return "empty date range"
		}
		if n.From.Location().String() != "UTC" || n.To.Location().String() != "UTC" {
			return "date not in UTC"
		}
	default:
		return "unexpected node"
	}
	return ""
}

var fuzzSeeds = []string{
	"",
	"aliyev occrp",
	`"not a poor man"`,
	`“not a poor man”~3 -"no comment"`,
	`„a b‟ «c d» ＂e f＂ "g h”`,
	"a b OR c | d",
	"(a OR b) -(c d) NOT e",
	`person:"Ilham Aliyev" org:OCCRP place:Baku tag:COP29 source:Reuters author:x`,
	"title:crash body:(a OR b*) title:aliev~1",
	"date:2024 date:2024-03..2024-06-15 date:>=2024-06 date:<2024 date:..2024-06 date:2024..",
	"date:2024-13 date:abc date:2024-06..2024-03",
	"corrupt* aliev~1 aliev~ a* ~10",
	"Aliyev’s int'l well-known — & ... 10:30 Note: x",
	`"a b"~3x "unterminated`,
	"((((a)))) ) (",
	"-", "- a", "--a", "-OR", "NOT", "a OR", "OR",
	"tag: tag:\"\" tag:()",
	"'title:x* :title ::body:y~1",
	"İ\u0301 TİTLE:x Kelvin\u212a",
	"\x00\x1b[31mred\x7f \xff\xfe \u200b\ufeff",
	"a\u00a0b\u2009c\u3000d",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		checkParse(t, q)
	})
}

// Pieces of queries, valid and broken, for the random property test.
var pieces = []string{
	"a", "bb", "Aliyev", "ALIYEV’S", "int'l", "well-known", "10:30", "Note:", "foo:bar",
	"é", "e\u0301", "İ", "\u212a", "ß", "ǅ", "\u0301", "x\u0301", "日本",
	"OR", "|", "NOT", "-", "—", "–", "&", "...", "…", "*", "~", "~1", "~3", "~x", ":",
	"(", ")", `"`, "“", "”", "„", "«", "»", "＂", "″", "'", "’",
	"title:", "body:", "tag:", "person:", "Org:", "date:", "TITLE:",
	"2024", "2024-03", "2024-02-30", "..", ">=", ">", "<=", "<", "0999", "1000", "9999",
	" ", " ", "  ", "\t", "\x00", "\u00a0", "\u200b", "\xff", "\xc3",
}

func randomQuery(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteString(pieces[r.IntN(len(pieces))])
		if r.IntN(3) == 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func TestPropertiesRandomQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ok := 0
	for range 20000 {
		q := randomQuery(r)
		checkParse(t, q)
		if _, err := Parse(q); err == nil {
			ok++
		}
	}
	// The generator should exercise both sides of the contract.
	if ok < 2000 || ok > 18000 {
		t.Errorf("%d of 20000 random queries parsed; generator is lopsided", ok)
	}
}

// Folding is the contract with the index: any quote, apostrophe or dash
// form, and any case, gives the same tree.
func TestPropertyFoldingInvariance(t *testing.T) {
	pairs := [][2]string{
		{`"Aliyev's wealth" title:don't`, `“ALIYEV’S WEALTH” title:DON’T`},
		{`"a b" -"c d"`, `«a b» -„c d‟`},
		{`1990-2000 state-owned`, `1990–2000 state‑owned`},
		{`person:"Jane O'Neil"`, `person:“Jane O’Neil”`},
		{`date:2024-03..2024-06`, `date:2024–03..2024—06`},
	}
	for _, p := range pairs {
		a, err1 := Parse(p[0])
		b, err2 := Parse(p[1])
		if err1 != nil || err2 != nil || !equal(a, b) {
			t.Errorf("%q → %s %v\n%q → %s %v", p[0], show(a), err1, p[1], show(b), err2)
		}
	}
}

// positions lists the Pos of every leaf, for the index's error messages.
func positions(n Node) []int {
	switch n := n.(type) {
	case And:
		var ps []int
		for _, c := range n.Nodes {
			ps = append(ps, positions(c)...)
		}
		return ps
	case Or:
		var ps []int
		for _, c := range n.Nodes {
			ps = append(ps, positions(c)...)
		}
		return ps
	case Not:
		return positions(n.Node)
	case Term:
		return []int{n.Pos}
	case Phrase:
		return []int{n.Pos}
	case Prefix:
		return []int{n.Pos}
	case Fuzzy:
		return []int{n.Pos}
	case Filter:
		return []int{n.Pos}
	case DateRange:
		return []int{n.Pos}
	}
	return nil
}
