// Package index is everything Folio does with Bleve: the mapping and its
// analyzers, batched ingest, searching, facets, snippets and paging. It is
// the only package that imports Bleve.
package index

import (
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/textnorm"
)

// Field names in the index. Title and body are one positional field each,
// holding the exact words and their marked stems (positional.go); the
// *Exact names are the same fields, named for the exact words a query
// reads there.
const (
	fTitle      = "title"
	fBody       = "body"
	fTitleExact = fTitle
	fBodyExact  = fBody
	fDate       = "date"      // the UTC day as a Bleve date, for date ranges before schema 10; indexed only
	fYear       = "year"      // "2024", with fMonth and fDay for date ranges (dayrange.go); indexed only
	fSortDate   = "sort_date" // "2024-12-29T08:15:00Z a1b2…": the date sorts, ties broken by ID
	fMonth      = "month"     // "2024-12"
	fDay        = "day"       // "2024-12-29"
	fStored     = "article"   // the whole article, compressed (stored.go); stored only
	fFlash      = "flash"     // flashValue for an article without a body (headline.go); indexed only
)

// flashValue is the one term of fFlash.
const flashValue = "1"

// The keyword facets' fields are those of the facet table; two have rules
// of their own.
var (
	fPerson = facetField("person") // linked across articles (linkstore.go)
	fOrg    = facetField("org")    // filtered with and without a legal form
)

func facetField(name string) string {
	f, ok := facet.ByName(name)
	if !ok {
		panic("no facet " + name)
	}
	return f.Field
}

// keyField is the lower-cased twin of a keyword field, used for filters so
// that tag:"ilham aliyev" finds "Ilham Aliyev". Facets read the original.
func keyField(f string) string { return f + "_key" }

// Analyzer names registered with the mapping.
const (
	analyzerText  = "folio_text"  // folded, lower-cased, English stop words and marked stems
	analyzerExact = "folio_exact" // folded and lower-cased only
	// analyzerPositional is what the positional fields index: each exact
	// word, and its marked stem at the same position (positional.go).
	analyzerPositional = "folio_positional"
	foldFilter         = "folio_fold"
)

// sortDateLayout is fixed-width, so dates sort as strings.
const sortDateLayout = "2006-01-02T15:04:05Z"

// undatedSortKey sorts articles without a date before every dated one:
// last when newest come first.
const undatedSortKey = "0000-00-00T00:00:00Z"

// sortDateKey is an article's key for date orders. The ID in it breaks ties,
// so a date sort needs no second key; a second key on the ID would make
// Bleve read the stored ID of every match.
func sortDateKey(date *time.Time, id string) string {
	if date == nil {
		return undatedSortKey + " " + id
	}
	return date.UTC().Format(sortDateLayout) + " " + id
}

// schemaVersion is stored in the index; an index built with another
// mapping is refused rather than searched wrongly. Version 6 holds the
// exact words and their stems in one positional field per text; version 7
// stores articles deflated with a preset dictionary (storeddict.go);
// version 8 indexes no stem for a word that is its own stem; version 9
// marks the articles without a body (fFlash); version 10 packs a word's
// positions into one location (packPositions) and indexes the date as
// year, month and day terms (dayrange.go).
const schemaVersion = "10"

// Two older versions are read and written as they are: positions one per
// location, which reads as packed ones do, a Bleve date field, and in
// version 8 the flashes unmarked, told from their stored records. An
// older Folio refuses a version 10 index, whose packed positions it
// would misread.
const (
	unpackedSchemaVersion = "9"
	unmarkedSchemaVersion = "8"
)

// foldTokenFilter folds curly apostrophes, quotes and dashes inside tokens
// ("Aliyev’s" → "Aliyev's"). It runs on tokens, not on the raw text, so
// that token offsets keep pointing into the stored original.
type foldTokenFilter struct{}

func (foldTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if isASCIIBytes(t.Term) {
			continue // nothing to fold, and no copy of the token to look
		}
		if s := string(t.Term); textnorm.Fold(s) != s {
			t.Term = []byte(textnorm.Fold(s))
		}
	}
	return in
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func init() {
	registry.RegisterTokenFilter(foldFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldTokenFilter{}, nil
	})
}

