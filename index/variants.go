package index

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/names"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/textnorm"
)

// Entity filters match names as journalists spell them: person:"Ilham
// Aliev", person:Алиев and person:"Ilham Əliyev" all find Ilham Aliyev.
// A filter on an entity facet stands for the canonical names of the index
// that the value folds to (names.Table), and the search says which ones
// matched. A search without an entity filter touches the tables only when
// it finds fewer than variantBelow articles, to look for a suggestion.

// maxVariantNames bounds the canonical names one filter value stands for
// (a common surname typed alone).
const maxVariantNames = 100

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

// match is the table's Match for field.
func (et *entityTables) match(field, typed string) []string {
	et.mu.RLock()
	defer et.mu.RUnlock()
	if t := et.tabs[field]; t != nil {
		return t.tab.Match(typed)
	}
	return nil
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
	found := rs.ix.entities.match(f.Field, value)
	if f.Field == fOrg {
		if short := textnorm.WithoutLegalForm(value); short != value {
			for _, n := range rs.ix.entities.match(f.Field, short) {
				if !slices.Contains(found, n) {
					found = append(found, n)
				}
			}
		}
	}
	found, err := live(rs.r, f.Field, found)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		if !negated {
			rs.missed = append(rs.missed, query.Filter{Field: f.Name, Value: value})
		}
		return filterQuery(name, value)
	}
	found = found[:min(len(found), maxVariantNames)]
	qs := make([]bq.Query, 0, len(found))
	for _, n := range found {
		q := bleve.NewTermQuery(facet.Key(n))
		q.SetField(keyField(f.Field))
		qs = append(qs, q)
	}
	if !negated {
		if rs.matched == nil {
			rs.matched = map[string][]string{}
		}
		for _, n := range found {
			if !slices.Contains(rs.matched[f.Name], n) {
				rs.matched[f.Name] = append(rs.matched[f.Name], n)
			}
		}
	}
	return disjunction(qs), nil
}

// variantBelow is the number of hits under which a search looks for a
// spelling of a known name in its phrases and words that would find more
// ("Ilham Aliev" for Ilham Aliyev). Searches that find more than a page
// never pay for the look.
const variantBelow = 10

// suggestVariant sets out's suggestion to req with its entity filters
// that matched nothing replaced by the nearest known names, and its
// phrases and words that spell a known name otherwise by that name, when
// that finds more than out.
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
	v := variantRewriter{ix: ix, r: r}
	alt := req
	alt.Filters = maps.Clone(req.Filters)
	for _, m := range missed {
		f, _ := facet.ByName(m.Field)
		near, err := live(r, f.Field, ix.entities.nearest(f.Field, m.Value))
		if err != nil {
			return err
		}
		if len(near) == 0 {
			continue
		}
		if i := slices.Index(req.Filters[m.Field], m.Value); i >= 0 {
			vals := slices.Clone(alt.Filters[m.Field])
			vals[i] = near[0]
			alt.Filters[m.Field] = vals
			v.changed, v.filters = true, true
			continue
		}
		alt.Query = replaceFilter(alt.Query, m, near[0], &v.changed)
	}
	alt.Query = v.rewrite(alt.Query, false)
	if v.err != nil {
		return v.err
	}
	if !v.changed {
		return nil
	}
	alt.Size, alt.Page, alt.After, alt.Fragments, alt.Facets, alt.WithBody = 1, 1, "", 0, []string{}, false
	res, err := ix.search(ctx, alt, searchOptions{})
	if err != nil {
		var bad *search.BadRequestError
		if errors.As(err, &bad) {
			return nil // a variant the engine cannot run is no suggestion
		}
		return err
	}
	if res.Total <= out.Total {
		return nil
	}
	out.DidYouMean = query.Format(alt.Query)
	if v.filters {
		out.DidYouMeanFilters = alt.Filters
	}
	out.DidYouMeanTotal = res.Total
	return nil
}

