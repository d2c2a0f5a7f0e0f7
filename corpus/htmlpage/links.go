package htmlpage

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Links are the article links of a listing page (a tag or section page):
// absolute canonical URLs on the page's own host, each once, in page
// order. A link counts when it is outside the page's chrome (navigation,
// header, footer, sidebars, comment and share boxes, forms) and its path
// looks like an article's rather than a section's, a tag's, an author's
// or an account page's.
func Links(pageURL string, body []byte) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	doc, err := html.Parse(bytes.NewReader(decode(body, "")))
	if err != nil {
		return nil
	}
	if b := baseHref(doc); b != "" {
		if u, err := base.Parse(b); err == nil {
			base = u
		}
	}
	site := host(base.String())
	self := CanonicalURL(base.String())
	var out []string
	seen := map[string]bool{}
	var walk func(n *html.Node, inContent bool)
	walk = func(n *html.Node, inContent bool) {
		if n.Type == html.ElementNode {
			if isChrome(n, inContent) {
				return
			}
			inContent = inContent || n.DataAtom == atom.Main || n.DataAtom == atom.Article
			if n.DataAtom == atom.A {
				if u := articleLink(base, attr(n, "href"), site); u != "" && u != self && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inContent)
		}
	}
	walk(doc, false)
	return out
}

// chromeWords mark an element's class or id as page furniture.
// Only the words of furniture are taken, not "header" (an article card's
// header holds its link) or "tag" (a tag page's own classes say "tag").
var chromeWords = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|navigation|menu|footer|site-header|masthead|sidebar|breadcrumbs?|share|sharing|social|comments|login|signin|pagination|pager|tags|tagcloud|tag-list|cookie|skip-link)($|[\s_])`)

// isChrome says whether an element is page furniture rather than content.
// A <header> or <footer> inside <main> or an <article> is an entry's own.
func isChrome(n *html.Node, inContent bool) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Form, atom.Script, atom.Style, atom.Template, atom.Noscript:
		return true
	case atom.Header, atom.Footer:
		return !inContent
	}
	if role := attr(n, "role"); role == "navigation" || role == "banner" || role == "contentinfo" || role == "search" {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false // their classes describe the page (WordPress: "archive tag tag-x")
	}
	return chromeWords.MatchString(attr(n, "class")) || chromeWords.MatchString(attr(n, "id"))
}

// notArticle are path segments of pages that list or serve, not tell.
var notArticle = map[string]bool{
	"tag": true, "tags": true, "topic": true, "topics": true, "category": true, "categories": true,
	"section": true, "sections": true, "author": true, "authors": true, "profile": true, "user": true,
	"users": true, "login": true, "logout": true, "signin": true, "signup": true, "register": true,
	"account": true, "subscribe": true, "search": true, "page": true, "feed": true, "rss": true,
	"about": true, "contact": true, "privacy": true, "terms": true, "cookies": true, "wp-admin": true,
	"wp-login.php": true, "cdn-cgi": true, "static": true, "assets": true, "newsletter": true,
}

// fileExts are links to files, not pages.
var fileExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".pdf": true,
	".mp3": true, ".mp4": true, ".zip": true, ".xml": true, ".rss": true, ".css": true, ".js": true, ".json": true,
}

var (
	// serviceSlug marks a page about the site rather than a story
	// (cnbc.com/sign-up-for-cnbc-newsletters, …/market-data-terms-of-service);
	// only a slug's start or end, as stories speak of policy and terms too.
	serviceSlug = regexp.MustCompile(`(?i)^(privacy|terms|cookies?|sign-?up|sign-?in|log-?in|register|subscribe|subscriptions?|newsletters?|contact|advertise|careers|faq|help|about-us)([-_.]|$)|(terms-of-(service|use)|privacy-policy|cookie-policy)(\.html?)?$`)
	longNumber  = regexp.MustCompile(`\d{4,}`)
	wordy       = regexp.MustCompile(`^[\p{L}\p{N}]+([-_][\p{L}\p{N}]+){2,}(\.html?)?$`)
)

// articleLink is href as a canonical article URL on site, or "".
func articleLink(base *url.URL, href, site string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || host(u.String()) != site {
		return ""
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 || fileExts[strings.ToLower(path.Ext(u.Path))] {
		return ""
	}
	for _, s := range segs {
		if notArticle[strings.ToLower(s)] {
			return ""
		}
	}
	// An article's path names it (a slug of several words, or a file
	// ending in .html) or numbers it (an id of four or more digits).
	last := segs[len(segs)-1]
	if serviceSlug.MatchString(last) {
		return ""
	}
	if !wordy.MatchString(last) && !longNumber.MatchString(u.Path) && !strings.HasSuffix(strings.ToLower(last), ".html") {
		return ""
	}
	return CanonicalURL(u.String())
}

// baseHref is the page's <base href>, if any.
func baseHref(doc *html.Node) string {
	var found string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			found = attr(n, "href")
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}
