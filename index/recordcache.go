package index

import (
	"strings"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// inflatedRecords keeps stored records inflated, by their deflated bytes.
// A search inflates the record of every hit its page shows and of each
// article feedback learns from, some fourteen records at about 10 µs
// each, a tenth of a search with feedback at 20,000 articles; and the
// articles that lead one query's results lead many others'. Every
// schema's records deflate with one dictionary, so deflated bytes inflate
// to one record whichever index or segment holds them, and an article
// written again has a new record. Records are shared: readers never
// change them. Like Solr's document cache, it is one for the process.
var inflatedRecords = newByteLRU[string, inflatedRecord](inflatedRecordsBytes)

// inflatedRecordsBytes bounds inflatedRecords: some 13,000 news records,
// with their deflated keys and decoded articles.
const inflatedRecordsBytes = 64 << 20

// An inflatedRecord is a stored record's JSON, its article decoded
// (without its ID, which the record does not hold; nil if the record does
// not decode) and what exact copies of its story share (search.CopyKey;
// "" if its text could not be read), which every ranked search asks of
// its first hits. The article's strings and lists are shared by every
// search that reads the record: read only.
type inflatedRecord struct {
	json    []byte
	article *corpus.Article
	copyKey string
}

// inflateCached is inflateStored, and the article decoded, through
// inflatedRecords.
func inflateCached(stored string) (inflatedRecord, error) {
	rec, _, err := inflatedRecords.get(stored, func() (inflatedRecord, int, error) {
		raw, err := inflateStored(stored)
		if err != nil {
			return inflatedRecord{}, 0, err
		}
		rec := inflatedRecord{json: raw}
		if a, err := articleOf("", raw); err == nil {
			rec.article = packArticle(a)
			rec.copyKey = search.CopyKey(a.Title, a.Body)
		} else if title, body, err := textOf("", raw); err == nil {
			rec.copyKey = search.CopyKey(title, body)
		}
		// The article takes about as much again as its JSON.
		return rec, len(stored) + 2*cap(raw) + len(rec.copyKey) + 256, nil
	})
	return rec, err
}

// packArticle moves the strings of a freshly decoded article into one
// allocation and its entities' mentions into another, and returns it. A
// cached article is then some seven objects for the garbage collector to
// mark instead of one a string, tag and entity: thousands of articles
// stay cached, and the marking of a serving process's heap, which slows
// the searches it overlaps, is shorter. Texts that are the body's words
// at their offsets (quotes, names of entities) stay slices of the body.
func packArticle(a *corpus.Article) *corpus.Article {
	body := a.Body
	fromBody := func(text string, start, end int) bool {
		return 0 <= start && start <= end && end <= len(body) && body[start:end] == text
	}
	var named, quoted []bool // texts left as slices of the body
	each := func(visit func(*string)) {
		for _, p := range []*string{&a.Title, &a.URL, &a.Author, &a.Dateline, &a.Source, &a.Section} {
			visit(p)
		}
		for i := range a.Tags {
			visit(&a.Tags[i])
		}
		for i := range a.Entities {
			visit(&a.Entities[i].Type)
			if !named[i] {
				visit(&a.Entities[i].Name)
			}
		}
		for i := range a.Quotes {
			q := &a.Quotes[i]
			for _, p := range []*string{&q.Speaker, &q.SpeakerKind, &q.Cue, &q.Route} {
				visit(p)
			}
			if !quoted[i] {
				visit(&q.Text)
			}
		}
	}
	named, quoted = make([]bool, len(a.Entities)), make([]bool, len(a.Quotes))
	mentions := 0
	for i, e := range a.Entities {
		mentions += len(e.Mentions)
		named[i] = len(e.Mentions) > 0 && fromBody(e.Name, e.Mentions[0].Start, e.Mentions[0].End)
	}
	for i, q := range a.Quotes {
		quoted[i] = !q.InTitle && fromBody(q.Text, q.Start, q.End)
	}
	size := len(body)
	each(func(p *string) { size += len(*p) })
	var b strings.Builder
	b.Grow(size)
	b.WriteString(body)
	each(func(p *string) { b.WriteString(*p) })
	text := b.String()
	a.Body, text = text[:len(body)], text[len(body):]
	each(func(p *string) {
		*p, text = text[:len(*p)], text[len(*p):]
	})
	all := make([]corpus.Mention, 0, mentions)
	for i := range a.Entities {
		e := &a.Entities[i]
		start := len(all)
		all = append(all, e.Mentions...)
		e.Mentions = all[start:len(all):len(all)]
		if named[i] {
			e.Name = a.Body[e.Mentions[0].Start:e.Mentions[0].End]
		}
	}
	for i := range a.Quotes {
		if q := &a.Quotes[i]; quoted[i] {
			q.Text = a.Body[q.Start:q.End]
		}
	}
	return a
}
