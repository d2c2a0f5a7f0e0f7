package index

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/folio-search/folio/internal/facet"
)

// BM25 needs the average length of each field. Bleve estimates it from the
// size of the field's term dictionary, which is not a length at all and
// changes as segments merge, so one article's score would drift between
// two pages of the same search and cursors would skip or repeat hits.
// Folio keeps its own running word counts instead, written atomically with
// each batch, and hands them to Bleve's scorer with every search.

// statsKeyOf is where the totals of a writer slot are stored.
func statsKeyOf(slot int) []byte {
	if slot == 0 {
		return []byte("folio_stats")
	}
	return []byte("folio_stats." + strconv.Itoa(slot))
}

// lengthStats are running totals over every article ever written.
// Re-ingested articles count again, which leaves the averages right.
// A text field's length counts its words but stop words (positional.go).
type lengthStats struct {
	Docs       int64 `json:"docs"`
	TitleTerms int64 `json:"title_terms"`
	BodyTerms  int64 `json:"body_terms"`
}

var stopWords = func() analysis.TokenMap {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err) // the list is compiled in
	}
	return m
}()

// countTerms counts the words of s that are not stop words.
func countTerms(s string) (terms int64) {
	start := -1
	var lower [16]byte // longer than any stop word
	count := func(word string) {
		if !isStopWord(word, lower[:0]) {
			terms++
		}
	}
	for i, r := range s {
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
		if isWord && start < 0 {
			start = i
		} else if !isWord && start >= 0 {
			count(s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		count(s[start:])
	}
	return terms
}

// isStopWord reports whether word, lower-cased, is a stop word; an ASCII
// word is lower-cased into buf, which saves an allocation a word.
func isStopWord(word string, buf []byte) bool {
	if len(word) > cap(buf) {
		return stopWords[strings.ToLower(word)] // no stop word is this long, but for case mappings that shrink
	}
	for i := 0; i < len(word); i++ {
		b := word[i]
		if b >= utf8.RuneSelf {
			return stopWords[strings.ToLower(word)]
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf = append(buf, b)
	}
	return stopWords[string(buf)]
}

func (s *lengthStats) add(title, body string) {
	s.Docs++
	s.TitleTerms += countTerms(title)
	s.BodyTerms += countTerms(body)
}

func (s *lengthStats) plus(o lengthStats) {
	s.Docs += o.Docs
	s.TitleTerms += o.TitleTerms
	s.BodyTerms += o.BodyTerms
}

func (ix *Index) loadStats() error {
	ix.slots = make(chan int, maxWriters)
	for slot := range maxWriters {
		ix.slots <- slot
		v, err := ix.bleve.GetInternal(statsKeyOf(slot))
		if err != nil {
			return err
		}
		if v != nil {
			if err := json.Unmarshal(v, &ix.slotStats[slot]); err != nil {
				return fmt.Errorf("length statistics: %w", err)
			}
		}
		ix.stats.plus(ix.slotStats[slot])
	}
	return nil
}

// withBM25Stats gives Bleve's scorer Folio's field lengths: it divides the
// "cardinality" by the document count to get the average length.
func (ix *Index) withBM25Stats(ctx context.Context) context.Context {
	ix.statsMu.RLock()
	s := ix.stats
	ix.statsMu.RUnlock()
	docs, err := ix.bleve.DocCount()
	if err != nil || docs == 0 || s.Docs == 0 {
		return ctx
	}
	scale := func(total int64) int {
		return int(float64(total) / float64(s.Docs) * float64(docs))
	}
	// Both kinds of term of a text field read the same length.
	card := map[string]int{fTitle: scale(s.TitleTerms), fBody: scale(s.BodyTerms)}
	// Keyword and date fields are only filtered on; any stable length will
	// do, and Bleve refuses a search that lacks one.
	for _, f := range facet.All {
		card[f.Field], card[keyField(f.Field)] = int(docs), int(docs)
	}
	for _, f := range []string{fYear, fMonth, fDay, fDate, fSortDate} {
		card[f] = int(docs)
	}
	return context.WithValue(ctx, bsearch.BM25StatsKey, &bsearch.BM25Stats{DocCount: float64(docs), FieldCardinality: card})
}
