package index

import (
	"context"
	"fmt"

	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/search"
)

// DefaultMaxExpansions is the number of index terms the prefix and fuzzy
// words of one query may expand to when Request.MaxExpansions is 0.
//
// A search over an expanded word runs one term searcher per index term,
// merged in a heap, so its time grows with the terms and their postings:
// on Reuters-21578, co* (2,052 terms over title and body) answers in
// 0.05 s, and 50 OR'd two-letter prefixes (35,000 terms) took 1.4-1.9 s
// and 46 MB before any limit. Fuzzy words cost more per term than
// prefixes: their terms are common words' neighbours, with long postings,
// merged in one heap per word. Four fuzzy words of three or four letters
// at distance 2 (3,929 terms) take 0.4 s with 100 hits of ten snippets,
// so 4,000 terms keep eight such searches at once on two cores within
// the 5 s deadline, while every single prefix of two letters and every
// fuzzy word tried there fits.
const DefaultMaxExpansions = 4000

// expansions counts, before any searcher is built, the index terms that a
// query's prefix and fuzzy words expand to (in each field they search),
// including the words the spelling fallback retries fuzzily, against the
// request's budget. Bleve's prefix and fuzzy searchers walk the same term
// dictionaries; the count stops as soon as the budget is spent.
type expansions struct {
	ctx     context.Context
	r       bindex.IndexReader
	max     int
	used    int
	counted map[string]int // field, kind and word -> terms, counted once
	meter   *meter
	err     error // a failure of the index or the context, not of the request
}

func newExpansions(ctx context.Context, r bindex.IndexReader, max int) *expansions {
	if max <= 0 {
		max = DefaultMaxExpansions
	}
	return &expansions{ctx: ctx, r: r, max: max, counted: map[string]int{}, meter: newMeter(ctx)}
}

// prefix charges the terms of field that start with text.
func (e *expansions) prefix(field, text string) error {
	key := field + "\x00*\x00" + text
	if _, ok := e.counted[key]; ok {
		return nil
	}
	dict, err := e.r.FieldDictPrefix(field, []byte(text))
	if err != nil {
		return e.fail(err)
	}
	return e.charge(key, text+"*", dict, nil)
}

// fuzzy charges the terms of field within distance edits of text, and
// shows each to visit if it is not nil.
func (e *expansions) fuzzy(field, text string, distance int, visit func(*bindex.DictEntry)) error {
	if distance == 0 {
		return nil // a plain term
	}
	key := fmt.Sprintf("%s\x00~%d\x00%s", field, distance, text)
	if _, ok := e.counted[key]; ok && visit == nil {
		return nil
	}
	fz, ok := e.r.(bindex.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	dict, err := fz.FieldDictFuzzy(field, text, distance, "")
	if err != nil {
		return e.fail(err)
	}
	return e.charge(key, fmt.Sprintf("%s~%d", text, distance), dict, visit)
}

func (e *expansions) fail(err error) error {
	e.err = err
	return err
}

// charge counts the entries of dict against the budget, unless key was
// counted before.
func (e *expansions) charge(key, word string, dict bindex.FieldDict, visit func(*bindex.DictEntry)) error {
	defer dict.Close()
	_, free := e.counted[key]
	n := 0
	for {
		entry, err := dict.Next()
		if err != nil {
			return e.fail(err)
		}
		if entry == nil {
			break
		}
		if visit != nil {
			visit(entry)
		}
		n++
		if !free && e.used+n > e.max {
			return &search.BadRequestError{Code: "query_too_complex", Msg: fmt.Sprintf(
				"the query's prefix and fuzzy words match more than %d index terms (search.max_expansions), %s among them; "+
					"use longer prefixes, a smaller fuzzy distance (word~1) or fewer such words", e.max, word)}
		}
		if n%1024 == 0 {
			if err := e.meter.check(); err != nil {
				return e.fail(err)
			}
		}
	}
	if free {
		return nil
	}
	e.used += n
	e.counted[key] = n
	if e.meter.cost != nil {
		e.meter.cost.terms.Add(int64(n))
	}
	return nil
}
