// Package facet is Folio's one list of facets: for each, its name in the
// API (the facet's key, its filter parameter and its query prefix), the
// index field that holds it, where its values come from in an article,
// its column in exports and its label on the page. The query parser, the
// engines' mappings and query compilers, the server, the export and the
// page (through GET /api/facets) all read this table, so a facet is added
// by adding a row.
package facet

import (
	"slices"
	"strings"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/textnorm"
)

// A Facet is one keyword facet and filter.
type Facet struct {
	// Name is the facet's key in answers, its filter parameter
	// (person=…) and its query prefix (person:…).
	Name string
	// Aliases are other query prefixes for it (tags:).
	Aliases []string
	// Field is the index field holding the values; engines add their own
	// twins (a lower-cased key for filtering) beside it.
	Field string
	// HitKey is the hit's key for the article's values; Column is the
	// export's column.
	HitKey, Column string
	// Single marks a facet an article has at most one value of: a hit
	// then carries it as a string, omitted when empty.
	Single bool
	// EntityType is the entity type whose canonical names are the values
	// (PER, ORG, LOC), or "" for a field of the article.
	EntityType string
	// Label names the facet on the page; Singular names one value of it.
	Label, Singular string
	// Shared marks facets whose values are few and shared by many
	// articles (a tag, a source); an engine may store those leaner.
	Shared bool
	// field reads the values of an article's own field.
	field func(a *corpus.Article) []string
}

// Date is the name of the date histogram, the one facet that is not a
// keyword facet: it buckets matches by year, month or day.
const Date = "date"

// All are the keyword facets, in the order answers and exports list them.
var All = []Facet{
	{Name: "tag", Aliases: []string{"tags"}, Field: "tags", HitKey: "tags", Column: "tags",
		Label: "Tags", Singular: "Tag", Shared: true, field: func(a *corpus.Article) []string { return a.Tags }},
	{Name: "person", Field: "person", HitKey: "person", Column: "person", EntityType: "PER",
		Label: "People", Singular: "Person"},
	{Name: "org", Field: "org", HitKey: "org", Column: "org", EntityType: "ORG",
		Label: "Organisations", Singular: "Organisation"},
	{Name: "place", Field: "place", HitKey: "place", Column: "place", EntityType: "LOC",
		Label: "Places", Singular: "Place"},
	{Name: "author", Field: "author", HitKey: "author", Column: "author", Single: true,
		Label: "Authors", Singular: "Author", field: func(a *corpus.Article) []string { return nonEmpty(a.Author) }},
	{Name: "source", Field: "source", HitKey: "source", Column: "source", Single: true,
		Label: "Sources", Singular: "Source", Shared: true, field: func(a *corpus.Article) []string { return nonEmpty(a.Source) }},
	{Name: "section", Field: "section", HitKey: "section", Column: "section", Single: true,
		Label: "Sections", Singular: "Section", Shared: true, field: func(a *corpus.Article) []string { return nonEmpty(a.Section) }},
}

// Names are the facets a search can ask for: the keyword facets and the
// date histogram.
var Names = func() []string {
	var names []string
	for _, f := range All {
		names = append(names, f.Name)
	}
	return append(names, Date)
}()

// ByName returns the keyword facet of that name or query prefix.
func ByName(name string) (Facet, bool) {
	for _, f := range All {
		if f.Name == name || slices.Contains(f.Aliases, name) {
			return f, true
		}
	}
	return Facet{}, false
}

// Values lists an article's values of the facet: for an entity facet the
// canonical names of its entities of that type, in order, each once.
func (f Facet) Values(a *corpus.Article) []string {
	if f.EntityType == "" {
		return f.field(a)
	}
	var names []string
	seen := map[string]bool{}
	for _, e := range a.Entities {
		if e.Type == f.EntityType && !seen[e.Name] {
			seen[e.Name] = true
			names = append(names, e.Name)
		}
	}
	return names
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// Key is how a facet value is compared in filters, by every engine:
// folded, lower-cased, with runs of white space as one space, so that
// tag:"ilham  aliyev" finds "Ilham Aliyev".
func Key(v string) string {
	return strings.Join(strings.Fields(textnorm.Key(v)), " ")
}
