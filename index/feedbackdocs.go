package index

import (
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// feedbackDocs keeps the stem counts that feedback takes of an article
// (expansion), by the article's stored record. Counting is reading the
// whole text, a tenth of a search with feedback at 20,000 articles, and
// the articles that lead one query's results lead many others'. A record
// is the article's text byte for byte, so an entry is right for as long
// as any segment holds that record, and an article written again has a
// new record and a new entry. The counts are shared: readers never
// change them.
type feedbackDocs struct {
	byteLRU[string, map[string]int] // by stored record
}

// feedbackDocsBytes bounds each index's feedbackDocs: some 4,000 news
// articles' counts.
const feedbackDocsBytes = 16 << 20

func newFeedbackDocs(budget int) *feedbackDocs {
	return &feedbackDocs{newByteLRU[string, map[string]int](budget)}
}

// stems returns the stem counts of h's article, counting them with count
// on a miss. A hit whose record was not read (past the page) is counted
// each time, as is an article too long to keep.
func (c *feedbackDocs) stems(h *bsearch.DocumentMatch, count func() (map[string]int, error)) (map[string]int, error) {
	record, ok, err := storedOf(h)
	if err != nil {
		return nil, err
	}
	if !ok {
		return count()
	}
	tf, _, err := c.get(record, func() (map[string]int, int, error) {
		tf, err := count()
		size := len(record) + 64
		for t := range tf {
			size += len(t) + 48 // the key, its string header and the count, in the map's slots
		}
		return tf, size, err
	})
	return tf, err
}
