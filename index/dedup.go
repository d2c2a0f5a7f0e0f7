package index

import (
	"encoding/base64"
	"hash/maphash"
	"strconv"
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
// the other hits keep their places. It returns how many ranks from the
// top are not in score order (0 when no copy moved).
func demoteCopies(hits []*bsearch.DocumentMatch) ([]*bsearch.DocumentMatch, int, error) {
	seen := map[uint64]bool{}
	var head, copies []*bsearch.DocumentMatch
	i := 0
	for ; i < len(hits) && len(head) < dedupTop; i++ {
		h := hits[i]
		if _, ok := h.Fields[fStored].(string); !ok {
			break // past the hits a page may show
		}
		a, err := matchArticle(h)
		if err != nil {
			return nil, 0, err
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
		return hits, 0, nil
	}
	out := make([]*bsearch.DocumentMatch, 0, len(hits))
	out = append(out, head...)
	out = append(out, copies...)
	return append(out, hits[i:]...), i, nil
}

// A rank cursor continues a relevance order from a rank among those that
// demoting copies reordered, where a score cannot say what comes next:
// "r" and the rank, base64 encoded like the parts of a score cursor. It
// pages as Page does, so it is good only while the ranking stays as it
// was; past the reordered ranks, cursors are scores again.
const maxCursorRank = 10000

func rankCursor(rank int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("r" + strconv.Itoa(rank)))
}

// decodeRankCursor returns the rank of a rank cursor; ok is false for
// any other cursor, which is then decoded as usual.
func decodeRankCursor(s string) (rank int, ok bool, err error) {
	if strings.Contains(s, ".") {
		return 0, false, nil
	}
	v, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(v) < 2 || v[0] != 'r' {
		return 0, false, nil
	}
	rank, err = strconv.Atoi(string(v[1:]))
	if err != nil || rank <= 0 || rank > maxCursorRank {
		return 0, false, errBadCursor
	}
	return rank, true, nil
}
