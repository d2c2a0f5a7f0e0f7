package htmlpage

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
)

// FuzzExtract holds Extract to its contract on any page and content type:
// no panic; an error says the page is not HTML, not an article or over a
// limit; an article has the ID of its canonical URL, valid UTF-8 text of
// at least MinWords words, tags and fields within the corpus limits.
// Seeds are in testdata/fuzz/FuzzExtract; run e.g.
//
//	go test -fuzz=FuzzExtract -fuzztime=5m ./corpus/htmlpage/
func FuzzExtract(f *testing.F) {
	f.Add([]byte(articlePage("<title>T | Site</title>", "")), "text/html")
	f.Add([]byte("%PDF-1.4"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, err := Extract("https://example.com/news/story?utm_source=x#f", body, contentType)
		if err != nil {
			if !errors.Is(err, ErrNotHTML) && !errors.Is(err, ErrNotArticle) && !strings.Contains(err.Error(), "over the limit") {
				t.Fatalf("error %v says neither not HTML, not an article nor a limit", err)
			}
			return
		}
		if a.ID != ID(a.URL) || a.URL != CanonicalURL(a.URL) || a.Tags == nil {
			t.Fatalf("article %q: ID, URL %q or tags wrong", a.ID, a.URL)
		}
		if !utf8.ValidString(a.Body) || !utf8.ValidString(a.Title) || len(strings.Fields(a.Body)) < MinWords {
			t.Fatalf("body %q: invalid UTF-8 or too short", a.Body)
		}
		if len(a.Title) > corpus.MaxTitleBytes || len(a.Author) > corpus.MaxAuthorBytes || len(a.Section) > corpus.MaxSectionBytes ||
			len(a.Tags) > corpus.MaxTags || len(a.Title)+len(a.Body) > corpus.MaxArticleBytes {
			t.Fatalf("article over a limit: %+v", a)
		}
		seen := map[string]bool{}
		for _, tag := range a.Tags {
			if tag == "" || seen[tag] || len(tag) > corpus.MaxTagBytes {
				t.Fatalf("tags %q", a.Tags)
			}
			seen[tag] = true
		}
		if a.Date != nil && (a.Date.Year() < 1678 || a.Date.Year() > 2261 || a.Date.Location().String() != "UTC") {
			t.Fatalf("date %v", a.Date)
		}
	})
}