// NewMapping returns Folio's index mapping: BM25 scoring, positional text
// fields, keyword facets, and the year, month and day of the date.
func NewMapping() (mapping.IndexMapping, error) { return newMapping(schemaVersion) }

// newMapping is the mapping of an index of the given schema version, one
// that Folio still reads and writes: before version 10 the date was a
// Bleve date field, and before 9 flashes were not marked.
func newMapping(version string) (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	text, kw, shared, stored := fieldMappings()

	doc := bleve.NewDocumentStaticMapping()
	// Title and body are written as positional fields (positional.go),
	// not through this mapping; it names their analyzer.
	doc.AddFieldMappingsAt(fTitle, text(fTitle, analyzerPositional, true))
	doc.AddFieldMappingsAt(fBody, text(fBody, analyzerPositional, true))
	noCompositeField(doc)
	// Keyword facets are counted from columns built from their postings
	// (columns.go), so they need no doc values; the lower-cased twin is
	// only filtered on.
	for _, f := range facet.All {
		value, key := kw(false), kw(false)
		if f.Shared {
			value, key = shared(value), shared(key)
		}
		doc.AddFieldMappingsAt(f.Field, value)
		doc.AddFieldMappingsAt(keyField(f.Field), key)
	}
	for _, f := range []string{fMonth, fDay} {
		doc.AddFieldMappingsAt(f, shared(kw(true))) // the date histogram's facets
	}
	doc.AddFieldMappingsAt(fStored, stored)
	if version != unmarkedSchemaVersion {
		doc.AddFieldMappingsAt(fFlash, shared(kw(false)))
	}
	// Date ranges read the year, month and day terms (dayrange.go), where
	// a Bleve date field indexed 16 prefix terms a date: 45 bytes an
	// article, and 2% of the index. Sorting reads the single doc value
	// of the sort key.
	if version == schemaVersion {
		doc.AddFieldMappingsAt(fYear, shared(kw(false)))
	} else {
		doc.AddFieldMappingsAt(fDate, shared(dateMapping()))
	}
	doc.AddFieldMappingsAt(fSortDate, kw(true))

	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	return m, m.Validate()
}

// dateMapping is a Bleve date field, indexed only.
func dateMapping() *mapping.FieldMapping {
	date := bleve.NewDateTimeFieldMapping()
	date.IncludeInAll = false
	date.Store = false
	date.DocValues = false
	return date
}

// noCompositeField turns off Bleve's "_all" field for doc. Fields added
// to a document beside the mapping, as the positional ones are, would
// otherwise be indexed again in it.
func noCompositeField(doc *mapping.DocumentMapping) {
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
}

// addAnalyzers sets BM25 scoring and registers Folio's analyzers with m.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	m.ScoringModel = "bm25"
	if err := m.AddCustomAnalyzer(analyzerText, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     asciiFastTokenizerName,
		"token_filters": []string{foldFilter, en.PossessiveName, lowercase.Name, en.StopName, stemFilterName, stemMarkFilter},
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(analyzerExact, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     asciiFastTokenizerName,
		"token_filters": []string{foldFilter, lowercase.Name},
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(analyzerPositional, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     asciiFastTokenizerName,
		"token_filters": []string{foldFilter, lowercase.Name, stemRepeatFilter},
	}); err != nil {
		return err
	}
	return nil
}

// fieldMappings are the makers of Folio's field mappings: text fields
// (with or without positions), keywords (with or without doc values),
// keywords shared by many documents, and a stored-only field.
func fieldMappings() (text func(name, analyzer string, positions bool) *mapping.FieldMapping, kw func(docValues bool) *mapping.FieldMapping, shared func(*mapping.FieldMapping) *mapping.FieldMapping, stored *mapping.FieldMapping) {
	text = func(name, analyzer string, positions bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw = func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues // the day histogram and sorting read doc values
		return f
	}
	// Keywords are only filtered on and counted, never scored. Without a
	// frequency and length a posting takes five bytes less, but a term
	// found in one article only is then no longer kept in the dictionary
	// alone: worth it for fields of few values shared by many articles.
	shared = func(f *mapping.FieldMapping) *mapping.FieldMapping {
		f.SkipFreqNorm = true
		return f
	}
	stored = bleve.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeTermVectors = false
	stored.IncludeInAll = false
	stored.DocValues = false

	return text, kw, shared, stored
}
