package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word or punctuation mark of a text, with byte offsets into it.
type Token struct {
	Text       string // the bytes text[Start:End], as written
	Start, End int
}

// abbreviations keep their final period: titles, and the short forms that
// news text uses in names ("Int'l", "Corp.", "St."). Keys are lower-case,
// without the final period.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "pres": true, "gen": true, "sen": true,
	"rep": true, "gov": true, "lt": true, "col": true, "capt": true, "cpt": true, "sgt": true, "maj": true,
	"adm": true, "cmdr": true, "rev": true, "fr": true, "st": true, "sr": true, "jr": true, "hon": true,
	"amb": true, "supt": true, "insp": true, "brig": true, "cdr": true, "gens": true, "sens": true, "reps": true,
	"corp": true, "inc": true, "ltd": true, "co": true, "bros": true, "plc": true, "llc": true, "dept": true,
	"univ": true, "assn": true, "intl": true, "govt": true, "mt": true, "ft": true, "ave": true, "blvd": true,
	"rd": true, "no": true, "nos": true, "vs": true, "v": true, "etc": true, "approx": true, "est": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "mon": true, "tue": true, "wed": true, "thu": true,
	"fri": true, "sat": true, "sun": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true, "u.s": true,
	"u.k": true, "u.n": true, "ph.d": true, "cf": true, "al": true, "op": true, "pp": true, "vol": true,
}

// clitics are the endings split off a word as separate tokens, as the
// CoNLL/PTB tokenisation does ("Aliyev's" -> "Aliyev" "'s").
var clitics = []string{"'s", "'re", "'ve", "'ll", "'d", "'m", "n't"}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02BC' || r == '\u2032'
}

func isSpace(r rune) bool {
	if uint32(r) < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return isSpaceRune(r)
}

func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200B' || r == '\u2060' || r == '\uFEFF'
}

func isWordRune(r rune) bool {
	if uint32(r) < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWordRuneAny(r)
}

func isWordRuneAny(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// asciiSpace and asciiWord answer isSpace and isWordRune for ASCII, most
// of news text, from a table: the unicode look-ups behind them were a
// good share of tokenizing.
var asciiSpace, asciiWord = func() (sp, w [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		sp[r], w[r] = isSpaceRune(r), isWordRuneAny(r)
	}
	return sp, w
}()

func isHyphen(r rune) bool {
	return r == '-' || r == '\u2010' || r == '\u2011'
}

// Tokenize splits text into words and punctuation. Words keep inner
// apostrophes, hyphens, periods of abbreviations ("U.S.", "Pres.") and the
// separators of numbers ("1,000.5"); possessives and clitics become their own
// tokens; every other symbol is a token of its own, except runs of the same
// one ("...", "--").
func Tokenize(text string) []Token {
	return tokenizeAppend(make([]Token, 0, len(text)/5+1), text)
}

// tokenizeAppend appends the tokens of text to toks.
func tokenizeAppend(toks []Token, text string) []Token {
	i := 0
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf && asciiSpace[c] {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += n
			continue
		}
		if !isWordRune(r) {
			j := i + n
			// Keep runs of the same mark together ("...", "--", "!!").
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if r2 != r || r == '(' || r == ')' || r == '"' {
					break
				}
				j += n2
			}
			toks = append(toks, Token{text[i:j], i, j})
			i = j
			continue
		}
		j, plain := scanWord(text, i)
		if plain {
			toks = append(toks, Token{text[i:j], i, j})
		} else {
			toks = splitWord(toks, text, i, j)
		}
		i = j
	}
	return toks
}

// scanWord returns the end of the word that starts at i, and whether the
// word is plain: ASCII without an apostrophe, so that splitWord would
// keep it whole.
func scanWord(text string, i int) (int, bool) {
	j := i
	plain := true
	for j < len(text) {
		if c := text[j]; c < utf8.RuneSelf && asciiWord[c] {
			j++ // most of a word: ASCII letters and digits
			continue
		}
		r, n := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			plain = plain && r < utf8.RuneSelf
			j += n
			continue
		}
		// A joiner continues the word only when a word character follows.
		if r == '.' || r == ',' || r == ':' || r == '/' || isApostrophe(r) || isHyphen(r) || r == '&' {
			plain = plain && r < utf8.RuneSelf && r != '\''
			if j+n < len(text) {
				r2, _ := utf8.DecodeRuneInString(text[j+n:])
				if isWordRune(r2) {
					p, _ := utf8.DecodeLastRuneInString(text[i:j])
					switch {
					case r == ',' || r == ':':
						// Only inside numbers: "1,000", "10:30".
						if unicode.IsDigit(p) && unicode.IsDigit(r2) {
							j += n
							continue
						}
					case r == '.':
						// Numbers ("3.5") and abbreviations with inner periods
						// ("U.S", "x.x") - a single letter before the period.
						if unicode.IsDigit(p) && unicode.IsDigit(r2) || singleLetterBefore(text, i, j) {
							j += n
							continue
						}
					case r == '/':
						if unicode.IsDigit(p) && unicode.IsDigit(r2) {
							j += n
							continue
						}
					case r == '&':
						// "AT&T", "S&P": upper-case letters on both sides.
						if unicode.IsUpper(p) && unicode.IsUpper(r2) {
							j += n
							continue
						}
					default:
						j += n
						continue
					}
				}
			}
			if r == '.' {
				// A final period belongs to an abbreviation: "U.S.", "Pres.", "J.".
				w := text[i:j]
				if lowerIn(abbreviations, w, false) || singleLetterBefore(text, i, j) || strings.IndexByte(w, '.') >= 0 {
					j += n
				}
			}
		}
		break
	}
	return j, plain
}

