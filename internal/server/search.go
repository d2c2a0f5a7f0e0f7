package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// SearchResponse is the JSON of GET /api/search (DESIGN.md).
type SearchResponse struct {
	Query      string                         `json:"query"`
	Total      uint64                         `json:"total"`
	TookMS     float64                        `json:"took_ms"`
	Hits       []any                          `json:"hits"`
	Facets     map[string][]search.FacetValue `json:"facets"`
	Next       *string                        `json:"next"`
	Fuzzy      bool                           `json:"fuzzy"`
	DidYouMean *string                        `json:"did_you_mean"`
	// DidYouMeanTotal is how many articles did_you_mean finds, when a name
	// variant suggested it; DidYouMeanFilters are the filter parameters to
	// run it with, when those change too.
	DidYouMeanTotal   *uint64             `json:"did_you_mean_total,omitempty"`
	DidYouMeanFilters map[string][]string `json:"did_you_mean_filters,omitempty"`
	// Matched are the canonical names the entity filters stood for.
	Matched map[string][]string `json:"matched"`
	// Expansion are the words feedback from the best matches added to
	// the ranking (stemmed, as indexed); empty when none.
	Expansion []string `json:"expansion"`
}

// Answer is the API's answer to the query q with its result res.
func Answer(q string, res *search.Result) SearchResponse {
	out := SearchResponse{
		Query: q, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits: make([]any, 0, len(res.Hits)), Facets: res.Facets, Fuzzy: res.Fuzzy,
		Matched: res.Matched, DidYouMeanFilters: res.DidYouMeanFilters, Expansion: res.Expansion,
	}
	if out.Matched == nil {
		out.Matched = map[string][]string{}
	}
	if out.Expansion == nil {
		out.Expansion = []string{}
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitObject(h, true))
	}
	if res.DidYouMean != "" || res.DidYouMeanFilters != nil {
		out.DidYouMean = &res.DidYouMean
	}
	if res.DidYouMeanTotal > 0 {
		out.DidYouMeanTotal = &res.DidYouMeanTotal
	}
	if res.Next != "" {
		out.Next = &res.Next
	}
	return out
}

// maxSnippets bounds the snippets parameter.
const maxSnippets = 10

func (s *Server) search(c echo.Context) error {
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	req, q, err := s.parseSearch(v)
	if err != nil {
		return err
	}
	return answerInSlot(s, c, func(ctx context.Context) (*search.Result, error) { return s.engine.Search(ctx, req) },
		func(res *search.Result) any { return Answer(q, res) })
}

// answerInSlot runs a search-like engine call in a search slot, under
// search.timeout, and answers its result as JSON, cacheable for
// search.cache_max_age. The call is cancelled as soon as shutdown begins:
// it is short, its client can retry elsewhere, and exports and uploads
// get the cores.
func answerInSlot[T any](s *Server, c echo.Context, call func(context.Context) (T, error), answer func(T) any) error {
	res, err := runInSlot(s, c, call)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, answer(res))
}

// runInSlot is answerInSlot up to the answer, for answers that are not
// JSON (feeds): it runs the call and sets the answer's Cache-Control.
func runInSlot[T any](s *Server, c echo.Context, call func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := s.searchSlots.acquire(c.Request().Context()); err != nil {
		if errors.Is(err, errNoSlot) {
			s.metrics.shed.Inc()
			return zero, overloaded("searches", "server.max_concurrent_searches")
		}
		return zero, err
	}
	ctx, cancel := s.untilShutdown(c.Request().Context())
	defer cancel()
	res, done, err := runEngine(s, ctx, call)
	s.searchSlots.releaseAfter(done)
	if err != nil {
		return zero, err
	}
	if c.Request().Context().Err() != nil {
		return zero, errClientGone // it left while the search ran: nobody reads the answer
	}
	cache := "no-store"
	if age := s.cfg.Search.CacheMaxAge; age > 0 {
		cache = fmt.Sprintf("public, max-age=%d", int(age.Seconds()))
	}
	c.Response().Header().Set("Cache-Control", cache)
	return res, nil
}

// queryParams are the request's query parameters. Unlike Echo's
// QueryParams, which drops a pair it cannot decode (so q=%zz would search
// for everything), a broken percent-encoding is a 400.
func queryParams(c echo.Context) (url.Values, error) {
	for pair := range strings.SplitSeq(c.Request().URL.RawQuery, "&") {
		if strings.Contains(pair, ";") {
			continue // dropped, as net/url does
		}
		name, value, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(name)
		if err != nil {
			return nil, badParam(strings.ToValidUTF8(name, "?"), "has a broken percent-encoding")
		}
		if _, err := url.QueryUnescape(value); err != nil {
			return nil, badParam(strings.ToValidUTF8(key, "?"), "has a broken percent-encoding")
		}
	}
	return c.QueryParams(), nil
}

// searchError turns the index's complaint about a request into a 400.
func searchError(err error) error {
	var bad *search.BadRequestError
	if errors.As(err, &bad) {
		code := bad.Code
		if code == "" {
			code = "bad_request"
		}
		return apiError(http.StatusBadRequest, code, bad.Msg, -1)
	}
	return err
}

