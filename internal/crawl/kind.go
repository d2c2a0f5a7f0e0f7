package crawl

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"mime"
	"net/http"
)

// kind is what a fetched document is to the crawler.
type kind int

const (
	kindOther kind = iota // not something Folio reads: a PDF, an image…
	kindHTML
	kindFeed
	kindSitemap
)

// sniff tells what body is, from its content type and, since servers
// often send feeds and sitemaps as text/xml or octet-stream, its first
// bytes. It returns the media type it judged by.
func sniff(contentType string, body []byte) (kind, string) {
	media, _, _ := mime.ParseMediaType(contentType)
	switch media {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
		return kindFeed, media
	case "text/html", "application/xhtml+xml":
		return kindHTML, media
	}
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		return kindSitemap, "application/gzip" // sitemap.xml.gz; the sitemap reader says if it is not one
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("{")) && bytes.Contains(trimmed[:min(len(trimmed), 512)], []byte("jsonfeed.org")) {
		return kindFeed, "application/feed+json"
	}
	if bytes.HasPrefix(trimmed, []byte("<")) {
		switch root(trimmed) {
		case "rss", "RDF", "feed":
			return kindFeed, cmp.Or(media, "application/xml")
		case "urlset", "sitemapindex":
			return kindSitemap, cmp.Or(media, "application/xml")
		case "html":
			return kindHTML, "text/html"
		}
		if media == "application/xml" || media == "text/xml" {
			// XML with an unknown root: the sitemap reader names it in its error.
			return kindSitemap, media
		}
	}
	detected, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	if detected == "text/html" {
		return kindHTML, detected
	}
	if media == "" || media == "application/octet-stream" || media == "text/plain" {
		media = detected
	}
	return kindOther, media
}

// root is the local name of the first element of an XML document, or ""
// when the first few kilobytes hold none.
func root(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body[:min(len(body), 8<<10)]))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

// articleMarks are what publishers put in an article page, and not in a
// listing: OpenGraph's article type, article:* meta, a JSON-LD Article.
var articleMarks = []string{
	`og:type" content="article"`, `og:type' content='article'`, `og:type" content="article`,
	`property="article:published_time"`, `"@type":"NewsArticle"`, `"@type": "NewsArticle"`,
	`"@type":"Article"`, `"@type": "Article"`, `"@type":"ReportageNewsArticle"`,
}

// markedArticle reports whether an HTML page says it is an article.
func markedArticle(body []byte) bool {
	head := body[:min(len(body), 256<<10)]
	for _, m := range articleMarks {
		if bytes.Contains(head, []byte(m)) {
			return true
		}
	}
	return false
}
