package sitemap

import (
	"strings"
	"testing"
)

// FuzzParseSitemap feeds arbitrary bytes to Parse: it must return, never
// panic, stay within its limits, and give only absolute http(s) locations.
func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{index, urlset, newsmap, `<urlset><url><loc>/rel</loc></url></urlset>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sm, err := Parse("https://fuzz.example/sitemap.xml", body)
		if err != nil {
			return
		}
		if len(sm.URLs) > MaxEntries || len(sm.Sitemaps) > MaxEntries {
			t.Fatalf("%d URLs and %d sitemaps, over the limit", len(sm.URLs), len(sm.Sitemaps))
		}
		for _, u := range sm.URLs {
			if !strings.HasPrefix(u.Loc, "http://") && !strings.HasPrefix(u.Loc, "https://") {
				t.Fatalf("location %q is not absolute http(s)", u.Loc)
			}
		}
		for _, c := range sm.Sitemaps {
			if !strings.HasPrefix(c.Loc, "http://") && !strings.HasPrefix(c.Loc, "https://") {
				t.Fatalf("child %q is not absolute http(s)", c.Loc)
			}
		}
	})
}