// singleLetterBefore reports whether text[i:j] ends in a letter that is
// alone since the word start or the previous period ("U.S" -> true for "S").
func singleLetterBefore(text string, i, j int) bool {
	p, n := utf8.DecodeLastRuneInString(text[i:j])
	if !unicode.IsLetter(p) {
		return false
	}
	k := j - n
	return k == i || text[k-1] == '.'
}

// splitWord appends text[i:j] to toks, splitting off a possessive or clitic.
func splitWord(toks []Token, text string, i, j int) []Token {
	w := text[i:j]
	if strings.IndexByte(w, '\'') < 0 && isASCII(w) {
		return append(toks, Token{w, i, j}) // no apostrophe of any kind
	}
	// Find the last apostrophe; the ending after it decides.
	for k := len(w) - 1; k > 0; k-- {
		r, n := utf8.DecodeRuneInString(w[k:])
		if r == utf8.RuneError && n == 1 {
			continue
		}
		if !isApostrophe(r) {
			continue
		}
		end := strings.ToLower(w[k+n:])
		for _, c := range clitics {
			if c[0] == '\'' && end == c[1:] {
				return append(toks, Token{w[:k], i, i + k}, Token{w[k:], i + k, j})
			}
			if c == "n't" && end == "t" && k > 1 && (w[k-1] == 'n' || w[k-1] == 'N') && k-1 > 0 {
				return append(toks, Token{w[:k-1], i, i + k - 1}, Token{w[k-1:], i + k - 1, j})
			}
		}
		break
	}
	return append(toks, Token{w, i, j})
}

// sentenceEnders end a sentence when the next token may start one.
func isSentenceEnd(t string) bool {
	switch t {
	case ".", "!", "?", "...", "\u2026", "!!", "??", "?!":
		return true
	}
	return false
}

func isCloser(t string) bool {
	switch t {
	case "\"", "'", "\u201D", "\u2019", ")", "]", "\u00BB":
		return true
	}
	return false
}

// maxSentence bounds a sentence so that text without punctuation (lists,
// tables) still tags in bounded pieces.
const maxSentence = 200

// SplitSentences groups tokens into sentences, returned as [start, end)
// index ranges into toks. A sentence ends after . ! ? (and any closing quote
// or bracket) when the next token starts with a capital, digit or quote,
// and at every paragraph break (a blank line, or a line break followed by
// an indent).
func SplitSentences(text string, toks []Token) [][2]int {
	return appendSentences(nil, text, toks)
}

// appendSentences appends the sentences of SplitSentences to out.
func appendSentences(out [][2]int, text string, toks []Token) [][2]int {
	start := 0
	for i := 0; i < len(toks); i++ {
		end := false
		if i+1 < len(toks) && paragraphBreak(text[toks[i].End:toks[i+1].Start]) {
			end = true
		} else if isSentenceEnd(toks[i].Text) {
			k := i
			for k+1 < len(toks) && isCloser(toks[k+1].Text) && !paragraphBreak(text[toks[k].End:toks[k+1].Start]) {
				k++
			}
			if k+1 >= len(toks) || startsSentence(toks[k+1].Text) {
				i = k
				end = true
			}
		} else if i+1-start >= maxSentence {
			end = true
		}
		if end {
			out = append(out, [2]int{start, i + 1})
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, [2]int{start, len(toks)})
	}
	return out
}

func startsSentence(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'\u201C\u2018([-\u2013\u2014", r)
}

// paragraphBreak reports whether the space between two tokens holds a blank
// line or a line break followed by an indent of two or more spaces.
func paragraphBreak(gap string) bool {
	if len(gap) < 2 {
		return false // most gaps: one space
	}
	nl := strings.IndexByte(gap, '\n')
	if nl < 0 {
		return false
	}
	rest := gap[nl+1:]
	if strings.IndexByte(rest, '\n') >= 0 {
		return true
	}
	return strings.HasPrefix(rest, "  ") || strings.HasPrefix(rest, "\t")
}
