package relevance

import (
	"context"
	"fmt"
	"iter"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
)

// LoadCorpus reads every article of a corpus file. A malformed record is
// an error: the figures are only comparable over the whole corpus.
func LoadCorpus(path string) ([]corpus.Article, error) {
	var out []corpus.Article
	for a, err := range corpus.ReadFile(path) {
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	return out, nil
}

// OpenFolio opens the Folio index in dir, building it from articles first
// when dir holds none. Entities are not extracted: ranking reads only the
// title and body. An existing index must hold exactly the articles given,
// or the comparison would not be over the same documents.
func OpenFolio(ctx context.Context, dir string, articles []corpus.Article) (*index.Index, error) {
	if !index.Exists(dir) {
		ix, _, err := index.Create(ctx, dir, seq(articles), index.IngestOptions{BatchSize: 1000})
		return ix, err
	}
	ix, err := index.Open(dir)
	if err != nil {
		return nil, err
	}
	n, err := ix.Count(ctx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	if n != uint64(len(articles)) {
		ix.Close()
		return nil, fmt.Errorf("index %s holds %d articles, the corpus %d: use a fresh directory", dir, n, len(articles))
	}
	return ix, nil
}

func seq(articles []corpus.Article) iter.Seq2[corpus.Article, error] {
	return func(yield func(corpus.Article, error) bool) {
		for _, a := range articles {
			if !yield(a, nil) {
				return
			}
		}
	}
}