// parseSearch validates the parameters of a search. Every problem is a 400
// that names the parameter.
func (s *Server) parseSearch(v url.Values) (search.Request, string, error) {
	lim := s.cfg.Search
	req := search.Request{Filters: map[string][]string{}, Fragments: lim.Snippets, MaxExpansions: lim.MaxExpansions}
	node, q, err := s.parseQ(v)
	if err != nil {
		return req, q, err
	}
	req.Query = node

	for _, f := range facet.All {
		values, err := listParam(v, f.Name)
		if err != nil {
			return req, q, err
		}
		if len(values) > 0 {
			req.Filters[f.Name] = values
		}
	}
	if req.From, req.To, err = dateRangeParams(v); err != nil {
		return req, q, err
	}
	if req.Sort, err = sortParam(v); err != nil {
		return req, q, err
	}
	if req.Size, err = intParam(v, "size", lim.DefaultSize, 1, lim.MaxSize, "search.max_size"); err != nil {
		return req, q, err
	}
	if req.Page, err = intParam(v, "page", 1, 1, lim.MaxPage, "search.max_page; use the after cursor to go deeper"); err != nil {
		return req, q, err
	}
	if req.FacetSize, err = intParam(v, "facet_size", lim.FacetSize, 1, lim.MaxFacetSize, "search.max_facet_size"); err != nil {
		return req, q, err
	}
	req.After = v.Get("after")
	if req.Fragments, err = intParam(v, "snippets", lim.Snippets, 0, maxSnippets, "at most 10"); err != nil {
		return req, q, err
	}
	if req.Facets, err = facetsParam(v, facet.Names); err != nil {
		return req, q, err
	}
	switch v.Get("expand") {
	case "":
		req.NoExpand = !lim.Expand
	case "true":
	case "false":
		req.NoExpand = true
	default:
		return req, q, badParam("expand", "must be true or false")
	}
	return req, q, nil
}

// parseQ reads and parses the q parameter.
func (s *Server) parseQ(v url.Values) (query.Node, string, error) {
	q := v.Get("q")
	if !utf8.ValidString(q) {
		return nil, q, apiError(http.StatusBadRequest, "bad_query", "q is not valid UTF-8", -1)
	}
	if n, max := utf8.RuneCountInString(q), s.cfg.Search.MaxQueryLen; n > max {
		return nil, q, apiError(http.StatusBadRequest, "query_too_long",
			fmt.Sprintf("q has %d characters; the limit is %d (search.max_query_len)", n, max), max)
	}
	node, err := query.Parse(q)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return nil, q, apiError(http.StatusBadRequest, "bad_query", qe.Msg, qe.Pos)
		}
		return nil, q, apiError(http.StatusBadRequest, "bad_query", err.Error(), -1)
	}
	return node, q, nil
}

// dateRangeParams reads from and to.
func dateRangeParams(v url.Values) (from, to time.Time, err error) {
	if from, err = dateParam(v, "from", false); err != nil {
		return
	}
	if to, err = dateParam(v, "to", true); err != nil {
		return
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		err = badParam("to", "is before from")
	}
	return
}

// sortParam reads sort.
func sortParam(v url.Values) (string, error) {
	switch sort := v.Get("sort"); sort {
	case "", search.ByRelevance, search.ByDate, search.ByDateDesc:
		return sort, nil
	}
	return "", badParam("sort", "must be relevance, date or -date")
}

// listParam reads a repeatable parameter whose values may not be empty.
func listParam(v url.Values, name string) ([]string, error) {
	var out []string
	for _, val := range v[name] {
		if strings.TrimSpace(val) == "" {
			return nil, badParam(name, "is empty")
		}
		if !utf8.ValidString(val) {
			return nil, badParam(name, "is not valid UTF-8")
		}
		out = append(out, val)
	}
	return out, nil
}

// facetsParam reads facets= against the facet names known: nil when
// absent (all of them), [] for none.
func facetsParam(v url.Values, known []string) ([]string, error) {
	f, ok := v["facets"]
	if !ok {
		return nil, nil
	}
	out := []string{}
	for _, name := range strings.FieldsFunc(strings.Join(f, ","), func(r rune) bool { return r == ',' || r == ' ' }) {
		if name == "none" {
			continue
		}
		if !slices.Contains(known, name) {
			return nil, badParam("facets", fmt.Sprintf("names unknown facet %q (known: %s, or none)", name, strings.Join(known, ", ")))
		}
		out = append(out, name)
	}
	return out, nil
}

func badParam(name, problem string) *APIError {
	return apiError(http.StatusBadRequest, "bad_parameter", name+" "+problem, -1)
}

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(v url.Values, name string, def, lo, hi int, limitName string) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(name, fmt.Sprintf("must be a whole number, got %q", s))
	}
	if n < lo || n > hi {
		return 0, badParam(name, fmt.Sprintf("must be between %d and %d (%s), got %d", lo, hi, limitName, n))
	}
	return n, nil
}

// dateParam reads from/to as YYYY, YYYY-MM or YYYY-MM-DD. Both ends are
// inclusive at their precision, so "to" becomes the start of the next
// year, month or day.
func dateParam(v url.Values, name string, end bool) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	start, stop, err := query.DateSpan(s)
	if err != nil {
		return time.Time{}, badParam(name, fmt.Sprintf("must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got %q", s))
	}
	if end {
		return stop, nil
	}
	return start, nil
}
