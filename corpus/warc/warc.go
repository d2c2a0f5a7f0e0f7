// Package warc reads web archives (WARC files, plain or gzipped) as
// articles: each HTML response is an article page (see htmlpage), dated
// by its capture when the page gives no date. It registers the "warc"
// input format with corpus.
package warc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nlnwa/gowarc/v3"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/corpus/htmlpage"
)

// Format is the name of WARC files among corpus formats.
const Format = "warc"

func init() { corpus.RegisterFormat(Format, Match, Read) }

// Match says whether a file is a WARC file: by its name (.warc,
// .warc.gz) or by content starting with a WARC version line, plain or in
// a gzip member.
func Match(name string, head []byte) bool {
	low := strings.ToLower(name)
	if strings.HasSuffix(low, ".warc") || strings.HasSuffix(low, ".warc.gz") {
		return true
	}
	if bytes.HasPrefix(head, []byte("WARC/")) {
		return true
	}
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	magic := make([]byte, 5)
	n, _ := io.ReadFull(zr, magic)
	return string(magic[:n]) == "WARC/"
}

// assetTypes are the content types of a page's parts (images, styles,
// scripts, fonts, data), skipped without a word: an archive of a site
// holds thousands. Other responses that are not HTML, such as PDFs, are
// reported as skipped.
var assetTypes = []string{"image/", "text/css", "text/javascript", "application/javascript",
	"application/x-javascript", "font/", "application/font", "application/json", "audio/", "video/",
	"application/octet-stream", "text/plain", "application/xml", "text/xml", "application/rss", "application/atom"}

// Read yields the articles of the WARC records in r: one per HTML
// response with status 200. Requests, metadata, revisits and the like are
// passed over. A record that cannot be read (a malformed header, a
// truncated gzip member) or a page that is not an article yields a
// *corpus.RecordError whose Line is the record's number and whose reason
// gives its byte offset; reading goes on with the next record where the
// input allows.
func Read(name string, r io.Reader, yield func(corpus.Article, error) bool) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	u := gowarc.NewUnmarshaler(
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithBufferMaxMemBytes(htmlpage.MaxPageBytes),
	)
	for n := 1; ; n++ {
		start := cr.n - int64(br.Buffered())
		rec, skipped, validation, err := u.Unmarshal(br)
		at := start + skipped
		if errors.Is(err, io.EOF) && rec == nil && cr.n-int64(br.Buffered()) == start {
			return // the end of the input, between records
		}
		if err != nil {
			if rec != nil {
				rec.Close()
			}
			if !yield(corpus.Article{}, recordError(name, n, at, readReason(err))) {
				return
			}
			if cr.n-int64(br.Buffered()) == start { // no progress: step over a byte
				if _, err := br.Discard(1); err != nil {
					return
				}
			}
			if cr.err != nil && !errors.Is(cr.err, io.EOF) {
				return // the input itself failed
			}
			continue
		}
		a, reason := article(rec, validation)
		rec.Close()
		switch {
		case reason != "":
			if !yield(corpus.Article{}, recordError(name, n, at, reason)) {
				return
			}
		case a.ID != "":
			a.Line = n
			if !yield(a, nil) {
				return
			}
		}
	}
}

// article reads one record: an article, a reason it is skipped, or
// neither for records that are not pages.
// Warnings in validation (a wrong digest, say) are common in real
// archives and pass unless the record cannot be read.
func article(rec gowarc.WarcRecord, validation []error) (corpus.Article, string) {
	if rec.Type() != gowarc.Response {
		return corpus.Article{}, ""
	}
	block, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		if !strings.HasPrefix(rec.WarcHeader().Get(gowarc.ContentType), "application/http") && len(validation) == 0 {
			return corpus.Article{}, "" // a DNS lookup or other non-HTTP response
		}
		reason := "malformed WARC record: a response without an HTTP response in it"
		if len(validation) > 0 {
			reason += " (" + validation[0].Error() + ")"
		}
		return corpus.Article{}, reason
	}
	if block.HttpStatusCode() != 200 {
		return corpus.Article{}, "" // a redirect, an error page
	}
	target := rec.WarcHeader().Get(gowarc.WarcTargetURI)
	contentType := block.HttpHeader().Get("Content-Type")
	mt := htmlpage.MediaType(contentType)
	if mt != "text/html" && mt != "application/xhtml+xml" {
		for _, t := range assetTypes {
			if strings.HasPrefix(mt, t) {
				return corpus.Article{}, ""
			}
		}
		return corpus.Article{}, fmt.Sprintf("%s: skipped, content type %s is not an HTML page", target, cmpOr(mt, "missing"))
	}
	payload, err := block.PayloadBytes()
	if err != nil {
		return corpus.Article{}, fmt.Sprintf("%s: %v", target, err)
	}
	body, err := io.ReadAll(io.LimitReader(payload, htmlpage.MaxPageBytes+1))
	if err != nil {
		return corpus.Article{}, fmt.Sprintf("%s: %v", target, err)
	}
	a, err := htmlpage.Extract(target, body, contentType)
	if err != nil {
		return corpus.Article{}, fmt.Sprintf("%s: %v", target, err)
	}
	if a.Date == nil {
		if d, err := rec.Date(); err == nil && d.Year() >= 1678 && d.Year() <= 2261 {
			d = d.UTC()
			a.Date = &d
		}
	}
	return a, ""
}

// readReason says why a record could not be read, in the input's terms.
func readReason(err error) string {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "truncated record (the input ends inside it)"
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return "damaged gzip member: " + err.Error()
	}
	return "malformed WARC record: " + err.Error()
}

func recordError(name string, n int, offset int64, reason string) *corpus.RecordError {
	reason = fmt.Sprintf("record %d at byte %d: %s", n, offset, reason)
	if len(reason) > corpus.MaxReasonBytes {
		reason = strings.ToValidUTF8(reason[:corpus.MaxReasonBytes-3], "") + "…"
	}
	return &corpus.RecordError{File: name, Line: n, Reason: reason}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// countingReader counts the bytes read from r, to give records' offsets.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}
