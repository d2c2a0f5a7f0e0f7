package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// webPage is an article page of a news site.
func webPage(canonical, title, section, date string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` - Harbour Times</title>`)
	if canonical != "" {
		b.WriteString(`<link rel="canonical" href="` + canonical + `">`)
	}
	b.WriteString(`<meta property="og:site_name" content="Harbour Times"><meta name="author" content="Leyla Aliyeva">`)
	if section != "" {
		b.WriteString(`<meta property="article:section" content="` + section + `"><meta property="article:tag" content="Baku">`)
	}
	if date != "" {
		b.WriteString(`<meta property="article:published_time" content="` + date + `">`)
	}
	b.WriteString(`</head><body><nav><a href="/">Home</a><a href="/login">Log in</a></nav><article><h1>` + title + `</h1>`)
	for _, p := range []string{"The harbour at Baku reopened on Monday after three weeks of repairs to the eastern quay.",
		"Ships that had waited offshore began to dock at dawn, and grain was unloaded before noon.",
		"Officials said the western quay would be repaired next, in the spring, if the weather allows."} {
		b.WriteString("<p>" + title + ": " + p + "</p>")
	}
	b.WriteString(`</article><footer>Harbour Times, all rights reserved</footer></body></html>`)
	return b.String()
}

// warcOf is a web archive of records written by gowarc, each its own gzip
// member.
func warcOf(t *testing.T, date time.Time, records ...[3]string) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, r := range records { // type, target, HTTP message
		typ := map[string]gowarc.RecordType{"response": gowarc.Response, "request": gowarc.Request}[r[0]]
		rb := gowarc.NewRecordBuilder(typ, gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true))
		rb.AddWarcHeaderTime(gowarc.WarcDate, date)
		rb.AddWarcHeader(gowarc.WarcTargetURI, r[1])
		rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+r[0])
		rb.WriteString(r[2])
		rec, _, err := rb.Build()
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(&out)
		if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
			t.Fatal(err)
		}
		zw.Close()
	}
	return out.Bytes()
}

