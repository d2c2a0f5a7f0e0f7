package htmlpage

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/folio-search/folio/corpus"
)

// pageMeta is what a publisher says about a page in its markup: JSON-LD,
// OpenGraph and article:* meta, and a few plain HTML elements.
type pageMeta struct {
	lang      string              // <html lang>
	title     string              // <title>
	canonical string              // <link rel=canonical>
	timeAttr  string              // the first <time datetime>
	meta      map[string][]string // <meta property|name=…> by lower-cased key
	ld        ldArticle           // the first JSON-LD article
}

// ldArticle holds the JSON-LD fields of a NewsArticle or Article.
type ldArticle struct {
	headline, published, modified string
	authors, keywords, sections   []string
	publisher                     string
}

// articleTypes are the schema.org types read as the page's article.
var articleTypes = map[string]bool{
	"NewsArticle": true, "Article": true, "ReportageNewsArticle": true, "AnalysisNewsArticle": true,
	"OpinionNewsArticle": true, "BackgroundNewsArticle": true, "ReviewNewsArticle": true,
	"BlogPosting": true, "LiveBlogPosting": true, "ScholarlyArticle": true, "Report": true,
}

func readMeta(doc *html.Node) pageMeta {
	m := pageMeta{meta: map[string][]string{}}
	found := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.lang = attr(n, "lang")
			case atom.Title:
				if m.title == "" {
					m.title = textOf(n)
				}
			case atom.Meta:
				key := strings.ToLower(cmpOr(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
					m.meta[key] = append(m.meta[key], v)
				}
			case atom.Link:
				if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					m.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Time:
				if m.timeAttr == "" {
					m.timeAttr = strings.TrimSpace(attr(n, "datetime"))
				}
			case atom.Script:
				if !found && strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
					var v any
					if json.Unmarshal([]byte(textOf(n)), &v) == nil {
						m.ld, found = findArticle(v, namedIDs(v, map[string]string{}, 0), 0)
					}
				}
				return
			case atom.Style, atom.Svg:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// findArticle looks for an article-typed object in decoded JSON-LD, inside
// lists and @graph, to a bounded depth.
func findArticle(v any, ids map[string]string, depth int) (ldArticle, bool) {
	if depth > 8 {
		return ldArticle{}, false
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if a, ok := findArticle(e, ids, depth+1); ok {
				return a, true
			}
		}
	case map[string]any:
		if isArticle(v["@type"]) {
			return ldArticle{
				headline:  str(v["headline"]),
				published: str(v["datePublished"]),
				modified:  str(v["dateModified"]),
				authors:   names(v["author"], ids, 0),
				keywords:  list(v["keywords"]),
				sections:  list(v["articleSection"]),
				publisher: strings.Join(names(v["publisher"], ids, 0), ", "),
			}, true
		}
		if a, ok := findArticle(v["@graph"], ids, depth+1); ok {
			return a, true
		}
		return findArticle(v["mainEntity"], ids, depth+1)
	}
	return ldArticle{}, false
}

func isArticle(t any) bool {
	for _, s := range list(t) {
		if articleTypes[strings.TrimPrefix(strings.TrimPrefix(s, "http://schema.org/"), "https://schema.org/")] {
			return true
		}
	}
	return false
}

// str is a JSON string value, trimmed, or "". Character references are
// decoded: publishers escape JSON-LD as HTML ("Don&#8217;t").
func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(html.UnescapeString(s))
}

// list reads a string or a list of strings; a single string holding
// commas is a comma-separated list (as keywords often are).
func list(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		for _, s := range strings.Split(html.UnescapeString(v), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case []any:
		for _, e := range v {
			if s := str(e); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// names reads schema.org persons or organisations: a name, an object with
// a name or the @id of a named node elsewhere in the page's JSON-LD (as
// WordPress writes authors), or a list of these. URLs are not names.
func names(v any, ids map[string]string, depth int) []string {
	if depth > 3 {
		return nil
	}
	var out []string
	switch v := v.(type) {
	case string:
		if s := str(v); s != "" && !strings.Contains(s, "://") {
			out = append(out, s)
		}
	case map[string]any:
		if _, named := v["name"]; !named {
			if id, ok := v["@id"].(string); ok && ids[id] != "" {
				return []string{ids[id]}
			}
		}
		out = append(out, names(v["name"], ids, depth+1)...)
	case []any:
		for _, e := range v {
			out = append(out, names(e, ids, depth+1)...)
		}
	}
	return out
}

// namedIDs collects the names of the JSON-LD nodes that have an @id.
func namedIDs(v any, ids map[string]string, depth int) map[string]string {
	if depth > 8 {
		return ids
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			namedIDs(e, ids, depth+1)
		}
	case map[string]any:
		id, _ := v["@id"].(string)
		if name := str(v["name"]); id != "" && name != "" {
			ids[id] = name
		}
		for _, e := range v {
			namedIDs(e, ids, depth+1)
		}
	}
	return ids
}

// extraLayouts are date forms seen in pages beyond corpus.ParseDate's.
var extraLayouts = []string{
	"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05-07", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04", time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "2006/01/02",
}

// parseDate reads a date as pages write it, in UTC, within the years the
// index holds; ok is false for anything else.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := corpus.ParseDate(s); err == nil {
		return t, true
	}
	for _, layout := range extraLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return inRange(t)
		}
	}
	return time.Time{}, false
}

func inRange(t time.Time) (time.Time, bool) {
	t = t.UTC()
	if t.Year() < 1678 || t.Year() > 2261 {
		return time.Time{}, false
	}
	return t, true
}

// titleSeparators split a <title> into the headline and the site's name.
var titleSeparators = regexp.MustCompile(`\s+[|–—·•:»/-]\s+|\s+\|\s*|\s*\|\s+`)

// trimSite removes the site's name from a title: a first or last part,
// split at a separator, that names the site or its host. A first part
// naming the article's section ("Opinion | …") goes too.
func trimSite(title, site, host, section string) string {
	seps := titleSeparators.FindAllStringIndex(title, -1)
	if len(seps) == 0 {
		return title
	}
	if last := seps[len(seps)-1]; isSiteName(title[last[1]:], site, host) {
		return strings.TrimSpace(title[:last[0]])
	}
	if first := seps[0]; isSiteName(title[:first[0]], site, host) || squash(section) != "" && squash(title[:first[0]]) == squash(section) {
		return strings.TrimSpace(title[first[1]:])
	}
	return title
}

// isSiteName says whether part of a title names the site: its declared
// name, or its host with or without the top-level domain
// ("BBC News" for bbc.co.uk, "The Verge" for theverge.com).
func isSiteName(part, site, host string) bool {
	p := squash(part)
	if p == "" {
		return false
	}
	if s := squash(site); s != "" && (p == s || strings.HasPrefix(p, s) || strings.HasPrefix(s, p)) {
		return true
	}
	h := squash(host)
	label, _, _ := strings.Cut(host, ".")
	return h != "" && (p == h || strings.HasPrefix(h, p) || strings.Contains(p, squash(label)) && len(label) > 2)
}

// squash lower-cases s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasToken says whether a space-separated attribute holds tok.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// textOf is the text inside n, spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
