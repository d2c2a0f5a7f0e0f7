package index

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/klauspost/compress/flate"

	"github.com/folio-search/folio/corpus"
)

// Each article is stored once, as one field: its JSON, deflated with a
// preset dictionary of news phrasing and of the record's own keys
// (storeddict.go). Deflate takes news text to about 52% of its size where
// Bleve's per-field snappy gets 78%, the entities' mention lists compress
// far better together than apart, and a hit needs one stored field read
// instead of nine. Quote records are stored the same way.

// storedLevel is deflate's level for stored records. The deflate of
// github.com/klauspost/compress writes the standard format faster than
// the standard library's, and reads it faster: at level 5, 3,000 articles
// of the bench corpus deflate to 48.5% in 31 µs each, where the standard
// library took 46 µs to 49.1% at its level 2 (its level 1 ignores the
// dictionary), and inflate in 9.4 µs instead of 11.7. Records written by
// either, at any level, read alike. Level 7 takes 5,000 records with
// entities to 47.95% in 37 µs each, against 48.82% in 30 µs at level 5
// (6: 48.63%, 30 µs; 9: 47.93%, 46 µs): 1.8% off the stored records, a
// third of the index, for under 1% more ingest time.
const storedLevel = 7

var (
	storedDictBytes = []byte(storedDict)
	deflaters       = sync.Pool{New: func() any {
		w, _ := flate.NewWriterDict(nil, storedLevel, storedDictBytes) // the level is valid
		return w
	}}
	inflaters = sync.Pool{New: func() any { return flate.NewReaderDict(nil, storedDictBytes) }}
)

// compressStored deflates v's JSON as stored records are.
func compressStored(v any) (string, error) {
	var buf bytes.Buffer
	buf.Grow(1024)
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&buf)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "<" as itself, not as six bytes
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// inflateStored is the JSON of a stored record.
func inflateStored(stored string) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(3 * len(stored)) // news deflates to about half: one allocation, most often
	err := readStored(stored, func(r io.Reader) error {
		_, err := out.ReadFrom(r)
		return err
	})
	return out.Bytes(), err
}

// readStored calls read with the inflated JSON of a stored record.
func readStored(stored string, read func(io.Reader) error) error {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(strings.NewReader(stored), storedDictBytes); err != nil {
		return err
	}
	return read(r)
}

// textOf is the title and body of an inflated stored record, the rest
// of it parsed but not kept: entities and quotes are not built.
func textOf(id string, rec []byte) (title, body string, err error) {
	if title, body, ok := leadingText(rec); ok {
		return title, body, nil
	}
	var t struct {
		Title string `json:"t"`
		Body  string `json:"b"`
	}
	if err := json.Unmarshal(rec, &t); err != nil {
		return "", "", fmt.Errorf("stored article %s is damaged: %w", id, err)
	}
	return t.Title, t.Body, nil
}

// storedArticle is the stored form of an article: short keys, and
// mentions as (start − previous end, length) pairs, which deflate to a
// third of what their JSON objects take.
type storedArticle struct {
	Title    string         `json:"t,omitempty"`
	Body     string         `json:"b,omitempty"`
	URL      string         `json:"u,omitempty"`
	Author   string         `json:"a,omitempty"`
	Date     *time.Time     `json:"d,omitempty"`
	Dateline string         `json:"l,omitempty"`
	Tags     []string       `json:"g,omitempty"`
	Source   string         `json:"s,omitempty"`
	Section  string         `json:"c,omitempty"`
	Entities []storedEntity `json:"e,omitempty"`
	Quotes   []storedQuote  `json:"q,omitempty"`
}

// storedQuote is a quote of a stored article; its text is left out when
// it is the body's (or, for a headline's quote, the title's) bytes at its
// offsets, as extracted quotes are.
type storedQuote struct {
	Text        string `json:"x,omitempty"`
	Speaker     string `json:"s,omitempty"`
	SpeakerKind string `json:"k,omitempty"`
	Cue         string `json:"c,omitempty"`
	Route       string `json:"r,omitempty"`
	Start       int    `json:"b"`
	End         int    `json:"e"`
	InTitle     bool   `json:"h,omitempty"`
}

