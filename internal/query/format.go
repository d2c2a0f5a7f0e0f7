package query

import (
	"fmt"
	"strings"
	"time"
)

// Format writes a tree back as query text in canonical form: single
// spaces, OR in capitals, fields before every term, dates at the coarsest
// precision that states them exactly. For any tree t that Parse returns,
// Parse(Format(t)) returns t again (positions aside).
func Format(n Node) string {
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

func writeNode(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case And:
		for i, c := range n.Nodes {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeGrouped(b, c, false)
		}
	case Or:
		for i, c := range n.Nodes {
			if i > 0 {
				b.WriteString(" OR ")
			}
			writeGrouped(b, c, true)
		}
	case Not:
		b.WriteByte('-')
		writeGrouped(b, n.Node, true)
	case Term:
		b.WriteString(termText(n))
	case Phrase:
		writeField(b, n.Field)
		writeQuoted(b, strings.Join(n.Words, " "))
		if n.Slop != 0 {
			fmt.Fprintf(b, "~%d", n.Slop)
		}
	case Prefix:
		writeField(b, n.Field)
		b.WriteString(n.Text)
		b.WriteByte('*')
	case Fuzzy:
		writeField(b, n.Field)
		fmt.Fprintf(b, "%s~%d", n.Text, n.Distance)
	case Filter:
		b.WriteString(filterText(n))
	case DateRange:
		b.WriteString(dateText(n))
	}
	// MatchAll and nil write nothing: the empty query.
}

// writeGrouped writes c inside parentheses when its operators would
// otherwise bind differently: an And inside an Or or under a '-'.
func writeGrouped(b *strings.Builder, c Node, inOr bool) {
	switch c.(type) {
	case And:
	case Or:
		if !inOr {
			writeNode(b, c) // OR binds tighter than juxtaposition
			return
		}
	default:
		writeNode(b, c)
		return
	}
	b.WriteByte('(')
	writeNode(b, c)
	b.WriteByte(')')
}

func writeField(b *strings.Builder, field string) {
	if field != "" {
		b.WriteString(field)
		b.WriteByte(':')
	}
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// termText writes a term bare when that reads back as the same term, and
// quoted otherwise: a one-word phrase is a term, so quoting is always
// safe for text like "title:x", "a~1" or "a(b".
func termText(t Term) string {
	if t.Required {
		// A required word came from a bare word, which reads back bare.
		t.Required = false
		return "+" + termText(t)
	}
	bare := t.Text
	if t.Field != "" {
		bare = t.Field + ":" + t.Text
	}
	if !strings.ContainsFunc(t.Text, isDelim) {
		if n, err := Parse(bare); err == nil && equal(n, Term{Field: t.Field, Text: t.Text}) {
			return bare
		}
	}
	var b strings.Builder
	writeField(&b, t.Field)
	writeQuoted(&b, t.Text)
	return b.String()
}

func filterText(f Filter) string {
	bare := f.Field + ":" + f.Value
	if f.Value != "" && !strings.ContainsFunc(f.Value, isDelim) {
		return bare
	}
	return f.Field + `:"` + f.Value + `"`
}

// dateText writes a range with its ends inclusive, at the coarsest
// precision that gives back the same instants.
func dateText(d DateRange) string {
	from, to := !d.From.IsZero(), !d.To.IsZero()
	switch {
	case from && to:
		s, e := dateStart(d.From), dateEnd(d.To)
		if s == e {
			return "date:" + s
		}
		return "date:" + s + ".." + e
	case from:
		return "date:" + dateStart(d.From) + ".."
	case to:
		if e := dateEnd(d.To); e >= "1000" {
			return "date:.." + e
		}
		return "date:<" + dateStart(d.To) // date:<1000: its end, 0999, is out of range
	}
	return "" // both open: no constraint (Parse never builds this)
}

// dateStart names the period that starts at t.
func dateStart(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Month() == 1 && t.Day() == 1:
		return fmt.Sprintf("%04d", t.Year())
	case t.Day() == 1:
		return fmt.Sprintf("%04d-%02d", t.Year(), t.Month())
	}
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
}

// dateEnd names the period that ends just before t (To is exclusive).
func dateEnd(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Month() == 1 && t.Day() == 1:
		return fmt.Sprintf("%04d", t.Year()-1)
	case t.Day() == 1:
		p := t.AddDate(0, -1, 0)
		return fmt.Sprintf("%04d-%02d", p.Year(), p.Month())
	}
	p := t.AddDate(0, 0, -1)
	return fmt.Sprintf("%04d-%02d-%02d", p.Year(), p.Month(), p.Day())
}

// equal compares trees ignoring the Pos fields, which change when a query
// is reformatted.
func equal(a, b Node) bool {
	switch a := a.(type) {
	case And:
		b, ok := b.(And)
		return ok && equalList(a.Nodes, b.Nodes)
	case Or:
		b, ok := b.(Or)
		return ok && equalList(a.Nodes, b.Nodes)
	case Not:
		b, ok := b.(Not)
		return ok && equal(a.Node, b.Node)
	case Term:
		b, ok := b.(Term)
		return ok && a.Field == b.Field && a.Text == b.Text && a.Required == b.Required
	case Phrase:
		b, ok := b.(Phrase)
		if !ok || a.Field != b.Field || a.Slop != b.Slop || len(a.Words) != len(b.Words) {
			return false
		}
		for i := range a.Words {
			if a.Words[i] != b.Words[i] {
				return false
			}
		}
		return true
	case Prefix:
		b, ok := b.(Prefix)
		return ok && a.Field == b.Field && a.Text == b.Text
	case Fuzzy:
		b, ok := b.(Fuzzy)
		return ok && a.Field == b.Field && a.Text == b.Text && a.Distance == b.Distance
	case Filter:
		b, ok := b.(Filter)
		return ok && a.Field == b.Field && a.Value == b.Value
	case DateRange:
		b, ok := b.(DateRange)
		return ok && a.From.Equal(b.From) && a.To.Equal(b.To)
	case MatchAll:
		_, ok := b.(MatchAll)
		return ok
	case nil:
		return b == nil
	}
	return false
}

func equalList(a, b []Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
