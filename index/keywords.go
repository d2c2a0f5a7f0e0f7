package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// keywordsField is a list of keywords as one field. Bleve maps a list to
// a field for each value, analysed and merged one by one into the
// document's postings; a quote record's list of articles grows with every
// copy of the quote, and those fields were most of what indexing a record
// cost. Bleve's segment builder adds the fields of one name together
// (their lengths summed, their terms' frequencies merged), so one field
// holding every value, with its length the number of values, is indexed
// exactly as the list was. Only for keyword fields without term vectors,
// doc values or stored values, where no position or value is kept apart.
type keywordsField struct {
	name    string
	values  []string
	options bindex.FieldIndexingOptions
	freqs   bindex.TokenFrequencies
	bytes   int
}

// newKeywordsField is the field of values under name, indexed with the
// options name has in m. It refuses a field of any other kind.
func newKeywordsField(m mapping.IndexMapping, name string, values []string) (*keywordsField, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	var fm *mapping.FieldMapping
	if ok && im.DefaultMapping != nil {
		if dm := im.DefaultMapping.Properties[name]; dm != nil && len(dm.Fields) == 1 {
			fm = dm.Fields[0]
		}
	}
	if fm == nil || fm.Type != "text" || fm.Analyzer != "" && fm.Analyzer != "keyword" {
		return nil, fmt.Errorf("index: %s is not a keyword field of the mapping", name)
	}
	opts := fm.Options()
	if !opts.IsIndexed() || opts.IsStored() || opts.IncludeTermVectors() || opts.IncludeDocValues() {
		return nil, fmt.Errorf("index: keyword field %s keeps more than its terms", name)
	}
	if analyzer := fm.Analyzer; analyzer == "" && im.DefaultAnalyzer != "keyword" {
		return nil, fmt.Errorf("index: keyword field %s has analyzer %q", name, im.DefaultAnalyzer)
	}
	f := &keywordsField{name: name, values: values, options: opts}
	for _, v := range values {
		f.bytes += len(v)
	}
	return f, nil
}

// Analyze makes each value one term, as the keyword analyzer does (an
// empty value too), counted as Bleve counts a term of a list.
func (f *keywordsField) Analyze() {
	f.freqs = make(bindex.TokenFrequencies, len(f.values))
	for _, v := range f.values {
		tf := f.freqs[v]
		if tf == nil {
			tf = &bindex.TokenFreq{Term: []byte(v)}
			f.freqs[v] = tf
		}
		if !f.options.SkipFreqNorm() {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
}

func (f *keywordsField) Name() string                                      { return f.name }
func (f *keywordsField) ArrayPositions() []uint64                          { return nil }
func (f *keywordsField) Options() bindex.FieldIndexingOptions              { return f.options }
func (f *keywordsField) Value() []byte                                     { return nil }
func (f *keywordsField) NumPlainTextBytes() uint64                         { return uint64(f.bytes) }
func (f *keywordsField) EncodedFieldType() byte                            { return 't' }
func (f *keywordsField) AnalyzedLength() int                               { return len(f.values) }
func (f *keywordsField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }
func (f *keywordsField) Size() int                                         { return 64 + f.bytes + f.freqs.Size() }

var _ document.Field = (*keywordsField)(nil)
