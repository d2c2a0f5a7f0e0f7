// Package crawltest serves a small news site on loopback for crawl
// tests, built from real article pages of the research corpus
// (../shared/corpora/article-html, read at test time, never copied): the
// pages, an RSS feed, a sitemap index over a plain and a gzipped Google
// News sitemap, a tag page linking articles, and robots.txt. It logs
// every request, so tests can count 304s and measure request spacing on
// the server's side.
package crawltest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// Article is one article page of the site and where the site lists it.
type Article struct {
	Path     string
	Title    string // of the page's <title>
	HTML     []byte
	Feed     string   // "full", "summary" or "" (not in the feed)
	FeedTags []string // its categories in the feed
	News     bool     // in the gzipped news sitemap (else in the plain one)
	Keywords []string // its news:keywords
	Tagged   bool     // linked from the tag page
}

// Hit is one request the site answered.
type Hit struct {
	Path   string
	Status int
	At     time.Time // when the request arrived
	Agent  string
}

// Options choose what the site serves besides its good articles.
type Options struct {
	// Bad adds the bad inputs: a PDF, a redirect loop, a page over 2 MB
	// and a gzipped page cut short, linked from the tag page, an article (/flaky.html, one more real
	// page) answered 503 with Retry-After once, a truncated gzipped sitemap in the index and a malformed
	// feed at /feed-broken.xml.
	Bad bool
	// Delay holds every answer this long, so that requests overlap.
	Delay time.Duration
}

// Site is a running test site.
type Site struct {
	URL      string
	Articles []*Article
	srv      *httptest.Server
	opt      Options
	mu       sync.Mutex
	hits     []Hit
	docs     map[string]doc
	flaky    int
	modified time.Time
	inflight int
	most     int // requests in flight at once, at most
}

type doc struct {
	body        []byte
	contentType string
}

// Pages reads n real article pages (those that say they are articles)
// from the research corpus, skipping the test when it is absent.
func Pages(t testing.TB, n int) [][]byte {
	t.Helper()
	dir := filepath.Join(root(t), "..", "shared", "corpora", "article-html", "html")
	files, _ := filepath.Glob(filepath.Join(dir, "*.html.gz"))
	if len(files) == 0 {
		t.Skipf("no article pages in %s", dir)
	}
	slices.Sort(files)
	var pages [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(page, []byte(`og:type" content="article"`)) && title(page) != "" && len(paragraphs(page)) > 0 {
			pages = append(pages, page)
		}
		if len(pages) == n {
			return pages
		}
	}
	t.Skipf("only %d suitable article pages in %s, want %d", len(pages), dir, n)
	return nil
}

// root is the directory of go.mod above the working directory.
func root(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// New serves n real article pages as a site. Every third article is in
// the feed with its whole text, every third after it with a summary only;
// the even ones are in the gzipped news sitemap, the odd ones in the plain
// sitemap, and every other even one is linked from the tag page too.
func New(t testing.TB, n int, opt Options) *Site {
	t.Helper()
	s := &Site{opt: opt, docs: map[string]doc{}, modified: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	extra := 0
	if opt.Bad {
		extra = 1 // the page answered 503 once
	}
	for i, page := range Pages(t, n+extra) {
		sum := sha256.Sum256(page)
		a := &Article{Path: fmt.Sprintf("/news/%02d-%s.html", i, hex.EncodeToString(sum[:4])), Title: title(page), HTML: page,
			News: i%2 == 0, Tagged: i%4 == 0}
		if i == n {
			s.Articles = append(s.Articles, &Article{Path: "/flaky.html", Title: a.Title, HTML: page}) // in the plain sitemap only
			break
		}
		switch i % 3 {
		case 0:
			a.Feed = "full"
		case 1:
			a.Feed = "summary"
		}
		if a.Feed != "" {
			a.FeedTags = []string{fmt.Sprintf("Feed tag %d", i%2)}
		}
		if a.News {
			a.Keywords = []string{"News tag", fmt.Sprintf("Topic %d", i)}
		}
		s.Articles = append(s.Articles, a)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL
	s.build()
	return s
}

// Publish adds one more real article page to the site, in its feed (as
// a summary) and its plain sitemap, as a newsroom publishes a story.
func (s *Site) Publish(t testing.TB) *Article {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	pages := Pages(t, len(s.Articles)+1)
	page := pages[len(pages)-1]
	sum := sha256.Sum256(page)
	a := &Article{Path: fmt.Sprintf("/news/%02d-%s.html", len(s.Articles), hex.EncodeToString(sum[:4])), Title: title(page), HTML: page,
		Feed: "summary", FeedTags: []string{"Latest"}}
	s.Articles = append(s.Articles, a)
	s.modified = s.modified.Add(time.Hour)
	s.build()
	return a
}

// MostInFlight is the most requests the site was answering at once.
func (s *Site) MostInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.most
}

// Hits returns the requests answered so far.
func (s *Site) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hits)
}

