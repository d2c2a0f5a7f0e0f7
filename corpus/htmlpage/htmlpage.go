// Package htmlpage reads news article pages: the main text, found by
// go-trafilatura (with readability as its fallback), and the metadata
// publishers put in their markup (JSON-LD, OpenGraph and article:* meta,
// canonical links). It also finds the article links of a listing page,
// and registers the "html" input format with corpus.
package htmlpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/folio-search/folio/corpus"
)

// MaxPageBytes bounds the HTML of one page. The largest news pages are a
// few megabytes, mostly scripts and styles.
const MaxPageBytes = 16 << 20

// MinWords is the fewest words of text an article page has. With less, the
// extractor has found a form, a menu or an error message: trafilatura
// falls back to all of a page's text when it finds no article.
const MinWords = 10

// ErrNotArticle is wrapped by the error for a page with no article text.
var ErrNotArticle = errors.New("not an article page")

// ErrNotHTML is wrapped by the error for content that is not HTML at all:
// a PDF, an image, binary data.
var ErrNotHTML = errors.New("not an HTML page")

// Extract turns an HTML article page into an Article. pageURL is where the
// page was found; the page's canonical link, if any, wins. contentType is
// the Content-Type it was served with, or "" to sniff. The article's URL
// is the canonical URL (see CanonicalURL) and its ID is derived from it,
// so one story reached by different links is one article.
func Extract(pageURL string, body []byte, contentType string) (corpus.Article, error) {
	if len(body) > MaxPageBytes {
		return corpus.Article{}, fmt.Errorf("page is %d bytes, over the limit of %d", len(body), MaxPageBytes)
	}
	if err := checkHTML(body, contentType); err != nil {
		return corpus.Article{}, err
	}
	doc, err := html.Parse(bytes.NewReader(decode(body, contentType)))
	if err != nil {
		return corpus.Article{}, fmt.Errorf("%w: %v", ErrNotHTML, err)
	}
	m := readMeta(doc)
	a := corpus.Article{URL: CanonicalURL(pageURLOf(pageURL, m)), Tags: []string{}}
	if len(a.URL) > corpus.MaxURLBytes {
		return corpus.Article{}, fmt.Errorf("URL is %d bytes, over the limit of %d", len(a.URL), corpus.MaxURLBytes)
	}
	a.ID = ID(a.URL)
	a.Source = host(a.URL)
	if a.Source == "" {
		a.Source = host(pageURL)
	}

	if d, ok := firstDate(m.ld.published, first(m.meta["article:published_time"]), m.timeAttr,
		first(m.meta["datepublished"]), m.ld.modified, first(m.meta["article:modified_time"])); ok {
		a.Date = &d
	}
	text, tm := mainText(doc, a.URL, a.Date == nil)
	if n := len(strings.Fields(text)); n < MinWords {
		return corpus.Article{}, fmt.Errorf("%w: no article text found (%d words of text, fewer than %d)", ErrNotArticle, n, MinWords)
	}
	if a.Date == nil && !tm.Date.IsZero() {
		if d, ok := inRange(tm.Date); ok {
			a.Date = &d
		}
	}
	a.Body = text
	site := cmpOr(first(m.meta["og:site_name"]), m.ld.publisher, tm.Sitename)
	a.Section = clip(cmpOr(first(m.ld.sections), first(m.meta["article:section"])), corpus.MaxSectionBytes)
	a.Title = clip(cmpOr(m.ld.headline, first(m.meta["og:title"]), trimSite(m.title, site, a.Source, a.Section), tm.Title), corpus.MaxTitleBytes)
	a.Title = trimSite(a.Title, site, a.Source, a.Section)
	a.Body = dropHeadline(a.Body, a.Title)
	a.Author = clip(authors(m, tm.Author), corpus.MaxAuthorBytes)
	a.Tags = tags(append(append([]string{}, m.ld.keywords...), m.meta["article:tag"]...))
	if len(a.Title)+len(a.Body) > corpus.MaxArticleBytes {
		return corpus.Article{}, fmt.Errorf("article is over the limit of %d bytes of title and body", corpus.MaxArticleBytes)
	}
	return a, nil
}

// ID is the article ID of a canonical URL: a stable hash of it.
func ID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return "u" + hex.EncodeToString(sum[:10])
}

