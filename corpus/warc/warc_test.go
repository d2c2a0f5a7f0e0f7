package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/folio-search/folio/corpus"
)

var captured = time.Date(2024, 12, 30, 6, 0, 0, 0, time.UTC)

// page is an article page; date, if not empty, is its published time.
func page(title, date string) string {
	meta := ""
	if date != "" {
		meta = `<meta property="article:published_time" content="` + date + `">`
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | Example News</title>` + meta + `</head><body><article><h1>` + title + `</h1>`)
	for i := range 4 {
		b.WriteString("<p>Paragraph " + string(rune('A'+i)) + " of the story about " + title + ": the harbour reopened after three weeks of repairs to the eastern quay, the port authority said on Monday.</p>")
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

// record builds one WARC record with gowarc's own builder.
func record(t *testing.T, typ gowarc.RecordType, target, contentType, block string) gowarc.WarcRecord {
	t.Helper()
	rb := gowarc.NewRecordBuilder(typ, gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true))
	rb.AddWarcHeaderTime(gowarc.WarcDate, captured)
	if target != "" {
		rb.AddWarcHeader(gowarc.WarcTargetURI, target)
	}
	rb.AddWarcHeader(gowarc.ContentType, contentType)
	if _, err := rb.WriteString(block); err != nil {
		t.Fatal(err)
	}
	rec, _, err := rb.Build()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func response(t *testing.T, target, contentType, body string) gowarc.WarcRecord {
	return record(t, gowarc.Response, target, "application/http;msgtype=response",
		"HTTP/1.1 200 OK\r\nContent-Type: "+contentType+"\r\nContent-Length: "+itoa(len(body))+"\r\n\r\n"+body)
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// archive is the test's web archive: a request, two article pages (one
// dated, one not), a PDF, an image and a metadata record. With gz, each
// record is its own gzip member, as in .warc.gz files.
func archive(t *testing.T, gz bool) []byte {
	recs := []gowarc.WarcRecord{
		record(t, gowarc.Warcinfo, "", "application/warc-fields", "software: folio test\r\n"),
		record(t, gowarc.Request, "https://www.example.com/news/harbour-reopens", "application/http;msgtype=request",
			"GET /news/harbour-reopens HTTP/1.1\r\nHost: www.example.com\r\n\r\n"),
		response(t, "https://www.example.com/news/harbour-reopens?utm_source=x", "text/html; charset=utf-8", page("Harbour reopens", "2024-12-29T08:00:00Z")),
		response(t, "https://www.example.com/news/quay-repaired", "text/html", page("Quay repaired", "")),
		response(t, "https://www.example.com/report.pdf", "application/pdf", "%PDF-1.7\n1 0 obj\n"),
		response(t, "https://www.example.com/logo.png", "image/png", "\x89PNG\r\n\x1a\n"),
		record(t, gowarc.Metadata, "https://www.example.com/news/quay-repaired", "application/warc-fields", "via: https://www.example.com/\r\n"),
	}
	var out bytes.Buffer
	m := gowarc.NewMarshaler()
	for _, r := range recs {
		var buf bytes.Buffer
		if _, _, err := m.Marshal(&buf, r, 0); err != nil {
			t.Fatal(err)
		}
		if !gz {
			out.Write(buf.Bytes())
			continue
		}
		zw := gzip.NewWriter(&out)
		zw.Write(buf.Bytes())
		zw.Close()
	}
	return out.Bytes()
}

type result struct {
	articles []corpus.Article
	errs     []*corpus.RecordError
}

func readAll(t *testing.T, path string) result {
	t.Helper()
	var res result
	for a, err := range corpus.ReadFile(path) {
		if err != nil {
			var re *corpus.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *corpus.RecordError", err)
			}
			res.errs = append(res.errs, re)
			continue
		}
		res.articles = append(res.articles, a)
	}
	return res
}

// Through corpus.ReadFile, as folio ingest reads: the format is found by
// name or content, the two pages are articles, the capture date dates
// the undated one, the PDF is skipped with a reason and the request,
// image, warcinfo and metadata records pass silently.
func TestReadArchive(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"crawl.warc", "crawl.warc.gz", "no-extension"} {
		data := archive(t, strings.HasSuffix(name, ".gz") || name == "no-extension")
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res := readAll(t, path)
		if len(res.articles) != 2 {
			t.Fatalf("%s: %d articles, want 2 (%+v)", name, len(res.articles), res.errs)
		}
		a, b := res.articles[0], res.articles[1]
		if a.Title != "Harbour reopens" || a.URL != "https://www.example.com/news/harbour-reopens" || a.Source != "example.com" ||
			a.Date == nil || !a.Date.Equal(time.Date(2024, 12, 29, 8, 0, 0, 0, time.UTC)) || a.Line != 3 {
			t.Errorf("%s: first article %q %q %s %v line %d", name, a.Title, a.URL, a.Source, a.Date, a.Line)
		}
		if b.Title != "Quay repaired" || b.Date == nil || !b.Date.Equal(captured) {
			t.Errorf("%s: second article %q dated %v, want the capture date %v", name, b.Title, b.Date, captured)
		}
		if !strings.Contains(a.Body, "eastern quay") {
			t.Errorf("%s: body %q", name, a.Body)
		}
		if len(res.errs) != 1 || res.errs[0].Line != 5 || !strings.Contains(res.errs[0].Reason, "report.pdf") ||
			!strings.Contains(res.errs[0].Reason, "application/pdf is not an HTML page") || res.errs[0].File != path {
			t.Errorf("%s: errors %v, want record 5, the PDF, skipped with its reason", name, res.errs)
		}
	}
}

// A damaged archive loses only what is damaged: a malformed record and a
// page that is no article are reported with their record and offset, a
// truncated gzip member at the end too, and every other article is read.
func TestReadDamagedArchive(t *testing.T) {
	var plain bytes.Buffer
	m := gowarc.NewMarshaler()
	write := func(r gowarc.WarcRecord) {
		if _, _, err := m.Marshal(&plain, r, 0); err != nil {
			t.Fatal(err)
		}
	}
	write(response(t, "https://example.com/news/one-story-here", "text/html", page("One", "2024-01-01")))
	badAt := plain.Len()
	plain.WriteString("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nnonsense\r\n\r\n")
	write(response(t, "https://example.com/login", "text/html", `<html><body><form><button>Log in</button></form></body></html>`))
	write(response(t, "https://example.com/news/two-story-here", "text/html", page("Two", "2024-01-02")))

	dir := t.TempDir()
	path := filepath.Join(dir, "damaged.warc")
	os.WriteFile(path, plain.Bytes(), 0o644)
	res := readAll(t, path)
	if len(res.articles) != 2 || res.articles[0].Title != "One" || res.articles[1].Title != "Two" {
		t.Fatalf("articles %+v, want One and Two", res.articles)
	}
	if len(res.errs) != 2 {
		t.Fatalf("errors %v, want the malformed record and the login page", res.errs)
	}
	if e := res.errs[0]; e.Line != 2 || !strings.Contains(e.Reason, "at byte "+fmtInt(badAt)) {
		t.Errorf("malformed record reported as %v, want record 2 at byte %d", e, badAt)
	}
	if e := res.errs[1]; !strings.Contains(e.Reason, "example.com/login") || !strings.Contains(e.Reason, "not an article page") {
		t.Errorf("login page reported as %v", e)
	}

	// Gzipped, with the last member cut in half.
	full := archive(t, true)
	last := bytes.LastIndex(full, []byte{0x1f, 0x8b, 8})
	cut := full[:last+(len(full)-last)/2]
	path = filepath.Join(dir, "cut.warc.gz")
	os.WriteFile(path, cut, 0o644)
	res = readAll(t, path)
	if len(res.articles) != 2 {
		t.Fatalf("cut archive: %d articles, want both pages before the cut", len(res.articles))
	}
	lastErr := res.errs[len(res.errs)-1]
	if lastErr.Line != 7 || !strings.Contains(lastErr.Reason, "truncated") || !strings.Contains(lastErr.Reason, "at byte "+fmtInt(last)) {
		t.Errorf("cut archive errors %v, want record 7 at byte %d truncated", res.errs, last)
	}
}
