package htmlpage

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/folio-search/folio/corpus"
)

// Format is the name of HTML pages among corpus formats.
const Format = "html"

func init() { corpus.RegisterFormat(Format, Match, readFile) }

// Match says whether a file is an HTML page: by its name (.html, .htm) or
// by content that starts, after a byte-order mark and blanks, with a
// doctype or an <html> tag.
func Match(name string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, p := range []string{"<!doctype html", "<html"} {
		if len(head) >= len(p) && strings.EqualFold(string(head[:len(p)]), p) {
			return true
		}
	}
	return false
}

// readFile reads one saved page as one article. Its URL is the page's
// canonical link if it has one, else the file's own file:// URL; a page
// that is not an article is a *corpus.RecordError for line 1.
func readFile(name string, r io.Reader, yield func(corpus.Article, error) bool) {
	body, err := io.ReadAll(io.LimitReader(r, MaxPageBytes+1))
	if err != nil {
		yield(corpus.Article{}, fmt.Errorf("%s: %w", name, err))
		return
	}
	a, err := Extract(fileURL(name), body, "")
	if err != nil {
		yield(corpus.Article{}, &corpus.RecordError{File: name, Line: 1, Reason: clip(err.Error(), corpus.MaxReasonBytes)})
		return
	}
	if a.Source == "" { // no canonical link: the file's name, as for other inputs
		a.Source = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	a.Line = 1
	yield(a, nil)
}

// fileURL is the file:// URL of a path.
func fileURL(name string) string {
	if abs, err := filepath.Abs(name); err == nil {
		name = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(name)}).String()
}
