package index

import (
	"hash/maphash"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Exact duplicates: newswires repeat stories word for word (Reuters its
// weekly USDA estimates), and a page of ten copies of one story tells a
// researcher nothing the first did not. dedupTop is how many ranks hold no
// two copies of one story; dedupExtra is how many hits beyond the page a
// ranked search keeps to fill the ranks the copies leave.
const (
	dedupTop   = 10
	dedupExtra = 20
)

var dedupSeed = maphash.MakeSeed()

// demoteCopies moves each hit among the first dedupTop that repeats the
// title and body of a hit above it to just below them, in rank order;
// the other hits keep their places.
func demoteCopies(hits []*bsearch.DocumentMatch) ([]*bsearch.DocumentMatch, error) {
	seen := map[uint64]bool{}
	var head, copies []*bsearch.DocumentMatch
	i := 0
	for ; i < len(hits) && len(head) < dedupTop; i++ {
		h := hits[i]
		stored, _ := h.Fields[fStored].(string)
		a, err := decodeArticle(h.ID, stored)
		if err != nil {
			return nil, err
		}
		key := maphash.String(dedupSeed, strings.Join(strings.Fields(a.Title), " ")+"\x00"+strings.Join(strings.Fields(a.Body), " "))
		if seen[key] {
			copies = append(copies, h)
			continue
		}
		seen[key] = true
		head = append(head, h)
	}
	if len(copies) == 0 {
		return hits, nil
	}
	out := make([]*bsearch.DocumentMatch, 0, len(hits))
	out = append(out, head...)
	out = append(out, copies...)
	return append(out, hits[i:]...), nil
}
