// Package query parses Folio's query language (see the README) into a
// tree of nodes that the index package turns into Bleve queries.
//
// The parser knows nothing of Bleve; it only checks syntax and normalises
// the user's text (quote marks, apostrophes, dashes, case) so that the
// index can match it against text normalised the same way.
package query

import "time"

// Node is one element of a parsed query. Parse builds trees of values
// (query.Term{…}, never *query.Term), so consumers switch on value types.
type Node interface{ node() }

// And holds nodes that must all match. Bare juxtaposition ("a b") is And.
type And struct{ Nodes []Node }

// Or holds alternatives: "a OR b".
type Or struct{ Nodes []Node }

// Not excludes what its node matches: "-a", "-\"a b\"", "-tag:x".
type Not struct{ Node Node }

// Term is a single word. Field is "" for the default fields (title and
// body) or a text field name such as "title" or "body".
//
// Required is set by a leading '+' (+opec): the word must match even where
// a long query asks only for most of its words (see the README).
type Term struct {
	Field    string
	Text     string // normalised, lower-cased
	Required bool
	Pos      int // byte offset of the term in the query, for errors
}

// Phrase is a quoted sequence of words matched on unstemmed text. Slop is
// the number of positions the words may move (Lucene semantics); 0 means
// exact adjacency in order.
type Phrase struct {
	Field string
	Words []string // normalised, lower-cased
	Slop  int
	Pos   int
}

// Prefix matches words starting with Text: "corrupt*".
type Prefix struct {
	Field string
	Text  string
	Pos   int
}

// Fuzzy matches words within Distance edits of Text: "aliev~1".
type Fuzzy struct {
	Field    string
	Text     string
	Distance int
	Pos      int
}

// Filter is an exact match on a keyword field: tag:, person:, org:,
// place:, source:, author:. Value keeps its original case.
type Filter struct {
	Field string
	Value string
	Pos   int
}

// DateRange matches articles dated in [From, To). A zero From or To leaves
// that side open. "date:2024" is [2024-01-01, 2025-01-01).
type DateRange struct {
	From, To time.Time
	Pos      int
}

// MatchAll matches every article; it is what an empty query parses to.
type MatchAll struct{}

func (And) node()       {}
func (Or) node()        {}
func (Not) node()       {}
func (Term) node()      {}
func (Phrase) node()    {}
func (Prefix) node()    {}
func (Fuzzy) node()     {}
func (Filter) node()    {}
func (DateRange) node() {}
func (MatchAll) node()  {}

// Error is a syntax error at a byte offset of the query.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return e.Msg }
