package index

import (
	"encoding/base64"
	"strconv"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/folio-search/folio/internal/search"
)

// demoteCopies moves each hit among the first search.DedupTop that
// repeats the title and body of a hit above it to just below them
// (search.DemoteCopies). It returns how many ranks from the top are not
// in score order (0 when no copy moved).
func demoteCopies(hits []*bsearch.DocumentMatch) ([]*bsearch.DocumentMatch, int, error) {
	order, moved, err := search.DemoteCopies(len(hits), func(i int) (string, bool, error) {
		if !mayShow(hits[i]) {
			return "", false, nil // past the hits a page may show
		}
		key, err := matchCopyKey(hits[i])
		return key, err == nil, err
	})
	if err != nil || order == nil {
		return hits, 0, err
	}
	out := make([]*bsearch.DocumentMatch, len(order))
	for i, j := range order {
		out[i] = hits[j]
	}
	return out, moved, nil
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
