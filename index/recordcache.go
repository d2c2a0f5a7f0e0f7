package index

import (
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
			rec.article = a
			rec.copyKey = search.CopyKey(a.Title, a.Body)
		} else if title, body, err := textOf("", raw); err == nil {
			rec.copyKey = search.CopyKey(title, body)
		}
		// The article takes about as much again as its JSON.
		return rec, len(stored) + 2*cap(raw) + len(rec.copyKey) + 256, nil
	})
	return rec, err
}
