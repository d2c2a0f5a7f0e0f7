package main

import (
	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/ner"
)

// entityExtractor returns the function that finds an article's named
// entities at ingest, with the configured aliases applied.
func entityExtractor(cfg *config.Config) (func(*corpus.Article), error) {
	rec, err := ner.Load(cfg.NER.Aliases)
	if err != nil {
		return nil, err
	}
	return rec.Enrich, nil
}
