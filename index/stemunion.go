package index

import (
	"context"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A word that is its own stem has no stem posting (positional.go): its
// marked stem's postings hold the other forms only. A ranked term reads
// both, and together they are what one stem posting of every form would
// be: the same documents, frequencies summed, the same norm (one field,
// one length).

// stemReader opens the postings of the marked stem term in field: the
// stem's own, or their union with those of the word that is that stem.
func stemReader(ctx context.Context, r bindex.IndexReader, field, term string, includeFreq, includeNorm bool) (bindex.TermFieldReader, error) {
	stem, err := r.TermFieldReader(ctx, []byte(term), field, includeFreq, includeNorm, false)
	if err != nil || !isStem(term) || !isOwnStem([]byte(term)) {
		return stem, err
	}
	word, err := r.TermFieldReader(ctx, []byte(term[len(stemMark):]), field, includeFreq, includeNorm, false)
	if err != nil {
		stem.Close()
		return nil, err
	}
	switch {
	case word.Count() == 0:
		word.Close()
		return stem, nil
	case stem.Count() == 0:
		stem.Close()
		return word, nil
	}
	count, err := cachedDocCount(r, field, term, func() (uint64, error) { return unionCount(ctx, r, field, term) })
	if err != nil {
		stem.Close()
		word.Close()
		return nil, err
	}
	return &unionReader{a: stem, b: word, count: count}, nil
}

// stemDocCount is how many documents hold the marked stem term in field,
// kept for the snapshot it was counted on.
func stemDocCount(ctx context.Context, r bindex.IndexReader, field, term string) (uint64, error) {
	return cachedDocCount(r, field, term, func() (uint64, error) {
		if isStem(term) && isOwnStem([]byte(term)) {
			return unionCount(ctx, r, field, term)
		}
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, err
		}
		defer tfr.Close()
		return tfr.Count(), nil
	})
}

// docCounts keeps the document counts made on the latest snapshot: a
// snapshot never changes, and the words of news queries and of feedback
// recur (feedback weighs some sixty candidate words a search by their
// counts). The snapshot is held as the key, so its address is not reused
// while its counts are kept; a count made on another starts the table
// again.
var docCounts struct {
	sync.Mutex
	snap   *scorch.IndexSnapshot
	counts map[string]uint64 // by field, NUL, term
}

// maxDocCounts bounds the table (a few megabytes).
const maxDocCounts = 1 << 16

// cachedDocCount is count's document count of term in field, kept for
// r's snapshot.
func cachedDocCount(r bindex.IndexReader, field, term string, count func() (uint64, error)) (uint64, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return count()
	}
	key := field + "\x00" + term
	docCounts.Lock()
	n, ok := docCounts.counts[key]
	ok = ok && docCounts.snap == snap
	docCounts.Unlock()
	if ok {
		return n, nil
	}
	n, err := count()
	if err != nil {
		return 0, err
	}
	docCounts.Lock()
	if docCounts.snap != snap || len(docCounts.counts) >= maxDocCounts {
		docCounts.snap, docCounts.counts = snap, map[string]uint64{}
	}
	docCounts.counts[key] = n
	docCounts.Unlock()
	return n, nil
}

// unionCount counts the documents that hold the marked stem term or the
// word that is that stem, from the segments' bitmaps: the union's size is
// the stem's document frequency, which BM25 needs before the first match.
// The deleted documents are taken off the union once, not off each list.
func unionCount(ctx context.Context, r bindex.IndexReader, field, term string) (uint64, error) {
	terms := [][]byte{[]byte(term), []byte(term[len(stemMark):])}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return unionCountByWalk(ctx, r, field, term)
	}
	var n uint64
	for _, ss := range snap.Segments() {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return 0, err
		}
		var lists [2]*roaring.Bitmap
		for i, t := range terms {
			pl, err := d.PostingsList(t, nil, nil)
			if err != nil {
				return 0, err
			}
			if pl == nil || pl.Count() == 0 {
				continue
			}
			it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
			if !ok {
				return unionCountByWalk(ctx, r, field, term)
			}
			if doc, ok := it.DocNum1Hit(); ok {
				lists[i] = roaring.BitmapOf(uint32(doc))
			} else {
				lists[i] = it.ActualBitmap()
			}
		}
		n += liveUnion(lists[0], lists[1], ss.Deleted())
	}
	return n, nil
}

