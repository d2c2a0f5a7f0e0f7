package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// The engine finds related entities.
var _ search.RelatedFinder = (*Engine)(nil)

// Related entities come from two searches, and their counts are exact
// however many shards the index has. Terms aggregations are not: a shard
// sends only its top shard_size values, so a value's count can miss the
// shards where it ranked lower. Instead:
//
//   - The foreground, the matching articles that name the entity, is read
//     with composite aggregations, one a facet (and one a facet keyed by
//     period as well, for slices), paged with after_key: every value with
//     its exact count, whatever the shards. A date histogram counts the
//     foreground of each period.
//   - The background, every matching article, counts only the values met
//     in the foreground: terms aggregations with an include list of them,
//     as many buckets as values, so that each shard sends all it has.
//
// Both read one point in time, the view that first pages of searches
// share. Scores are then those of the Bleve engine (search.Association and
// search.RankRelated), with the same minimum count and the same order.

// relatedPage is how many values one page of a foreground composite
// aggregation brings (up to six at once: 60,000 buckets), includeChunk
// how many values one background terms aggregation counts, and
// requestBuckets how many of those buckets one background request holds:
// all under the cluster's default bound of 65,535 buckets an answer
// (search.max_buckets). Variables, so that a test can page.
var (
	relatedPage    = 10_000
	includeChunk   = 10_000
	requestBuckets = 50_000
)

