package search

import (
	"encoding/binary"
	"hash/maphash"
	"math"

	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/query"
)

// FeedbackSettings are the choices of pseudo-relevance feedback: the
// words that best characterise the top Docs articles (at most Terms of
// them) rerank the matches, Weight the weight of all of them against the
// query's own words.
type FeedbackSettings struct {
	Docs, Terms int
	Weight      float64
}

// Feedback is the feedback every engine applies unless a request turns it
// off, as measured on the judged Reuters queries (docs/relevance.md).
var Feedback = FeedbackSettings{Docs: 5, Terms: 30, Weight: 0.8}

// FeedbackDoc is one of the best-ranked articles as pseudo-relevance
// feedback reads it: its score and its terms' counts.
type FeedbackDoc struct {
	Score float64
	Terms TermCounts
}

// TermCounts are how often the index terms that may expand a query
// (worthFeedback) occur in an article's title and body: the terms in
// increasing order, each count beside it; Length is the article's length
// in terms, those left out included. Sorted, the articles' terms are
// merged without a map. The terms are kept end to end in one string, so
// that the thousands of articles a cache keeps are a few objects each
// for the garbage collector to mark, not one a term.
type TermCounts struct {
	text   string   // the terms, end to end
	ends   []uint32 // where each term ends in text
	Counts []int32
	Length int
}

// CountTerms is the TermCounts of an article's term frequencies tf.
func CountTerms(tf map[string]int) TermCounts {
	var c TermCounts
	var terms []string
	size := 0
	for t, n := range tf {
		c.Length += n
		if worthFeedback(t) {
			terms = append(terms, t)
			size += len(t)
		}
	}
	slices.Sort(terms)
	var text strings.Builder
	text.Grow(size)
	c.ends = make([]uint32, len(terms))
	c.Counts = make([]int32, len(terms))
	for i, t := range terms {
		text.WriteString(t)
		c.ends[i] = uint32(text.Len())
		c.Counts[i] = int32(min(tf[t], math.MaxInt32))
	}
	c.text = text.String()
	return c
}

// Len is the number of terms counted.
func (c TermCounts) Len() int { return len(c.ends) }

// Term is the i-th term in increasing order.
func (c TermCounts) Term(i int) string {
	start := uint32(0)
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.text[start:c.ends[i]]
}

// Bytes is about the memory c takes.
func (c TermCounts) Bytes() int { return len(c.text) + 8*len(c.ends) + 64 }

// Count is how often term occurs (0 if it is not one of the terms).
func (c TermCounts) Count(term string) int {
	if i, ok := sort.Find(c.Len(), func(i int) int { return strings.Compare(term, c.Term(i)) }); ok {
		return int(c.Counts[i])
	}
	return 0
}

// FeedbackTerm is a word that expands a query, with its weight relative
// to the best word's (1).
type FeedbackTerm struct {
	Term   string
	Weight float64
}

// FeedbackTerms picks, in the manner of RM3, the at most n index terms
// that best characterise docs: frequent in them (each article weighted by
// its share of the scores, each term by its share of the article's
// length), in two articles or more, and rare in the archive; none held by
// more than maxShare of the archive's articles when maxShare > 0. asked says
// which terms the query holds already; docFreqs gives, for the
// candidates, the number of articles of the archive (of total) holding
// each. Both engines expand queries with it, so a cluster expands a query
// with the words an embedded index would.
func FeedbackTerms(docs []FeedbackDoc, n int, maxShare float64, asked func(string) bool, docFreqs func([]string) (map[string]int, error), total int) ([]FeedbackTerm, error) {
	if len(docs) < 2 || n <= 0 {
		return nil, nil
	}
	scores := 0.0
	for _, d := range docs {
		scores += d.Score
	}
	// Each article's terms from the first, in one merge of the sorted
	// lists; an article of no length (or scores of none) counts for none.
	shares := make([]float64, len(docs))
	next := make([]int, len(docs))
	for i, d := range docs {
		if d.Terms.Length == 0 || scores <= 0 {
			next[i] = d.Terms.Len()
			continue
		}
		shares[i] = d.Score / scores / float64(d.Terms.Length)
	}
	var cands []FeedbackTerm
	for {
		least, found := "", false
		for i, d := range docs {
			if j := next[i]; j < d.Terms.Len() {
				if t := d.Terms.Term(j); !found || t < least {
					least, found = t, true
				}
			}
		}
		if !found {
			break
		}
		weight, in := 0.0, 0
		for i, d := range docs { // in the articles' order, as a sum is rounded
			if j := next[i]; j < d.Terms.Len() && d.Terms.Term(j) == least {
				weight += shares[i] * float64(d.Terms.Counts[j])
				in++
				next[i]++
			}
		}
		if in >= 2 && !asked(least) {
			cands = append(cands, FeedbackTerm{least, weight})
		}
	}
	byWeight(cands)
	cands = cands[:min(len(cands), 2*n)]
	if len(cands) == 0 {
		return nil, nil
	}
	// Weigh in rarity, so that words every story uses (said, pct) drop out.
	terms := make([]string, len(cands))
	for i, c := range cands {
		terms[i] = c.Term
	}
	df, err := docFreqs(terms)
	if err != nil {
		return nil, err
	}
	for i := range cands {
		f := float64(df[cands[i].Term])
		if maxShare > 0 && f > maxShare*float64(total) {
			cands[i].Weight = 0 // a word of every subject
			continue
		}
		cands[i].Weight *= math.Log(1 + (float64(total)-f+0.5)/(f+0.5))
	}
	cands = slices.DeleteFunc(cands, func(c FeedbackTerm) bool { return c.Weight == 0 })
	byWeight(cands)
	cands = cands[:min(len(cands), n)]
	if len(cands) == 0 || cands[0].Weight <= 0 {
		return nil, nil
	}
	top := cands[0].Weight
	for i := range cands {
		cands[i].Weight /= top
	}
	return cands, nil
}

