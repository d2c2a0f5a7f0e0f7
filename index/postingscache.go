package index

import (
	"slices"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// postingsCache keeps the postings of feedback words decoded, segment by
// segment. A feedback search scores its hundred hits for thirty words,
// and Bleve reaches a document only by walking every posting before it:
// that walk was a third of a feedback search's CPU at 20,000 articles.
// Decoded once, a word's postings answer every later search by binary
// search, and the words of feedback recur from search to search (the
// archive's vocabulary of a subject). A segment never changes, so an
// entry is true for as long as its segment lives; those of segments
// merged away are the least recently used and go first. Deleted
// documents are kept: only live hits are ever looked up.
type postingsCache struct {
	byteLRU[postingsKey, *decodedPostings]
}

// postingsCacheBytes bounds each index's cache: at 12 bytes a posting,
// some 5.6 million postings (at a million articles the feedback words'
// lists are mostly read from the stored text instead, feedback.go).
const postingsCacheBytes = 64 << 20

type postingsKey struct {
	segment     uint64 // the segment's ID, unique for the life of an index
	field, term string
}

// decodedPostings is one term's postings in one segment, in document
// order. The norm is kept as Bleve keeps it (a float32).
type decodedPostings struct {
	docs  []uint32
	freqs []uint32
	norms []float32
}

// bytesPerPosting is what a decodedPostings holds per posting.
const bytesPerPosting = 12

func newPostingsCache(budget int) *postingsCache {
	return &postingsCache{newByteLRU[postingsKey, *decodedPostings](budget)}
}

// get returns the decoded postings of key, decoding them with decode on a
// miss. walked is how many postings were decoded (0 on a hit).
func (c *postingsCache) get(key postingsKey, decode func() (*decodedPostings, error)) (p *decodedPostings, walked int, err error) {
	p, made, err := c.byteLRU.get(key, func() (*decodedPostings, int, error) {
		p, err := decode()
		if err != nil {
			return nil, 0, err
		}
		return p, p.size(), nil
	})
	if err != nil || !made {
		return p, 0, err
	}
	return p, len(p.docs), nil
}

// holds reports whether every one of segments has term's postings in
// field decoded.
func (c *postingsCache) holds(segments []uint64, field, term string) bool {
	for _, seg := range segments {
		if !c.byteLRU.holds(postingsKey{segment: seg, field: field, term: term}) {
			return false
		}
	}
	return true
}

func (p *decodedPostings) size() int { return bytesPerPosting*len(p.docs) + 64 }

// find is the index in p of local document doc, or -1; from is where
// to start looking (the documents looked up come in ascending order).
func (p *decodedPostings) find(doc uint32, from int) (at, next int) {
	i, found := slices.BinarySearch(p.docs[from:], doc)
	if i += from; found {
		return i, i + 1
	}
	return -1, i
}

// decodePostings reads the postings of each of terms (one at least) in
// dict as one list: a document in several has their frequencies summed
// (the union of a word that is its own stem with its stem's other forms,
// stemunion.go).
func decodePostings(dict segment.TermDictionary, terms ...[]byte) (*decodedPostings, error) {
	var lists []*decodedPostings
	for _, t := range terms {
		pl, err := dict.PostingsList(t, nil, nil)
		if err != nil {
			return nil, err
		}
		p := &decodedPostings{}
		if pl != nil && pl.Count() > 0 {
			n := int(pl.Count())
			p.docs, p.freqs, p.norms = make([]uint32, 0, n), make([]uint32, 0, n), make([]float32, 0, n)
			it := pl.Iterator(true, true, false, nil)
			for {
				posting, err := it.Next()
				if err != nil {
					return nil, err
				}
				if posting == nil {
					break
				}
				p.docs = append(p.docs, uint32(posting.Number()))
				p.freqs = append(p.freqs, uint32(posting.Frequency()))
				p.norms = append(p.norms, float32(posting.Norm()))
			}
		}
		lists = append(lists, p)
	}
	u := lists[0]
	for _, l := range lists[1:] {
		u = mergePostings(u, l)
	}
	return u, nil
}

// mergePostings is the union of a and b, frequencies summed where both
// hold a document (one field: the same norm).
func mergePostings(a, b *decodedPostings) *decodedPostings {
	n := len(a.docs) + len(b.docs)
	u := &decodedPostings{docs: make([]uint32, 0, n), freqs: make([]uint32, 0, n), norms: make([]float32, 0, n)}
	i, j := 0, 0
	for i < len(a.docs) || j < len(b.docs) {
		switch {
		case j == len(b.docs) || (i < len(a.docs) && a.docs[i] < b.docs[j]):
			u.docs, u.freqs, u.norms = append(u.docs, a.docs[i]), append(u.freqs, a.freqs[i]), append(u.norms, a.norms[i])
			i++
		case i == len(a.docs) || b.docs[j] < a.docs[i]:
			u.docs, u.freqs, u.norms = append(u.docs, b.docs[j]), append(u.freqs, b.freqs[j]), append(u.norms, b.norms[j])
			j++
		default:
			u.docs, u.freqs, u.norms = append(u.docs, a.docs[i]), append(u.freqs, a.freqs[i]+b.freqs[j]), append(u.norms, a.norms[i])
			i++
			j++
		}
	}
	return u
}
