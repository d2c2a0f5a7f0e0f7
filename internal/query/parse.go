package query

import (
	"fmt"
	"strings"
)

// maxDepth bounds nested parentheses, which keeps recursion (and the
// index's query tree) shallow whatever the input.
const maxDepth = 32

// Parse reads a query in Folio's language. The grammar, loosest first:
//
//	query   = { orExpr }                    juxtaposition is AND
//	orExpr  = unary { ("OR" | "|") unary }  OR binds tighter: a b OR c = a AND (b OR c)
//	unary   = { "-" | "NOT" } primary       "-" must touch what it excludes
//	primary = "(" query ")" | phrase | word | field ":" (word | phrase | "(" query ")")
//
// What the tree promises (the index may rely on it):
//   - An empty query, or one of only punctuation, is MatchAll{}. A query
//     that is a single exclusion is And{Not…} so the index can add
//     match-all; otherwise a one-node And or Or is never built, an And never
//     holds an And, an Or never an Or, and Not never holds a Not.
//   - Term, Phrase, Prefix and Fuzzy text is folded and lower-cased
//     (textnorm.Key) with leading and trailing punctuation trimmed; inner
//     punctuation stays (well-known, aliyev's, 10:30, foo:bar), so the
//     index should run it through the field's analyzer.
//   - Phrase words are split on whitespace; a phrase of one word is a Term
//     (its field kept, its slop irrelevant); an empty phrase "" is dropped.
//   - title: and body: are text fields; tag:, person:, org:, place:,
//     source:, author: are filters whose Value keeps its case (quote marks
//     and dashes folded, whitespace collapsed, no wildcards: tag:a* is the
//     value "a*"; tags: is tag:); date: gives DateRange with To
//     exclusive, in UTC, years 1000–9999, never open at both ends.
//     Field names are case-insensitive (phones capitalise "Title:"). A
//     field applies to a group: title:(a OR b) is title:a OR title:b.
//   - Phrase slop is 0–100, fuzzy distance 0–2, a prefix at least two
//     characters. Phrases open and close with any double quote mark
//     (" “ ” „ ‟ « » ＂ ″), or with a balanced pair of single quotes at
//     word boundaries ('…', ‘…’, ‚…‘); any other single quote is an
//     apostrophe and stays in its word (don't, '90s, rock 'n' roll).
//   - Any other name:value (10:30, "Note: x", http://…) is plain text.
//   - A field with nothing after the colon (tag:, tag:"", tag:()) is an
//     error; a value that turns out to be only punctuation is dropped.
//
// Errors are *Error with the byte offset of the problem.
func Parse(q string) (Node, error) {
	p := &parser{sc: scanner{q: q}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	nodes, err := p.sequence(scope{kind: asText}, nil)
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tRParen {
		return nil, errAt(p.tok.pos, fmt.Sprintf(`unbalanced parentheses: the ")" at position %d has no matching "("`, p.tok.pos))
	}
	switch len(nodes) {
	case 0:
		return MatchAll{}, nil
	case 1:
		if _, ok := nodes[0].(Not); ok {
			return And{Nodes: nodes}, nil
		}
		return nodes[0], nil
	}
	return And{Nodes: nodes}, nil
}

type parser struct {
	sc    scanner
	tok   token // one token of lookahead
	depth int
}

func (p *parser) advance() error {
	t, err := p.sc.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// sequence parses juxtaposed expressions up to ')' or the end and returns
// them flattened (an And inside an And adds nothing).
func (p *parser) sequence(s scope, nodes []Node) ([]Node, error) {
	for p.tok.kind != tEOF && p.tok.kind != tRParen {
		if p.tok.kind == tOr {
			return nil, errOr(p.tok)
		}
		n, err := p.or(s)
		if err != nil {
			return nil, err
		}
		if a, ok := n.(And); ok {
			nodes = append(nodes, a.Nodes...)
		} else if n != nil {
			nodes = append(nodes, n)
		}
	}
	return nodes, nil
}

func errOr(t token) error {
	return errAt(t.pos, "OR needs a search term on both sides, e.g. coffee OR cocoa")
}

func (p *parser) or(s scope) (Node, error) {
	first, err := p.unary(s)
	if err != nil || p.tok.kind != tOr {
		return first, err
	}
	var nodes []Node
	add := func(n Node) {
		if o, ok := n.(Or); ok {
			nodes = append(nodes, o.Nodes...)
		} else if n != nil { // an operand that was only punctuation is dropped
			nodes = append(nodes, n)
		}
	}
	add(first)
	for p.tok.kind == tOr {
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		if k := p.tok.kind; k == tEOF || k == tRParen || k == tOr {
			return nil, errOr(op)
		}
		n, err := p.unary(s)
		if err != nil {
			return nil, err
		}
		add(n)
	}
	switch len(nodes) {
	case 0:
		return nil, nil
	case 1:
		return nodes[0], nil
	}
	return Or{Nodes: nodes}, nil
}

// unary reads any number of '-'/NOT iteratively (a megabyte of dashes
// must not recurse) and keeps only their parity.
func (p *parser) unary(s scope) (Node, error) {
	neg := false
	for p.tok.kind == tNot {
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		if k := p.tok.kind; k == tEOF || k == tRParen || k == tOr {
			if op.keyword {
				return nil, errAt(op.pos, "NOT needs the word, phrase or group to exclude after it")
			}
			return nil, errAt(op.pos, `"-" excludes nothing: put the word, phrase or group to exclude right after it, e.g. -word`)
		}
		neg = !neg
	}
	n, err := p.primary(s)
	if err != nil || n == nil || !neg {
		return n, err
	}
	if inner, ok := n.(Not); ok { // -(-a) is a
		return inner.Node, nil
	}
	return Not{Node: n}, nil
}

func (p *parser) primary(s scope) (Node, error) {
	t := p.tok
	switch t.kind {
	case tLParen:
		return p.group(s, false)
	case tPhrase:
		if err := p.advance(); err != nil {
			return nil, err
		}
		return p.phrase(s, t, false, t.pos)
	case tWord:
		if err := p.advance(); err != nil {
			return nil, err
		}
		return p.word(s, t)
	}
	// Callers check for these; kept so that no token can loop or panic.
	return nil, errAt(t.pos, "expected a search term")
}

// group parses "( … )". direct is set for a field's value, title:(…),
// where an empty group is an empty value.
func (p *parser) group(s scope, direct bool) (Node, error) {
	lp := p.tok
	if p.depth++; p.depth > maxDepth {
		return nil, errAt(lp.pos, fmt.Sprintf("parentheses nested too deeply (more than %d levels)", maxDepth))
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if direct && p.tok.kind == tRParen {
		return nil, errAt(lp.pos, `empty parentheses after a field: give it a value, e.g. title:(coffee OR cocoa)`)
	}
	nodes, err := p.sequence(s, nil)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tRParen {
		return nil, errAt(lp.pos, fmt.Sprintf(`unbalanced parentheses: the "(" at position %d is never closed`, lp.pos))
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	p.depth--
	switch len(nodes) {
	case 0:
		return nil, nil // "()" holds nothing: dropped like punctuation
	case 1:
		return nodes[0], nil
	}
	return And{Nodes: nodes}, nil
}

// word reads a bare word: a field with its value, or text in scope s.
func (p *parser) word(s scope, t token) (Node, error) {
	raw := t.text
	// The field name is looked for after any leading punctuation, as
	// normTerm would trim it, so that no plain word normalises to text
	// that reads back as a field ("'title:x*" is title:x*).
	lead := len(raw) - len(strings.TrimLeftFunc(raw, func(r rune) bool { return !isWordRune(r) }))
	if i := strings.IndexByte(raw[lead:], ':'); i > 0 {
		i += lead
		fs, ok := fieldByName(raw[:i])
		if !ok {
			// foo:bar, 10:30, Note: — plain text, split by the analyzer
			return p.value(s, raw, t.pos, t.pos)
		}
		if i+1 < len(raw) {
			return p.value(fs, raw[i+1:], t.pos+i+1, t.pos)
		}
		// title:"…" and title:(…) — the value must touch the colon.
		if p.tok.pos == t.end {
			switch p.tok.kind {
			case tPhrase:
				pt := p.tok
				if err := p.advance(); err != nil {
					return nil, err
				}
				return p.phrase(fs, pt, true, t.pos)
			case tLParen:
				return p.group(fs, true)
			}
		}
		name := normTerm(raw[:i])
		return nil, errAt(t.pos, fmt.Sprintf(`%s: needs a value right after the colon, e.g. %s:word or %s:"two words"`, name, name, name))
	}
	return p.value(s, raw, t.pos, t.pos)
}

// value reads a bare value in scope s; valPos is where it starts,
// nodePos where the node (including any field name) starts.
func (p *parser) value(s scope, raw string, valPos, nodePos int) (Node, error) {
	switch s.kind {
	case asFilter:
		return Filter{Field: s.field, Value: cleanValue(raw), Pos: nodePos}, nil
	case asDate:
		return parseDate(raw, valPos, nodePos)
	}
	return textWord(s.field, raw, valPos, nodePos)
}

// phrase turns a quoted token into a node in scope s. direct is set
// when it is a field's value (tag:"…"), where an empty value is an error;
// an empty phrase elsewhere is dropped.
func (p *parser) phrase(s scope, t token, direct bool, nodePos int) (Node, error) {
	if direct && onlySpace(t.text) {
		return nil, errAt(nodePos, `empty quotes after a field: put the value inside them, e.g. person:"Ilham Aliyev"`)
	}
	if s.kind != asText && t.hasSlop {
		return nil, errAt(t.slopPos, `"~" slop applies only to phrases in text, not to filter or date values`)
	}
	switch s.kind {
	case asFilter:
		v := cleanValue(t.text)
		if v == "" {
			return nil, nil
		}
		return Filter{Field: s.field, Value: v, Pos: nodePos}, nil
	case asDate:
		if onlySpace(t.text) {
			return nil, nil
		}
		return parseDate(t.text, t.textPos, nodePos)
	}
	words := phraseWords(t.text)
	switch len(words) {
	case 0:
		return nil, nil
	case 1:
		return Term{Field: s.field, Text: words[0], Pos: nodePos}, nil
	}
	return Phrase{Field: s.field, Words: words, Slop: t.slop, Pos: nodePos}, nil
}
