package opensearch

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/linking"
	"github.com/folio-search/folio/internal/search"
)

// linkStore is the cluster as linking entities across articles sees it (a
// linking.Store), so that an archive written into a cluster names its
// people and organisations as the embedded index does: WriteBatch links
// each batch before it is sent, and FinishIngest relinks the articles
// written before.
type linkStore struct{ *Engine }

// facetOf is the entity facet of an entity type.
func facetOf(typ string) facet.Facet {
	for _, f := range facet.All {
		if f.EntityType == typ {
			return f
		}
	}
	panic("opensearch: no facet of entity type " + typ)
}

// linkPage is how many values or articles one request reads.
const linkPage = 1000

// Names yields every value of the facet of entity type typ with its
// document count, a page of a composite aggregation at a time.
func (s linkStore) Names(ctx context.Context, typ string) iter.Seq2[linking.Name, error] {
	field := facetOf(typ).Field
	return func(yield func(linking.Name, error) bool) {
		var after map[string]any
		for {
			comp := obj{"size": linkPage, "sources": []obj{{"v": obj{"terms": obj{"field": field}}}}}
			if after != nil {
				comp["after"] = after
			}
			var got struct {
				Aggregations struct {
					Names struct {
						AfterKey map[string]any `json:"after_key"`
						Buckets  []struct {
							Key      struct{ V string } `json:"key"`
							DocCount int                `json:"doc_count"`
						} `json:"buckets"`
					} `json:"names"`
				} `json:"aggregations"`
				Shards shards `json:"_shards"`
			}
			body := obj{"size": 0, "track_total_hits": false, "aggs": obj{"names": obj{"composite": comp}}}
			if err := s.do(ctx, http.MethodPost, "/"+s.index+"/_search", body, &got); err != nil {
				yield(linking.Name{}, err)
				return
			}
			if err := got.Shards.check(); err != nil {
				yield(linking.Name{}, err)
				return
			}
			for _, b := range got.Aggregations.Names.Buckets {
				if !yield(linking.Name{Name: b.Key.V, Articles: b.DocCount}, nil) {
					return
				}
			}
			after = got.Aggregations.Names.AfterKey
			if len(got.Aggregations.Names.Buckets) < linkPage || after == nil {
				return
			}
		}
	}
}

// WithName calls f with every article whose facet of entity type typ
// holds name, whatever its case (the facet's folded twin), in index
// order. It reads the name as written, without the variants an entity
// filter of a search stands for.
func (s linkStore) WithName(ctx context.Context, typ, name string, f func(*corpus.Article)) error {
	field := facetOf(typ).Field + key
	var after []any
	for {
		body := obj{
			"size": linkPage, "track_total_hits": false, "sort": []any{obj{fID: "asc"}},
			"query": obj{"term": obj{field: facet.Key(name)}},
		}
		if after != nil {
			body["search_after"] = after
		}
		var got struct {
			Hits struct {
				Hits []struct {
					Source json.RawMessage `json:"_source"`
					Sort   []any           `json:"sort"`
				} `json:"hits"`
			} `json:"hits"`
			Shards shards `json:"_shards"`
		}
		if err := s.do(ctx, http.MethodPost, "/"+s.index+"/_search", body, &got); err != nil {
			return err
		}
		if err := got.Shards.check(); err != nil {
			return err
		}
		for _, h := range got.Hits.Hits {
			a, err := article(h.Source)
			if err != nil {
				return err
			}
			f(a)
		}
		if len(got.Hits.Hits) < linkPage {
			return nil
		}
		after = got.Hits.Hits[len(got.Hits.Hits)-1].Sort
	}
}

// Articles calls f with each article of ids that the cluster holds.
func (s linkStore) Articles(ctx context.Context, ids []string, f func(*corpus.Article)) error {
	return search.EachArticle(ctx, s.Article, ids, f)
}
