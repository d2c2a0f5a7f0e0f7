package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The quote index is a Bleve index of its own, beside the articles' (in
// the "quotes" directory inside it). One document is one quote with its
// lineage: every article that carries the same words. Keeping quotes apart
// leaves article searches, counts, facet columns and length statistics
// exactly as they were, and a quote search never steps over articles.
//
// A quote's words are in the field that holds an article's body (fBody,
// positional.go), so the query compiler and the highlighter work on quotes
// unchanged.
const (
	fqSpeaker    = "speaker"     // every speaker the quote is given, first appearance's first
	fqSpeakerKey = "speaker_key" // lower-cased, for filters
	fqArticles   = "articles"    // IDs of the articles carrying it
	fqNorm       = "norm"        // the hash of each variant's normalised text (normHash), for exact lineage
	fqWords      = "words"       // the normalised words of every variant, to find near variants
	fqRecord     = "record"      // the quote and its lineage (quoteRecord), stored only
)

// analyzerWords splits the words field, already normalised (quoteKey).
const analyzerWords = "folio_words"

// fqTag's key field holds every tag of the articles carrying a quote, as
// the tag facet's does, so that tag: filters compile as for articles. The
// speaker's kind and the tags as written are read from the record.
var fqTag = facetField("tag")

// quoteSchemaVersion marks the quote index's mapping, as schemaVersion
// the articles'. Version 4 stores records deflated as articles are, and
// indexes no stem for a word that is its own stem.
const quoteSchemaVersion = "4"

// newQuoteMapping is the quote index's mapping.
func newQuoteMapping() (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	text, kw, shared, stored := fieldMappings()
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fBody, text(fBody, analyzerPositional, true)) // written as a positional field
	noCompositeField(doc)
	doc.AddFieldMappingsAt(fqSpeaker, kw(true)) // the speaker facet reads doc values
	doc.AddFieldMappingsAt(fqSpeakerKey, shared(kw(false)))
	doc.AddFieldMappingsAt(fqArticles, shared(kw(false)))
	doc.AddFieldMappingsAt(fqNorm, shared(kw(false)))
	if err := m.AddCustomAnalyzer(analyzerWords, map[string]interface{}{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		return nil, err
	}
	doc.AddFieldMappingsAt(fqWords, text(fqWords, analyzerWords, false))
	doc.AddFieldMappingsAt(keyField(fqTag), shared(kw(false)))
	for _, f := range []string{fMonth, fDay} {
		doc.AddFieldMappingsAt(f, shared(kw(true)))
	}
	doc.AddFieldMappingsAt(fDate, shared(dateMapping()))
	doc.AddFieldMappingsAt(fSortDate, kw(true))
	doc.AddFieldMappingsAt(fqRecord, stored)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	return m, m.Validate()
}
