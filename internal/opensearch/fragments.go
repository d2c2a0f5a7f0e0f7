package opensearch

import (
	"sort"
	"strings"
	"unicode"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/snippet"
	"github.com/folio-search/folio/internal/textnorm"
)

// Marks the highlighter puts around each match: private-use characters
// that news text does not hold. (Control characters will not do: the
// highlighter trims them, with spaces, from the edges of a field.)
const (
	markOpen  = "\uE000"
	markClose = "\uE001"
)

// Fragments come from the cluster's unified highlighter, asked for the
// whole of each field (number_of_fragments 0) with a query of its own per
// field: the stemmed field marks the words of terms and of sloppy
// phrases, the exact field the exact phrases, prefixes and fuzzy words.
// The highlighter analyses with the index's own analyzers and reports
// offsets on the text as written, so a stemmed or folded word is marked
// as it stands ("buildings", "family’s"). Folio then joins the words of
// an exact phrase into one span and cuts the passages with its own
// snippet package, as the Bleve engine does: only the spans come from the
// cluster. (Re-finding the words in Go would need Lucene's tokenizer and
// stemmer in Go; the highlighter has both.)

// highlight is the highlight part of a search, or nil when nothing is
// to be marked. body asks for the body's marks as well as the title's.
func (m *matches) highlight(body bool) obj {
	fields := obj{}
	add := func(f string) {
		if q := m.stemmedQuery(f); q != nil {
			fields[f] = obj{"highlight_query": q}
		}
		if q := m.exactQuery(f); q != nil {
			fields[f+exact] = obj{"highlight_query": q}
		}
	}
	add(fTitle)
	if body {
		add(fBody)
	}
	if len(fields) == 0 {
		return nil
	}
	return obj{
		"type":                "unified",
		"number_of_fragments": 0,
		"pre_tags":            []string{markOpen},
		"post_tags":           []string{markClose},
		"require_field_match": true,
		"max_analyzer_offset": maxHighlightText,
		"fields":              fields,
	}
}

// concerns reports whether a leaf on query field qf ("" for both) marks
// the stored field f.
func concerns(qf, f string) bool { return qf == "" || qf == f }

func anyOf(should []any) obj {
	if len(should) == 0 {
		return nil
	}
	return obj{"bool": obj{"should": should}}
}

func (m *matches) stemmedQuery(f string) obj {
	var should []any
	for _, t := range m.terms {
		if concerns(t.field, f) {
			should = append(should, obj{"match": obj{f: t.text}})
		}
	}
	// A sloppy phrase marks each of its words, wherever it stands.
	for _, p := range m.phrases {
		if p.Slop > 0 && concerns(p.Field, f) {
			should = append(should, obj{"match": obj{f: strings.Join(p.Words, " ")}})
		}
	}
	return anyOf(should)
}

func (m *matches) exactQuery(f string) obj {
	var should []any
	for _, p := range m.phrases {
		if p.Slop == 0 && concerns(p.Field, f) {
			should = append(should, obj{"match_phrase": obj{f + exact: strings.Join(p.Words, " ")}})
		}
	}
	for _, p := range m.prefixes {
		if concerns(p.field, f) {
			should = append(should, obj{"prefix": obj{f + exact: p.text}})
		}
	}
	for _, z := range m.fuzzy {
		if concerns(z.Field, f) {
			should = append(should, obj{"fuzzy": obj{f + exact: fuzzy(z, 1)}})
		}
	}
	return anyOf(should)
}

// fragments are a hit's title, marked, and up to n passages of its body.
func (m *matches) fragments(a *corpus.Article, hl map[string][]string, n int) (search.Fragment, []search.Fragment) {
	title := search.Fragment{Text: a.Title, Spans: m.spans(a.Title, hl, fTitle)}
	if n <= 0 {
		return title, nil
	}
	return title, snippet.Best(a.Body, m.spans(a.Body, hl, fBody), n)
}

// spans are the sorted, disjoint matches in text, the value of field f,
// from the highlights of f and of its exact twin. A span inside another
// (a term inside a phrase) is dropped.
func (m *matches) spans(text string, hl map[string][]string, f string) []search.Span {
	all := marked(text, hl[f])
	all = append(all, m.joinPhrases(text, marked(text, hl[f+exact]))...)
	sort.Slice(all, func(i, j int) bool {
		if all[i].Start != all[j].Start {
			return all[i].Start < all[j].Start
		}
		return all[i].End > all[j].End
	})
	var out []search.Span
	for _, s := range all {
		if n := len(out); n > 0 && s.Start < out[n-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}

// marked reads the spans of a highlighted field (the whole value with
// marks around matches). If the highlighter's text is not the stored
// text, its spans would not fit, and there are none.
func marked(text string, hl []string) []search.Span {
	if len(hl) != 1 {
		return nil
	}
	var b strings.Builder
	var out []search.Span
	start := -1
	for rest := hl[0]; rest != ""; {
		i := strings.IndexAny(rest, markOpen+markClose)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		if strings.HasPrefix(rest[i:], markOpen) {
			start = b.Len()
		} else if start >= 0 && b.Len() > start {
			out = append(out, search.Span{Start: start, End: b.Len()})
			start = -1
		}
		rest = rest[i+len(markOpen):] // both marks are as long
	}
	if b.String() != text {
		return nil
	}
	return out
}

// joinPhrases joins the marked words of each occurrence of an exact
// phrase into one span, as Bleve marks a phrase: a run of spans whose
// words are the phrase's, in order, with nothing but spaces and
// punctuation between them.
func (m *matches) joinPhrases(text string, spans []search.Span) []search.Span {
	var out []search.Span
	for i := 0; i < len(spans); {
		joined := 1
		for _, p := range m.phrases {
			if p.Slop == 0 && len(p.Words) > joined && phraseAt(text, spans[i:], p.Words) {
				joined = len(p.Words)
			}
		}
		out = append(out, search.Span{Start: spans[i].Start, End: spans[i+joined-1].End})
		i += joined
	}
	return out
}

func phraseAt(text string, spans []search.Span, words []string) bool {
	if len(spans) < len(words) {
		return false
	}
	for k, w := range words {
		s := spans[k]
		if textnorm.Key(text[s.Start:s.End]) != w {
			return false
		}
		if k > 0 && strings.ContainsFunc(text[spans[k-1].End:s.Start], func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsNumber(r)
		}) {
			return false
		}
	}
	return true
}
