package feed

import (
	"strings"
	"testing"
	"time"
)

const rss2 = `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour News</title><link>https://news.example/</link>
<item><title>Port reopens</title><link>/2024/port-reopens?utm_source=rss</link>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The whole story of the port.</p>]]></content:encoded>
<pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate><dc:creator>Ann Reporter</dc:creator>
<category>Shipping</category><category> Economy </category></item>
<item><title>Council votes</title><link>https://news.example/2024/council</link>
<description>Only a summary.</description></item>
<item><title>No link at all</title><description>x</description></item>
<item><title>Mail link</title><link>mailto:desk@news.example</link></item>
</channel></rss>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<link href="https://atom.example/"/>
<entry><title>Bridge opens</title><link href="https://atom.example/bridge"/>
<updated>2024-03-04T05:06:07Z</updated><author><name>B. Writer</name></author>
<category term="Transport"/><summary>Bridge summary.</summary></entry>
<entry><title>Full text</title><link href="https://atom.example/full"/>
<published>2024-03-01T00:00:00Z</published><updated>2024-03-05T00:00:00Z</updated>
<content type="html">&lt;p&gt;All of it.&lt;/p&gt;</content></entry>
</feed>`

const jsonFeed = `{"version": "https://jsonfeed.org/version/1.1", "title": "JSON News",
"home_page_url": "https://json.example/",
"items": [{"id": "1", "url": "https://json.example/a", "title": "A", "content_html": "<p>Body A</p>",
  "date_published": "2024-05-06T07:08:09Z", "tags": ["one", "two"], "authors": [{"name": "C. Author"}]},
 {"id": "2", "url": "https://json.example/b", "title": "B", "summary": "Summary B"}]}`

const rss1 = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel>
<item rdf:about="https://rdf.example/x"><title>X</title><link>https://rdf.example/x</link>
<description>X summary</description><dc:date>2024-01-01T00:00:00Z</dc:date><dc:subject>Politics</dc:subject></item>
</rdf:RDF>`

const rss091 = `<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>http://old.example/</link>
<item><title>Old story</title><link>http://old.example/story.html</link><description>Old text</description></item>
</channel></rss>`

func TestParseFormats(t *testing.T) {
	for _, tc := range []struct {
		name, url, body string
		want            []Entry
	}{
		{"rss2", "https://news.example/feed.xml", rss2, []Entry{
			{URL: "https://news.example/2024/port-reopens?utm_source=rss", Title: "Port reopens",
				Date: date("2024-01-02T09:00:00Z"), Authors: []string{"Ann Reporter"}, Tags: []string{"Shipping", "Economy"},
				Content: "<p>The whole story of the port.</p>"},
			{URL: "https://news.example/2024/council", Title: "Council votes", Content: "Only a summary.", ContentIsSummary: true},
		}},
		{"atom", "https://atom.example/atom.xml", atom, []Entry{
			{URL: "https://atom.example/bridge", Title: "Bridge opens", Date: date("2024-03-04T05:06:07Z"),
				Authors: []string{"B. Writer"}, Tags: []string{"Transport"}, Content: "Bridge summary.", ContentIsSummary: true},
			{URL: "https://atom.example/full", Title: "Full text", Date: date("2024-03-01T00:00:00Z"), Content: "<p>All of it.</p>"},
		}},
		{"json", "https://json.example/feed.json", jsonFeed, []Entry{
			{URL: "https://json.example/a", Title: "A", Date: date("2024-05-06T07:08:09Z"), Authors: []string{"C. Author"},
				Tags: []string{"one", "two"}, Content: "<p>Body A</p>"},
			{URL: "https://json.example/b", Title: "B", Content: "Summary B", ContentIsSummary: true},
		}},
		{"rss1", "https://rdf.example/rss", rss1, []Entry{
			{URL: "https://rdf.example/x", Title: "X", Date: date("2024-01-01T00:00:00Z"), Tags: []string{"Politics"},
				Content: "X summary", ContentIsSummary: true},
		}},
		{"rss091", "http://old.example/rss", rss091, []Entry{
			{URL: "http://old.example/story.html", Title: "Old story", Content: "Old text", ContentIsSummary: true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.url, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d entries, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if s, w := show(got[i]), show(tc.want[i]); s != w {
					t.Errorf("entry %d:\n got %s\nwant %s", i, s, w)
				}
			}
		})
	}
}

func TestParseRejectsWhatIsNotAFeed(t *testing.T) {
	for _, body := range []string{
		`<html><body>not a feed</body></html>`,
		`<rss version="2.0"><channel><item><title>cut`,
		``,
		`{"version": 1`,
	} {
		if got, err := Parse("https://x.example/feed", []byte(body)); err == nil {
			t.Errorf("%q: no error, entries %+v", body, got)
		}
	}
}

func TestParseRefusesHugeFeeds(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>big</title>`)
	for range MaxEntries + 1 {
		b.WriteString(`<item><link>https://x.example/a</link></item>`)
	}
	b.WriteString(`</channel></rss>`)
	if _, err := Parse("https://x.example/feed", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("err = %v, want the entry limit", err)
	}
}

func date(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func show(e Entry) string {
	d := "nil"
	if e.Date != nil {
		d = e.Date.UTC().Format(time.RFC3339)
	}
	return strings.Join([]string{e.URL, e.Title, d, strings.Join(e.Authors, "|"), strings.Join(e.Tags, "|"),
		e.Content, map[bool]string{true: "summary", false: "full"}[e.ContentIsSummary]}, " ; ")
}
