package htmlpage

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// paragraphs is article text long enough for the extractor to take it as
// an article.
var paragraphs = []string{
	"The harbour at Baku reopened on Monday after three weeks of repairs to the eastern quay, the port authority said.",
	"Ships that had waited offshore began to dock at dawn, and the first cargo of grain was unloaded before noon.",
	"Officials said the repairs had cost less than planned and that the western quay would be next in the spring.",
	"Fishermen, who had moored in the old harbour during the works, said they were glad to have their berths back.",
}

func articlePage(head, extra string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" + head + "</head><body>")
	b.WriteString(`<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>`)
	b.WriteString("<main><article><h1>Harbour reopens after repairs</h1>" + extra)
	for _, p := range paragraphs {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</article></main><footer><p>© Example News 2024. All rights reserved.</p></footer></body></html>`)
	return b.String()
}

func TestExtractMetadata(t *testing.T) {
	page := articlePage(`<title>Harbour reopens after repairs | Example News</title>
<link rel="canonical" href="/world/2024/12/29/harbour-reopens?utm_source=feed&amp;id=7#comments">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-12-29T08:00:00+04:00">
<meta property="article:tag" content="Baku"><meta property="article:tag" content="Shipping">
<meta property="article:section" content="World">
<meta name="author" content="Meta Author">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Example News"},
  {"@type": "Person", "@id": "https://example.com/#/person/tom", "name": "Tom O&#8217;Reed"},
  {"@type": ["NewsArticle"], "headline": "Harbour reopens after repairs",
   "alternativeHeadline": "unused", "description": "Ships dock&#8217;s again", "datePublished": "2024-12-29T09:30:00Z",
   "author": [{"@type": "Person", "name": "Leyla Aliyeva"}, {"@id": "https://example.com/#/person/tom"}],
   "keywords": "Baku, ports, Baku", "articleSection": ["World", "Asia"]}]}</script>`, "")
	a, err := Extract("https://www.example.com/world/harbour?fbclid=x", []byte(page), "text/html; charset")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://www.example.com/world/2024/12/29/harbour-reopens?id=7"
	if a.URL != want || a.ID != ID(want) || a.Source != "example.com" {
		t.Errorf("URL %q ID %q source %q; want the canonical link without tracking or fragment, its ID, example.com", a.URL, a.ID, a.Source)
	}
	if a.Title != "Harbour reopens after repairs" {
		t.Errorf("title %q", a.Title)
	}
	if a.Date == nil || !a.Date.Equal(time.Date(2024, 12, 29, 9, 30, 0, 0, time.UTC)) || a.Date.Location() != time.UTC {
		t.Errorf("date %v, want JSON-LD's datePublished in UTC", a.Date)
	}
	if a.Author != "Leyla Aliyeva, Tom O’Reed" || a.Section != "World" {
		t.Errorf("author %q section %q", a.Author, a.Section)
	}
	if !slices.Equal(a.Tags, []string{"Baku", "ports", "Shipping"}) {
		t.Errorf("tags %q, want JSON-LD keywords then article:tag, each once", a.Tags)
	}
	if want := strings.Join(paragraphs, "\n\n"); a.Body != want {
		t.Errorf("body\n%q\nwant the paragraphs, apart\n%q", a.Body, want)
	}
	for _, junk := range []string{"Log in", "All rights reserved", "Harbour reopens"} {
		if strings.Contains(a.Body, junk) {
			t.Errorf("body holds %q (navigation, footer or the headline):\n%s", junk, a.Body)
		}
	}
}

// Without JSON-LD the meta tags, <time> and <title> give the metadata; a
// title's site name is trimmed.
func TestExtractFallbackMetadata(t *testing.T) {
	page := articlePage(`<title>Example News - Harbour reopens after repairs</title>
