package main

import (
	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/ner"
)

// entityExtractor returns the function that finds an article's named
// entities at ingest, with the configured aliases applied. It is safe to
// call from several goroutines.
func entityExtractor(cfg *config.Config) (func(*corpus.Article), error) {
	rec, err := ner.Load(cfg.NER.Aliases)
	if err != nil {
		return nil, err
	}
	return func(a *corpus.Article) {
		found := rec.Extract(a.Title, a.Body)
		a.Entities = make([]corpus.Entity, 0, len(found))
		for _, e := range found {
			ce := corpus.Entity{Type: e.Type, Name: e.Name, Mentions: make([]corpus.Mention, len(e.Mentions))}
			for i, m := range e.Mentions {
				ce.Mentions[i] = corpus.Mention{Start: m.Start, End: m.End}
			}
			a.Entities = append(a.Entities, ce)
		}
	}, nil
}
