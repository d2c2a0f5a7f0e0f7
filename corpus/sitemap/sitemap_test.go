package sitemap

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"
)

const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-1.xml</loc><lastmod>2024-01-02</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml.gz</loc></sitemap>
  <sitemap><loc>ftp://news.example/nope.xml</loc></sitemap>
</sitemapindex>`

const urlset = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/a</loc><lastmod>2024-02-03T04:05:06+01:00</lastmod></url>
  <url><loc> https://news.example/b </loc><lastmod>last tuesday</lastmod><changefreq>daily</changefreq></url>
  <url><lastmod>2024-01-01</lastmod></url>
</urlset>`

const newsmap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/c</loc>
    <news:news>
      <news:publication><news:name>The Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-03-04T05:06:07.5Z</news:publication_date>
      <news:title>Harbour &amp; port</news:title>
      <news:keywords>Shipping, Economy ,,Harbour</news:keywords>
    </news:news>
  </url>
</urlset>`

func TestParseIndexURLSetAndNews(t *testing.T) {
	sm, err := Parse("https://news.example/sitemap.xml", []byte(index))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(children(sm)); got != "[https://news.example/sitemap-1.xml@2024-01-02T00:00:00Z https://news.example/sitemap-news.xml.gz@nil]" || len(sm.URLs) != 0 {
		t.Errorf("index: %s, %d URLs", got, len(sm.URLs))
	}

	sm, err = Parse("https://news.example/sitemap-1.xml", []byte(urlset))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(urls(sm)); got != "[https://news.example/a@2024-02-03T03:05:06Z https://news.example/b@nil]" {
		t.Errorf("url set: %s", got)
	}

	sm, err = Parse("https://news.example/sitemap-news.xml", []byte(newsmap))
	if err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) != 1 || sm.URLs[0].News == nil {
		t.Fatalf("news sitemap: %+v", sm.URLs)
	}
	n := sm.URLs[0].News
	if n.Title != "Harbour & port" || n.Publication != "The Example" || n.Language != "en" ||
		n.Date == nil || !n.Date.Equal(time.Date(2024, 3, 4, 5, 6, 7, 5e8, time.UTC)) ||
		strings.Join(n.Keywords, "|") != "Shipping|Economy|Harbour" {
		t.Errorf("news: %+v", n)
	}
}

func TestParseGzipByMagic(t *testing.T) {
	gz := gzipped(t, newsmap)
	sm, err := Parse("https://news.example/news", gz)
	if err != nil || len(sm.URLs) != 1 {
		t.Fatalf("gzipped: %v, %+v", err, sm)
	}
	_, err = Parse("https://news.example/news.xml.gz", gz[:len(gz)/2])
	if err == nil || !strings.Contains(err.Error(), "truncated gzip") {
		t.Errorf("truncated: err = %v, want truncated gzip", err)
	}
}

func TestParseErrorsSayWhy(t *testing.T) {
	many := func(n int) string {
		var b strings.Builder
		b.WriteString(`<urlset>`)
		for i := range n {
			fmt.Fprintf(&b, "<url><loc>https://x.example/%d</loc></url>", i)
		}
		return b.String() + `</urlset>`
	}
	for _, tc := range []struct{ name, body, want string }{
		{"html", `<html><body>hi</body></html>`, "not a sitemap: root element <html>"},
		{"cut", `<urlset><url><loc>https://x.example/a</loc>`, "malformed XML"},
		{"mismatch", `<urlset><url></urlset>`, "malformed XML"},
		{"empty", ``, "not a sitemap"},
		{"deep", `<urlset>` + strings.Repeat("<x>", 100000) + strings.Repeat("</x>", 100000) + `</urlset>`, "nested deeper than the limit of 16"},
		{"entries", many(MaxEntries + 1), "more than the limit of 50000 URLs"},
		{"entity", `<!DOCTYPE u [<!ENTITY a "aaaa">]><urlset><url><loc>&a;</loc></url></urlset>`, "malformed XML"},
	} {
		_, err := Parse("https://x.example/sitemap.xml", []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A gzip bomb: a few hundred kilobytes that inflate past MaxBytes must stop
// at the limit, not be inflated whole.
func TestParseStopsAtTheSizeLimit(t *testing.T) {
	var raw bytes.Buffer
	zw := gzip.NewWriter(&raw)
	zw.Write([]byte(`<urlset><url><loc>https://x.example/a</loc><!--`))
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for range MaxBytes>>20 + 2 {
		zw.Write(chunk)
	}
	zw.Write([]byte(`--></url></urlset>`))
	zw.Close()
	_, err := Parse("https://x.example/bomb.xml.gz", raw.Bytes())
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 50 MB") {
		t.Errorf("err = %v, want the size limit (%d compressed bytes)", err, raw.Len())
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func stamp(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.Format(time.RFC3339)
}

func children(sm *Sitemap) []string {
	var out []string
	for _, c := range sm.Sitemaps {
		out = append(out, c.Loc+"@"+stamp(c.LastMod))
	}
	return out
}

func urls(sm *Sitemap) []string {
	var out []string
	for _, u := range sm.URLs {
		out = append(out, u.Loc+"@"+stamp(u.LastMod))
	}
	return out
}
