package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/facet"
)

// facetInfo is one facet as GET /api/facets describes it, for the page
// and for integrators: Name is the key in answers, the filter parameter
// and the query prefix.
type facetInfo struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"` // "terms" or "date"
	Label    string   `json:"label"`
	Singular string   `json:"singular"`
	HitKey   string   `json:"hit_key,omitempty"` // the hit's key for an article's values
	Single   bool     `json:"single,omitempty"`  // a hit holds one value, as a string
	Prefixes []string `json:"prefixes,omitempty"`
	Entity   string   `json:"entity,omitempty"` // PER, ORG or LOC for entity facets
}

// facets answers GET /api/facets: the facet table.
func (s *Server) facets(c echo.Context) error {
	out := []facetInfo{}
	for _, f := range facet.All {
		out = append(out, facetInfo{
			Name: f.Name, Kind: "terms", Label: f.Label, Singular: f.Singular, HitKey: f.HitKey,
			Single: f.Single, Prefixes: append([]string{f.Name + ":"}, prefixes(f.Aliases)...), Entity: f.EntityType,
		})
	}
	out = append(out, facetInfo{Name: facet.Date, Kind: "date", Label: "Dates", Singular: "Date", Prefixes: []string{"date:"}})
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.JSON(http.StatusOK, map[string]any{"facets": out})
}

func prefixes(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + ":"
	}
	return out
}
