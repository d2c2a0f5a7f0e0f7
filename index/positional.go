package index

import (
	"bytes"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/registry"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Title and body are each indexed once, in one positional field that holds
// every word as written (folded and lower-cased) and, at the same
// position, its stem marked by stemMark. Phrases, slop, prefixes and fuzzy
// words read the exact words; ranked terms read the marked stems. Each text
// is tokenized once and the two kinds share one field's postings
// structure, where two fields used to analyse and index it twice.
//
// stemMark starts every stem. It is three times U+10FFFF, a noncharacter
// that no word holds: a marked stem can never equal a word, a prefix of
// words never reaches one, nor can a fuzzy word, which is at most two
// edits from what it matches. (A single invalid byte would be shorter, but
// Bleve's fuzzy automaton lets such terms through.) U+10FFFF is the
// highest code point, so marked stems sort after every word in the term
// dictionary; shared by them all, the prefix costs the dictionary little.
const stemMark = "\U0010FFFF\U0010FFFF\U0010FFFF"

// isStem reports whether an indexed term is a marked stem.
func isStem(term string) bool { return strings.HasPrefix(term, stemMark) }

// markStem is the indexed form of a stem.
func markStem(stem []byte) []byte {
	out := make([]byte, len(stemMark)+len(stem))
	copy(out, stemMark)
	copy(out[len(stemMark):], stem)
	return out
}

const (
	stemMarkFilter   = "folio_stem_mark"
	stemRepeatFilter = "folio_stem_repeat"
)

// stemMarkTokenFilter marks every token as a stem: the last filter of the
// stemming analyzer, so that queries and snippets compare marked stems
// with marked stems.
type stemMarkTokenFilter struct{}

func (stemMarkTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = markStem(t.Term)
	}
	return in
}

// stemRepeatTokenFilter keeps each (folded, lower-cased) token and adds
// after it, at the same position, its marked stem, unless it is a stop
// word or the word is its own stem. The stem is what the stemming analyzer
// makes of the token (wordStem).
//
// A word that is its own stem ("oil", "aliyev", "221,000") has no stem
// posting: a ranked term reads the word's own posting beside its marked
// stem's (stemunion.go), which then holds only the other forms ("oils").
// On Reuters these were 58% of the stem postings' bytes, each the repeat
// of a word's posting; leaving them out takes 8% off the index.
type stemRepeatTokenFilter struct {
	stems *stemCache // marked stems by word, nil for a stop word
}

// ownStem marks an exact token that is its own stem: the position holds
// a stem that is not indexed apart.
const ownStem analysis.TokenType = 1 << 10

func newStemRepeatTokenFilter() stemRepeatTokenFilter {
	return stemRepeatTokenFilter{stems: wordStems}
}

// wordStems caches wordStem for every positional analysis and stemCounter.
var wordStems = newStemCache(wordStem)

var possessive = en.NewPossessiveFilter()

// wordStem is the marked stem of an exact word, nil for a stop word: the
// possessive dropped, Snowball's English stem.
func wordStem(word []byte) []byte {
	t := analysis.Token{Term: word}
	possessive.Filter(analysis.TokenStream{&t})
	if stopWords[string(t.Term)] {
		return nil
	}
	return markStem(snowballStem(t.Term))
}

// isOwnStem reports whether the exact word is its own stem, so that its
// postings count for the marked stem stem (which has no posting of the
// word's own).
func isOwnStem(stem []byte) bool {
	word := stem[len(stemMark):]
	s := wordStem(word)
	return s != nil && bytes.Equal(s[len(stemMark):], word)
}

func (f stemRepeatTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(in))
	stems := make([]analysis.Token, 0, len(in)) // never grown: out points into it
	for _, t := range in {
		out = append(out, t)
		s := f.stems.stem(t.Term)
		switch {
		case s == nil:
		case bytes.Equal(s[len(stemMark):], t.Term):
			t.Type = ownStem
		default:
			stems = append(stems, *t)
			st := &stems[len(stems)-1]
			st.Term = s
			out = append(out, st)
		}
	}
	return out
}

func init() {
	registry.RegisterTokenFilter(stemMarkFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return stemMarkTokenFilter{}, nil
	})
	registry.RegisterTokenFilter(stemRepeatFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return newStemRepeatTokenFilter(), nil
	})
}

