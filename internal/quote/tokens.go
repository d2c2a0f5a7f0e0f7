package quote

import (
	"unicode"
	"unicode/utf8"
)

// tok is a word or a punctuation mark of a context, with byte offsets.
type tok struct {
	s          string
	start, end int
	punct      bool
}

// lower is the word in lower case, without a trailing period.
func (t tok) lower() string {
	s := t.s
	if len(s) > 1 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func (t tok) capitalised() bool {
	r, _ := utf8.DecodeRuneInString(t.s)
	return unicode.IsUpper(r)
}

// tokens splits text[from:to] into words and marks; a word keeps inner
// apostrophes, hyphens and periods (Mr., O'Sullivan, full-back).
func tokens(text string, from, to int) []tok {
	var out []tok
	for i := from; i < to; {
		r, w := utf8.DecodeRuneInString(text[i:to])
		switch {
		case unicode.IsSpace(r):
			i += w
		case isLetterOrDigit(r):
			j := i + w
			for j < to {
				r2, w2 := utf8.DecodeRuneInString(text[j:to])
				if isLetterOrDigit(r2) {
					j += w2
					continue
				}
				if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == '&' {
					n := nextRune(text, j+w2, to)
					if isLetterOrDigit(n) {
						j += w2
						continue
					}
				}
				break
			}
			out = append(out, tok{s: text[i:j], start: i, end: j})
			i = j
		default:
			out = append(out, tok{s: text[i : i+w], start: i, end: i + w, punct: true})
			i += w
		}
	}
	return out
}