<meta property="og:site_name" content="Example News"><meta name="author" content="By Meta Author">`,
		`<p class="byline"><time datetime="2024-12-30">30 December</time></p>`)
	a, err := Extract("http://example.org/a/harbour-reopens-after-repairs", []byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Harbour reopens after repairs" || a.Author != "Meta Author" {
		t.Errorf("title %q author %q", a.Title, a.Author)
	}
	if a.Date == nil || a.Date.Format("2006-01-02") != "2024-12-30" {
		t.Errorf("date %v, want the <time datetime>", a.Date)
	}
	if a.URL != "http://example.org/a/harbour-reopens-after-repairs" || a.Source != "example.org" || a.Section != "" {
		t.Errorf("URL %q source %q section %q", a.URL, a.Source, a.Section)
	}
}

// TestCanonicalLinkOfAnotherSiteIsNotTrusted: a page fetched from one
// site that names another site's URL as canonical keeps its own URL (and
// ID), so that it cannot replace that site's article; a canonical link on
// its own site (www. or not), or in a file, is followed.
func TestCanonicalLinkOfAnotherSiteIsNotTrusted(t *testing.T) {
	for _, c := range []struct{ found, canonical, want string }{
		{"https://evil.example/copy", "https://news.example/story", "https://evil.example/copy"},
		{"https://news.example/amp/story", "https://www.news.example/story", "https://www.news.example/story"},
		{"file:///archive/story.html", "https://news.example/story", "https://news.example/story"},
	} {
		page := articlePage(`<title>Harbour reopens</title><link rel="canonical" href="`+c.canonical+`">`, "")
		a, err := Extract(c.found, []byte(page), "text/html")
		if err != nil {
			t.Fatal(err)
		}
		if a.URL != c.want || a.ID != ID(c.want) {
			t.Errorf("found at %s, canonical %s: URL %q ID %q, want %q", c.found, c.canonical, a.URL, a.ID, c.want)
		}
	}
}

func TestTrimSite(t *testing.T) {
	for _, c := range []struct{ title, site, host, section, want string }{
		{"Harbour reopens | Example News", "Example News", "example.com", "", "Harbour reopens"},
		{"Example News - Harbour reopens", "", "examplenews.com", "", "Harbour reopens"},
		{"Harbour reopens - BBC News", "", "bbc.co.uk", "", "Harbour reopens"},
		{"Opinion | Harbour reopens", "The Times", "nytimes.com", "Opinion", "Harbour reopens"},
		{"Brexit: what next for the harbour", "Example News", "example.com", "", "Brexit: what next for the harbour"},
		{"Harbour reopens - and ships return", "Example News", "example.com", "", "Harbour reopens - and ships return"},
	} {
		if got := trimSite(c.title, c.site, c.host, c.section); got != c.want {
			t.Errorf("trimSite(%q, %q, %q, %q) = %q, want %q", c.title, c.site, c.host, c.section, got, c.want)
		}
	}
}

// A page declaring windows-1252 is decoded; a page that declares nothing
// is UTF-8 even when its first kilobytes are plain ASCII.
func TestExtractCharsets(t *testing.T) {
	text := "Café owners in Zürich said the harbour’s reopening"
	latin, err := charmap.Windows1252.NewEncoder().String(articlePage(`<title>t</title>`, "<p>"+text+" was welcome news for the whole quarter of the old town.</p>"))
	if err != nil {
		t.Fatal(err)
	}
	latin = strings.Replace(latin, `charset="utf-8"`, `charset="windows-1252"`, 1)
	a, err := Extract("https://example.com/a", []byte(latin), "")
	if err != nil || !strings.Contains(a.Body, text) {
		t.Errorf("windows-1252 page: %v, body %q", err, a.Body)
	}
	plain := strings.Replace(articlePage(`<title>t</title>`+strings.Repeat("<!-- padding -->", 200), "<p>"+text+" was welcome news for the whole quarter of the old town.</p>"), `<meta charset="utf-8">`, "", 1)
	a, err = Extract("https://example.com/b", []byte(plain), "")
	if err != nil || !strings.Contains(a.Body, text) {
		t.Errorf("undeclared UTF-8 page: %v, body %q", err, a.Body)
	}
}

func TestExtractRefuses(t *testing.T) {
	for _, c := range []struct {
		name, body, contentType string
		want                    error
		reason                  string
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj", "application/pdf", ErrNotHTML, "application/pdf"},
		{"sniffed pdf", "%PDF-1.7\n1 0 obj", "", ErrNotHTML, "application/pdf"},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", ErrNotHTML, "image/png"},
		{"jpeg type", "<html>", "image/jpeg", ErrNotHTML, "image/jpeg"},
		{"login page", `<!doctype html><html><head><title>Log in</title></head><body><form><input name=u><button>Log in</button></form></body></html>`, "text/html", ErrNotArticle, "no article text"},
		{"empty", "", "text/html", ErrNotArticle, "no article text"},
		{"video", "<html>", "Video/MP4; codecs", ErrNotHTML, "video/mp4"},
	} {
		_, err := Extract("https://example.com/x", []byte(c.body), c.contentType)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: error %v, want %v saying %q", c.name, err, c.want, c.reason)
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Example.com:443/a/b?utm_source=x&id=3&UTM_Medium=y&fbclid=z#top": "https://www.example.com/a/b?id=3",
		"HTTP://example.com:80":                                "http://example.com/",
		"https://example.com/a?gclid=1&mc_cid=2&_ga=3":         "https://example.com/a",
		"https://example.com/a?b=2&a=1":                        "https://example.com/a?b=2&a=1",
		"https://example.com/search?q=a%20b&utm_campaign=feed": "https://example.com/search?q=a%20b",
		"  not a url ": "not a url",
	} {
		if got := CanonicalURL(in); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A tag page in the style of the seed input: a heading, then one entry
// per article (title linked, a teaser), among navigation, tag and author
// links, pagination and a footer.
func TestLinksOfATagPage(t *testing.T) {
	page := `<!doctype html><html><head><base href="https://news.example.com/"></head>
