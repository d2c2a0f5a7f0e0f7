package search

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/textnorm"
)

// Name variants in suggestions. Every engine that matches entity filters
// by their spellings (internal/names) offers the same did-you-mean: a
// filter value that names no one is replaced by the nearest known name,
// and a phrase or word that spells a known name otherwise by that name.
// The engines differ only in where their names come from, which they
// give as a NameLookup.

// VariantBelow is the number of hits under which a search looks for a
// spelling of a known name in its phrases and words that would find more
// ("Ilham Aliev" for Ilham Aliyev). Searches that find a page or more
// never pay for the look.
const VariantBelow = 10

// MaxVariantNames bounds the canonical names one filter value stands for
// (a common surname typed alone).
const MaxVariantNames = 100

// A NameLookup returns the names of the index in entity facet f that
// typed stands for (names.Table.Match), each held by some article.
type NameLookup func(f facet.Facet, typed string) ([]string, error)

// RewriteVariants returns n with its phrases and words that spell a known
// entity's name otherwise replaced by that name, and whether it replaced
// any. Exclusions and quote: are left as typed. A quoted phrase stays
// exact in the search itself: the rewrite is only offered.
func RewriteVariants(n query.Node, lookup NameLookup) (query.Node, bool, error) {
	v := variantRewriter{lookup: lookup}
	out := v.rewrite(n)
	return out, v.changed, v.err
}

type variantRewriter struct {
	lookup  NameLookup
	changed bool
	err     error
}

func (v *variantRewriter) rewrite(n query.Node) query.Node {
	switch n := n.(type) {
	case query.And:
		return query.And{Nodes: mapNodes(n.Nodes, v.rewrite)}
	case query.Or:
		return query.Or{Nodes: mapNodes(n.Nodes, v.rewrite)}
	case query.Phrase:
		if n.Field == "quote" {
			return n
		}
		if name := v.known(strings.Join(n.Words, " ")); name != "" {
			if p, ok := reparse(`"` + name + `"`).(query.Phrase); ok {
				p.Field, p.Slop, p.Pos = n.Field, n.Slop, n.Pos
				v.changed = true
				return p
			}
		}
	case query.Term:
		if n.Field == "quote" {
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
	return n // an exclusion is left as typed, and so is anything else
}

// known returns the first entity name, of any entity facet, that typed
// spells otherwise; "" when it spells none or spells one as written.
func (v *variantRewriter) known(typed string) string {
	for _, f := range facet.All {
		if f.EntityType == "" || v.err != nil {
			continue
		}
		found, err := v.lookup(f, typed)
		if err != nil {
			v.err = err
			return ""
		}
		for _, name := range found {
			if facet.Key(name) == facet.Key(typed) {
				return "" // written as the index writes it: nothing to offer
			}
			if w := strings.Fields(name); len(strings.Fields(typed)) == 1 && strings.EqualFold(w[len(w)-1], typed) {
				return ""
			}
			return name
		}
	}
	return ""
}

// ReplaceFilter returns n with the value of its filter f (outside
// exclusions) replaced by value, and whether there was one.
func ReplaceFilter(n query.Node, f query.Filter, value string) (query.Node, bool) {
	changed := false
	var replace func(n query.Node) query.Node
	replace = func(n query.Node) query.Node {
		switch n := n.(type) {
		case query.Filter:
			if n.Field == f.Field && n.Value == f.Value {
				n.Value = value
				changed = true
			}
			return n
		case query.And:
			return query.And{Nodes: mapNodes(n.Nodes, replace)}
		case query.Or:
			return query.Or{Nodes: mapNodes(n.Nodes, replace)}
		}
		return n
	}
	out := replace(n)
	return out, changed
}

func mapNodes(nodes []query.Node, f func(query.Node) query.Node) []query.Node {
	out := make([]query.Node, len(nodes))
	for i, c := range nodes {
		out[i] = f(c)
	}
	return out
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

// Variants are what SuggestVariant needs of an engine.
type Variants struct {
	Lookup NameLookup
	// Nearest returns the names of facet f nearest to typed
	// (names.Table.Nearest), each held by some article.
	Nearest func(f facet.Facet, typed string) ([]string, error)
	// Total runs req and returns how many articles it finds.
	Total func(ctx context.Context, req Request) (uint64, error)
}

// SuggestVariant sets out's suggestion to req with its entity filters
// that matched no name (missed) replaced by the nearest known names, and
// its phrases and words that spell a known name otherwise by that name,
// when that finds more than out.
func SuggestVariant(ctx context.Context, req Request, missed []query.Filter, out *Result, v Variants) error {
	alt := req
	alt.Filters = maps.Clone(req.Filters)
	changed, filters := false, false
	for _, m := range missed {
		f, ok := facet.ByName(m.Field)
		if !ok {
			continue
		}
		near, err := v.Nearest(f, m.Value)
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
			changed, filters = true, true
			continue
		}
		var c bool
		alt.Query, c = ReplaceFilter(alt.Query, m, near[0])
		changed = changed || c
	}
	q, c, err := RewriteVariants(alt.Query, v.Lookup)
	if err != nil {
		return err
	}
	if alt.Query, changed = q, changed || c; !changed {
		return nil
	}
	alt.Size, alt.Page, alt.After, alt.Fragments, alt.Facets, alt.WithBody = 1, 1, "", 0, []string{}, false
	total, err := v.Total(ctx, alt)
	if err != nil {
		var bad *BadRequestError
		if errors.As(err, &bad) {
			return nil // a variant the engine cannot run is no suggestion
		}
		return err
	}
	if total <= out.Total {
		return nil
	}
	out.DidYouMean = query.Format(alt.Query)
	if filters {
		out.DidYouMeanFilters = alt.Filters
	}
	out.DidYouMeanTotal = total
	return nil
}

// EntityNames returns the names that value stands for in entity facet f,
// by match (a names.Table's Match): a firm's name given with its legal
// form ("Rolls-Royce PLC") also stands for the names without it.
func EntityNames(f facet.Facet, value string, match func(typed string) []string) []string {
	found := match(value)
	if f.EntityType == "ORG" {
		if short := textnorm.WithoutLegalForm(value); short != value {
			for _, n := range match(short) {
				if !slices.Contains(found, n) {
					found = append(found, n)
				}
			}
		}
	}
	return found
}

// AddMatched notes in matched, by facet name, the names an entity filter
// of facet name matched, each once; it makes matched when nil.
func AddMatched(matched map[string][]string, name string, found []string) map[string][]string {
	if matched == nil {
		matched = map[string][]string{}
	}
	for _, n := range found {
		if !slices.Contains(matched[name], n) {
			matched[name] = append(matched[name], n)
		}
	}
	return matched
}
