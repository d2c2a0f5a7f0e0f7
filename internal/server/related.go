package server

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// RelatedResponse is the JSON of GET /api/entities/related (DESIGN.md).
type RelatedResponse struct {
	Entity struct {
		Type    string   `json:"type"`
		Name    string   `json:"name"`    // as asked
		Matched []string `json:"matched"` // the canonical names it stood for
	} `json:"entity"`
	Articles int                        `json:"articles"` // matching articles naming the entity
	Total    uint64                     `json:"total"`    // matching articles
	TookMS   float64                    `json:"took_ms"`
	Related  map[string][]RelatedEntity `json:"related"`
	Slices   []RelatedSlice             `json:"slices"`
}

// RelatedEntity is one entity of a RelatedResponse.
type RelatedEntity struct {
	Name     string  `json:"name"`
	Count    int     `json:"count"`    // articles naming both
	Articles int     `json:"articles"` // matching articles naming this one
	Score    float64 `json:"score"`    // log-likelihood ratio G²
	PMI      float64 `json:"pmi"`      // pointwise mutual information, bits
}

// RelatedSlice is one year or month of a RelatedResponse.
type RelatedSlice struct {
	Period   string                     `json:"period"`
	Articles int                        `json:"articles"`
	Related  map[string][]RelatedEntity `json:"related"`
}

// maxRelated bounds size and slice lists of /api/entities/related.
const maxRelated = 100

func (s *Server) related(c echo.Context) error {
	rf, ok := s.engine.(search.RelatedFinder)
	if !ok {
		return apiError(http.StatusNotImplemented, "not_implemented", "this engine does not list related entities", -1)
	}
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	req, format, err := s.parseRelated(v)
	if err != nil {
		return err
	}
	res, err := runInSlot(s, c, func(ctx context.Context) (*search.RelatedResult, error) { return rf.Related(ctx, req) })
	if err != nil {
		return err
	}
	if len(res.Names) == 0 {
		return apiError(http.StatusNotFound, "not_found", fmt.Sprintf("no %s is named %q", req.Facet, req.Name), -1)
	}
	out := answerRelated(req, res)
	switch format {
	case "csv":
		return writeRelatedCSV(c, out)
	case "graphml":
		return writeRelatedGraphML(c, out)
	}
	return c.JSON(http.StatusOK, out)
}

// parseRelated validates the parameters of /api/entities/related: the
// entity (type, name), the search's (q, filters, from, to), and size,
// min_count, types, slice and format.
func (s *Server) parseRelated(v url.Values) (search.RelatedRequest, string, error) {
	var req search.RelatedRequest
	req.Facet = v.Get("type")
	if f, ok := facet.ByName(req.Facet); !ok || f.EntityType == "" {
		return req, "", badParam("type", "must be person, org or place")
	}
	req.Name = strings.TrimSpace(v.Get("name"))
	if req.Name == "" {
		return req, "", badParam("name", "is missing")
	}
	if n := len([]rune(req.Name)); n > s.cfg.Search.MaxQueryLen {
		return req, "", badParam("name", fmt.Sprintf("has %d characters; the limit is %d (search.max_query_len)", n, s.cfg.Search.MaxQueryLen))
	}
	sr, _, err := s.parseSearch(v)
	if err != nil {
		return req, "", err
	}
	req.Search = sr
	if req.Size, err = intParam(v, "size", 20, 1, maxRelated, "at most 100"); err != nil {
		return req, "", err
	}
	if req.MinCount, err = intParam(v, "min_count", 2, 1, 1000000, "at least 1"); err != nil {
		return req, "", err
	}
	if t := v.Get("types"); t != "" {
		req.ListFacets = []string{}
		for _, name := range strings.Split(t, ",") {
			f, ok := facet.ByName(strings.TrimSpace(name))
			if !ok || f.EntityType == "" {
				return req, "", badParam("types", fmt.Sprintf("names %q, not person, org or place", name))
			}
			req.ListFacets = append(req.ListFacets, f.Name)
		}
	}
	switch sl := v.Get("slice"); sl {
	case "", "none":
	case search.SliceYear, search.SliceMonth:
		req.Slice = sl
	default:
		return req, "", badParam("slice", "must be year, month or none")
	}
	format := v.Get("format")
	switch format {
	case "", "json", "csv", "graphml":
	default:
		return req, "", badParam("format", "must be json, csv or graphml")
	}
	return req, format, nil
}

