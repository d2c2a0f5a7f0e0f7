package opensearch

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
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
	return "/" + e.index + searchEndpoint
}

// searchEndpoint is searchPath without the index, as a search over a
// point in time is sent.
const searchEndpoint = "/_search?allow_partial_search_results=false"

// pitKeepAlive is how long a point in time outlives the page that last
// used it: a client that takes longer to ask for the next page finds its
// cursor expired. Points in time are not closed: they are shared, and
// expire.
const pitKeepAlive = "2m"

// A relevance cursor holds a point in time, a frozen view of the index,
// besides the last hit's sort values: BM25's statistics change as
// articles are added, so scores taken from the live index would not
// continue the first page's order. Its letter is "p"; a cursor of
// letter "r" (no point in time could be opened) resumes on the live
// index.
//
// Among the ranks that feedback or the demotion of copies reordered, where
// a score cannot say what comes next, the cursor holds the rank instead
// of the sort values, and the next page is read again from the top of the
// same point in time and reordered the same way.
type pitCursor struct {
	PIT   string            `json:"pit"`
	After []json.RawMessage `json:"after,omitempty"`
	Rank  int               `json:"rank,omitempty"`
}

// maxCursorRank bounds the rank a cursor may hold, as the cluster bounds
// from + size (index.max_result_window).
const maxCursorRank = 10000

// pitReuse is how long first pages share one point in time. Opening one
// is a round trip to every shard, which on the local three-node cluster
// doubled the latency of a first page; shared, it costs one per second
// at most, and the open points in time stay few whatever the load (about
// 120 at a time, for pitKeepAlive). A search sees articles written by
// another process up to pitReuse late, as the cluster's refresh interval
// (1 s) already delays them; this engine's own writes end the sharing, so
// it reads them at once.
const pitReuse = time.Second

// sharedPIT is the point in time first pages in relevance order share.
type sharedPIT struct {
	mu     sync.Mutex
	id     string
	opened time.Time
}

// pit returns the shared point in time, opening a new one when it is
// older than pitReuse or a write ended it.
func (e *Engine) pit(ctx context.Context) (string, error) {
	e.shared.mu.Lock()
	defer e.shared.mu.Unlock()
	if e.shared.id != "" && time.Since(e.shared.opened) < pitReuse {
		return e.shared.id, nil
	}
	id, err := e.openPIT(ctx)
	if err != nil {
		return "", err
	}
	e.shared.id, e.shared.opened = id, time.Now()
	return id, nil
}

// wrote ends the sharing of the current point in time, which does not
// hold what was just written, and makes the name tables stale.
func (e *Engine) wrote() {
	e.gen.Add(1)
	e.shared.mu.Lock()
	e.shared.id = ""
	e.shared.mu.Unlock()
}