// liveUnion is the size of a ∪ b without the documents of del. Either
// list may be nil.
func liveUnion(a, b, del *roaring.Bitmap) uint64 {
	if a == nil {
		a, b = b, a
	}
	if a == nil {
		return 0
	}
	u := a
	if b != nil {
		u = roaring.Or(a, b)
	}
	n := u.GetCardinality()
	if del != nil {
		n -= u.AndCardinality(del)
	}
	return n
}

// unionCountByWalk counts the union by reading it, for an index reader
// whose segments cannot be seen.
func unionCountByWalk(ctx context.Context, r bindex.IndexReader, field, term string) (uint64, error) {
	a, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	b, err := r.TermFieldReader(ctx, []byte(term[len(stemMark):]), field, false, false, false)
	if err != nil {
		a.Close()
		return 0, err
	}
	u := &unionReader{a: a, b: b}
	defer u.Close()
	var n uint64
	var d bindex.TermFieldDoc
	for {
		tfd, err := u.Next(&d)
		if err != nil || tfd == nil {
			return n, err
		}
		n++
	}
}

// unionReader reads two postings lists of one field as one, in document
// order; a document in both has the sum of the frequencies.
type unionReader struct {
	a, b    bindex.TermFieldReader
	da, db  bindex.TermFieldDoc
	ca, cb  *bindex.TermFieldDoc // the next document of each, nil past the end
	started bool
	count   uint64
}

func (u *unionReader) start() error {
	if u.started {
		return nil
	}
	u.started = true
	var err error
	if u.ca, err = u.a.Next(&u.da); err != nil {
		return err
	}
	u.cb, err = u.b.Next(&u.db)
	return err
}

func (u *unionReader) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if err := u.start(); err != nil {
		return nil, err
	}
	return u.take(pre)
}

func (u *unionReader) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	var err error
	if !u.started {
		u.started = true
		if u.ca, err = u.a.Advance(id, &u.da); err != nil {
			return nil, err
		}
		if u.cb, err = u.b.Advance(id, &u.db); err != nil {
			return nil, err
		}
		return u.take(pre)
	}
	if u.ca != nil && u.ca.ID.Compare(id) < 0 {
		if u.ca, err = u.a.Advance(id, &u.da); err != nil {
			return nil, err
		}
	}
	if u.cb != nil && u.cb.ID.Compare(id) < 0 {
		if u.cb, err = u.b.Advance(id, &u.db); err != nil {
			return nil, err
		}
	}
	return u.take(pre)
}

// take returns the first of the two current documents, merged when both
// are the same, and moves past it.
func (u *unionReader) take(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if u.ca == nil && u.cb == nil {
		return nil, nil
	}
	c := 0
	switch {
	case u.ca == nil:
		c = 1
	case u.cb == nil:
		c = -1
	default:
		c = u.ca.ID.Compare(u.cb.ID)
	}
	if pre == nil {
		pre = &bindex.TermFieldDoc{}
	}
	from := u.ca
	if c > 0 {
		from = u.cb
	}
	pre.Term, pre.Norm, pre.Freq, pre.Vectors = from.Term, from.Norm, from.Freq, nil
	pre.ID = append(pre.ID[:0], from.ID...)
	if c == 0 {
		pre.Freq += u.cb.Freq
	}
	var err error
	if c <= 0 {
		if u.ca, err = u.a.Next(&u.da); err != nil {
			return nil, err
		}
	}
	if c >= 0 {
		if u.cb, err = u.b.Next(&u.db); err != nil {
			return nil, err
		}
	}
	return pre, nil
}

func (u *unionReader) Count() uint64 { return u.count }
func (u *unionReader) Size() int     { return u.a.Size() + u.b.Size() + 64 }

func (u *unionReader) Close() error {
	errA, errB := u.a.Close(), u.b.Close()
	if errA != nil {
		return errA
	}
	return errB
}
