package main

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/crawl"
)

// pageOptions are how `folio crawl` reads HTML pages. This plain reading
// — <title>, <p> text, author, date and tag meta, same-host links, URLs
// without utm_*, fbclid and fragments — stands until the article page
// reader (corpus/htmlpage) is wired in here.
func pageOptions(opt *crawl.Options) {
	opt.Extract, opt.Links, opt.Canonical = plainExtract, plainLinks, plainCanonical
}

func plainExtract(pageURL string, body []byte, _ string) (corpus.Article, error) {
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return corpus.Article{}, err
	}
	a := corpus.Article{URL: plainCanonical(pageURL)}
	var paras []string
	visit(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.Data {
		case "title":
			if a.Title == "" {
				a.Title = squash(nodeText(n))
			}
		case "p":
			if p := squash(nodeText(n)); p != "" {
				paras = append(paras, p)
			}
			return false
		case "meta":
			content := attrOf(n, "content")
			switch attrOf(n, "property") + attrOf(n, "name") {
			case "author":
				a.Author = content
			case "article:tag":
				a.Tags = append(a.Tags, content)
			case "article:published_time":
				if t, err := time.Parse(time.RFC3339, content); err == nil && a.Date == nil {
					t = t.UTC()
					a.Date = &t
				}
			}
		case "script", "style":
			return false
		}
		return true
	})
	a.Body = strings.Join(paras, "\n\n")
	if a.Body == "" {
		return a, errors.New("no paragraphs of text")
	}
	return a, nil
}

func plainLinks(pageURL string, body []byte) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	visit(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "a" {
			if u, err := base.Parse(attrOf(n, "href")); err == nil && u.Host == base.Host && u.Path != base.Path {
				if c := plainCanonical(u.String()); !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
		return true
	})
	return out
}

func plainCanonical(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") || k == "fbclid" || k == "gclid" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func visit(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		visit(c, f)
	}
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	visit(n, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			b.WriteString(n.Data + " ")
		}
		return n.Type != html.ElementNode || (n.Data != "script" && n.Data != "style")
	})
	return b.String()
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
