package index

import (
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/folio-search/folio/internal/search"
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
	byteLRU[string, search.TermCounts] // by stored record
}

// feedbackDocsBytes bounds each index's feedbackDocs: some 5,000 news
// articles' counts.
const feedbackDocsBytes = 16 << 20

func newFeedbackDocs(budget int) *feedbackDocs {
	return &feedbackDocs{newByteLRU[string, search.TermCounts](budget)}
}

// stems returns the stem counts of h's article, counting them with count
// on a miss. A hit whose record was not read (past the page) is counted
// each time, as is an article too long to keep.
func (c *feedbackDocs) stems(h *bsearch.DocumentMatch, count func() (search.TermCounts, error)) (search.TermCounts, error) {
	record, ok, err := storedOf(h)
	if err != nil {
		return search.TermCounts{}, err
	}
	if !ok {
		return count()
	}
	tf, _, err := c.get(record, func() (search.TermCounts, int, error) {
		tf, err := count()
		return tf, len(record) + 128 + tf.Bytes(), err // with the key, the entry and its list element
	})
	return tf, err
}
