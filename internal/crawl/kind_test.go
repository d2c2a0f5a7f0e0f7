package crawl

import "testing"

// Servers label feeds and sitemaps loosely; the first bytes decide.
func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		ct, body string
		want     kind
		media    string
	}{
		{"application/rss+xml", "<rss/>", kindFeed, "application/rss+xml"},
		{"text/xml", `<?xml version="1.0"?><!-- hi --><rss version="2.0"></rss>`, kindFeed, "text/xml"},
		{"application/xml", `<feed xmlns="http://www.w3.org/2005/Atom"/>`, kindFeed, "application/xml"},
		{"", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, kindFeed, "application/xml"},
		{"application/json", "\ufeff {\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}", kindFeed, "application/feed+json"},
		{"application/octet-stream", "<urlset/>", kindSitemap, "application/octet-stream"},
		{"application/xml", "<sitemapindex/>", kindSitemap, "application/xml"},
		{"application/x-gzip", "\x1f\x8b\x08\x00", kindSitemap, "application/gzip"},
		{"text/xml", "<catalog/>", kindSitemap, "text/xml"}, // the sitemap reader names the root in its error
		{"text/html; charset=iso-8859-1", "<p>hi", kindHTML, "text/html"},
		{"", "<!DOCTYPE html><html><body>hi</body></html>", kindHTML, "text/html"},
		{"application/pdf", "%PDF-1.4", kindOther, "application/pdf"},
		{"application/octet-stream", "%PDF-1.4\n", kindOther, "application/pdf"},
		{"", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", kindOther, "image/png"},
		{"image/jpeg", "\xff\xd8\xff", kindOther, "image/jpeg"},
	} {
		k, media := sniff(tc.ct, []byte(tc.body))
		if k != tc.want || media != tc.media {
			t.Errorf("%q %q: kind %d %q, want %d %q", tc.ct, tc.body, k, media, tc.want, tc.media)
		}
	}
}
