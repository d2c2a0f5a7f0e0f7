package opensearch

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// maxHighlightText is how many characters of a field the highlighter
// reads for marks, as Bleve's highlighter reads a megabyte.
const maxHighlightText = 1 << 20

// sortFor is the DSL sort of a request's order. The ID breaks ties, so
// that pages and cursors are deterministic; date orders leave the score
// out, so that a cursor over them stays exact while articles are added.
// Undated articles sort as the oldest, as in Bleve.
func sortFor(name string, scored bool) ([]any, string, error) {
	switch {
	case name == search.ByDate:
		return []any{obj{fDate: obj{"order": "asc", "missing": "_first"}}, obj{fID: "asc"}}, "a", nil
	case name == search.ByDateDesc || (!scored && (name == "" || name == search.ByRelevance)):
		return []any{obj{fDate: obj{"order": "desc", "missing": "_last"}}, obj{fID: "desc"}}, "d", nil
	case name == "" || name == search.ByRelevance:
		return []any{obj{"_score": "desc"}, obj{fID: "asc"}}, "r", nil
	}
	return nil, "", &search.BadRequestError{Msg: fmt.Sprintf("unknown sort %q", name)}
}

// A cursor is the sort values of a page's last hit as the cluster gave
// them (JSON, so that 64-bit dates keep every digit), behind a letter
// naming the order, base64 encoded: search_after resumes from it.
func encodeCursor(order string, values []json.RawMessage) string {
	data, _ := json.Marshal(values)
	return order + base64.RawURLEncoding.EncodeToString(data)
}

func decodeCursor(s, order string) ([]json.RawMessage, error) {
	bad := &search.BadRequestError{Msg: "invalid after cursor: pass the next value of a previous response with the same sort"}
	if len(s) < 2 || s[:1] != order {
		return nil, bad
	}
	data, err := base64.RawURLEncoding.DecodeString(s[1:])
	if err != nil {
		return nil, bad
	}
	var values []json.RawMessage
	if err := json.Unmarshal(data, &values); err != nil || len(values) != 2 {
		return nil, bad
	}
	for _, v := range values {
		var x any
		d := json.NewDecoder(bytes.NewReader(v))
		d.UseNumber()
		if d.Decode(&x) != nil {
			return nil, bad
		}
		switch x.(type) {
		case json.Number, string:
		default:
			return nil, bad
		}
	}
	return values, nil
}

// searchPath is the search endpoint of the index. A search that misses a
// shard fails as a whole rather than answer with a smaller total.
func (e *Engine) searchPath() string {
	return "/" + e.index + "/_search?allow_partial_search_results=false"
}

// shards is the account of shards a search or count answer gives.
type shards struct {
	Total  int `json:"total"`
	Failed int `json:"failed"`
}

// check makes an answer that some shard did not give an error: its counts
// would be short.
func (s shards) check() error {
	if s.Failed > 0 {
		return fmt.Errorf("opensearch: %w: %d of %d shards failed", search.ErrUnavailable, s.Failed, s.Total)
	}
	return nil
}

// answer is the part of a search answer Folio reads.
type answer struct {
	Shards shards `json:"_shards"`
	Hits   struct {
		Total struct {
			Value uint64 `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID        string              `json:"_id"`
			Score     *float64            `json:"_score"`
			Source    json.RawMessage     `json:"_source"`
			Sort      []json.RawMessage   `json:"sort"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      json.RawMessage `json:"key"`
			KeyText  string          `json:"key_as_string"`
			DocCount int             `json:"doc_count"`
		} `json:"buckets"`
	} `json:"aggregations"`
}

