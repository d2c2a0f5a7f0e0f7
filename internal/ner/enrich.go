package ner

import "github.com/folio-search/folio/corpus"

// Enrich sets the article's entities to those recognised in its title and
// body. It is what ingest runs on every article; it is safe for
// concurrent use.
func (r *Recognizer) Enrich(a *corpus.Article) {
	found := r.Extract(a.Title, a.Body)
	a.Entities = make([]corpus.Entity, 0, len(found))
	for _, e := range found {
		ce := corpus.Entity{Type: e.Type, Name: e.Name, Mentions: make([]corpus.Mention, len(e.Mentions))}
		for i, m := range e.Mentions {
			ce.Mentions[i] = corpus.Mention{Start: m.Start, End: m.End}
		}
		a.Entities = append(a.Entities, ce)
	}
}
