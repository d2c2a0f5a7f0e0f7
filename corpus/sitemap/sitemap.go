// Package sitemap reads sitemaps (sitemaps.org): sitemap indexes that
// list child sitemaps, url sets with lastmod, and Google News sitemaps
// with their publication date, title and keywords, plain or gzipped.
//
// A sitemap comes from someone else's server, so reading is bounded:
// at most MaxBytes of XML after decompression, MaxEntries entries and
// MaxDepth levels of nesting, each limit failing with an error that
// names it rather than exhausting memory.
package sitemap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Limits of one sitemap. The sitemaps.org protocol allows 50,000 entries
// and 50 MB uncompressed; nothing that follows it comes near MaxDepth.
const (
	MaxBytes   = 50 << 20
	MaxEntries = 50000
	MaxDepth   = 16
)

// Sitemap is what one sitemap file lists: child sitemaps (an index) or
// pages (a url set).
type Sitemap struct {
	Sitemaps []Child
	URLs     []URL
	kind     string // the root element, once seen
}

// Child is a sitemap listed by a sitemap index.
type Child struct {
	Loc     string
	LastMod *time.Time
}

// URL is a page listed by a url set.
type URL struct {
	Loc     string
	LastMod *time.Time
	News    *News // set for Google News sitemap entries
}

// News is the news:news element of a Google News sitemap entry.
type News struct {
	Publication string // news:publication/news:name
	Language    string
	Title       string
	Date        *time.Time // news:publication_date
	Keywords    []string
}

// Parse reads a sitemap from body, gzipped or not (gzip is recognised by
// its magic number, whatever the file is called). Relative locations are
// resolved against sitemapURL, and locations that are not http(s) are
// dropped; an unparseable date is left nil rather than losing the entry.
func Parse(sitemapURL string, body []byte) (*Sitemap, error) {
	base, err := url.Parse(sitemapURL)
	if err != nil {
		return nil, fmt.Errorf("sitemap URL %q: %w", sitemapURL, err)
	}
	var r io.Reader = bytes.NewReader(body)
	gzipped := len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		r = zr
	}
	lr := &limitReader{r: r, left: MaxBytes}
	sm, err := decode(base, xml.NewDecoder(lr))
	switch {
	case lr.over:
		return nil, fmt.Errorf("sitemap larger than the limit of %d MB uncompressed", MaxBytes>>20)
	case gzipped && errors.Is(err, io.ErrUnexpectedEOF):
		return nil, errors.New("truncated gzip")
	case err != nil:
		return nil, err
	}
	return sm, nil
}

// decode walks the XML token by token, keeping only the text of the
// elements it knows, so memory is bounded by the entries kept.
func decode(base *url.URL, d *xml.Decoder) (*Sitemap, error) {
	d.Strict = true
	sm := &Sitemap{}
	var (
		path  []string // local names of the open elements
		text  strings.Builder
		url   URL
		child Child
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if len(path) == 0 && sm.root() {
				return sm, nil
			}
			if len(path) > 0 {
				return nil, fmt.Errorf("malformed XML: unexpected end inside <%s>", path[len(path)-1])
			}
			return nil, errors.New("not a sitemap: empty document")
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("malformed XML: %w", err)
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= MaxDepth {
				return nil, fmt.Errorf("XML nested deeper than the limit of %d", MaxDepth)
			}
			name := t.Name.Local
			if len(path) == 0 {
				switch name {
				case "urlset", "sitemapindex":
					sm.kind = name
				default:
					return nil, fmt.Errorf("not a sitemap: root element <%s>", name)
				}
			}
			path = append(path, name)
			text.Reset()
			switch strings.Join(path, "/") {
			case "urlset/url":
				url = URL{}
			case "sitemapindex/sitemap":
				child = Child{}
			case "urlset/url/news":
				url.News = &News{}
			}
		case xml.CharData:
			if text.Len() < 4096 { // no field of a sitemap is longer
				text.Write(t)
			}
		case xml.EndElement:
			s := strings.TrimSpace(text.String())
			text.Reset()
			switch strings.Join(path, "/") {
			case "urlset/url":
				if url.Loc != "" {
					if len(sm.URLs) >= MaxEntries {
						return nil, fmt.Errorf("sitemap lists more than the limit of %d URLs", MaxEntries)
					}
					sm.URLs = append(sm.URLs, url)
				}
			case "sitemapindex/sitemap":
				if child.Loc != "" {
					if len(sm.Sitemaps) >= MaxEntries {
						return nil, fmt.Errorf("sitemap index lists more than the limit of %d sitemaps", MaxEntries)
					}
					sm.Sitemaps = append(sm.Sitemaps, child)
				}
			case "urlset/url/loc":
				url.Loc = resolve(base, s)
			case "urlset/url/lastmod":
				url.LastMod = parseDate(s)
			case "sitemapindex/sitemap/loc":
				child.Loc = resolve(base, s)
			case "sitemapindex/sitemap/lastmod":
				child.LastMod = parseDate(s)
			case "urlset/url/news/title":
				url.News.Title = s
			case "urlset/url/news/publication_date":
				url.News.Date = parseDate(s)
			case "urlset/url/news/keywords":
				for _, k := range strings.Split(s, ",") {
					if k = strings.TrimSpace(k); k != "" {
						url.News.Keywords = append(url.News.Keywords, k)
					}
				}
			case "urlset/url/news/publication/name":
				url.News.Publication = s
			case "urlset/url/news/publication/language":
				url.News.Language = s
			}
			path = path[:len(path)-1]
		}
	}
}

// root reports whether a sitemap root element was seen.
func (sm *Sitemap) root() bool { return sm.kind != "" }

// resolve makes loc absolute against base, or "" when it is not http(s).
func resolve(base *url.URL, loc string) string {
	u, err := base.Parse(loc)
	if loc == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// parseDate reads a W3C datetime, the format sitemaps use, from a bare
// year-month-day to a full timestamp with fractions of a second.
func parseDate(s string) *time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// limitReader reads at most left bytes and records whether r held more.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
			return 0, errors.New("sitemap over the size limit")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
