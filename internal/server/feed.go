package server

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/search"
)

// Atom feeds of searches and of quotes (RFC 4287): a researcher subscribes
// to a search in a feed reader. Entries are the newest matches, whatever
// the request's sort; their ids are URNs of the article or quote ID, so a
// reader sees an entry once however often it polls, and their updated is
// the article's date. An undated article has the Unix epoch, which sorts
// it last, as the date order does.

// atomFeed is the document; only what RFC 4287 requires or readers show.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published,omitempty"`
	Author    *atomPerson `xml:"author,omitempty"`
	Links     []atomLink  `xml:"link"`
	Summary   *atomText   `xml:"summary,omitempty"`
	Category  []atomCat   `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// feedSize is the entries of a feed when size is not given.
const feedSize = 20

// atomTime formats a date for Atom; nil is the epoch.
func atomTime(t *time.Time) string {
	if t == nil {
		return time.Unix(0, 0).UTC().Format(time.RFC3339)
	}
	return t.UTC().Format(time.RFC3339)
}

// newestUpdated is the feed's updated: its newest entry's.
func newestUpdated(entries []atomEntry) string {
	newest := atomTime(nil)
	for _, e := range entries {
		newest = max(newest, e.Updated) // RFC 3339 in UTC sorts as text
	}
	return newest
}

// feedURN names a feed by its path and its parameters in a fixed order,
// so the same search is the same feed.
func feedURN(path string, v url.Values) string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	})
	var parts []string
	for _, k := range keys {
		for _, val := range v[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(val))
		}
	}
	return "urn:folio:feed:" + url.PathEscape(path) + "?" + strings.Join(parts, "&")
}

// origin is the scheme and host the client reached the server at, for
// the feed's absolute links.
func origin(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

func articleURN(id string) string { return "urn:folio:article:" + url.PathEscape(id) }

func (s *Server) writeFeed(c echo.Context, f atomFeed) error {
	f.Updated = newestUpdated(f.Entries)
	f.Author = atomPerson{Name: "Folio"}
	body, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), body...))
}

// feed is GET /api/feed.atom: the newest articles matching a search, with
// the parameters of /api/search.
func (s *Server) feed(c echo.Context) error {
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	if v.Get("size") == "" {
		v.Set("size", "20")
	}
	req, q, err := s.parseSearch(v)
	if err != nil {
		return err
	}
	req.Sort, req.Facets, req.Page, req.After = search.ByDateDesc, []string{}, 1, ""
	req.Fragments = 1
	res, err := runInSlot(s, c, func(ctx context.Context) (*search.Result, error) { return s.engine.Search(ctx, req) })
	if err != nil {
		return err
	}
	base := origin(c)
	title := "Folio: newest articles"
	if q != "" {
		title += " for " + q
	}
	f := atomFeed{
		ID: feedURN("/api/feed.atom", v), Title: title,
		Links: []atomLink{
			{Rel: "self", Href: base + c.Request().URL.RequestURI(), Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/?" + c.Request().URL.RawQuery, Type: "text/html"},
		},
		Entries: []atomEntry{},
	}
	for _, h := range res.Hits {
		e := atomEntry{
			ID: articleURN(h.ID), Title: h.Title.Text, Updated: atomTime(h.Date),
			Links: []atomLink{{Rel: "alternate", Href: base + "/articles/" + url.PathEscape(h.ID), Type: "text/html"}},
		}
		if h.Date != nil {
			e.Published = e.Updated
		}
		if h.URL != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Href: h.URL})
		}
		if len(h.Fragments) > 0 {
			e.Summary = &atomText{Type: "text", Text: h.Fragments[0].Text}
		}
		if a := h.Values["author"]; len(a) > 0 {
			e.Author = &atomPerson{Name: a[0]}
		}
		for _, t := range h.Values["tag"] {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	return s.writeFeed(c, f)
}

// quotesFeed is GET /api/quotes/feed.atom: the newest quotes, with the
// parameters of /api/quotes (speaker=… above all).
func (s *Server) quotesFeed(c echo.Context) error {
	qs, ok := s.engine.(search.QuoteSearcher)
	if !ok {
		return apiError(http.StatusNotImplemented, "not_implemented", "this engine has no quote index", -1)
	}
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	if v.Get("size") == "" {
		v.Set("size", "20")
	}
	req, q, err := s.parseQuotes(v)
	if err != nil {
		return err
	}
	req.Sort, req.Facets, req.After = search.ByDateDesc, []string{}, ""
	res, err := runInSlot(s, c, func(ctx context.Context) (*search.QuoteResult, error) { return qs.SearchQuotes(ctx, req) })
	if err != nil {
		return err
	}
	base := origin(c)
	title := "Folio: newest quotes"
	if len(req.Speakers) > 0 {
		title += " of " + strings.Join(req.Speakers, ", ")
	}
	if q != "" {
		title += " for " + q
	}
	f := atomFeed{
		ID: feedURN("/api/quotes/feed.atom", v), Title: title,
		Links:   []atomLink{{Rel: "self", Href: base + c.Request().URL.RequestURI(), Type: "application/atom+xml"}},
		Entries: []atomEntry{},
	}
	for _, h := range res.Hits {
		speaker := h.Speaker
		if speaker == "" {
			speaker = "Unknown speaker"
		}
		e := atomEntry{
			ID: "urn:folio:quote:" + url.PathEscape(h.ID), Title: speaker + ": “" + clip(h.Text.Text, 120) + "”",
			Updated: atomTime(h.First.Date), Author: &atomPerson{Name: speaker},
			Links:   []atomLink{{Rel: "alternate", Href: base + "/articles/" + url.PathEscape(h.ArticleID), Type: "text/html"}},
			Summary: &atomText{Type: "text", Text: h.Text.Text + " (" + h.Title + ")"},
		}
		if h.First.Date != nil {
			e.Published = e.Updated
		}
		f.Entries = append(f.Entries, e)
	}
	return s.writeFeed(c, f)
}

// clip shortens text to about n characters at a space, with "…".
func clip(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
