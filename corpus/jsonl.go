package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// bom is the UTF-8 byte order mark some editors put at the start of a file.
const bom = "\ufeff"

// jsonArticle is the corpora's JSON schema. Date is a string so that a bad
// date is reported as such rather than as a JSON type error.
type jsonArticle struct {
	ID       string   `json:"id"`
	URL      string   `json:"url"`
	Title    string   `json:"title"`
	Author   string   `json:"author"`
	Date     *string  `json:"date"`
	Dateline string   `json:"dateline"`
	Tags     []string `json:"tags"`
	Body     string   `json:"body"`
	Source   string   `json:"source"`
	Section  string   `json:"section"`
}

func readJSONL(name string, br *bufio.Reader, yield func(Article, error) bool) {
	source := sourceName(name)
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(br, notJSON)
		if err != nil && err != io.EOF {
			yield(Article{}, fmt.Errorf("%s:%d: %w", name, line, err))
			return
		}
		if line == 1 {
			raw = bytes.TrimPrefix(raw, []byte(bom)) // Detect allows one; so must the reader
		}
		switch {
		case tooLong:
			if !yield(Article{}, recordError(name, line, fmt.Sprintf("record longer than %d bytes", MaxLineBytes))) {
				return
			}
		case len(bytes.TrimSpace(raw)) > 0:
			a, reason := decodeJSONArticle(raw, source)
			a.Line = line
			var rerr error
			if reason != "" {
				rerr = recordError(name, line, reason)
			}
			if !yield(a, rerr) {
				return
			}
		}
		if err == io.EOF {
			return
		}
	}
}

// readLine reads one line without its newline. A line over MaxLineBytes is
// consumed and reported as tooLong. A line longer than br's buffer whose
// start notJSON rejects is consumed and returned as that start, which says
// all there is to say about it: junk costs no memory, however long.
func readLine(br *bufio.Reader, notJSON func(start []byte) bool) (line []byte, tooLong bool, err error) {
	var buf []byte
	skip := false // the rest of the line is not needed
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case skip:
		case len(buf) == 0 && err == bufio.ErrBufferFull && notJSON != nil && notJSON(chunk):
			buf, skip = bytes.Clone(chunk), true // br reuses chunk's bytes
		case len(buf)+len(chunk) > MaxLineBytes:
			tooLong, skip = true, true
			buf = nil
		default:
			buf = append(buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, err
	}
}

// notJSON says whether a line starting with start cannot hold a JSON
// value, so that the decoder's error about its start is the line's.
func notJSON(start []byte) bool {
	start = bytes.TrimLeft(bytes.TrimPrefix(start, []byte(bom)), " \t\r")
	return len(start) > 0 && !bytes.ContainsAny(start[:1], `{["-0123456789tfn`)
}

func decodeJSONArticle(raw []byte, source string) (Article, string) {
	var j jsonArticle
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&j); err != nil {
		return Article{}, jsonReason(err)
	}
	if dec.More() {
		return Article{}, "invalid JSON: more than one value on the line"
	}
	if strings.TrimSpace(j.Title) == "" && strings.TrimSpace(j.Body) == "" {
		return Article{}, "record has neither title nor body"
	}
	if len(j.Title)+len(j.Body) > MaxArticleBytes {
		return Article{}, tooBig
	}
	a := Article{
		ID: j.ID, URL: j.URL, Title: j.Title, Author: j.Author, Dateline: j.Dateline,
		Tags: CleanTags(j.Tags), Body: j.Body, Source: j.Source, Section: j.Section,
	}
	if j.Date != nil && strings.TrimSpace(*j.Date) != "" {
		t, err := ParseDate(*j.Date)
		if err != nil {
			return Article{}, err.Error()
		}
		a.Date = &t
	}
	if a.ID == "" {
		a.ID = StableID(a.Title, a.Body)
	}
	if a.Source == "" {
		a.Source = source
	}
	if reason := overLimit(&a); reason != "" {
		return Article{}, reason
	}
	return a, ""
}

// jsonReason says what is wrong with a record in the schema's words: a
// type error names the field, not Folio's Go types.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	switch te.Field {
	case "":
		return "invalid record: want a JSON object, got " + jsonKind(te.Value)
	case "tags":
		return `invalid record: field "tags" must be a list of strings`
	}
	return fmt.Sprintf("invalid record: field %q must be a string, got %s", te.Field, jsonKind(te.Value))
}

// jsonKind names a JSON value's kind with its article, for messages.
func jsonKind(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	case "":
		return "something else"
	}
	return "a " + v
}

var tooBig = fmt.Sprintf("article is over the limit of %d bytes of title and body", MaxArticleBytes)

// dateLayouts are the date forms accepted in input, most common first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
}

// ParseDate reads a date in one of the accepted layouts; a date without a
// zone is taken as UTC. The result is in UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			// The index holds dates as int64 nanoseconds since 1970.
			if t.Year() < 1678 || t.Year() > 2261 {
				return time.Time{}, fmt.Errorf("date %q out of range (years 1678 to 2261)", clip(s, 64))
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q (want e.g. 2024-12-29 or 2024-12-29T10:00:00Z)", clip(s, 64))
}

// CleanTags trims tags and drops empty and repeated ones, keeping order.
func CleanTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
