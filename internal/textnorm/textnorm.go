// Package textnorm folds the typographic variants that news text is full
// of, so that a query typed with straight quotes finds text set with curly
// ones. It is used on both sides: by the index's token filter and by the
// query parser.
package textnorm

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldRune maps one rune to its plain form, or returns it unchanged.
func foldRune(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u0060', '\u00B4', '\uFF07', '\u02BC':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB', '\uFF02':
		return '"'
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D':
		return '-'
	case '\u00A0', '\u2007', '\u202F', '\u2009', '\u200A', '\u2002', '\u2003', '\u3000':
		return ' '
	case '\u2026':
		return '.' // a lone ellipsis only separates words; keep it punctuation
	}
	return r
}

// needsFold reports whether s holds anything Fold would change, so the
// common all-ASCII case costs one scan and no allocation.
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Fold returns s in Unicode NFC with quote marks, apostrophes and dashes
// replaced by their ASCII forms and exotic spaces by a plain space. Case is
// left alone.
func Fold(s string) string {
	if !needsFold(s) {
		return s
	}
	s = norm.NFC.String(s)
	return strings.Map(foldRune, s)
}

// Key is the form used to compare words: folded and lower-cased.
func Key(s string) string { return strings.ToLower(Fold(s)) }
