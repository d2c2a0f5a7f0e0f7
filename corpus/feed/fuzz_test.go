package feed

import (
	"strings"
	"testing"
)

// FuzzParseFeed feeds arbitrary bytes to Parse: it must return, never
// panic, and every entry it gives must have an absolute http(s) URL.
func FuzzParseFeed(f *testing.F) {
	for _, s := range []string{rss2, atom, jsonFeed, rss1, rss091} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		entries, err := Parse("https://fuzz.example/feed", []byte(body))
		if err != nil {
			return
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.URL, "http://") && !strings.HasPrefix(e.URL, "https://") {
				t.Fatalf("entry URL %q is not absolute http(s)", e.URL)
			}
		}
	})
}
