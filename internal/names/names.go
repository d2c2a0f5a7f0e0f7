// Package names folds personal and organisation names for matching, so
// that the spellings a name takes in news text meet: Erdoğan and Erdogan,
// Əliyev, Aliyev and Aliev, Алиев, Pashinyan and Pashinian. The fold is a
// key, never a name to show: it drops case, diacritics and script, and
// merges the usual spelling pairs of transliterated surnames.
package names

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/folio-search/folio/internal/textnorm"
)

// stripMarks decomposes text and drops its combining marks: é → e,
// ş → s, ğ → g. A chain keeps state as it runs, and searches fold names
// concurrently: each call takes a chain of its own from the pool, which
// spares the 8 KB of buffers a new chain allocates.
var stripMarks = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Key is the matching form of a name: lower-case ASCII words joined by
// single spaces. Two spellings of one name have the same key; the key of
// text that has no letters or digits is "".
func Key(name string) string {
	words := Words(name)
	return strings.Join(words, " ")
}

// Words are the folded words of a name, whose last is the surname in
// the names news text uses.
func Words(name string) []string {
	s := strings.ToLower(textnorm.Fold(name))
	if !ascii(s) { // most names are: they need no romanising nor marks stripped
		s = romanize(s)
		t := stripMarks.Get().(transform.Transformer)
		if s2, _, err := transform.String(t, s); err == nil {
			s = s2
		}
		stripMarks.Put(t)
	}
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, foldWord(b.String()))
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'':
			// O'Brien is OBrien.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r) // a script with no romanisation here is kept as is
		default:
			flush()
		}
	}
	flush()
	return words
}

// digraphs are the English spellings of one sound that Turkish,
// Azerbaijani and romanised Cyrillic write as one letter (ş, ç, ж, х):
// both forms fold to the one letter's base.
var digraphs = strings.NewReplacer("sh", "s", "ch", "c", "zh", "z", "kh", "h")

// suffixes are the spelling pairs of transliterated surname endings, the
// longer forms first: Aliyev, Aliev and Alijev end alike; so do Pashinyan
// and Pashinian, Smirnov and Smirnoff, Zelenskyy and Zelenskiy.
var suffixes = []struct{ from, to string }{
	{"yeva", "eva"}, {"ieva", "eva"}, {"jeva", "eva"},
	{"yev", "ev"}, {"iev", "ev"}, {"jev", "ev"},
	{"yan", "an"}, {"ian", "an"}, {"jan", "an"},
	{"off", "ov"},
	{"yy", "y"}, {"iy", "y"}, {"ii", "y"},
}

// minStem is the shortest stem a surname ending is folded after, so that
// short words (Ian, Kiev) keep their letters.
const minStem = 3

// foldWord folds one lower-case word's spelling variants. After the
// endings, y inside a word is i: romanisations write и, й and ы either
// way (Volodymyr and Volodimir, Sergey and Sergei), and a Cyrillic е
// that starts a word is written with or without its y (Yeltsin, Eltsin).
func foldWord(w string) string {
	w = digraphs.Replace(w)
	for _, s := range suffixes {
		if strings.HasSuffix(w, s.from) && len(w)-len(s.from) >= minStem {
			w = w[:len(w)-len(s.from)] + s.to
			break
		}
	}
	if strings.HasPrefix(w, "ye") && len(w) > 2 {
		w = w[1:]
	}
	if len(w) > 1 && strings.IndexByte(w[1:], 'y') >= 0 {
		w = w[:1] + strings.ReplaceAll(w[1:], "y", "i")
	}
	return w
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
