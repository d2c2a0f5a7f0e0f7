package index

import (
	"context"
	"errors"
	"iter"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/people"
	"github.com/folio-search/folio/internal/search"
)

// personStore is the index as linking people across articles sees it (a
// people.Store): WriteBatch links the people of each batch as it is
// written, and FinishIngest relinks those of the articles written before.
type personStore struct{ *Index }

// People yields the terms of the person facet with their document
// counts (which may still count deleted articles until a merge).
func (s personStore) People(context.Context) iter.Seq2[people.Person, error] {
	return func(yield func(people.Person, error) bool) {
		dict, err := s.bleve.FieldDict(fPerson)
		if err != nil {
			yield(people.Person{}, err)
			return
		}
		defer dict.Close()
		for {
			e, err := dict.Next()
			if err != nil {
				yield(people.Person{}, err)
				return
			}
			if e == nil || !yield(people.Person{Name: e.Term, Articles: int(e.Count)}, nil) {
				return
			}
		}
	}
}

// WithPerson calls f with every article whose person facet holds name.
func (s personStore) WithPerson(ctx context.Context, name string, f func(*corpus.Article)) error {
	req := search.Request{Filters: map[string][]string{"person": {name}}, Size: 1000, Facets: []string{}, Sort: search.ByDate}
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
func (s personStore) Articles(ctx context.Context, ids []string, f func(*corpus.Article)) error {
	for _, id := range ids {
		a, err := s.Article(ctx, id)
		if errors.Is(err, search.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		f(a)
	}
	return nil
}