// byWeight sorts terms by weight, heaviest first, then by term.
func byWeight(terms []FeedbackTerm) {
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].Weight != terms[j].Weight {
			return terms[i].Weight > terms[j].Weight
		}
		return terms[i].Term < terms[j].Term
	})
}

// worthFeedback reports whether an index term may expand a query: a
// word with a letter, of three letters or more; not a number (221,000).
// Engines that mark their stems strip the mark before asking.
func worthFeedback(t string) bool {
	t = strings.TrimLeft(t, StemMarkRunes)
	return utf8.RuneCountInString(t) >= 3 && strings.ContainsFunc(t, unicode.IsLetter)
}

// StemMarkRunes are the characters an engine may put before a stem to
// keep it apart from the word as written (the Bleve index does).
const StemMarkRunes = "\U0010FFFF"

// FeedbackRerank is how many of the best matches feedback reranks. It
// does not depend on the page, so every page size sees one order; past
// it, hits keep the query's own order (their scores are all lower).
const FeedbackRerank = 100

// Dedup bounds: newswires repeat stories word for word (Reuters its
// weekly USDA estimates), and a page of ten copies of one story tells a
// researcher nothing the first did not. DedupTop is how many ranks hold
// no two copies of one story; DedupExtra is how many hits beyond the page
// a ranked search reads to fill the ranks the copies leave.
const (
	DedupTop   = 10
	DedupExtra = 20
)

// CopyKey is what two exact copies of a story share: a 128-bit hash of the
// title and body with their runs of white space made one space (two
// different stories share one with a chance of about 2^-128). Hashed word
// by word, a key costs no copy of the text.
func CopyKey(title, body string) string {
	var a, b maphash.Hash
	a.SetSeed(copySeeds[0])
	b.SetSeed(copySeeds[1])
	for i, text := range []string{title, body} {
		if i > 0 {
			a.WriteByte(0)
			b.WriteByte(0)
		}
		first := true
		for w := range strings.FieldsSeq(text) {
			if !first {
				a.WriteByte(' ')
				b.WriteByte(' ')
			}
			first = false
			a.WriteString(w)
			b.WriteString(w)
		}
	}
	var key [16]byte
	binary.LittleEndian.PutUint64(key[:8], a.Sum64())
	binary.LittleEndian.PutUint64(key[8:], b.Sum64())
	return string(key[:])
}

// copySeeds seed CopyKey's two hashes; keys are compared within a process.
var copySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// DemoteCopies returns the order of n ranked hits once each hit among the
// first DedupTop that repeats a hit above it (same key) is moved to just
// below them, in rank order; the other hits keep their places. key gives
// a hit's CopyKey, or ok false for a hit past those a page may show,
// which ends the search for copies. moved is how many ranks from the top
// are not in score order (0 when no copy moved, and order is nil).
func DemoteCopies(n int, key func(i int) (string, bool, error)) (order []int, moved int, err error) {
	seen := map[string]bool{}
	var head, copies []int
	i := 0
	for ; i < n && len(head) < DedupTop; i++ {
		k, ok, err := key(i)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			break
		}
		if seen[k] {
			copies = append(copies, i)
			continue
		}
		seen[k] = true
		head = append(head, i)
	}
	if len(copies) == 0 {
		return nil, 0, nil
	}
	order = make([]int, 0, n)
	order = append(order, head...)
	order = append(order, copies...)
	for j := i; j < n; j++ {
		order = append(order, j)
	}
	return order, i, nil
}

// Fillable reports whether feedback may add, after a query's own matches,
// articles that hold only some of its words: an AND of two plain words or
// more of the text fields, with any filters, date ranges and exclusions,
// which the added articles meet too. A +word or a phrase asks for exactly
// that; alternatives, prefixes and fuzzy words say their own breadth.
// Engines add at most FeedbackRerank hits in all, and only to a query
// that matched fewer.
func Fillable(n query.Node) bool {
	a, ok := n.(query.And)
	if !ok {
		return false
	}
	words := 0
	for _, n := range a.Nodes {
		switch n := n.(type) {
		case query.Term:
			if n.Field == "quote" || n.Required {
				return false
			}
			words++
		case query.Filter, query.DateRange, query.Not:
		default:
			return false
		}
	}
	return words >= 2
}
