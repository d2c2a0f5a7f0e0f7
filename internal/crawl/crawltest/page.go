package crawltest

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/folio-search/folio/corpus"
	xhtml "golang.org/x/net/html"
)

// Extract, Links and Canonical are a plain reading of pages for crawl
// tests: the <title>, the <p> texts and a few meta tags, the same-host
// links of a page, and URLs without utm_*, fbclid and fragments. The
// crawler takes such functions as options; Folio's page reader does it
// thoroughly.
func Extract(pageURL string, body []byte, _ string) (corpus.Article, error) {
	a := corpus.Article{URL: Canonical(pageURL), Title: title(body), Body: strings.Join(paragraphs(body), "\n\n")}
	if a.Body == "" {
		return a, errors.New("no paragraphs of text")
	}
	walk(body, func(n *xhtml.Node) bool {
		if n.Type != xhtml.ElementNode || n.Data != "meta" {
			return true
		}
		key, content := attr(n, "property")+attr(n, "name"), attr(n, "content")
		switch key {
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
		return true
	})
	return a, nil
}

// Links lists the canonical links of a page to other pages of its host.
func Links(pageURL string, body []byte) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	walk(body, func(n *xhtml.Node) bool {
		if n.Type == xhtml.ElementNode && n.Data == "a" {
			if u, err := base.Parse(attr(n, "href")); err == nil && u.Host == base.Host && u.Path != base.Path {
				if c := Canonical(u.String()); !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
		return true
	})
	return out
}

// Canonical drops the fragment and tracking parameters of a URL.
func Canonical(raw string) string {
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

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