// replaceFilter returns n with the filter f's value replaced by value.
func replaceFilter(n query.Node, f query.Filter, value string, changed *bool) query.Node {
	switch n := n.(type) {
	case query.Filter:
		if n.Field == f.Field && n.Value == f.Value {
			n.Value = value
			*changed = true
		}
		return n
	case query.And:
		return query.And{Nodes: mapNodes(n.Nodes, func(c query.Node) query.Node { return replaceFilter(c, f, value, changed) })}
	case query.Or:
		return query.Or{Nodes: mapNodes(n.Nodes, func(c query.Node) query.Node { return replaceFilter(c, f, value, changed) })}
	}
	return n
}

func mapNodes(nodes []query.Node, f func(query.Node) query.Node) []query.Node {
	out := make([]query.Node, len(nodes))
	for i, c := range nodes {
		out[i] = f(c)
	}
	return out
}

// variantRewriter replaces the phrases and words of a query that spell a
// known entity's name otherwise by that name. A quoted phrase stays
// exact in the search itself: the rewrite is only offered.
type variantRewriter struct {
	ix      *Index
	r       bindex.IndexReader
	changed bool // some part of the query was replaced
	filters bool // some filter parameter was
	err     error
}

func (v *variantRewriter) rewrite(n query.Node, negated bool) query.Node {
	switch n := n.(type) {
	case query.And:
		return query.And{Nodes: mapNodes(n.Nodes, func(c query.Node) query.Node { return v.rewrite(c, negated) })}
	case query.Or:
		return query.Or{Nodes: mapNodes(n.Nodes, func(c query.Node) query.Node { return v.rewrite(c, negated) })}
	case query.Not:
		return n // an exclusion is left as typed
	case query.Phrase:
		if n.Field == "quote" || negated {
			return n
		}
		typed := strings.Join(n.Words, " ")
		if name := v.known(typed); name != "" {
			if p, ok := reparse(`"` + name + `"`).(query.Phrase); ok {
				p.Field, p.Slop, p.Pos = n.Field, n.Slop, n.Pos
				v.changed = true
				return p
			}
		}
	case query.Term:
		if n.Field == "quote" || negated {
			return n
		}
		if name := v.known(n.Text); name != "" {
			// One word stands for a surname: offer the known spelling of it.
			words := strings.Fields(name)
			if t, ok := reparse(words[len(words)-1]).(query.Term); ok && t.Text != n.Text {
				t.Field, t.Pos = n.Field, n.Pos
				v.changed = true
				return t
			}
		}
	}
	return n
}

// known returns the first entity name, of any entity facet, that typed
// spells otherwise; "" when it spells none or spells one as written.
func (v *variantRewriter) known(typed string) string {
	for _, f := range facet.All {
		if f.EntityType == "" || v.err != nil {
			continue
		}
		// A suggestion may miss the names of the newest segments: the
		// table is read once here and kept up to date by filters, so that
		// searches that find little do not read columns to suggest.
		if !v.ix.entities.has(f.Field) {
			if err := v.ix.entities.update(&v.ix.cols, v.r, f.Field); err != nil {
				v.err = err
				return ""
			}
		}
		found, err := live(v.r, f.Field, v.ix.entities.match(f.Field, typed))
		if err != nil {
			v.err = err
			return ""
		}
		for _, name := range found {
			if facet.Key(name) == facet.Key(typed) {
				return "" // written as the index writes it: nothing to offer
			}
			if len(strings.Fields(typed)) == 1 && strings.EqualFold(lastWord(name), typed) {
				return ""
			}
			return name
		}
	}
	return ""
}

func lastWord(name string) string {
	w := strings.Fields(name)
	return w[len(w)-1]
}

// reparse parses text the query language's way; nil when it does not
// parse.
func reparse(text string) query.Node {
	n, err := query.Parse(text)
	if err != nil {
		return nil
	}
	return n
}
