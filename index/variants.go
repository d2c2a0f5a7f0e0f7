package index

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/names"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Entity filters match names as journalists spell them: person:"Ilham
// Aliev", person:Алиев and person:"Ilham Əliyev" all find Ilham Aliyev.
// A filter on an entity facet stands for the canonical names of the index
// that the value folds to (names.Table), and the search says which ones
// matched. A search without an entity filter touches the tables only when
// it finds fewer than search.VariantBelow articles, to look for a suggestion.

// entityTables keeps a name table per entity facet field. A table grows
// with the values the facet columns number (columns.go), which are read
// once per segment: a write or a merge adds the new segments' names and
// never rebuilds a table. Values no article holds any longer stay in the
// table; live filters them out.
type entityTables struct {
	mu   sync.RWMutex
	tabs map[string]*grownTable // by index field
}

// grownTable is a name table and how many of its field's numbered values
// it holds.
type grownTable struct {
	tab *names.Table
	n   int
}

// update adds to the tables the values numbered since they were last
// updated, reading the columns of snapshot r.
func (et *entityTables) update(cs *columnStore, r bindex.IndexReader, field string) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("entity names: unexpected index reader %T", r)
	}
	if _, err := cs.columns(snap); err != nil {
		return err
	}
	all := cs.ords[field].snapshotNames()
	et.mu.RLock()
	t := et.tabs[field]
	fresh := t != nil && t.n >= len(all)
	et.mu.RUnlock()
	if fresh {
		return nil
	}
	et.mu.Lock()
	defer et.mu.Unlock()
	if et.tabs == nil {
		et.tabs = map[string]*grownTable{}
	}
	if t = et.tabs[field]; t == nil {
		t = &grownTable{tab: names.NewTable(nil)}
		et.tabs[field] = t
	}
	if t.n < len(all) {
		t.tab.Add(all[t.n:]...)
		t.n = len(all)
	}
	return nil
}

// has reports whether field has a table yet.
func (et *entityTables) has(field string) bool {
	et.mu.RLock()
	defer et.mu.RUnlock()
	return et.tabs[field] != nil
}

// matchLive is the table's MatchLive for field, keeping the names some
// article of snapshot r holds.
func (et *entityTables) matchLive(r bindex.IndexReader, field, typed string) ([]string, error) {
	et.mu.RLock()
	defer et.mu.RUnlock()
	if t := et.tabs[field]; t != nil {
		return t.tab.MatchLive(typed, func(names []string) ([]string, error) { return live(r, field, names) })
	}
	return nil, nil
}

// nearest is the table's Nearest for field.
func (et *entityTables) nearest(field, typed string) []string {
	et.mu.RLock()
	defer et.mu.RUnlock()
	if t := et.tabs[field]; t != nil {
		return t.tab.Nearest(typed)
	}
	return nil
}

// live keeps the names that some article of snapshot r holds in field.
func live(r bindex.IndexReader, field string, found []string) ([]string, error) {
	out := found[:0]
	for _, n := range found {
		tfr, err := r.TermFieldReader(context.Background(), []byte(facet.Key(n)), keyField(field), false, false, false)
		if err != nil {
			return nil, fmt.Errorf("entity names: %w", err)
		}
		c := tfr.Count()
		tfr.Close()
		if c > 0 {
			out = append(out, n)
		}
	}
	return out, nil
}

// resolver compiles filters for one search, noting the canonical names
// each entity filter matched and the values that matched none.
type resolver struct {
	ix      *Index
	r       bindex.IndexReader
	exact   bool                // filters match names as given
	matched map[string][]string // facet name → canonical names
	missed  []query.Filter      // positive entity filters that matched no name
}

// filter compiles the filter name:value; negated filters (-person:x)
// match the same names but are not reported.
func (rs *resolver) filter(name, value string, negated bool) (bq.Query, error) {
	f, ok := facet.ByName(name)
	if !ok {
		return nil, &search.BadRequestError{Msg: fmt.Sprintf("unknown filter %q", name)}
	}
	if f.EntityType == "" || rs.exact {
		return filterQuery(name, value)
	}
	if err := rs.ix.entities.update(&rs.ix.cols, rs.r, f.Field); err != nil {
		return nil, err
	}
	var err error
	found := search.EntityNames(f, value, func(typed string) []string {
		m, e := rs.ix.entities.matchLive(rs.r, f.Field, typed)
		err = cmp.Or(err, e)
		return m
	})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		if !negated {
			rs.missed = append(rs.missed, query.Filter{Field: f.Name, Value: value})
		}
		return filterQuery(name, value)
	}
	found = found[:min(len(found), search.MaxVariantNames)]
	qs := make([]bq.Query, 0, len(found))
	for _, n := range found {
		q := bleve.NewTermQuery(facet.Key(n))
		q.SetField(keyField(f.Field))
		qs = append(qs, q)
	}
	if !negated {
		rs.matched = search.AddMatched(rs.matched, f.Name, found)
	}
	return disjunction(qs), nil
}

// suggestVariant sets out's suggestion to req with its entity filters
// that matched nothing replaced by the nearest known names, and its
// phrases and words that spell a known name otherwise by that name, when
// that finds more than out (search.SuggestVariant).
func (ix *Index) suggestVariant(ctx context.Context, req search.Request, missed []query.Filter, out *search.Result) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	return search.SuggestVariant(ctx, req, missed, out, search.Variants{
		Lookup: func(f facet.Facet, typed string) ([]string, error) {
			// A suggestion may miss the names of the newest segments: the
			// table is read once here and kept up to date by filters, so
			// that searches that find little do not read columns to
			// suggest.
			if !ix.entities.has(f.Field) {
				if err := ix.entities.update(&ix.cols, r, f.Field); err != nil {
					return nil, err
				}
			}
			return ix.entities.matchLive(r, f.Field, typed)
		},
		Nearest: func(f facet.Facet, typed string) ([]string, error) {
			return live(r, f.Field, ix.entities.nearest(f.Field, typed))
		},
		Total: func(ctx context.Context, alt search.Request) (uint64, error) {
			// Only the count is wanted: feedback, snippets and facets
			// change no total (feedback never adds a match; a fill comes
			// after the matches, uncounted).
			alt.NoExpand, alt.Fragments, alt.Facets, alt.Size, alt.WithBody = true, 0, []string{}, 1, false
			alt.Page, alt.After = 1, ""
			res, err := ix.search(ctx, alt, searchOptions{})
			if err != nil {
				return 0, err
			}
			return res.Total, nil
		},
	})
}