// Paragraphs are the <p> texts of a page, as the site's feed carries them.
func Paragraphs(page []byte) []string { return paragraphs(page) }

// build renders the feed, sitemaps, tag page and robots.txt.
func (s *Site) build() {
	put := func(path, ct string, body []byte) { s.docs[path] = doc{body, ct} }
	for _, a := range s.Articles {
		put(a.Path, "text/html; charset=utf-8", a.HTML)
	}
	put("/robots.txt", "text/plain", []byte("User-agent: *\nDisallow: /private/\n"))

	var rss strings.Builder
	rss.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Test site</title><link>` + s.URL + `/</link>`)
	for _, a := range s.Articles {
		if a.Feed == "" {
			continue
		}
		ps := paragraphs(a.HTML)
		fmt.Fprintf(&rss, "\n<item><title>%s</title><link>%s%s?utm_source=rss&amp;utm_medium=feed</link><description>%s</description>",
			html.EscapeString(a.Title), s.URL, a.Path, html.EscapeString(ps[0]))
		if a.Feed == "full" {
			fmt.Fprintf(&rss, "<content:encoded>%s</content:encoded>", html.EscapeString("<p>"+strings.Join(escapeAll(ps), "</p><p>")+"</p>"))
		}
		for _, tag := range a.FeedTags {
			fmt.Fprintf(&rss, "<category>%s</category>", html.EscapeString(tag))
		}
		rss.WriteString("<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>")
	}
	rss.WriteString("\n</channel></rss>\n")
	put("/feed.xml", "application/rss+xml", []byte(rss.String()))

	var news, plain strings.Builder
	news.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`)
	plain.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, a := range s.Articles {
		if a.News {
			fmt.Fprintf(&news, "\n<url><loc>%s%s</loc><news:news><news:publication><news:name>Test site</news:name><news:language>en</news:language></news:publication>"+
				"<news:publication_date>2024-05-01T10:00:00Z</news:publication_date><news:title>%s</news:title><news:keywords>%s</news:keywords></news:news></url>",
				s.URL, a.Path, html.EscapeString(a.Title), html.EscapeString(strings.Join(a.Keywords, ", ")))
		} else {
			fmt.Fprintf(&plain, "\n<url><loc>%s%s</loc><lastmod>2024-05-01</lastmod></url>", s.URL, a.Path)
		}
	}
	news.WriteString("\n</urlset>\n")
	plain.WriteString("\n</urlset>\n")
	put("/sitemap-news.xml.gz", "application/gzip", gz([]byte(news.String())))
	put("/sitemap-pages.xml", "application/xml", []byte(plain.String()))

	index := `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>` + s.URL + `/sitemap-news.xml.gz</loc></sitemap>
<sitemap><loc>` + s.URL + `/sitemap-pages.xml</loc><lastmod>2024-05-01</lastmod></sitemap>`
	if s.opt.Bad {
		index += "\n<sitemap><loc>" + s.URL + "/sitemap-broken.xml.gz</loc></sitemap>"
		whole := gz([]byte(plain.String()))
		put("/sitemap-broken.xml.gz", "application/gzip", whole[:len(whole)*2/3])
	}
	put("/sitemap.xml", "application/xml", []byte(index+"\n</sitemapindex>\n"))

	var tag strings.Builder
	tag.WriteString(`<!DOCTYPE html><html><head><title>Tag: Harbour</title></head><body><h1>Tag: Harbour</h1><ul>`)
	for _, a := range s.Articles {
		if a.Tagged {
			// The same article under tracking parameters and a fragment.
			fmt.Fprintf(&tag, "\n<li><a href=\"%s\">%s</a> <a href=\"%s?utm_campaign=tag&fbclid=x#comments\">comments</a></li>",
				a.Path, html.EscapeString(a.Title), a.Path)
		}
	}
	// And one under an address that redirects to it.
	tag.WriteString("\n<li><a href=\"/latest\">Latest</a></li>")
	tag.WriteString("\n<li><a href=\"/private/secret.html\">Members only</a></li>")
	tag.WriteString("\n<li><a href=\"https://elsewhere.invalid/story.html\">Elsewhere</a></li>")
	if s.opt.Bad {
		tag.WriteString("\n<li><a href=\"/files/annual-report-2024\">Report (PDF)</a></li>")
		tag.WriteString("\n<li><a href=\"/news/looping-story-one\">Loop</a></li>")
		tag.WriteString("\n<li><a href=\"/big.html\">Big</a></li>")
		tag.WriteString("\n<li><a href=\"/cut.html\">Cut</a></li>")
		put("/files/annual-report-2024", "application/pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
		put("/big.html", "text/html", append([]byte(`<html><head><meta property="og:type" content="article"><title>Big</title></head><body><p>`),
			bytes.Repeat([]byte("word "), 600_000)...))
		put("/feed-broken.xml", "application/rss+xml", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut</title><link>`+s.URL+`/news/x`))
	}
	tag.WriteString("\n</ul></body></html>\n")
	put("/private/secret.html", "text/html", s.Articles[0].HTML)
	put("/tag/harbour", "text/html; charset=utf-8", []byte(tag.String()))
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, status: 200}
	arrived := time.Now()
	s.mu.Lock()
	s.inflight++
	s.most = max(s.most, s.inflight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.hits = append(s.hits, Hit{Path: r.URL.Path, Status: rec.status, At: arrived, Agent: r.UserAgent()})
		s.mu.Unlock()
	}()
	time.Sleep(s.opt.Delay)
	switch r.URL.Path {
	case "/latest": // a tagged article the crawl fetches anyway
		target := s.Articles[0].Path
		for _, a := range s.Articles {
			if a.Tagged && a.Feed != "full" {
				target = a.Path
				break
			}
		}
		http.Redirect(rec, r, target, http.StatusFound)
		return
	case "/news/looping-story-one":
		http.Redirect(rec, r, "/news/looping-story-two", http.StatusFound)
		return
	case "/news/looping-story-two":
		http.Redirect(rec, r, "/news/looping-story-one", http.StatusFound)
		return
	case "/cut.html":
		if s.opt.Bad {
			whole := gz(s.Articles[0].HTML)
			rec.Header().Set("Content-Type", "text/html")
			rec.Header().Set("Content-Encoding", "gzip")
			rec.Write(whole[:len(whole)/2])
			return
		}
	case "/flaky.html":
		if !s.opt.Bad {
			break
		}
		s.mu.Lock()
		s.flaky++
		first := s.flaky == 1
		s.mu.Unlock()
		if first {
			rec.Header().Set("Retry-After", "1")
			http.Error(rec, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	s.mu.Lock()
	d, ok := s.docs[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(rec, r)
		return
	}
	sum := sha256.Sum256(d.body)
	rec.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	rec.Header().Set("Content-Type", d.contentType)
	body := d.body
	// Article pages go gzipped to clients that take it, and /cut.html
	// is a gzipped page cut short.
	if strings.HasPrefix(r.URL.Path, "/news/") && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		rec.Header().Set("Content-Encoding", "gzip")
		body = gz(body)
	}
	http.ServeContent(rec, r, r.URL.Path, s.modified, bytes.NewReader(body))
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func escapeAll(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = html.EscapeString(p)
	}
	return out
}

// title is the text of a page's <title>.
func title(page []byte) string {
	var out string
	walk(page, func(n *xhtml.Node) bool {
		if n.Type == xhtml.ElementNode && n.Data == "title" {
			out = strings.Join(strings.Fields(text(n)), " ")
			return false
		}
		return true
	})
	return out
}

// paragraphs are the non-empty <p> texts of a page.
func paragraphs(page []byte) []string {
	var out []string
	walk(page, func(n *xhtml.Node) bool {
		if n.Type == xhtml.ElementNode && n.Data == "p" {
			if p := strings.Join(strings.Fields(text(n)), " "); p != "" {
				out = append(out, p)
			}
			return false
		}
		return true
	})
	return out
}

func walk(page []byte, visit func(*xhtml.Node) bool) {
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		return
	}
	var rec func(*xhtml.Node)
	rec = func(n *xhtml.Node) {
		if !visit(n) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(doc)
}

func text(n *xhtml.Node) string {
	var b strings.Builder
	var rec func(*xhtml.Node)
	rec = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == xhtml.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}