// Related lists the entities most associated with req's entity. Like
// Search, it tries once more after a node has failed.
func (e *Engine) Related(ctx context.Context, req search.RelatedRequest) (*search.RelatedResult, error) {
	start := time.Now()
	res, err := e.related(ctx, req)
	if errors.Is(err, search.ErrUnavailable) && ctx.Err() == nil {
		e.wrote() // the shared point in time may hold the failed node's contexts
		select {
		case <-time.After(retryPause):
		case <-ctx.Done():
			return nil, err
		}
		res, err = e.related(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

func (e *Engine) related(ctx context.Context, req search.RelatedRequest) (*search.RelatedResult, error) {
	f, fields, err := req.Facets()
	if err != nil {
		return nil, err
	}
	size, minCount := req.Limits()
	tabs, err := e.nameTables(ctx)
	if err != nil {
		return nil, err
	}
	// The entity's names resolve as an entity filter's value does.
	own := variants{tabs: tabs}
	entity, _ := own.entityFilter(f, req.Name, false)
	names := own.matched[f.Name]
	out := &search.RelatedResult{Names: names, Related: map[string][]search.RelatedEntity{}}
	for _, g := range fields {
		out.Related[g.Name] = []search.RelatedEntity{}
	}
	if len(names) == 0 {
		return out, nil
	}
	bg := search.Request{Query: req.Search.Query, Filters: req.Search.Filters, From: req.Search.From, To: req.Search.To}
	c := compiler{v: variants{tabs: tabs}}
	q, err := c.requestQuery(&bg)
	if err != nil {
		return nil, err
	}
	// Both searches read one point in time, so that an ingest between
	// them cannot count an article in one and not the other; without one
	// (the cluster's limit of them reached) they read the live index.
	pit, err := e.pit(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	fg, err := e.foreground(ctx, pit, obj{"bool": obj{"must": q, "filter": entity}}, fields, req.Slice)
	if err != nil {
		return nil, err
	}
	// The background counts every value some list could hold: those met
	// often enough overall, and in slices those met once.
	want := make([]map[string]bool, len(fields))
	for i := range fields {
		want[i] = map[string]bool{}
		for v, k := range fg.both[i] {
			if k >= minCount {
				want[i][v] = true
			}
		}
		for _, p := range fg.periods {
			for v := range p.both[i] {
				want[i][v] = true
			}
		}
	}
	total, all, err := e.background(ctx, pit, q, fields, want)
	if err != nil {
		return nil, err
	}
	out.Total, out.Articles = total, fg.articles
	n := int(total)
	rank := func(both map[string]int, i, fgn, minCount int) []search.RelatedEntity {
		list := []search.RelatedEntity{}
		for v, k := range both {
			if k < minCount || (fields[i].Field == f.Field && slices.Contains(names, v)) {
				continue // too rare, or the entity itself
			}
			a := all[i][v]
			g2, pmi := search.Association(k, fgn, a, n)
			list = append(list, search.RelatedEntity{Name: v, Count: k, Articles: a, Score: g2, PMI: pmi})
		}
		return search.RankRelated(list, size)
	}
	for i, g := range fields {
		out.Related[g.Name] = rank(fg.both[i], i, fg.articles, minCount)
	}
	for _, p := range fg.order {
		sl := fg.periods[p]
		rs := search.RelatedSlice{Period: p, Articles: sl.articles, Related: map[string][]search.RelatedEntity{}}
		for i, g := range fields {
			rs.Related[g.Name] = rank(sl.both[i], i, sl.articles, 1)
		}
		out.Slices = append(out.Slices, rs)
	}
	return out, nil
}

// relatedCounts are the foreground's articles and, by field, the
// articles naming each value.
type relatedCounts struct {
	articles int
	both     []map[string]int
}

// foregroundCounts are the foreground's counts overall and by period.
type foregroundCounts struct {
	relatedCounts
	periods map[string]*relatedCounts
	order   []string // the periods in time order
}

// relatedBucket is a composite aggregation's page.
type relatedBucket struct {
	After   obj `json:"after_key"`
	Buckets []struct {
		Key struct {
			V string `json:"v"`
			P string `json:"p"`
		} `json:"key"`
		DocCount int `json:"doc_count"`
	} `json:"buckets"`
}

// foreground counts the values of fields in the articles q matches, and
// by period of slice when it is not search.SliceNone.
func (e *Engine) foreground(ctx context.Context, pit string, q obj, fields []facet.Facet, slice string) (*foregroundCounts, error) {
	out := &foregroundCounts{periods: map[string]*relatedCounts{}}
	for range fields {
		out.both = append(out.both, map[string]int{})
	}
	period := func(p string) *relatedCounts {
		c := out.periods[p]
		if c == nil {
			c = &relatedCounts{}
			for range fields {
				c.both = append(c.both, map[string]int{})
			}
			out.periods[p] = c
			out.order = append(out.order, p)
		}
		return c
	}
	interval, format := "", ""
	switch slice {
	case search.SliceYear:
		interval, format = "year", "yyyy"
	case search.SliceMonth:
		interval, format = "month", "yyyy-MM"
	}
	// Aggregations are named by field index: "o3" lists field 3 overall,
	// "s3" by period.
	after := map[string]obj{}
	todo := map[string]int{}
	for i := range fields {
		todo[fmt.Sprint("o", i)] = i
		if interval != "" {
			todo[fmt.Sprint("s", i)] = i
		}
	}
	first := true
	for len(todo) > 0 {
		aggs := obj{}
		for name, i := range todo {
			sources := []any{obj{"v": obj{"terms": obj{"field": fields[i].Field}}}}
			if name[0] == 's' {
				p := obj{"p": obj{"date_histogram": obj{"field": fDate, "calendar_interval": interval, "format": format}}}
				sources = append([]any{p}, sources...)
			}
			c := obj{"size": relatedPage, "sources": sources}
			if a := after[name]; a != nil {
				c["after"] = a
			}
			aggs[name] = obj{"composite": c}
		}
		if first && interval != "" {
			aggs["periods"] = histogram(interval, format)
		}
		var got struct {
			Shards shards `json:"_shards"`
			Hits   struct {
				Total struct {
					Value int `json:"value"`
				} `json:"total"`
			} `json:"hits"`
			Aggregations map[string]json.RawMessage `json:"aggregations"`
		}
		body := obj{"query": q, "size": 0, "track_total_hits": first, "aggs": aggs}
		if err := e.do(ctx, http.MethodPost, e.relatedPath(pit, body), body, &got); err != nil {
			return nil, err
		}
		if err := got.Shards.check(); err != nil {
			return nil, err
		}
		if first {
			out.articles = got.Hits.Total.Value
			var periods struct {
				Buckets []struct {
					Key      string `json:"key_as_string"`
					DocCount int    `json:"doc_count"`
				} `json:"buckets"`
			}
			if raw := got.Aggregations["periods"]; raw != nil {
				if err := json.Unmarshal(raw, &periods); err != nil {
					return nil, fmt.Errorf("opensearch: related periods: %w", err)
				}
			}
			for _, b := range periods.Buckets {
				period(b.Key).articles = b.DocCount
			}
			first = false
		}
		for name, i := range todo {
			var page relatedBucket
			if err := json.Unmarshal(got.Aggregations[name], &page); err != nil {
				return nil, fmt.Errorf("opensearch: related %s: %w", fields[i].Name, err)
			}
			for _, b := range page.Buckets {
				if name[0] == 's' {
					period(b.Key.P).both[i][b.Key.V] = b.DocCount
				} else {
					out.both[i][b.Key.V] = b.DocCount
				}
			}
			if len(page.Buckets) < relatedPage || page.After == nil {
				delete(todo, name)
			}
			after[name] = page.After
		}
	}
	sort.Strings(out.order)
	return out, nil
}

// relatedPath is where to send body: over the point in time pit, which
// it then names, or to the index when pit is "".
func (e *Engine) relatedPath(pit string, body obj) string {
	if pit == "" {
		return e.searchPath()
	}
	body["pit"] = obj{"id": pit, "keep_alive": pitKeepAlive}
	return searchEndpoint
}

// background counts the articles q matches, and by field the articles
// naming each value of want, in as many requests as keep each answer
// within requestBuckets buckets.
func (e *Engine) background(ctx context.Context, pit string, q obj, fields []facet.Facet, want []map[string]bool) (uint64, []map[string]int, error) {
	type count struct {
		field  int
		values []string
	}
	all := make([]map[string]int, len(fields))
	var counts []count
	for i := range fields {
		all[i] = map[string]int{}
		values := make([]string, 0, len(want[i]))
		for v := range want[i] {
			values = append(values, v)
		}
		sort.Strings(values)
		for c := 0; c < len(values); c += includeChunk {
			counts = append(counts, count{i, values[c:min(c+includeChunk, len(values))]})
		}
	}
	var total uint64
	for first := true; first || len(counts) > 0; first = false {
		aggs, field, buckets := obj{}, map[string]int{}, 0
		for len(counts) > 0 && (len(aggs) == 0 || buckets+len(counts[0].values) <= requestBuckets) {
			c := counts[0]
			counts, buckets = counts[1:], buckets+len(c.values)
			name := fmt.Sprint("b", len(aggs))
			field[name] = c.field
			// Every value asked is a bucket, so each shard sends its count
			// of every one: the sums are exact.
			aggs[name] = obj{"terms": obj{"field": fields[c.field].Field, "include": c.values,
				"size": len(c.values), "shard_size": len(c.values), "min_doc_count": 1}}
		}
		body := obj{"query": q, "size": 0, "track_total_hits": first}
		if len(aggs) > 0 {
			body["aggs"] = aggs
		}
		var got answer
		if err := e.do(ctx, http.MethodPost, e.relatedPath(pit, body), body, &got); err != nil {
			return 0, nil, err
		}
		if err := got.Shards.check(); err != nil {
			return 0, nil, err
		}
		if first {
			total = got.Hits.Total.Value
		}
		for name, i := range field {
			for _, b := range got.Aggregations[name].Buckets {
				var v string
				if json.Unmarshal(b.Key, &v) == nil {
					all[i][v] = b.DocCount
				}
			}
		}
	}
	return total, all, nil
}