// quoteSource is the text a quote's offsets point into.
func quoteSource(title, body string, inTitle bool) string {
	if inTitle {
		return title
	}
	return body
}

// storedEntity is an entity of a stored article. Its name is left out
// (nil) when it is the body's text at its first mention, as most are.
type storedEntity struct {
	Type     string  `json:"t"`
	Name     *string `json:"n,omitempty"`
	Mentions []int   `json:"m,omitempty"`
}

// encodeArticle is the stored form of a; the ID is the document's own.
func encodeArticle(a *corpus.Article) (string, error) {
	s := storedArticle{
		Title: a.Title, Body: a.Body, URL: a.URL, Author: a.Author, Dateline: a.Dateline,
		Tags: a.Tags, Source: a.Source, Section: a.Section,
	}
	if a.Date != nil {
		utc := a.Date.UTC()
		s.Date = &utc
	}
	for _, e := range a.Entities {
		se := storedEntity{Type: e.Type, Mentions: make([]int, 0, 2*len(e.Mentions))}
		if len(e.Mentions) == 0 || mentionText(a.Body, e.Mentions[0]) != e.Name {
			se.Name = &e.Name
		}
		end := 0
		for _, m := range e.Mentions {
			se.Mentions = append(se.Mentions, m.Start-end, m.End-m.Start)
			end = m.End
		}
		s.Entities = append(s.Entities, se)
	}
	for _, q := range a.Quotes {
		sq := storedQuote{Text: q.Text, Speaker: q.Speaker, SpeakerKind: q.SpeakerKind, Cue: q.Cue, Route: q.Route, Start: q.Start, End: q.End, InTitle: q.InTitle}
		src := quoteSource(a.Title, a.Body, q.InTitle)
		if 0 <= q.Start && q.Start <= q.End && q.End <= len(src) && src[q.Start:q.End] == q.Text {
			sq.Text = ""
		}
		s.Quotes = append(s.Quotes, sq)
	}
	stored, err := compressStored(&s)
	if err != nil {
		return "", fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	return stored, nil
}

// mentionText is the body's text at m, "" if m is not within it.
func mentionText(body string, m corpus.Mention) string {
	if 0 <= m.Start && m.Start < m.End && m.End <= len(body) {
		return body[m.Start:m.End]
	}
	return ""
}

// decodeArticle reads what encodeArticle wrote.
func decodeArticle(id, stored string) (*corpus.Article, error) {
	rec, err := inflateStored(stored)
	if err != nil {
		return nil, fmt.Errorf("stored article %s is damaged: %w", id, err)
	}
	return articleOf(id, rec)
}

// decodeStored decodes an inflated stored article. The page's hits are
// decoded by github.com/goccy/go-json, which reads the same JSON as
// encoding/json (FuzzDecodeStored) five times as fast: 31 µs a Reuters
// article were a tenth of a search.
func decodeStored(rec []byte, s *storedArticle) error {
	return gojson.Unmarshal(rec, s)
}

// articleOf is the article of an inflated stored record.
func articleOf(id string, rec []byte) (*corpus.Article, error) {
	var s storedArticle
	if err := decodeStored(rec, &s); err != nil {
		return nil, fmt.Errorf("stored article %s is damaged: %w", id, err)
	}
	a := &corpus.Article{
		ID: id, Title: s.Title, Body: s.Body, URL: s.URL, Author: s.Author, Date: s.Date,
		Dateline: s.Dateline, Tags: s.Tags, Source: s.Source, Section: s.Section,
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	for _, se := range s.Entities {
		e := corpus.Entity{Type: se.Type, Mentions: make([]corpus.Mention, 0, len(se.Mentions)/2)}
		end := 0
		for i := 0; i+1 < len(se.Mentions); i += 2 {
			start := end + se.Mentions[i]
			end = start + se.Mentions[i+1]
			e.Mentions = append(e.Mentions, corpus.Mention{Start: start, End: end})
		}
		switch {
		case se.Name != nil:
			e.Name = *se.Name
		case len(e.Mentions) > 0:
			e.Name = mentionText(a.Body, e.Mentions[0])
		}
		a.Entities = append(a.Entities, e)
	}
	for _, sq := range s.Quotes {
		q := corpus.Quote{Text: sq.Text, Speaker: sq.Speaker, SpeakerKind: sq.SpeakerKind, Cue: sq.Cue, Route: sq.Route, Start: sq.Start, End: sq.End, InTitle: sq.InTitle}
		src := quoteSource(a.Title, a.Body, q.InTitle)
		if q.Text == "" && 0 <= q.Start && q.Start <= q.End && q.End <= len(src) {
			q.Text = src[q.Start:q.End]
		}
		a.Quotes = append(a.Quotes, q)
	}
	return a, nil
}

// entityNames lists the canonical names of a's entities of type typ.
func entityNames(a *corpus.Article, typ string) []string {
	out := []string{}
	for _, e := range a.Entities {
		if e.Type == typ {
			out = append(out, e.Name)
		}
	}
	return out
}

// storedTitle reads only the title of a stored article: it comes first,
// so only the start of the article is inflated and parsed.
func storedTitle(stored string) (string, error) {
	var title string
	err := readStored(stored, func(r io.Reader) error {
		dec := json.NewDecoder(r)
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return fmt.Errorf("stored article is damaged: %v", err)
		}
		key, err := dec.Token()
		if err != nil {
			return fmt.Errorf("stored article is damaged: %w", err)
		}
		if key != "t" {
			return nil // no title: it is left out when empty
		}
		if err := dec.Decode(&title); err != nil {
			return fmt.Errorf("stored article is damaged: %w", err)
		}
		return nil
	})
	return title, err
}

// headlineOf reads a stored article's title, and whether it has a body,
// from the start of its inflated record: JSON keeps storedArticle's field
// order (title "t", then body "b") and leaves an empty field out, so the
// key after the title says it. Nothing else of the record is parsed.
func headlineOf(rec []byte) (title string, hasBody bool, err error) {
	rest, ok := bytes.CutPrefix(rec, []byte("{"))
	if !ok {
		return "", false, errors.New("not an object")
	}
	if r, ok := bytes.CutPrefix(rest, []byte(`"t":`)); ok {
		end := stringEnd(r)
		if end < 0 {
			return "", false, errors.New("unterminated title")
		}
		if err := json.Unmarshal(r[:end], &title); err != nil {
			return "", false, err
		}
		rest = bytes.TrimPrefix(r[end:], []byte(","))
	}
	return title, bytes.HasPrefix(rest, []byte(`"b":`)), nil
}

// leadingText reads the title and body from the start of an inflated
// record, where they come first (storedArticle), without parsing what
// follows; ok is false when the record does not start so.
func leadingText(rec []byte) (title, body string, ok bool) {
	rest, ok := bytes.CutPrefix(rec, []byte("{"))
	if !ok {
		return "", "", false
	}
	field := func(key string, into *string) bool {
		r, found := bytes.CutPrefix(rest, []byte(key))
		if !found {
			return true // left out: empty
		}
		end := stringEnd(r)
		if end < 0 || !unquoteJSON(r[:end], into) {
			return false
		}
		rest = bytes.TrimPrefix(r[end:], []byte(","))
		return true
	}
	return title, body, field(`"t":`, &title) && field(`"b":`, &body)
}

// unquoteJSON sets into to the JSON string quoted. Records are written by
// encoding/json, so the text is valid UTF-8 and escapes only what JSON
// must; the one-letter escapes are undone here, a \u escape by
// encoding/json.
func unquoteJSON(quoted []byte, into *string) bool {
	in := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		*into = string(in)
		return true
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		b := in[i]
		if b != '\\' {
			out = append(out, b)
			continue
		}
		i++
		if i == len(in) {
			return false
		}
		switch in[i] {
		case '"', '\\', '/':
			out = append(out, in[i])
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default: // \u: code points, surrogate pairs
			return json.Unmarshal(quoted, into) == nil
		}
	}
	*into = string(out)
	return true
}

// stringEnd is the length of the JSON string that s starts with, its
// quotes included, or -1 when s does not hold one whole.
func stringEnd(s []byte) int {
	if len(s) == 0 || s[0] != '"' {
		return -1
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}
