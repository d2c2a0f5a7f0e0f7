// Package feed reads news feeds — RSS 0.9x, 1.0 and 2.0, Atom and JSON
// Feed — into entries: an article's link, title, date, authors,
// categories and whatever content the feed carries. Parsing is
// github.com/mmcdole/gofeed's; this package only decides what an entry
// means to Folio: absolute links, categories as tags, and whether the
// content is the whole article or only a summary.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// MaxEntries bounds the entries read from one feed; a feed is a window
// on the latest stories, and one with more is refused as hostile.
const MaxEntries = 10000

// Entry is one item of a feed.
type Entry struct {
	URL     string // absolute http(s) link to the article
	Title   string
	Date    *time.Time // published, else updated; nil when the feed gives neither
	Authors []string
	Tags    []string // the item's categories
	// Content is the item's text as the feed gives it (often HTML).
	// ContentIsSummary is set when the feed carries only a description or
	// summary, so the article page must be read for the whole text.
	Content          string
	ContentIsSummary bool
}

// Parse reads a feed of any supported format from body. feedURL is where
// it came from: relative links are resolved against it. Items without a
// usable http(s) link are left out, since an article is known by its URL.
func Parse(feedURL string, body []byte) ([]Entry, error) {
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil, fmt.Errorf("feed URL %q: %w", feedURL, err)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, errors.New("not a feed: neither RSS, Atom nor JSON Feed")
		}
		return nil, fmt.Errorf("malformed feed: %w", err)
	}
	if len(f.Items) > MaxEntries {
		return nil, fmt.Errorf("feed has %d items, more than the limit of %d", len(f.Items), MaxEntries)
	}
	if f.Link != "" { // the site's own address is a better base than the feed's
		if l, err := base.Parse(f.Link); err == nil && (l.Scheme == "http" || l.Scheme == "https") {
			base = l
		}
	}
	entries := make([]Entry, 0, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" && it.GUID != "" && strings.HasPrefix(it.GUID, "http") {
			link = it.GUID // RSS guids with isPermaLink are the article's address
		}
		u, err := base.Parse(strings.TrimSpace(link))
		if link == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		e := Entry{URL: u.String(), Title: strings.TrimSpace(it.Title), Content: it.Content}
		switch {
		case it.PublishedParsed != nil:
			e.Date = utc(it.PublishedParsed)
		case it.UpdatedParsed != nil:
			e.Date = utc(it.UpdatedParsed)
		}
		for _, p := range it.Authors {
			if p != nil && strings.TrimSpace(p.Name) != "" {
				e.Authors = append(e.Authors, strings.TrimSpace(p.Name))
			}
		}
		for _, c := range it.Categories {
			if c = strings.TrimSpace(c); c != "" {
				e.Tags = append(e.Tags, c)
			}
		}
		if strings.TrimSpace(e.Content) == "" {
			e.Content, e.ContentIsSummary = it.Description, true
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func utc(t *time.Time) *time.Time {
	u := t.UTC()
	return &u
}