// positionalField is a text field analysed by the positional analyzer,
// indexed as Bleve would index it but for three things. Its length, which
// BM25 reads for both kinds of term, counts each position that holds a
// stem once, that is the words but the stop words: the length by which
// the stemmed field ranked, so ranked terms score as they did (counting
// the stop words too ranked the judged Reuters queries worse), and the
// word beside each stem is not counted again. Only the exact words keep
// their positions: no query reads the positions of stems. And a word's
// positions in the field are packed into one location (packPositions).
type positionalField struct {
	name     string
	value    []byte
	analyzer analysis.Analyzer
	packed   bool // one location per word (packPositions), else one per position
	length   int
	freqs    bindex.TokenFrequencies
}

// Positions only: phrases need no offsets (snippets find theirs by
// analysing the stored text), and nothing is stored or kept as doc values.
const positionalOptions = bindex.IndexField | bindex.IncludeTermVectors

func newPositionalField(name, text string, a analysis.Analyzer, packed bool) *positionalField {
	return &positionalField{name: name, value: []byte(text), analyzer: a, packed: packed}
}

func (f *positionalField) Analyze() {
	tokens := f.analyzer.Analyze(f.value)
	f.freqs = make(bindex.TokenFrequencies, len(tokens)/2+1)
	f.length = 0
	// One allocation each for the terms and the locations, not one per token.
	terms := make([]bindex.TokenFreq, 0, len(tokens))
	locs := make([]bindex.TokenLocation, 0, len(tokens))
	for _, t := range tokens {
		tf := f.freqs[string(t.Term)]
		if tf == nil {
			terms = append(terms, bindex.TokenFreq{Term: t.Term})
			tf = &terms[len(terms)-1]
			f.freqs[string(t.Term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		if bytes.HasPrefix(t.Term, []byte(stemMark)) {
			f.length++
			continue
		}
		if t.Type == ownStem {
			f.length++
		}
		locs = append(locs, bindex.TokenLocation{Position: t.Position})
		tf.Locations = append(tf.Locations, &locs[len(locs)-1])
	}
	if f.packed {
		packPositions(terms, len(locs))
	}
}

// packPositions rewrites each word's locations, one per position, as one
// location that holds them all. Bleve's segment writes five numbers for
// every location (field, position, start, end, count of array positions),
// and Folio needs only the position: the packed location carries the first
// position in Position, the gap to the second in Start, the gap to the
// third in End and the gaps to the rest as array positions. Positions
// were a third of the index, most of them repeated words; a word met ten
// times in an article now costs about a third of the bytes. Gaps are at
// least one, so a zero Start or End means no more positions, and a
// location of an older index, one position each, reads as it is
// (appendPositions).
func packPositions(terms []bindex.TokenFreq, positions int) {
	gaps := make([]uint64, 0, positions) // one allocation for every word's array positions
	for i := range terms {
		tf := &terms[i]
		if len(tf.Locations) < 2 {
			continue
		}
		first := tf.Locations[0]
		prev := first.Position
		for k, l := range tf.Locations[1:] {
			gap := l.Position - prev
			prev = l.Position
			switch k {
			case 0:
				first.Start = gap
			case 1:
				first.End = gap
			default:
				gaps = append(gaps, uint64(gap))
			}
		}
		if n := len(tf.Locations) - 3; n > 0 {
			first.ArrayPositions = gaps[len(gaps)-n : len(gaps) : len(gaps)]
		}
		tf.Locations = tf.Locations[:1]
	}
}

// appendPositions appends to ps the positions that a word's term vectors
// hold in one document, packed (packPositions) or one per location.
func appendPositions(ps []uint64, vectors []*bindex.TermFieldVector) []uint64 {
	for _, v := range vectors {
		p := v.Pos
		ps = append(ps, p)
		if v.Start == 0 {
			continue
		}
		p += v.Start
		ps = append(ps, p)
		if v.End == 0 {
			continue
		}
		p += v.End
		ps = append(ps, p)
		for _, gap := range v.ArrayPositions {
			p += gap
			ps = append(ps, p)
		}
	}
	return ps
}

func (f *positionalField) Name() string                                      { return f.name }
func (f *positionalField) ArrayPositions() []uint64                          { return nil }
func (f *positionalField) Options() bindex.FieldIndexingOptions              { return positionalOptions }
func (f *positionalField) Value() []byte                                     { return f.value }
func (f *positionalField) NumPlainTextBytes() uint64                         { return uint64(len(f.value)) }
func (f *positionalField) EncodedFieldType() byte                            { return 't' }
func (f *positionalField) AnalyzedLength() int                               { return f.length }
func (f *positionalField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }
func (f *positionalField) Size() int                                         { return 64 + len(f.value) + f.freqs.Size() }

var _ document.Field = (*positionalField)(nil)
