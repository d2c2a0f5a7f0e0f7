package fts5

import (
	"strings"
	"unicode"
)

// quoteRunes open and close a phrase, whatever the typography, as in
// Folio's query language.
const quoteRunes = "\"“”„‟«»"

// MatchExpr turns a simple Folio-style query into an FTS5 MATCH expression:
// bare words are AND-ed, and text between quote marks is an exact phrase.
// Every word and phrase is emitted as an FTS5 string (double-quoted, inner
// quotes doubled), so nothing the user types is read as FTS5 syntax: OR,
// NOT, NEAR, column filters, prefixes and parentheses are plain text. Pieces
// with no letter or digit are dropped (the tokenizer would find nothing in
// them). The result is "" when nothing searchable is left.
func MatchExpr(q string) string {
	var parts []string
	add := func(s string) {
		s = strings.Join(strings.Fields(s), " ")
		if !hasWordRune(s) {
			return
		}
		parts = append(parts, `"`+strings.ReplaceAll(s, `"`, `""`)+`"`)
	}
	var cur strings.Builder
	inPhrase := false
	for _, r := range strings.ToValidUTF8(q, " ") {
		switch {
		case strings.ContainsRune(quoteRunes, r):
			add(cur.String())
			cur.Reset()
			inPhrase = !inPhrase
		case !inPhrase && unicode.IsSpace(r):
			add(cur.String())
			cur.Reset()
		case r == 0:
			cur.WriteRune(' ') // SQLite strings end at NUL
		default:
			cur.WriteRune(r)
		}
	}
	add(cur.String()) // an unclosed phrase runs to the end
	return strings.Join(parts, " AND ")
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