// openPIT opens a point in time on the index.
func (e *Engine) openPIT(ctx context.Context) (string, error) {
	var got struct {
		ID string `json:"pit_id"`
	}
	err := e.do(ctx, http.MethodPost, "/"+e.index+"/_search/point_in_time?keep_alive="+pitKeepAlive, nil, &got)
	if err == nil && got.ID == "" {
		err = errors.New("opensearch: no pit_id in the answer to opening a point in time")
	}
	return got.ID, err
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

// decodePITCursor reads a relevance cursor with its point in time.
func decodePITCursor(s string) (pitCursor, error) {
	bad := &search.BadRequestError{Msg: "invalid after cursor: pass the next value of a previous response with the same sort"}
	var cur pitCursor
	data, err := base64.RawURLEncoding.DecodeString(s[1:])
	if err != nil || json.Unmarshal(data, &cur) != nil || cur.PIT == "" {
		return cur, bad
	}
	if cur.Rank != 0 || cur.After == nil {
		if cur.Rank <= 0 || cur.Rank > maxCursorRank || cur.After != nil {
			return cur, bad
		}
		return cur, nil
	}
	// The values are checked as those of a cursor without a point in time.
	values, _ := json.Marshal(cur.After)
	if _, err := decodeCursor("r"+base64.RawURLEncoding.EncodeToString(values), "r"); err != nil {
		return cur, bad
	}
	return cur, nil
}

// hitJSON is a hit of a search answer.
type hitJSON struct {
	ID        string              `json:"_id"`
	Score     *float64            `json:"_score"`
	Source    json.RawMessage     `json:"_source"`
	Sort      []json.RawMessage   `json:"sort"`
	Highlight map[string][]string `json:"highlight"`
}

// answer is the part of a search answer Folio reads.
type answer struct {
	Shards shards `json:"_shards"`
	PIT    string `json:"pit_id"`
	Hits   struct {
		Total struct {
			Value uint64 `json:"value"`
		} `json:"total"`
		Hits []hitJSON `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      json.RawMessage `json:"key"`
			KeyText  string          `json:"key_as_string"`
			DocCount int             `json:"doc_count"`
		} `json:"buckets"`
		// Words are the counts of wordCounts, in its aggregation.
		Words struct {
			Buckets []struct {
				DocCount int `json:"doc_count"`
			} `json:"buckets"`
		} `json:"words"`
	} `json:"aggregations"`
}

// Search runs req: relevance is the cluster's BM25 with the title
// boosted and the proximity bonus of compile.go; facets are terms
// aggregations and the date a histogram by month (by day when the
// matches fall in one month). Pages after the first come by from and
// size, or by search_after from a cursor; in relevance order the cursor
// pages through the point in time its first page opened, so that it
// stays exact while articles are added. A bare word that matches nothing
// is retried fuzzily (spell.go). Entity filters match the canonical
// names their values spell otherwise, and a search that finds few is
// offered a known name's spelling (variants.go). Prefix and fuzzy words
// expand as the cluster bounds them (Request.MaxExpansions is not read).
func (e *Engine) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	start := time.Now()
	res, missed, err := e.search(ctx, req, true)
	if errors.Is(err, search.ErrUnavailable) && ctx.Err() == nil {
		// A node that has just failed held a shard the search asked: the
		// cluster answers from the other copy a moment later, on a new
		// point in time (the shared one may hold that node's contexts).
		e.wrote()
		select {
		case <-time.After(retryPause):
		case <-ctx.Done():
			return nil, err
		}
		res, missed, err = e.search(ctx, req, true)
	}
	if err != nil {
		return nil, err
	}
	if res.DidYouMean == "" && (len(missed) > 0 || res.Total < search.VariantBelow) {
		if err := e.suggestVariant(ctx, req, missed, res); err != nil {
			return nil, err
		}
		res.Took = time.Since(start)
	}
	return res, nil
}

// retryPause is how long a search waits before it tries again a cluster
// that could not answer it. Killing one node of three under a stream of
// searches failed 2 of 459 within 31 ms of each other before retries.
const retryPause = 200 * time.Millisecond

// search is Search without its suggestion of name variants; spell says
// whether to count the words that might be misspelt and, if some match
// nothing, to search again with them fuzzy. It returns the positive
// entity filters that matched no name, for the suggestion.
func (e *Engine) search(ctx context.Context, req search.Request, spell bool) (*search.Result, []query.Filter, error) {
	start := time.Now()
	var words []query.Term
	if spell {
		words = candidates(req.Query, false, nil)
	}
	var c compiler
	if entityFilters(&req) {
		tabs, err := e.nameTables(ctx)
		if err != nil {
			return nil, nil, err
		}
		c.v.tabs = tabs
	}
	q, err := c.requestQuery(&req)
	if err != nil {
		return nil, nil, err
	}
	sort, order, err := sortFor(req.Sort, c.m.scored())
	if err != nil {
		return nil, nil, err
	}
	size := req.Size
	if size <= 0 {
		size = 10
	}
	body := obj{
		"query":            q,
		"sort":             sort,
		"track_total_hits": true,
		"track_scores":     true,
	}
	path, pit, from := e.searchPath(), "", 0
	switch {
	case req.After != "" && order == "r" && strings.HasPrefix(req.After, "p"):
		var cur pitCursor
		if cur, err = decodePITCursor(req.After); err != nil {
			return nil, nil, err
		}
		pit = cur.PIT
		if cur.Rank > 0 {
			from = cur.Rank
		} else {
			body["search_after"] = cur.After
		}
	case req.After != "":
		after, err := decodeCursor(req.After, order)
		if err != nil {
			return nil, nil, err
		}
		body["search_after"] = after
	case req.Page > 1:
		from = (req.Page - 1) * size
	}
	if order == "r" && pit == "" && req.After == "" {
		// The first page in relevance order runs on the point in time
		// its cursor will page through. Without one (the cluster's limit
		// of open points in time reached), the cursor resumes on the live
		// index; a cluster that does not answer fails the search below.
		if id, err := e.pit(ctx); err == nil {
			pit = id
		} else if ctx.Err() != nil {
			return nil, nil, err
		}
	}
	if pit != "" {
		body["pit"] = obj{"id": pit, "keep_alive": pitKeepAlive}
		path = searchEndpoint
	}
	// A page in relevance order, unless it continues from a score, is read
	// from the top: feedback and the demotion of copies reorder the first
	// ranks, whatever page shows them.
	reorder := order == "r" && body["search_after"] == nil
	feedback := reorder && !req.NoExpand && len(c.m.terms) > 0 && search.Feedback.Docs > 0
	fetch := size + 1 // one more, to know whether a page follows
	switch {
	case reorder:
		fetch = from + size + 1 + search.DedupExtra
		if feedback {
			fetch = max(fetch, search.FeedbackRerank+1)
			body["_source"] = false // read for the reranked page only
		}
	default:
		body["from"] = from
	}
	body["size"] = fetch
	aggs := aggregations(&req)
	if len(words) > 0 {
		if aggs[wordsAgg], err = wordCounts(words); err != nil {
			return nil, nil, err
		}
	}
	if len(aggs) > 0 {
		body["aggs"] = aggs
	}
	hl := c.m.highlight(req.Fragments > 0)
	if hl != nil && !feedback {
		body["highlight"] = hl
	}
	var got answer
	if err := e.do(ctx, http.MethodPost, path, body, &got); err != nil {
		var se *statusError
		if req.After != "" && pit != "" && errors.As(err, &se) && se.Status/100 == 4 {
			// An expired point in time is a 404; a made-up one a 400.
			return nil, nil, &search.BadRequestError{Msg: "the after cursor has expired (its point in time lasts " + pitKeepAlive + " after each page) or is not one Folio gave: search again"}
		}
		return nil, nil, err
	}
	if err := got.Shards.check(); err != nil {
		return nil, nil, err
	}
	if got.PIT != "" {
		pit = got.PIT // the cluster may give a new ID for the same view
	}
	var unmatched []query.Term
	for i, b := range got.Aggregations[wordsAgg].Words.Buckets {
		if b.DocCount == 0 && i < len(words) {
			unmatched = append(unmatched, words[i])
		}
	}
	if len(unmatched) > 0 {
		fix, err := e.corrections(ctx, unmatched)
		if err != nil {
			return nil, nil, err
		}
		typed := req.Query
		req.Query = rewrite(typed, false, fix, true)
		res, missed, err := e.search(ctx, req, false)
		if err != nil {
			return nil, nil, err
		}
		res.Fuzzy, res.DidYouMean, res.Took = true, didYouMean(typed, fix), time.Since(start)
		return res, missed, nil
	}
	res := &search.Result{Total: got.Hits.Total.Value, Facets: map[string][]search.FacetValue{}, Matched: c.v.matched}
	hits := got.Hits.Hits
	reordered := 0       // the ranks feedback and the demotion of copies reordered
	matches := len(hits) // past them: the articles feedback added
	if feedback {
		// A flash's headline stands for its body (headline.go).
		top := hits[:min(len(hits), search.FeedbackRerank)]
		heads, err := e.flashesAmong(ctx, pit, top, c.m.terms)
		if err != nil {
			return nil, nil, err
		}
		if heads != nil {
			extra, err := heads.scores(heads.words)
			if err != nil {
				return nil, nil, err
			}
			if addScores(top, extra) {
				reordered = len(top)
			}
		}
		var picked []search.FeedbackTerm
		if hits, picked, err = e.rerank(ctx, pit, c.m.terms, hits, heads); err != nil {
			return nil, nil, err
		}
		if picked != nil {
			reordered = min(len(hits), search.FeedbackRerank)
			for _, p := range picked {
				res.Expansion = append(res.Expansion, p.Term)
			}
		}
		// A query that matched few articles, all of them here, is followed
		// by the articles of its subject it did not match; one that
		// matched one article, too few to learn the subject's other words
		// from, by the articles holding some of its words.
		if (picked != nil || len(hits) == 1) && uint64(len(hits)) == res.Total && len(hits) < search.FeedbackRerank && search.Fillable(req.Query) {
			more, err := e.fill(ctx, pit, &c, &req, picked, hits, search.FeedbackRerank-len(hits))
			if err != nil {
				return nil, nil, err
			}
			hits = append(hits, more...)
			reordered = max(reordered, len(hits))
		}
		if err := e.fetchSources(ctx, pit, hl, hits[:min(len(hits), from+size+1+search.DedupExtra)]); err != nil {
			return nil, nil, err
		}
	}
	if reorder {
		// Copies fall back among the matches, and among the added.
		head, moved, err := demoteCopies(hits[:matches])
		if err != nil {
			return nil, nil, err
		}
		tail, _, err := demoteCopies(hits[matches:])
		if err != nil {
			return nil, nil, err
		}
		hits = append(head, tail...)
		reordered = max(reordered, moved)
	}
	skip := 0 // the hits read above the page
	if reorder {
		skip = from
	}
	more := len(hits) > skip+size
	hits = hits[min(skip, len(hits)):min(skip+size, len(hits))]
	switch n := len(hits); {
	case !more || n == 0:
	case reorder && from+n <= reordered && pit != "":
		data, _ := json.Marshal(pitCursor{PIT: pit, Rank: from + n})
		res.Next = "p" + base64.RawURLEncoding.EncodeToString(data)
	case pit != "":
		data, _ := json.Marshal(pitCursor{PIT: pit, After: hits[n-1].Sort})
		res.Next = "p" + base64.RawURLEncoding.EncodeToString(data)
	default:
		res.Next = encodeCursor(order, hits[n-1].Sort)
	}
	for _, h := range hits {
		a, err := article(h.Source)
		if err != nil {
			return nil, nil, err
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
				return nil, nil, err
			}
		}
		res.Facets[facet.Date] = search.DateHistogram(months, days)
	}
	res.Took = time.Since(start)
	return res, c.v.missed, nil
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
