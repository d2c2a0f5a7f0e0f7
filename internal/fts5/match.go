package fts5

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/textnorm"
)

// A parsed query becomes an FTS5 MATCH expression for its text and SQL
// conditions for its filters and dates. Every word and phrase goes into
// the expression as an FTS5 string (double-quoted, inner quotes doubled),
// so nothing the user typed is read as FTS5 syntax; the operators come
// from the parsed tree only. What FTS5 cannot express as Folio means it
// is refused (unsupported), never approximated.

// filter is a query's condition outside MATCH: an SQL condition on the
// matching row, written with {r} for its rowid.
type filter struct {
	sql  string
	args []any
}

// plan is a request's query for SQLite.
type plan struct {
	match   string   // FTS5 MATCH expression; "" when the query has no text
	filters []filter // AND-ed
	dates   bool     // a filter reads meta.date
}

func unsupported(format string, a ...any) error {
	return &search.BadRequestError{Msg: "fts5 cannot run this query: " + fmt.Sprintf(format, a...), Code: "unsupported"}
}

// compile plans req: its query (its top-level terms AND-ed; filters,
// dates and exclusions among them become conditions), its filters and its
// date range.
//
// resolve, when set, gives the canonical names an entity filter's value
// stands for; the filter then matches any of them.
func compile(req *search.Request, resolve func(f facet.Facet, value string, not bool) ([]string, error)) (*plan, error) {
	p := &plan{}
	// FTS5 ranks every word, but Folio's query language searches a query
	// of only stop words as their phrase, as the other engines do.
	if ph, ok := search.CommonWordsPhrase(req.Query, search.IsStopWord); ok {
		req.Query = ph
	}
	facetFilter := func(name, value string, not bool) (filter, error) {
		f, ok := facet.ByName(name)
		if !ok || resolve == nil {
			return facetFilter(name, value, not, nil)
		}
		found, err := resolve(f, value, not)
		if err != nil {
			return filter{}, err
		}
		return facetFilter(name, value, not, found)
	}
	var pos, neg []string
	top := []query.Node{req.Query}
	if and, ok := req.Query.(query.And); ok {
		top = and.Nodes
	}
	for _, n := range top {
		switch n := n.(type) {
		case nil, query.MatchAll:
		case query.Filter:
			f, err := facetFilter(n.Field, n.Value, false)
			if err != nil {
				return nil, err
			}
			p.filters = append(p.filters, f)
		case query.DateRange:
			p.addDates(n.From, n.To, false)
		case query.Not:
			switch m := n.Node.(type) {
			case query.Filter:
				f, err := facetFilter(m.Field, m.Value, true)
				if err != nil {
					return nil, err
				}
				p.filters = append(p.filters, f)
			case query.DateRange:
				p.addDates(m.From, m.To, true)
			default:
				e, err := expr(m)
				if err != nil {
					return nil, err
				}
				if e != "" {
					neg = append(neg, e)
				}
			}
		default:
			e, err := expr(n)
			if err != nil {
				return nil, err
			}
			if e != "" {
				pos = append(pos, e)
			}
		}
	}
	switch {
	case len(pos) > 0:
		p.match = andNot(pos, neg)
	case len(neg) > 0:
		// Nothing to match, only to exclude: FTS5 has no unary NOT, SQL has.
		p.filters = append(p.filters, filter{"{r} NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?)", []any{or(neg)}})
	}
	for _, name := range slices.Sorted(maps.Keys(req.Filters)) {
		for _, v := range req.Filters[name] {
			f, err := facetFilter(name, v, false)
			if err != nil {
				return nil, err
			}
			p.filters = append(p.filters, f)
		}
	}
	p.addDates(req.From, req.To, false)
	return p, nil
}

// facetFilter is the condition that an article has (or, with not, lacks)
// the value of a facet, whatever its case and typography. An organisation
// is also found without its legal form, as in Folio ("General Motors Corp"
// finds General Motors).
//
// names, when given, are the canonical names the value stands for, which
// are matched beside it.
func facetFilter(name, value string, not bool, names []string) (filter, error) {
	f, ok := facet.ByName(name)
	if !ok {
		return filter{}, &search.BadRequestError{Msg: fmt.Sprintf("unknown filter %q", name)}
	}
	keys := []any{facet.Key(value)}
	for _, n := range names {
		if k := facet.Key(n); !slices.Contains(keys, any(k)) {
			keys = append(keys, k)
		}
	}
	if f.EntityType == "ORG" {
		if short := textnorm.WithoutLegalForm(value); short != value {
			keys = append(keys, facet.Key(short))
		}
	}
	op := "IN"
	if not {
		op = "NOT IN"
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",")
	return filter{"{r} " + op + " (SELECT doc FROM vals WHERE facet = ? AND key IN (" + in + "))", append([]any{f.Name}, keys...)}, nil
}

