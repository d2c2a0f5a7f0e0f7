package index

import (
	"strings"
	"testing"
	"unicode"
)

// countTerms counts what it always counted, the words but stop words, on
// news and on hard forms.
func FuzzCountTerms(f *testing.F) {
	for _, s := range []string{"The IBM'S profits", "OF THE and", "Kelvin \u212A and İstanbul", "a", "", "über ÜBER’s it’s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want int64
		start := -1
		for i, r := range s + " " {
			isWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
			if isWord && start < 0 {
				start = i
			} else if !isWord && start >= 0 {
				if !stopWords[strings.ToLower(s[start:i])] {
					want++
				}
				start = -1
			}
		}
		if got := countTerms(s); got != want {
			t.Errorf("countTerms(%q) = %d, want %d", s, got, want)
		}
	})
}
