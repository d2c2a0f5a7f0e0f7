package index

import (
	"container/list"
	"sync"

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
	mu      sync.Mutex
	budget  int // bytes kept at most (records and counts, roughly)
	used    int
	entries map[string]*list.Element // by stored record
	order   list.List                // of *feedbackDoc, most recently used first
}

// feedbackDocsBytes bounds each index's feedbackDocs: some 4,000 news
// articles' counts.
const feedbackDocsBytes = 16 << 20

type feedbackDoc struct {
	record string
	tf     map[string]int
	size   int
}

func newFeedbackDocs(budget int) *feedbackDocs {
	return &feedbackDocs{budget: budget, entries: map[string]*list.Element{}}
}

// stems returns the stem counts of h's article, counting them with count
// on a miss. A hit whose record was not read (past the page) is counted
// each time.
func (c *feedbackDocs) stems(h *bsearch.DocumentMatch, count func() (map[string]int, error)) (map[string]int, error) {
	record, ok, err := storedOf(h)
	if err != nil {
		return nil, err
	}
	if !ok {
		return count()
	}
	c.mu.Lock()
	if e, ok := c.entries[record]; ok {
		c.order.MoveToFront(e)
		tf := e.Value.(*feedbackDoc).tf
		c.mu.Unlock()
		return tf, nil
	}
	c.mu.Unlock()
	tf, err := count()
	if err != nil {
		return nil, err
	}
	d := &feedbackDoc{record: record, tf: tf, size: len(record) + 64}
	for t := range tf {
		d.size += len(t) + 48 // the key, its string header and the count, in the map's slots
	}
	if d.size*maxCachedShare > c.budget {
		return tf, nil // a very long article is counted for the search at hand only
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[record]; ok { // counted by another search meanwhile
		c.order.MoveToFront(e)
		return e.Value.(*feedbackDoc).tf, nil
	}
	c.entries[record] = c.order.PushFront(d)
	c.used += d.size
	for c.used > c.budget {
		last := c.order.Back()
		old := last.Value.(*feedbackDoc)
		c.order.Remove(last)
		delete(c.entries, old.record)
		c.used -= old.size
	}
	return tf, nil
}
