package opensearch

import (
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// Field names, as in the Bleve mapping: the stemmed text fields with an
// exact positional twin, keyword facets with a folded, lower-cased twin
// for filters, and the date.
const (
	fTitle = "title"
	fBody  = "body"
	fDate  = "date"
	fID    = "id"
	exact  = ".exact" // the unstemmed positional twin of a text field
	key    = ".key"   // the folded, lower-cased twin of a keyword field

	// An article's quotes (corpus.Article.Quotes), for quote: and
	// speaker:. fQuote holds each quote's words as one value of an
	// array, analysed as the body is; fSpeakerKey the keys (facet.Key)
	// of the quotes' speakers.
	fQuote      = "quote_text"
	fSpeakerKey = "quote_speaker_key"
)

// quoteGap is the gap in positions between two quotes of an article in
// fQuote: wider than any slop the query language allows (100), so that
// no phrase, however sloppy, runs from one quote into the next.
const quoteGap = 1000

// titleBoost weighs a match in the title over one in the body, as Bleve does.
const titleBoost = 2.0

// foldMappings are Folio's typographic folding (internal/textnorm) as a
// mapping char filter: curly quotes and primes to straight ones, dashes to
// "-", odd spaces to " ", the ellipsis to ".". Char filters keep offsets,
// so the highlighter's spans fall on the text as written.
var foldMappings = func() []string {
	var m []string
	add := func(to string, from ...string) {
		for _, f := range from {
			m = append(m, f+"=>"+to)
		}
	}
	add("'", "\\u2018", "\\u2019", "\\u201A", "\\u201B", "\\u2032", "\\u0060", "\\u00B4", "\\uFF07", "\\u02BC")
	add("\\\"", "\\u201C", "\\u201D", "\\u201E", "\\u201F", "\\u2033", "\\u00AB", "\\u00BB", "\\uFF02")
	add("-", "\\u2010", "\\u2011", "\\u2012", "\\u2013", "\\u2014", "\\u2015", "\\u2212", "\\uFE58", "\\uFE63", "\\uFF0D")
	add("\\u0020", "\\u00A0", "\\u2007", "\\u202F", "\\u2009", "\\u200A", "\\u2002", "\\u2003", "\\u3000")
	add(".", "\\u2026")
	return m
}()

// template is the index template: the analyzers mirror Folio's (folded,
// possessives dropped, lower-cased, English stop words, Snowball English
// stems for ranking; folded and lower-cased only for phrases), BM25
// scoring (OpenSearch's default), and strict fields, so nothing in an
// article's _source is indexed unless listed here.
func template(cfg Config) map[string]any {
	shards := max(cfg.Shards, 1)
	text := func() map[string]any {
		return map[string]any{
			"type": "text", "analyzer": "folio_text", "index_options": "freqs",
			"fields": map[string]any{"exact": map[string]any{"type": "text", "analyzer": "folio_exact"}},
		}
	}
	props := map[string]any{
		fID:    map[string]any{"type": "keyword"},
		fTitle: text(),
		fBody:  text(),
		fDate:  map[string]any{"type": "date"},
		"url":  map[string]any{"type": "keyword", "index": false, "doc_values": false},
	}
	for f, m := range quoteProperties() {
		props[f] = m
	}
	for _, f := range facet.All {
		props[f.Field] = map[string]any{
			"type":   "keyword",
			"fields": map[string]any{"key": map[string]any{"type": "keyword", "normalizer": "folio_key", "doc_values": false}},
		}
	}
	return map[string]any{
		"index_patterns": []string{cfg.Index},
		"priority":       100,
		"template": map[string]any{
			"settings": map[string]any{
				"number_of_shards":   shards,
				"number_of_replicas": cfg.Replicas,
				// Above the highlighter's own bound (maxHighlightText), which
				// then cuts long bodies rather than failing the search.
				"highlight.max_analyzed_offset": 2 * maxHighlightText,
				"analysis": map[string]any{
					"char_filter": map[string]any{
						"folio_fold": map[string]any{"type": "mapping", "mappings": foldMappings},
					},
					"filter": map[string]any{
						"folio_possessive": map[string]any{"type": "stemmer", "language": "possessive_english"},
						"folio_stop":       map[string]any{"type": "stop", "stopwords": search.StopWords},
						"folio_stem":       map[string]any{"type": "snowball", "language": "English"},
					},
					"analyzer": map[string]any{
						"folio_text": map[string]any{
							"type": "custom", "tokenizer": "standard", "char_filter": []string{"folio_fold"},
							"filter": []string{"folio_possessive", "lowercase", "folio_stop", "folio_stem"},
						},
						"folio_exact": map[string]any{
							"type": "custom", "tokenizer": "standard", "char_filter": []string{"folio_fold"},
							"filter": []string{"lowercase"},
						},
					},
					"normalizer": map[string]any{
						"folio_key": map[string]any{
							"type": "custom", "char_filter": []string{"folio_fold"}, "filter": []string{"lowercase"},
						},
					},
				},
			},
			"mappings": map[string]any{
				"dynamic":    false,
				"properties": props,
			},
		},
	}
}

// quoteProperties are the mappings of the quote fields. Open also adds
// them to an index made before they existed.
func quoteProperties() map[string]any {
	return map[string]any{
		fQuote: map[string]any{
			// Words only (positions are the exact twin's, for phrases).
			"type": "text", "analyzer": "folio_text", "index_options": "freqs",
			"fields": map[string]any{"exact": map[string]any{
				"type": "text", "analyzer": "folio_exact", "position_increment_gap": quoteGap,
			}},
		},
		fSpeakerKey: map[string]any{"type": "keyword", "doc_values": false},
	}
}
