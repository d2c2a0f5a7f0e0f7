package relevance

import (
	"context"
	"fmt"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/query"
)

// FTS5 is the reference engine: SQLite FTS5 over title and body with the
// porter unicode61 tokenizer, ranked by bm25() with the title weighted
// as Folio weighs it. Queries go in as a user types them; fts5 reads bare
// words as AND and quoted text as phrases, as Folio does.
type FTS5 struct{ DB *fts5.DB }

// NewFTS5 builds an FTS5 index of articles in dir.
func NewFTS5(ctx context.Context, dir string, articles []corpus.Article) (*FTS5, error) {
	db, err := fts5.Open(dir)
	if err != nil {
		return nil, err
	}
	if _, err := db.Ingest(ctx, seq(articles), fts5.IngestOptions{}); err != nil {
		db.Close()
		return nil, err
	}
	return &FTS5{DB: db}, nil
}

// Close closes the database.
func (f *FTS5) Close() error { return f.DB.Close() }

// Name implements Engine.
func (*FTS5) Name() string { return "fts5" }

// Search implements Engine. fts5 reads only words and quoted phrases
// (anything else would be searched as plain words), so a query using more
// of Folio's language is refused rather than compared unfairly.
func (f *FTS5) Search(ctx context.Context, q string, k int) ([]string, error) {
	n, err := query.Parse(q)
	if err != nil {
		return nil, err
	}
	if !wordsAndPhrases(n) {
		return nil, fmt.Errorf("fts5 compares only queries of bare words and quoted phrases")
	}
	res, err := f.DB.Search(ctx, fts5.Query{Text: q, Limit: k})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// wordsAndPhrases reports whether n is bare words and phrases without
// slop or field, AND-ed: the part of Folio's language fts5 shares.
func wordsAndPhrases(n query.Node) bool {
	switch n := n.(type) {
	case query.Term:
		return n.Field == ""
	case query.Phrase:
		return n.Field == "" && n.Slop == 0
	case query.And:
		for _, c := range n.Nodes {
			if !wordsAndPhrases(c) {
				return false
			}
		}
		return true
	}
	return false
}
