package search

import (
	"slices"

	"github.com/folio-search/folio/internal/query"
)

// StopWords are the English words ranking leaves out in every engine
// (OpenSearch's "_english_" set; Bleve's list holds them and more): a word
// this common says nothing of what an article is about.
var StopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
	"no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
	"they", "this", "to", "was", "will", "with",
}

// IsStopWord reports whether word (folded and lower-cased, as the parser
// gives it) is one of StopWords.
func IsStopWord(word string) bool { return slices.Contains(StopWords, word) }

// CommonWordsPhrase rewrites a query made only of bare words that ranking
// leaves out (isStop), such as `the` or `to be or not to be`, into the
// phrase of those words: left to ranking, such a query would constrain
// nothing and match every article. Any other query is returned as it is,
// with ok false; a stop word beside other words is still left out.
// The phrase may be of one word, which an engine matches as written.
func CommonWordsPhrase(n query.Node, isStop func(word string) bool) (phrase query.Phrase, ok bool) {
	var terms []query.Term
	switch n := n.(type) {
	case query.Term:
		terms = []query.Term{n}
	case query.And:
		for _, c := range n.Nodes {
			t, isTerm := c.(query.Term)
			if !isTerm {
				return query.Phrase{}, false
			}
			terms = append(terms, t)
		}
	default:
		return query.Phrase{}, false
	}
	p := query.Phrase{Field: terms[0].Field, Pos: terms[0].Pos}
	for _, t := range terms {
		if t.Field != p.Field || !isStop(t.Text) {
			return query.Phrase{}, false
		}
		p.Words = append(p.Words, t.Text)
	}
	return p, true
}