func answerRelated(req search.RelatedRequest, res *search.RelatedResult) RelatedResponse {
	var out RelatedResponse
	out.Entity.Type, out.Entity.Name, out.Entity.Matched = req.Facet, req.Name, res.Names
	out.Articles, out.Total, out.TookMS = res.Articles, res.Total, float64(res.Took.Microseconds())/1000
	out.Related = relatedLists(res.Related)
	out.Slices = []RelatedSlice{}
	for _, sl := range res.Slices {
		out.Slices = append(out.Slices, RelatedSlice{Period: sl.Period, Articles: sl.Articles, Related: relatedLists(sl.Related)})
	}
	return out
}

func relatedLists(in map[string][]search.RelatedEntity) map[string][]RelatedEntity {
	out := map[string][]RelatedEntity{}
	for name, list := range in {
		out[name] = []RelatedEntity{}
		for _, e := range list {
			out[name] = append(out[name], RelatedEntity{Name: e.Name, Count: e.Count, Articles: e.Articles,
				Score: round(e.Score), PMI: round(e.PMI)})
		}
	}
	return out
}

func round(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 3, 64), 64)
	return v
}

// relatedRows are the answer as rows: period ("" for all the matches),
// type, name, count, articles, score, pmi; types in the facet table's
// order.
func relatedRows(out RelatedResponse, yield func(period, typ string, e RelatedEntity)) {
	each := func(period string, lists map[string][]RelatedEntity) {
		for _, f := range facet.All {
			for _, e := range lists[f.Name] {
				yield(period, f.Name, e)
			}
		}
	}
	each("", out.Related)
	for _, sl := range out.Slices {
		each(sl.Period, sl.Related)
	}
}

func writeRelatedCSV(c echo.Context, out RelatedResponse) error {
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="related.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write([]string{"period", "type", "name", "count", "articles", "score", "pmi"})
	relatedRows(out, func(period, typ string, e RelatedEntity) {
		w.Write(neutralise([]string{period, typ, e.Name, strconv.Itoa(e.Count), strconv.Itoa(e.Articles),
			strconv.FormatFloat(e.Score, 'f', -1, 64), strconv.FormatFloat(e.PMI, 'f', -1, 64)}))
	})
	w.Flush()
	return w.Error()
}

// GraphML: the entity and those related to it over all the matches, as
// nodes with their type; an edge from the entity to each, with the
// count and score. Slices are left out: a graph tool slices by itself.
type graphML struct {
	XMLName xml.Name    `xml:"graphml"`
	NS      string      `xml:"xmlns,attr"`
	Keys    []graphKey  `xml:"key"`
	Graph   graphMLBody `xml:"graph"`
}

type graphKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphMLBody struct {
	EdgeDefault string      `xml:"edgedefault,attr"`
	Nodes       []graphNode `xml:"node"`
	Edges       []graphEdge `xml:"edge"`
}

type graphData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type graphNode struct {
	ID   string      `xml:"id,attr"`
	Data []graphData `xml:"data"`
}

type graphEdge struct {
	Source string      `xml:"source,attr"`
	Target string      `xml:"target,attr"`
	Data   []graphData `xml:"data"`
}

func writeRelatedGraphML(c echo.Context, out RelatedResponse) error {
	g := graphML{NS: "http://graphml.graphdrawing.org/xmlns", Keys: []graphKey{
		{"name", "node", "name", "string"}, {"type", "node", "type", "string"}, {"articles", "node", "articles", "int"},
		{"count", "edge", "count", "int"}, {"score", "edge", "score", "double"}, {"pmi", "edge", "pmi", "double"},
	}}
	g.Graph.EdgeDefault = "undirected"
	center := out.Entity.Type + ":" + out.Entity.Matched[0]
	g.Graph.Nodes = append(g.Graph.Nodes, graphNode{ID: center, Data: []graphData{
		{"name", out.Entity.Matched[0]}, {"type", out.Entity.Type}, {"articles", strconv.Itoa(out.Articles)}}})
	relatedRows(out, func(period, typ string, e RelatedEntity) {
		if period != "" {
			return
		}
		id := typ + ":" + e.Name
		g.Graph.Nodes = append(g.Graph.Nodes, graphNode{ID: id, Data: []graphData{
			{"name", e.Name}, {"type", typ}, {"articles", strconv.Itoa(e.Articles)}}})
		g.Graph.Edges = append(g.Graph.Edges, graphEdge{Source: center, Target: id, Data: []graphData{
			{"count", strconv.Itoa(e.Count)}, {"score", strconv.FormatFloat(e.Score, 'f', -1, 64)},
			{"pmi", strconv.FormatFloat(e.PMI, 'f', -1, 64)}}})
	})
	h := c.Response().Header()
	h.Set("Content-Type", "application/graphml+xml; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="related.graphml"`)
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(c.Response())
	enc.Indent("", " ")
	return enc.Encode(g)
}
