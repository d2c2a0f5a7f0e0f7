package relevance

import (
	"context"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/ingest"
)

// NewFTS5 builds the reference engine of articles in dir: SQLite FTS5
// over title and body with the porter unicode61 tokenizer, ranked by
// bm25() with the title weighted as Folio weighs it. It runs the part of
// Folio's query language FTS5 can express (words AND-ed, phrases, OR,
// exclusions, prefixes, fields) and refuses the rest, so a judged query
// it cannot run stops the evaluation rather than being compared unfairly.
func NewFTS5(ctx context.Context, dir string, articles []corpus.Article) (*fts5.DB, error) {
	db, err := fts5.Open(dir)
	if err != nil {
		return nil, err
	}
	if _, err := ingest.Run(ctx, seq(articles), db, ingest.Options{Size: 5000}); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
