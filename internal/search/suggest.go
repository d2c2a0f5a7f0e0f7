package search

import "context"

// A Suggester completes what a user is typing into a search box. Like
// QuoteSearcher it is an interface apart from Engine: an engine without it
// still searches, and callers ask for it with a type assertion.
type Suggester interface {
	// Suggest runs one request. Its work is bounded whatever the text;
	// errors are as Engine.Search's.
	Suggest(ctx context.Context, req SuggestRequest) ([]Suggestion, error)
}

// Kinds of suggestion.
const (
	SuggestTerm   = "term"   // a frequent word of the archive, completing the text's last word
	SuggestEntity = "entity" // a person, organisation or place, with its facet and count
	SuggestTitle  = "title"  // an article whose title matches the text
)

// SuggestRequest is the text typed so far. Its last word is a prefix
// unless the text ends in a space; words of more than four characters
// tolerate typos.
type SuggestRequest struct {
	Text string
	Size int // suggestions wanted; 8 when 0
}

// Suggestion is one completion, best first in a list.
type Suggestion struct {
	Kind string // SuggestTerm, SuggestEntity or SuggestTitle
	Text string // what to show: the completed words, the name, the title
	// Query is what to search for when the suggestion is chosen: the
	// completed words, or a facet filter such as person:"Ilham Aliyev".
	Query string
	// Facet and Type are the facet (person, org, place) and entity type
	// (PER, ORG, LOC) of an entity.
	Facet, Type string
	// Count is the number of articles with the word or entity; for a
	// title, 1.
	Count int
	// ArticleID is a title's article.
	ArticleID string
	// Fuzzy is set when the text matched with a typo.
	Fuzzy bool
	Score float64 // popularity weighed by match quality; higher is better
}
