package index

import (
	"context"
	"iter"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/linking"
	"github.com/folio-search/folio/internal/search"
)

// linkStore is the index as linking entities across articles sees it (a
// linking.Store): WriteBatch links the people and organisations of each
// batch as it is written, and FinishIngest relinks those of the articles
// written before.
type linkStore struct{ *Index }

// linkFacets are the facets of the entity types linking links.
var linkFacets = map[string]struct{ field, filter string }{
	"PER": {fPerson, "person"},
	"ORG": {fOrg, "org"},
}

// Names yields the terms of the facet of entity type typ with their
// document counts (which may still count deleted articles until a merge).
func (s linkStore) Names(_ context.Context, typ string) iter.Seq2[linking.Name, error] {
	return func(yield func(linking.Name, error) bool) {
		dict, err := s.bleve.FieldDict(linkFacets[typ].field)
		if err != nil {
			yield(linking.Name{}, err)
			return
		}
		defer dict.Close()
		for {
			e, err := dict.Next()
			if err != nil {
				yield(linking.Name{}, err)
				return
			}
			if e == nil || !yield(linking.Name{Name: e.Term, Articles: int(e.Count)}, nil) {
				return
			}
		}
	}
}

// WithName calls f with every article whose facet of entity type typ
// holds name.
func (s linkStore) WithName(ctx context.Context, typ, name string, f func(*corpus.Article)) error {
	req := search.Request{Filters: map[string][]string{linkFacets[typ].filter: {name}}, Size: 1000, Facets: []string{}, Sort: search.ByDate}
	for {
		res, err := s.search(ctx, req, searchOptions{exact: true})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			a, err := s.Article(ctx, h.ID)
			if err != nil {
				return err
			}
			f(a)
		}
		if res.Next == "" || len(res.Hits) == 0 {
			return nil
		}
		req.After = res.Next
	}
}

// Articles calls f with each article of ids that the index holds.
func (s linkStore) Articles(ctx context.Context, ids []string, f func(*corpus.Article)) error {
	return search.EachArticle(ctx, s.Article, ids, f)
}
