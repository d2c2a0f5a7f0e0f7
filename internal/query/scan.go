package query

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// maxSlop bounds "a phrase"~N; a wider window is no longer a phrase.
const maxSlop = 100

type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // a run of non-delimiter characters
	tPhrase         // a quoted phrase, possibly with ~slop
	tLParen         // (
	tRParen         // )
	tOr             // OR or |
	tNot            // - attached to what follows, or NOT
)

type token struct {
	kind     tokKind
	pos, end int    // byte range in the query
	text     string // the raw word, or the phrase's content between its quotes
	textPos  int    // byte offset of text (differs from pos for phrases)
	hasSlop  bool
	slop     int
	slopPos  int
	keyword  bool // tNot spelled NOT (for the error message)
}

// scanner splits the query into tokens on demand, so that a long query
// costs one pass and no token slice.
type scanner struct {
	q          string
	i          int
	afterMinus bool // the previous token was an attached '-': OR/NOT are words
	// noCloseBefore: no single quote before this offset closes a phrase
	// opened before it (see singlePhrase), so a megabyte of '90s stays
	// linear.
	noCloseBefore int
}

// isSpace reports runes that separate words. Control characters count as
// space so that pasted text with tabs, NULs or escape codes still parses.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200B' || r == '\uFEFF'
}

// isQuote reports every double quote mark that textnorm folds to '"'.
// Single quotes delimit a phrase only in balanced pairs at word
// boundaries (see singlePhrase); otherwise they are apostrophes.
func isQuote(r rune) bool {
	switch r {
	case '"', '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB', '\uFF02':
		return true
	}
	return false
}

// isSingleOpen and isSingleClose report the single quote marks that may
// open and close a phrase: straight, and curly as English (‘…’) and
// German (‚…‘) print them.
func isSingleOpen(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u201A' || r == '\u201B'
}