// Search runs req: relevance is the cluster's BM25 with the title
// boosted and the proximity bonus of compile.go; facets are terms
// aggregations and the date a histogram by month (by day when the
// matches fall in one month). Pages after the first come by from and
// size, or by search_after from a cursor. Prefix and fuzzy words expand
// as the cluster bounds them (Request.MaxExpansions is not read), and
// misspelt words are not retried.
func (e *Engine) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	start := time.Now()
	var c compiler
	q, err := c.requestQuery(&req)
	if err != nil {
		return nil, err
	}
	sort, order, err := sortFor(req.Sort, c.m.scored())
	if err != nil {
		return nil, err
	}
	size := req.Size
	if size <= 0 {
		size = 10
	}
	body := obj{
		"query":            q,
		"size":             size + 1, // one more, to know whether a page follows
		"sort":             sort,
		"track_total_hits": true,
		"track_scores":     true,
	}
	if req.After != "" {
		after, err := decodeCursor(req.After, order)
		if err != nil {
			return nil, err
		}
		body["search_after"] = after
	} else if req.Page > 1 {
		body["from"] = (req.Page - 1) * size
	}
	if aggs := aggregations(&req); len(aggs) > 0 {
		body["aggs"] = aggs
	}
	if hl := c.m.highlight(req.Fragments > 0); hl != nil {
		body["highlight"] = hl
	}
	var got answer
	if err := e.do(ctx, http.MethodPost, e.searchPath(), body, &got); err != nil {
		return nil, err
	}
	if err := got.Shards.check(); err != nil {
		return nil, err
	}
	res := &search.Result{Total: got.Hits.Total.Value, Facets: map[string][]search.FacetValue{}}
	hits := got.Hits.Hits
	if len(hits) > size {
		hits = hits[:size]
		res.Next = encodeCursor(order, hits[size-1].Sort)
	}
	for _, h := range hits {
		a, err := article(h.Source)
		if err != nil {
			return nil, err
		}
		hit := search.Hit{ID: h.ID, URL: a.URL, Date: a.Date, Values: map[string][]string{}}
		if h.Score != nil {
			hit.Score = *h.Score
		}
		for _, f := range facet.All {
			hit.Values[f.Name] = f.Values(a)
		}
		if req.WithBody {
			hit.Body = a.Body
		}
		hit.Title, hit.Fragments = c.m.fragments(a, h.Highlight, req.Fragments)
		res.Hits = append(res.Hits, hit)
	}
	for _, f := range facet.All {
		if !req.WantsFacet(f.Name) {
			continue
		}
		res.Facets[f.Name] = []search.FacetValue{}
		for _, b := range got.Aggregations[f.Name].Buckets {
			var v string
			if json.Unmarshal(b.Key, &v) == nil {
				res.Facets[f.Name] = append(res.Facets[f.Name], search.FacetValue{Value: v, Count: b.DocCount})
			}
		}
	}
	if req.WantsFacet(facet.Date) {
		months := buckets(got.Aggregations[facet.Date].Buckets)
		var days []search.FacetValue
		if len(months) == 1 {
			if days, err = e.days(ctx, q); err != nil {
				return nil, err
			}
		}
		res.Facets[facet.Date] = search.DateHistogram(months, days)
	}
	res.Took = time.Since(start)
	return res, nil
}

// aggregations are the facets req asks for: the top values of each
// keyword facet, by count then value as Bleve ranks them, and the
// matches by month.
func aggregations(req *search.Request) obj {
	size := req.FacetSize
	if size <= 0 {
		size = 10
	}
	aggs := obj{}
	for _, f := range facet.All {
		if req.WantsFacet(f.Name) {
			aggs[f.Name] = obj{"terms": obj{
				"field": f.Field, "size": size,
				// Counts are exact for values within a shard's top shard_size.
				"shard_size": size*4 + 100,
				"order":      []any{obj{"_count": "desc"}, obj{"_key": "asc"}},
			}}
		}
	}
	if req.WantsFacet(facet.Date) {
		aggs[facet.Date] = histogram("month", "yyyy-MM")
	}
	return aggs
}

func histogram(interval, format string) obj {
	return obj{"date_histogram": obj{"field": fDate, "calendar_interval": interval, "format": format, "min_doc_count": 1}}
}

// buckets reads a date histogram's buckets as facet values.
func buckets(bs []struct {
	Key      json.RawMessage `json:"key"`
	KeyText  string          `json:"key_as_string"`
	DocCount int             `json:"doc_count"`
}) []search.FacetValue {
	var out []search.FacetValue
	for _, b := range bs {
		out = append(out, search.FacetValue{Value: b.KeyText, Count: b.DocCount})
	}
	return out
}

// days counts the matches of q by day, for a histogram of one month.
func (e *Engine) days(ctx context.Context, q obj) ([]search.FacetValue, error) {
	var got answer
	body := obj{"query": q, "size": 0, "aggs": obj{"days": histogram("day", "yyyy-MM-dd")}}
	if err := e.do(ctx, http.MethodPost, e.searchPath(), body, &got); err != nil {
		return nil, err
	}
	if err := got.Shards.check(); err != nil {
		return nil, err
	}
	return buckets(got.Aggregations["days"].Buckets), nil
}