// addDates adds the range [from, to) (a zero end is open); with not, the
// articles outside it, undated ones among them.
func (p *plan) addDates(from, to time.Time, not bool) {
	var conds []string
	var args []any
	if !from.IsZero() {
		conds, args = append(conds, "meta.date >= ?"), append(args, from.Unix())
	}
	if !to.IsZero() {
		conds, args = append(conds, "meta.date < ?"), append(args, to.Unix())
	}
	if len(conds) == 0 {
		if not {
			p.filters = append(p.filters, filter{"0", nil}) // outside all time: nothing
		}
		return
	}
	p.dates = true
	c := strings.Join(conds, " AND ")
	if not {
		c = "(meta.date IS NULL OR NOT (" + c + "))"
	}
	p.filters = append(p.filters, filter{c, args})
}

// expr is the MATCH expression of a text node; "" for a word the
// tokenizer would find nothing in.
func expr(n query.Node) (string, error) {
	switch n := n.(type) {
	case query.Term:
		return column(n.Field, quote(n.Text))
	case query.Phrase:
		if n.Slop > 0 {
			return "", unsupported(`a phrase with ~%d (words near each other); FTS5's NEAR does not keep their order`, n.Slop)
		}
		return column(n.Field, quote(strings.Join(n.Words, " ")))
	case query.Prefix:
		q := quote(n.Text)
		if q == "" {
			return "", nil
		}
		return column(n.Field, q+" *")
	case query.Fuzzy:
		return "", unsupported("fuzzy words (%s~%d)", n.Text, n.Distance)
	case query.Filter:
		return "", unsupported("a %s: filter inside OR or parentheses; filters are AND-ed with the rest only", n.Field)
	case query.DateRange:
		return "", unsupported("a date: range inside OR or parentheses; dates are AND-ed with the rest only")
	case query.And:
		var pos, neg []string
		for _, c := range n.Nodes {
			not, isNot := c.(query.Not)
			if isNot {
				c = not.Node
			}
			e, err := expr(c)
			if err != nil {
				return "", err
			}
			switch {
			case e == "":
			case isNot:
				neg = append(neg, e)
			default:
				pos = append(pos, e)
			}
		}
		if len(pos) == 0 && len(neg) > 0 {
			return "", unsupported("a group that only excludes words; FTS5 has no NOT without something to match")
		}
		return andNot(pos, neg), nil
	case query.Or:
		var alts []string
		for _, c := range n.Nodes {
			if _, isNot := c.(query.Not); isNot {
				return "", unsupported("an excluded word as an alternative of OR")
			}
			e, err := expr(c)
			if err != nil {
				return "", err
			}
			if e != "" {
				alts = append(alts, e)
			}
		}
		return or(alts), nil
	case query.Not:
		return "", unsupported("an excluded word inside OR or parentheses without something to match")
	case query.MatchAll:
		return "", unsupported("an empty group")
	}
	return "", unsupported("a %T", n)
}

// andNot is the expression matching all of pos and none of neg. FTS5's
// NOT is binary and binds tighter than AND, so every part is bracketed.
func andNot(pos, neg []string) string {
	if len(pos) == 0 {
		return ""
	}
	e := pos[0]
	if len(pos) > 1 {
		e = "(" + strings.Join(pos, " AND ") + ")"
	}
	if len(neg) > 0 {
		e = "(" + e + " NOT " + or(neg) + ")"
	}
	return e
}

func or(alts []string) string {
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return alts[0]
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// column restricts e to the title or the body column.
func column(field, e string) (string, error) {
	switch {
	case e == "":
		return "", nil
	case field == "":
		return e, nil
	case field == "title" || field == "body":
		return field + " : " + e, nil
	}
	return "", unsupported("the text field %s:", field)
}

// quote is s as an FTS5 string; "" when it has no letter or digit (the
// tokenizer would find nothing in it).
func quote(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, " "), "\x00", " ") // SQLite strings end at NUL
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
