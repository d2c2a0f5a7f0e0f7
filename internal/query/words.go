package query

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/textnorm"
)

// scope says where words go and how they are read: to the default
// fields, or as the value of a field such as title:, tag: or date:.
type scope struct {
	kind  reading
	field string
}

// reading is how a scope reads its words.
type reading int

const (
	asText   reading = iota // words become Term, Phrase, Prefix, Fuzzy
	asFilter                // words become Filter values, kept as typed
	asDate                  // words become DateRange
)

// fields are the query's field prefixes: the text fields, date:, and a
// filter for each facet of the facet table (under its name and aliases).
var fields = func() map[string]scope {
	m := map[string]scope{
		"title": {asText, "title"},
		"body":  {asText, "body"},
		"date":  {asDate, ""},
		// A quote's words, and who said it: matched against the quote
		// index, not a facet of the article.
		"quote":   {asText, "quote"},
		"speaker": {asFilter, "speaker"},
	}
	for _, f := range facet.All {
		for _, name := range append([]string{f.Name}, f.Aliases...) {
			m[name] = scope{asFilter, f.Name}
		}
	}
	return m
}()

// fieldByName recognises a field name the way a term would be normalised,
// so "Title:" (a phone capitalised it) is the title field, and no plain
// word can normalise to text that Format would print as a field.
func fieldByName(name string) (scope, bool) {
	if len(trimEdges(name)) > 64 { // cannot fold to a field name: skip the work
		return scope{}, false
	}
	s, ok := fields[normTerm(name)]
	return s, ok
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// hasAlnum reports whether s has a letter or digit; a word without one
// (—, &, ...) is punctuation and is dropped.
func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// trimEdges drops leading and trailing characters that are not part of a
// word (quotes, brackets, commas, #, …); inner ones (well-known, int'l,
// 10:30) stay for the index's analyzer to split as it splits the text.
func trimEdges(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// normTerm folds and lower-cases a word and trims its edges. It repeats
// until nothing changes because lower-casing can make new NFC compositions
// ("İ" + combining acute → "í"), and Format relies on normTerm(normTerm(x))
// == normTerm(x) to print a term that parses back to itself.
func normTerm(s string) string {
	for range 4 {
		t := trimEdges(textnorm.Key(s))
		if t == s {
			break
		}
		s = t
	}
	return s
}

// normWord is normTerm, or "" for a word with no letter or digit once
// folded: "ʼ" is a modifier letter that folds to an apostrophe.
func normWord(s string) string {
	if t := normTerm(s); hasAlnum(t) {
		return t
	}
	return ""
}

// phraseWords splits a phrase's content into normalised words, dropping
// pieces that are only punctuation.
func phraseWords(s string) []string {
	var words []string
	for _, w := range splitSpace(s) {
		if w = normWord(w); w != "" {
			words = append(words, w)
		}
	}
	return words
}

func splitSpace(s string) []string {
	return strings.FieldsFunc(s, isSpace)
}

// cleanValue prepares a filter value: quote marks, apostrophes and dashes
// folded, whitespace collapsed, case kept (entity names are matched as
// their canonical spelling).
func cleanValue(s string) string {
	for range 4 {
		t := strings.Join(splitSpace(textnorm.Fold(s)), " ")
		if t == s {
			break
		}
		s = t
	}
	return s
}

// onlySpace reports whether s is empty or whitespace.
func onlySpace(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// textWord reads a bare word in a text field: corrupt* is a prefix,
// aliev~1 fuzzy, anything else a term. It returns nil for punctuation.
func textWord(field, raw string, pos, nodePos int) (Node, error) {
	text := normWord(raw)
	if text == "" {
		return nil, nil
	}
	if strings.HasSuffix(raw, "*") {
		base := normTerm(raw[:len(raw)-1])
		if utf8.RuneCountInString(base) < 2 {
			return nil, errAt(pos, `a prefix search needs at least 2 characters before "*", e.g. corrupt*`)
		}
		return Prefix{Field: field, Text: base, Pos: nodePos}, nil
	}
	if i := strings.LastIndexByte(raw, '~'); i >= 0 && allDigits(raw[i+1:]) {
		// "~10" on its own has nothing to be fuzzy about: read it as text.
		if base := normWord(raw[:i]); base != "" {
			digits := raw[i+1:]
			d := 2
			if digits != "" {
				if len(digits) > 1 || digits[0] > '2' {
					return nil, errAt(pos+i, `fuzzy distance must be 0, 1 or 2, e.g. aliev~1 (aliev~ means 2)`)
				}
				d = int(digits[0] - '0')
			}
			return Fuzzy{Field: field, Text: base, Distance: d, Pos: nodePos}, nil
		}
	}
	// +word: required even in a long query that needs only most words.
	required := field == "" && len(raw) > 1 && raw[0] == '+'
	return Term{Field: field, Text: text, Required: required, Pos: nodePos}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
