package relevance

import (
	"context"
	"fmt"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/opensearch"
)

// OpenCluster opens Folio's engine on the OpenSearch index cfg names and
// fills it with articles, unless it holds exactly as many already. An
// index holding another number is deleted and filled afresh, so that the
// comparison is over the same documents. One shard keeps BM25's
// statistics those of the whole corpus, as they are in Bleve.
func OpenCluster(ctx context.Context, cfg opensearch.Config, articles []corpus.Article) (*opensearch.Engine, error) {
	if cfg.Shards == 0 {
		cfg.Shards = 1
	}
	e, err := opensearch.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	n, err := e.Count(ctx)
	if err == nil && n == uint64(len(articles)) {
		return e, nil
	}
	if err == nil && n > 0 {
		if err = e.Drop(ctx); err == nil {
			e.Close()
			e, err = opensearch.Open(ctx, cfg)
			if err != nil {
				return nil, err
			}
		}
	}
	for i := 0; err == nil && i < len(articles); i += 1000 {
		err = e.WriteBatch(ctx, articles[i:min(i+1000, len(articles))])
	}
	if err == nil {
		err = e.FinishIngest(ctx, false)
	}
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("filling the OpenSearch index %s: %w", cfg.Index, err)
	}
	return e, nil
}