func httpResponse(contentType, body string) string {
	return "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// folio ingest reads HTML pages (a file, a directory) and web archives,
// reports what it cannot read with where and why, and indexes the rest:
// searchable with URL, source, author, section and date.
func TestIngestHTMLPagesAndWebArchives(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("single.html", []byte(webPage("https://www.harbourtimes.example/news/harbour-reopens?utm_source=rss", "Harbour reopens", "Business", "2024-12-29T08:00:00Z")))
	write("site/one.htm", []byte(webPage("https://www.harbourtimes.example/news/quay-repaired", "Quay repaired", "Business", "2024-12-28")))
	write("site/sub/two.html", []byte(webPage("", "Ferry returns", "", "2024-12-27")))
	write("site/login.html", []byte(`<!doctype html><html><body><form><input name=user><button>Log in</button></form></body></html>`))
	write("site/broken.html", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"))
	write("site/notes.md", []byte("# not an input"))
	capture := time.Date(2024, 12, 30, 6, 0, 0, 0, time.UTC)
	write("crawl.warc.gz", warcOf(t, capture,
		[3]string{"request", "https://www.harbourtimes.example/news/grain-unloaded", "GET /news/grain-unloaded HTTP/1.1\r\nHost: www.harbourtimes.example\r\n\r\n"},
		[3]string{"response", "https://www.harbourtimes.example/news/grain-unloaded", httpResponse("text/html; charset=utf-8", webPage("", "Grain unloaded", "Markets", ""))},
		[3]string{"response", "https://www.harbourtimes.example/news/fishermen-return", httpResponse("text/html", webPage("", "Fishermen return", "", "2024-12-26T10:00:00Z"))},
		[3]string{"response", "https://www.harbourtimes.example/annual-report.pdf", httpResponse("application/pdf", "%PDF-1.7\n1 0 obj\n")},
	))
	full := warcOf(t, capture,
		[3]string{"response", "https://www.harbourtimes.example/news/cranes-arrive", httpResponse("text/html", webPage("", "Cranes arrive", "", "2024-12-25"))},
		[3]string{"response", "https://www.harbourtimes.example/news/storm-warning", httpResponse("text/html", webPage("", "Storm warning", "", "2024-12-24"))})
	second := bytes.LastIndex(full, []byte{0x1f, 0x8b, 8})
	write("cut.warc.gz", full[:second+(len(full)-second)/2])

	_, stderr, code := folio(t, dir, "ingest", "--data-dir", "data", "--ner=false", "single.html", "site", "crawl.warc.gz", "cut.warc.gz")
	if code != 2 {
		t.Errorf("exit code %d, want 2 (records rejected); stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		filepath.Join("site", "broken.html") + ":1: not an HTML page: the content is image/png",
		filepath.Join("site", "login.html") + ":1: not an article page: no article text found",
		"crawl.warc.gz:4: record 4 at byte ",
		"annual-report.pdf: skipped, content type application/pdf is not an HTML page",
		"cut.warc.gz:2: record 2 at byte " + strconv.Itoa(second) + ": truncated record",
		"indexed 6 articles",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	t.Logf("ingest stderr:\n%s", stderr)
	if strings.Contains(stderr, "notes.md") || strings.Contains(stderr, "crawl.warc.gz:1:") {
		t.Errorf("a file that is no input, or a request record, was reported:\n%s", stderr)
	}

	stdout, stderr, code := folio(t, dir, "search", "--data-dir", "data", "--json", "--size", "20", "harbour")
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, stderr)
	}
	var res struct {
		Total int
		Hits  []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]map[string]any{}
	for _, h := range res.Hits {
		byTitle[h["title"].(string)] = h
	}
	if res.Total != 6 || len(byTitle) != 6 {
		t.Fatalf("search found %d articles %v, want the 6 pages", res.Total, byTitle)
	}
	for title, want := range map[string][4]string{ // url, source, section, date
		"Harbour reopens": {"https://www.harbourtimes.example/news/harbour-reopens", "harbourtimes.example", "Business", "2024-12-29T08:00:00Z"},
		"Quay repaired":   {"https://www.harbourtimes.example/news/quay-repaired", "harbourtimes.example", "Business", "2024-12-28T00:00:00Z"},
		"Ferry returns":   {"file://" + filepath.ToSlash(filepath.Join(dir, "site", "sub", "two.html")), "two", "", "2024-12-27T00:00:00Z"},
		"Grain unloaded":  {"https://www.harbourtimes.example/news/grain-unloaded", "harbourtimes.example", "Markets", "2024-12-30T06:00:00Z"},
		"Cranes arrive":   {"https://www.harbourtimes.example/news/cranes-arrive", "harbourtimes.example", "", "2024-12-25T00:00:00Z"},
	} {
		h := byTitle[title]
		got := [4]string{str(h["url"]), str(h["source"]), str(h["section"]), str(h["date"])}
		if got != want || str(h["author"]) != "Leyla Aliyeva" {
			t.Errorf("%s: url, source, section, date = %q, author %q; want %q", title, got, h["author"], want)
		}
	}

	// The section is a facet and a filter.
	stdout, _, _ = folio(t, dir, "search", "--data-dir", "data", "--json", "--section", "Business", "harbour")
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Total != 2 {
		t.Errorf("--section Business: %v, %d hits, want 2", err, res.Total)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// folio serve builds its index from corpus.paths that name a directory of
// pages and a web archive, and offers the section facet.
func TestServeReadsPagesAndArchives(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pages"), 0o755)
	os.WriteFile(filepath.Join(dir, "pages", "a.html"), []byte(webPage("https://harbourtimes.example/news/harbour-reopens", "Harbour reopens", "Business", "2024-12-29")), 0o644)
	os.WriteFile(filepath.Join(dir, "crawl.warc"), []byte{}, 0o644) // an empty archive holds no articles
	os.WriteFile(filepath.Join(dir, "more.warc.gz"), warcOf(t, time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC),
		[3]string{"response", "https://harbourtimes.example/news/grain-unloaded", httpResponse("text/html", webPage("", "Grain unloaded", "Markets", ""))}), 0o644)

	addr := freeAddr(t)
	cmd := exec.Command(folioBin, "serve", "--addr", addr)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "FOLIO_DATA_DIR="+filepath.Join(dir, "data"), "FOLIO_CORPUS_PATHS=pages crawl.warc more.warc.gz")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	get := func(path string, v any) {
		t.Helper()
		var resp *http.Response
		var err error
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if resp, err = http.Get("http://" + addr + path); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatalf("server never answered: %v\n%s", err, stderr.String())
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	var res struct {
		Total  int
		Hits   []struct{ Title, URL, Section string }
		Facets map[string][]struct {
			Value string
			Count int
		}
	}
	get("/api/search?q=harbour&sort=-date", &res)
	if res.Total != 2 || res.Hits[0].Title != "Grain unloaded" || res.Hits[0].URL != "https://harbourtimes.example/news/grain-unloaded" ||
		res.Hits[0].Section != "Markets" || res.Hits[1].Section != "Business" || len(res.Facets["section"]) != 2 {
		t.Errorf("search answer %+v\n%s", res, stderr.String())
	}
	var facets struct{ Facets []struct{ Name string } }
	get("/api/facets", &facets)
	names := []string{}
	for _, f := range facets.Facets {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "section") {
		t.Errorf("facets %q lack section", names)
	}
}