<body class="archive tag tag-ilham-aliyev">
<header class="site-header"><a href="/">News</a><a href="/politics/">Politics</a><a href="/login">Log in</a></header>
<nav><a href="/world/2024/12/29/nav-story-about-something">Top story in the menu</a></nav>
<main><h1>Tag: Ilham Aliyev</h1>
<article class="post"><header class="entry-header"><h2><a href="/2024/12/29/president-interviewed-by-azerbaijan-television/">President Ilham Aliyev was interviewed</a></h2></header>
 <p>Teaser. <a href="/tag/ilham-aliyev/">Ilham Aliyev</a> <a href="/author/jane/">Jane</a></p></article>
<article class="post"><h2><a href="https://www.news.example.com/2024/12/20/aliyevs-own-many-buildings-in-london?utm_source=tw#more">Aliyevs Own Many Buildings</a></h2></article>
<article class="post"><h2><a href="/news/123456">Armenia Should Exploit Rifts</a></h2>
 <a href="/2024/12/29/president-interviewed-by-azerbaijan-television/#comments">3 comments</a></article>
<article class="post"><h2><a href="/opinion/should-pashinyan-go-to-baku.html">Should Pashinyan Go to Baku</a></h2></article>
<article class="post"><h2><a href="https://elsewhere.example.org/2024/12/01/despite-his-denials-aliyev-is-upset">Elsewhere</a></h2></article>
<div class="pagination"><a href="/tag/ilham-aliyev/page/2/">Older</a></div>
<a href="/images/aliyev-and-erdogan-photo.jpg">photo</a>
<p><a href="/sign-up-for-our-daily-newsletters/">Get the news by mail</a> <a href="/2024/01/01/terms-of-service-and-privacy-notice">Terms</a>
 <a href="/world/market-data-terms-of-service">Data terms</a></p>
<article class="post"><h2><a href="/2024/12/01/new-climate-policy-and-contact-tracing">Climate policy</a></h2></article>
</main>
<aside><a href="/2024/11/01/most-read-story-of-the-month">Most read</a></aside>
<footer><a href="/privacy-policy-and-cookies-page">Privacy</a></footer>
</body></html>`
	got := Links("https://news.example.com/tag/ilham-aliyev/", []byte(page))
	want := []string{
		"https://news.example.com/2024/12/29/president-interviewed-by-azerbaijan-television/",
		"https://www.news.example.com/2024/12/20/aliyevs-own-many-buildings-in-london",
		"https://news.example.com/news/123456",
		"https://news.example.com/opinion/should-pashinyan-go-to-baku.html",
		"https://news.example.com/2024/12/01/new-climate-policy-and-contact-tracing",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Links =\n%q\nwant\n%q", got, want)
	}
}

// On real article pages, every link found is an absolute, canonical URL
// of the page's own site and no tag, author or account page.
func TestLinksOfRealPages(t *testing.T) {
	pages := loadBench(t)
	withLinks, total := 0, 0
	for _, pg := range pages {
		links := Links(pg.URL, pg.html)
		if len(links) > 0 {
			withLinks++
		}
		total += len(links)
		seen := map[string]bool{}
		for _, l := range links {
			if host(l) != host(pg.URL) || l != CanonicalURL(l) || seen[l] || strings.Contains(l, "/tag/") || strings.Contains(l, "/author/") || strings.Contains(l, "#") {
				t.Errorf("%s: link %q is not a canonical article link on the same host, once", pg.URL, l)
			}
			seen[l] = true
		}
	}
	t.Logf("%d of %d pages link to other articles on their site; %d links in all", withLinks, len(pages), total)
	if withLinks < len(pages)/2 {
		t.Errorf("only %d of %d pages gave links", withLinks, len(pages))
	}
}

func TestMatch(t *testing.T) {
	for name, head := range map[string]string{"a.html": "", "b.HTM": "", "x": "\ufeff  <!DOCTYPE html>", "y": "\n<HTML lang=en>"} {
		if !Match(name, []byte(head)) {
			t.Errorf("Match(%q, %q) = false", name, head)
		}
	}
	for name, head := range map[string]string{"a.txt": "Tag: x", "b.jsonl": `{"id":1}`, "c": "<?xml version=\"1.0\"?><rss>"} {
		if Match(name, []byte(head)) {
			t.Errorf("Match(%q, %q) = true", name, head)
		}
	}
}
