package server_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"github.com/folio-search/folio/internal/foliotest"
)

// getFeed fetches an Atom feed and parses it with the Atom parser of the
// feed library Folio reads feeds with; the generic parser must also take
// it for Atom.
func getFeed(t *testing.T, base, path string) *atom.Feed {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	f, err := (&atom.Parser{}).Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("GET %s: not Atom: %v\n%s", path, err, body)
	}
	g, err := gofeed.NewParser().ParseString(string(body))
	if err != nil || g.FeedType != "atom" || len(g.Items) != len(f.Entries) {
		t.Fatalf("GET %s: the generic parser reads %v (%v)", path, g, err)
	}
	if f.ID == "" || f.Title == "" || f.UpdatedParsed == nil || len(f.Authors) == 0 {
		t.Errorf("GET %s: feed lacks a required element: id %q title %q updated %q", path, f.ID, f.Title, f.Updated)
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || e.UpdatedParsed == nil || len(e.Links) == 0 {
			t.Errorf("GET %s: entry lacks a required element: %+v", path, e)
		}
	}
	return f
}

func TestArticleFeed(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	path := "/api/feed.atom?" + url.Values{"q": {"aliyev"}}.Encode()
	f := getFeed(t, ts.URL, path)

	// The entries are the search's newest first, dated as the articles.
	var res searchResult
	get(t, ts.URL, searchPath("aliyev", "sort", "-date", "size", "20", "facets", "none"), 200, &res)
	if len(f.Entries) != len(res.Hits) || len(f.Entries) == 0 {
		t.Fatalf("%d entries, the search has %d hits", len(f.Entries), len(res.Hits))
	}
	for i, e := range f.Entries {
		h := res.Hits[i]
		if e.ID != "urn:folio:article:"+url.PathEscape(h.ID) || e.Title != h.Title {
			t.Errorf("entry %d is %q %q, want article %s %q", i, e.ID, e.Title, h.ID, h.Title)
		}
		want := time.Unix(0, 0)
		if h.Date != nil {
			want = h.Date.Truncate(time.Second)
		}
		if !e.UpdatedParsed.Equal(want) {
			t.Errorf("entry %d updated %v, article dated %v", i, e.UpdatedParsed, h.Date)
		}
		if i > 0 && e.UpdatedParsed.After(*f.Entries[i-1].UpdatedParsed) {
			t.Errorf("entry %d is newer than the one before", i)
		}
		if !strings.HasSuffix(e.Links[0].Href, "/articles/"+url.PathEscape(h.ID)) {
			t.Errorf("entry %d links to %q", i, e.Links[0].Href)
		}
	}
	if !f.UpdatedParsed.Equal(*f.Entries[0].UpdatedParsed) {
		t.Errorf("feed updated %v, newest entry %v", f.UpdatedParsed, f.Entries[0].UpdatedParsed)
	}

	// The same search is the same feed with the same ids, whatever the
	// order of its parameters; another search is another feed.
	again := getFeed(t, ts.URL, path)
	if again.ID != f.ID || again.Entries[0].ID != f.Entries[0].ID {
		t.Errorf("ids changed between two reads: %q/%q", f.ID, again.ID)
	}
	a := getFeed(t, ts.URL, "/api/feed.atom?q=aliyev&source=ilham-aliyev&size=2")
	b := getFeed(t, ts.URL, "/api/feed.atom?size=2&source=ilham-aliyev&q=aliyev")
	if a.ID != b.ID || a.ID == f.ID || len(a.Entries) != 2 {
		t.Errorf("feed ids %q and %q for one search (and %q for another); %d entries for size=2", a.ID, b.ID, f.ID, len(a.Entries))
	}

	// Filters narrow it as they narrow a search; bad ones are the API's 400.
	narrow := getFeed(t, ts.URL, "/api/feed.atom?"+url.Values{"person": {"Nikol Pashinyan"}}.Encode())
	get(t, ts.URL, searchPath("", "person", "Nikol Pashinyan", "facets", "none", "size", "20"), 200, &res)
	if len(narrow.Entries) != res.Total || res.Total == 0 {
		t.Errorf("person filter: %d entries, %d articles", len(narrow.Entries), res.Total)
	}
	var e errorBody
	get(t, ts.URL, "/api/feed.atom?q=%22unclosed", 400, &e)
	get(t, ts.URL, "/api/feed.atom?size=1000", 400, &e)
	get(t, ts.URL, "/api/feed.atom?from=garbage", 400, &e)
}

func TestQuotesFeed(t *testing.T) {
	base, _ := quoteServer(t)
	f := getFeed(t, base, quotesFeedPath("speaker", "Mara Quill"))
	var res quotesResult
	get(t, base, quotesPath("speaker", "Mara Quill", "sort", "-date", "size", "20"), 200, &res)
	if len(f.Entries) != len(res.Hits) || len(f.Entries) == 0 {
		t.Fatalf("%d entries, %d quotes", len(f.Entries), len(res.Hits))
	}
	for i, e := range f.Entries {
		q := res.Hits[i]
		if e.ID != "urn:folio:quote:"+url.PathEscape(q.ID) || !e.UpdatedParsed.Equal(*q.First.Date) {
			t.Errorf("entry %d: %q updated %v, want quote %s first seen %v", i, e.ID, e.UpdatedParsed, q.ID, q.First.Date)
		}
		if len(e.Authors) == 0 || e.Authors[0].Name != "Mara Quill" || !strings.Contains(e.Title, "Mara Quill") {
			t.Errorf("entry %d: title %q, authors %+v", i, e.Title, e.Authors)
		}
		if i > 0 && e.UpdatedParsed.After(*f.Entries[i-1].UpdatedParsed) {
			t.Errorf("entry %d is newer than the one before", i)
		}
	}
	// A quote's markup-like text stays text in the feed.
	found := false
	for _, e := range f.Entries {
		if e.Summary != "" && strings.Contains(e.Summary, "open & <safe>") {
			found = true
		}
	}
	if !found {
		t.Errorf("no entry's summary holds the quote's text as written")
	}
	var e errorBody
	get(t, base, quotesFeedPath("speaker", ""), 400, &e)
}

func quotesFeedPath(params ...string) string {
	return strings.Replace(quotesPath(params...), "/api/quotes?", "/api/quotes/feed.atom?", 1)
}