// checkHTML refuses content that is not HTML, by its declared type or, if
// none is given, by its first bytes.
func checkHTML(body []byte, contentType string) error {
	if contentType != "" {
		if mt := MediaType(contentType); mt != "text/html" && mt != "application/xhtml+xml" {
			return fmt.Errorf("%w: content type %s", ErrNotHTML, clip(mt, 64))
		}
		return nil
	}
	sniffed := MediaType(http.DetectContentType(body))
	for _, p := range []string{"application/", "image/", "audio/", "video/", "font/"} {
		if strings.HasPrefix(sniffed, p) {
			return fmt.Errorf("%w: the content is %s", ErrNotHTML, sniffed)
		}
	}
	return nil
}

// MediaType is the media type of a Content-Type, lower-cased; servers
// send malformed parameters ("text/html; charset") often enough that the
// type before them is taken alone when the whole does not parse.
func MediaType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// pageURLOf is the page's own URL: its canonical link (resolved against
// where it was found) when that is a web URL, else where it was found. A
// page fetched from the web may name a canonical URL on its own site only:
// a page claiming another site's URL would otherwise take the ID, and so
// replace the article, of that site's page.
func pageURLOf(found string, m pageMeta) string {
	base, err := url.Parse(found)
	fetched := err == nil && (base.Scheme == "http" || base.Scheme == "https") && base.Host != ""
	for _, c := range []string{m.canonical, first(m.meta["og:url"])} {
		if c == "" {
			continue
		}
		u, uerr := url.Parse(c)
		if uerr != nil {
			continue
		}
		if err == nil {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && (!fetched || host(u.String()) == host(found)) {
			return u.String()
		}
	}
	return found
}

// mainText is the article's text by trafilatura, with readability as the
// fallback when it finds none; findDate asks trafilatura to look for the
// date in the page's text too.
func mainText(doc *html.Node, pageURL string, findDate bool) (string, trafilatura.Metadata) {
	// The fallback (readability and DOM Distiller, compared with
	// trafilatura's own result) raised F1 on the benchmark pages from
	// 0.960 to 0.966; looking for dates in the text only when the
	// metadata has none saves time.
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled}
	if findDate {
		opts.HtmlDateMode = trafilatura.Fast
	}
	if u, err := url.Parse(pageURL); err == nil && u.Host != "" {
		opts.OriginalURL = u
	}
	var text string
	var meta trafilatura.Metadata
	if res, err := trafilatura.ExtractDocument(doc, opts); err == nil && res != nil {
		text, meta = withParagraphs(res.ContentText, res.ContentNode), res.Metadata
	}
	if strings.TrimSpace(text) == "" {
		parser := readability.NewParser()
		if art, err := parser.ParseDocument(doc, opts.OriginalURL); err == nil && art.Node != nil {
			var b strings.Builder
			if art.RenderText(&b) == nil {
				text = b.String()
			}
		}
	}
	return strings.TrimSpace(text), meta
}

// authors is the byline: JSON-LD authors, else the author meta tags, else
// what trafilatura found.
func authors(m pageMeta, fallback string) string {
	list := m.ld.authors
	if len(list) == 0 {
		for _, v := range append(m.meta["author"], m.meta["article:author"]...) {
			if !strings.Contains(v, "://") {
				list = append(list, v)
			}
		}
	}
	var out []string
	for _, a := range list {
		a = strings.Join(strings.Fields(a), " ")
		if low := strings.ToLower(a); strings.HasPrefix(low, "by ") {
			a = strings.TrimSpace(a[3:])
		}
		if a != "" && !contains(out, a) && !accountNames[strings.ToLower(a)] {
			out = append(out, a)
		}
	}
	if len(out) == 0 && fallback != "" {
		return fallback
	}
	return strings.Join(out, ", ")
}

// accountNames are site accounts that publishing software names as
// authors when nobody signed the piece.
var accountNames = map[string]bool{"admin": true, "administrator": true, "webmaster": true}

// tags cleans keywords into tags within the corpus limits.
func tags(keywords []string) []string {
	var kept []string
	for _, k := range corpus.CleanTags(keywords) {
		if len(k) <= corpus.MaxTagBytes && len(kept) < corpus.MaxTags {
			kept = append(kept, k)
		}
	}
	if kept == nil {
		return []string{}
	}
	return kept
}

func firstDate(vals ...string) (t time.Time, ok bool) {
	for _, v := range vals {
		if t, ok = parseDate(v); ok {
			return t, true
		}
	}
	return t, false
}

func first(vals []string) string {
	if len(vals) == 0 {
		return ""
	}
	return vals[0]
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// dropHeadline removes the headline from the start of the body, where
// extraction often leaves it: the title is the article's own field.
func dropHeadline(body, title string) string {
	if title == "" || !strings.HasPrefix(body, title) {
		return body
	}
	if rest := strings.TrimSpace(body[len(title):]); rest != "" {
		return rest
	}
	return body
}
