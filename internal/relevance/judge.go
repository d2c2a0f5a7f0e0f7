package relevance

import (
	"fmt"

	"github.com/folio-search/folio/corpus"
)

// Judgments knows the topic tags of every article of a corpus, which is
// all that relevance is decided by: an article is relevant to a query when
// it carries one of the query's tags.
type Judgments struct {
	tags  map[string][]string // article ID → its tags
	byTag map[string]int      // tag → number of articles with it
	docs  int
}

// NewJudgments indexes the tags of articles.
func NewJudgments(articles []corpus.Article) *Judgments {
	j := &Judgments{tags: make(map[string][]string, len(articles)), byTag: map[string]int{}, docs: len(articles)}
	for _, a := range articles {
		j.tags[a.ID] = a.Tags
		for _, t := range a.Tags {
			j.byTag[t]++
		}
	}
	return j
}

// Docs is the number of articles judged.
func (j *Judgments) Docs() int { return j.docs }

// Relevant reports whether the article id carries one of q's tags.
func (j *Judgments) Relevant(q Query, id string) bool {
	for _, have := range j.tags[id] {
		for _, want := range q.Tags {
			if have == want {
				return true
			}
		}
	}
	return false
}

// NumRelevant is the number of articles relevant to q in the corpus: those
// with at least one of its tags, each counted once.
func (j *Judgments) NumRelevant(q Query) int {
	if len(q.Tags) == 1 {
		return j.byTag[q.Tags[0]]
	}
	n := 0
	for id := range j.tags {
		if j.Relevant(q, id) {
			n++
		}
	}
	return n
}

// Check makes sure every tag of every query occurs in the corpus, so that
// a misspelt tag is an error rather than a query nobody can score on.
func (j *Judgments) Check(qs []Query) error {
	for _, q := range qs {
		for _, t := range q.Tags {
			if j.byTag[t] == 0 {
				return fmt.Errorf("query %q (line %d): no article is tagged %q", q.Text, q.Line, t)
			}
		}
	}
	return nil
}