func isSingleClose(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u2018' }

// isDelim reports runes that end a bare word.
func isDelim(r rune) bool {
	return isSpace(r) || isQuote(r) || r == '(' || r == ')' || r == '|'
}

func (s *scanner) rune(i int) (rune, int) { return utf8.DecodeRuneInString(s.q[i:]) }

func (s *scanner) next() (token, error) {
	literal := s.afterMinus
	s.afterMinus = false
	for s.i < len(s.q) {
		r, w := s.rune(s.i)
		if !isSpace(r) {
			break
		}
		s.i += w
	}
	start := s.i
	if start >= len(s.q) {
		return token{kind: tEOF, pos: start, end: start}, nil
	}
	r, w := s.rune(start)
	switch {
	case r == '(' || r == ')' || r == '|':
		s.i += w
		k := tOr
		if r == '(' {
			k = tLParen
		} else if r == ')' {
			k = tRParen
		}
		return token{kind: k, pos: start, end: s.i}, nil
	case isQuote(r):
		return s.phrase(start, w)
	case isSingleOpen(r):
		if t, ok, err := s.singlePhrase(start, w); ok || err != nil {
			return t, err
		}
	case r == '-':
		// Exclusion only when the '-' is glued to what it excludes; a '-'
		// inside a word (well-known) never gets here.
		if start+1 >= len(s.q) {
			return token{}, errAt(start, `"-" at the end of the query excludes nothing: put the word, phrase or group to exclude right after it, e.g. -word`)
		}
		if r2, _ := s.rune(start + 1); isSpace(r2) || r2 == ')' || r2 == '|' {
			return token{}, errAt(start, `"-" excludes nothing: put the word, phrase or group to exclude right after it with no space, e.g. -word`)
		}
		s.i++
		s.afterMinus = true
		return token{kind: tNot, pos: start, end: s.i}, nil
	}
	for s.i < len(s.q) {
		r, w := s.rune(s.i)
		if isDelim(r) {
			break
		}
		s.i += w
	}
	t := token{kind: tWord, pos: start, end: s.i, text: s.q[start:s.i], textPos: start}
	if !literal {
		switch t.text {
		case "OR":
			t.kind = tOr
		case "NOT":
			t.kind, t.keyword = tNot, true
		}
	}
	return t, nil
}

// phrase scans a quoted phrase starting at the quote mark at start. Any
// double quote mark closes it, so “like this" works.
func (s *scanner) phrase(start, w int) (token, error) {
	j := start + w
	for j < len(s.q) {
		r, w2 := s.rune(j)
		if isQuote(r) {
			t := token{kind: tPhrase, pos: start, text: s.q[start+w : j], textPos: start + w}
			s.i = j + w2
			if err := s.slop(&t); err != nil {
				return token{}, err
			}
			t.end = s.i
			return t, nil
		}
		j += w2
	}
	return token{}, errAt(start, fmt.Sprintf("unterminated phrase: missing closing quote for the quote at position %d", start))
}

// singlePhrase scans a phrase in single quotes, 'like this' or ‘like
// this’, if the quote at start (at a word's start) has a partner that
// ends a word: after a letter, digit or punctuation, and before a space,
// a delimiter, punctuation or the end. Anything else is an apostrophe and
// stays in its word: don't, '90s, rock 'n' roll (whose 'n' is then a
// phrase of one word, which is the same word).
func (s *scanner) singlePhrase(start, w int) (token, bool, error) {
	j := start + w
	if j >= len(s.q) || start < s.noCloseBefore {
		return token{}, false, nil
	}
	if r, _ := s.rune(j); isSpace(r) || isSingleClose(r) {
		return token{}, false, nil // a lone quote, or '' (nothing between)
	}
	// Whether a quote closes does not depend on where the phrase opened,
	// so when none does up to a limit, no later opening before that limit
	// can find one either.
	for j < len(s.q) {
		r, w2 := s.rune(j)
		if isQuote(r) {
			s.noCloseBefore = j
			return token{}, false, nil // a double quote inside: not this
		}
		if isSingleClose(r) && j > start+w {
			prev, _ := utf8.DecodeLastRuneInString(s.q[:j])
			next, _ := s.rune(j + w2)
			if !isSpace(prev) && (j+w2 == len(s.q) || isDelim(next) || next == '~' || unicode.IsPunct(next) && !isSingleOpen(next)) {
				t := token{kind: tPhrase, pos: start, text: s.q[start+w : j], textPos: start + w}
				s.i = j + w2
				if err := s.slop(&t); err != nil {
					return token{}, false, err
				}
				t.end = s.i
				return t, true, nil
			}
		}
		j += w2
	}
	s.noCloseBefore = len(s.q)
	return token{}, false, nil
}

// slop reads an optional ~N right after a phrase's closing quote.
func (s *scanner) slop(t *token) error {
	if s.i >= len(s.q) || s.q[s.i] != '~' {
		return nil
	}
	t.hasSlop, t.slopPos = true, s.i
	j := s.i + 1
	n := 0
	for j < len(s.q) && s.q[j] >= '0' && s.q[j] <= '9' {
		if n <= maxSlop { // stop growing: avoids overflow on ~99999999999999999999
			n = n*10 + int(s.q[j]-'0')
		}
		j++
	}
	if j == s.i+1 {
		return errAt(s.i, `expected a number after "~" for the phrase's slop, e.g. "shot down the plane"~3`)
	}
	if n > maxSlop {
		return errAt(s.i, fmt.Sprintf("phrase slop must be between 0 and %d", maxSlop))
	}
	if j < len(s.q) {
		if r, _ := s.rune(j); !isDelim(r) {
			return errAt(j, `unexpected text after the phrase's slop: put a space after "~N"`)
		}
	}
	t.slop = n
	s.i = j
	return nil
}

func errAt(pos int, msg string) error { return &Error{Pos: pos, Msg: msg} }

// quoteShort quotes user text for an error message, cutting long input so
// that a 1 MB query does not produce a 1 MB message.
func quoteShort(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return fmt.Sprintf("%q…", s[:cut])
	}
	return fmt.Sprintf("%q", s)
}
