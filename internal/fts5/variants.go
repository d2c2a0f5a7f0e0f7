package fts5

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/names"
	"github.com/folio-search/folio/internal/search"
)

// Entity filters match names as the Bleve engine matches them: a value
// stands for the canonical names of its facet that it spells
// (internal/names). The tables are read from vals when a search first
// needs them after a write.

// nameTables are the name tables of the entity facets, as of generation
// built of the database's writes.
type nameTables struct {
	gen   atomic.Uint64 // bumped by every write that lands
	mu    sync.Mutex
	built uint64
	tabs  map[string]*names.Table // by facet name
}

// table returns the name table of the facet, read again after a write.
func (d *DB) nameTable(ctx context.Context, f facet.Facet) (*names.Table, error) {
	nt := &d.names
	gen := nt.gen.Load()
	nt.mu.Lock()
	defer nt.mu.Unlock()
	if nt.tabs == nil || nt.built != gen {
		nt.tabs, nt.built = map[string]*names.Table{}, gen
	}
	if t := nt.tabs[f.Name]; t != nil {
		return t, nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT DISTINCT value FROM vals WHERE facet = ?`, f.Name)
	if err != nil {
		return nil, fmt.Errorf("fts5 entity names: %w", err)
	}
	defer rows.Close()
	var all []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("fts5 entity names: %w", err)
		}
		all = append(all, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 entity names: %w", err)
	}
	t := names.NewTable(all)
	nt.tabs[f.Name] = t
	return t, nil
}

// resolver returns the canonical names a filter value stands for, for
// compile, noting them in matched unless the filter is an exclusion.
func (d *DB) resolver(ctx context.Context, matched map[string][]string) func(f facet.Facet, value string, not bool) ([]string, error) {
	return func(f facet.Facet, value string, not bool) ([]string, error) {
		if f.EntityType == "" {
			return nil, nil
		}
		t, err := d.nameTable(ctx, f)
		if err != nil {
			return nil, err
		}
		found := search.EntityNames(f, value, t.Match)
		found = found[:min(len(found), search.MaxVariantNames)]
		if !not {
			search.AddMatched(matched, f.Name, found)
		}
		return found, nil
	}
}
