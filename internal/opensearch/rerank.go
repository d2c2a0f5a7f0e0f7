package opensearch

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Feedback, filling short lists and the demotion of copies mirror the
// Bleve engine's (index/feedback.go, fill.go, dedup.go) with the rules
// they share (internal/search): the
// DSL has no pseudo-relevance feedback, so the engine reads the term
// vectors of the best articles, picks the words with search.FeedbackTerms
// and scores them on the first search.FeedbackRerank hits in a second
// search, limited to those hits; the sum reorders them. It costs three
// requests besides the search: the term vectors, the scores of the words,
// and the articles of the page with their highlights; filling, one more.

// rerank reorders the first search.FeedbackRerank of hits (relevance
// order, their sources not read) by their scores plus those of the words
// that characterise the best search.Feedback.Docs of them. It returns
// the hits and the words, or the hits as they were and nil when there
// are too few to learn from or no word qualifies. The words score on the
// headlines of the flashes heads holds (nil for none) as on bodies.
func (e *Engine) rerank(ctx context.Context, pit string, terms []leaf, hits []hitJSON, heads *headlines) ([]hitJSON, []search.FeedbackTerm, error) {
	docs := hits[:min(len(hits), search.Feedback.Docs)]
	if len(docs) < 2 {
		return hits, nil, nil
	}
	picked, err := e.expansion(ctx, docs, terms)
	if err != nil || len(picked) == 0 {
		return hits, nil, err
	}
	top := slices.Clone(hits[:min(len(hits), search.FeedbackRerank)])
	ids := make([]string, len(top))
	for i, h := range top {
		ids[i] = h.ID
	}
	body := obj{
		"query":            obj{"bool": obj{"filter": obj{"ids": obj{"values": ids}}, "should": feedbackClauses(picked)}},
		"size":             len(ids),
		"_source":          false,
		"track_total_hits": false,
	}
	got, err := e.searchOn(ctx, pit, body)
	if err != nil {
		return nil, nil, err
	}
	extra := make(map[string]float64, len(got.Hits.Hits))
	for _, h := range got.Hits.Hits {
		if h.Score != nil {
			// Rounded, two copies of a story gain exactly the same.
			extra[h.ID] = math.Round(*h.Score*1e9) / 1e9
		}
	}
	weights := make(map[string]float64, len(picked))
	for _, p := range picked {
		weights[p.Term] += search.Feedback.Weight * p.Weight
	}
	flashes, err := heads.scores(weights)
	if err != nil {
		return nil, nil, err
	}
	for id, s := range flashes {
		extra[id] += math.Round(s*1e9) / 1e9
	}
	for i := range top {
		if top[i].Score != nil {
			s := *top[i].Score + extra[top[i].ID]
			top[i].Score = &s
		}
	}
	sortByScore(top)
	return append(top, hits[len(top):]...), picked, nil
}

// searchOn runs a search of body on the point in time pit (the live index
// when pit is ""), failing when a shard did not answer.
func (e *Engine) searchOn(ctx context.Context, pit string, body obj) (*answer, error) {
	path := e.searchPath()
	if pit != "" {
		body["pit"] = obj{"id": pit, "keep_alive": pitKeepAlive}
		path = searchEndpoint
	}
	var got answer
	if err := e.do(ctx, http.MethodPost, path, body, &got); err != nil {
		return nil, err
	}
	if err := got.Shards.check(); err != nil {
		return nil, err
	}
	return &got, nil
}

// feedbackClauses are the feedback words as optional term queries on the
// body, weighted as in Bleve.
func feedbackClauses(picked []search.FeedbackTerm) []any {
	should := make([]any, len(picked))
	for i, p := range picked {
		should[i] = obj{"term": obj{fBody: obj{"value": p.Term, "boost": search.Feedback.Weight * p.Weight}}}
	}
	return should
}

// fillCandidates is how many articles holding some of a query's words the
// feedback words rank when they fill a short list, as in Bleve.
const fillCandidates = 200

// fill is up to n articles that hold some of the query's words but not
// all it asks, within its filters, date ranges and exclusions, ranked by
// those words and, over the best fillCandidates of them, the feedback
// words too (a rescore): the articles a query of few matches is followed
// by, as in Bleve (search.Fillable). matched are the query's matches, all
// of them. Their sources are not read.
func (e *Engine) fill(ctx context.Context, pit string, c *compiler, req *search.Request, picked []search.FeedbackTerm, matched []hitJSON, n int) ([]hitJSON, error) {
	and, ok := req.Query.(query.And)
	if !ok || n <= 0 {
		return nil, nil
	}
	fc := *c // compiling again must not mark words or names twice
	var words, filters, exclude []any
	for _, node := range and.Nodes {
		switch node := node.(type) {
		case query.Term:
			fields, err := textFields(node.Field)
			if err != nil {
				return nil, err
			}
			for _, f := range fields {
				words = append(words, obj{"match": obj{f: obj{"query": node.Text, "operator": "and", "boost": boost(f)}}})
			}
		case query.Not:
			q, err := fc.compile(node.Node, true)
			if err != nil {
				return nil, err
			}
			exclude = append(exclude, q)
		default:
			q, err := fc.compile(node, false)
			if err != nil {
				return nil, err
			}
			filters = append(filters, q)
		}
	}
	more, err := fc.requestFilters(req)
	if err != nil {
		return nil, err
	}
	filters = append(filters, more...)
	ids := make([]string, len(matched))
	for i, h := range matched {
		ids[i] = h.ID
	}
	exclude = append(exclude, obj{"ids": obj{"values": ids}})
	b := obj{"should": words, "minimum_should_match": 1, "must_not": exclude}
	if len(filters) > 0 {
		b["filter"] = filters
	}
	body := obj{
		"query":            obj{"bool": b},
		"size":             n,
		"_source":          false,
		"track_total_hits": false,
	}
	if len(picked) > 0 {
		body["rescore"] = obj{
			"window_size": max(n, fillCandidates),
			"query":       obj{"rescore_query": obj{"bool": obj{"should": feedbackClauses(picked)}}},
		}
	}
	got, err := e.searchOn(ctx, pit, body)
	if err != nil {
		return nil, err
	}
	out := got.Hits.Hits
	sortByScore(out) // ties in the order of IDs, as everywhere else
	return out, nil
}

func score(h hitJSON) float64 {
	if h.Score == nil {
		return 0
	}
	return *h.Score
}

// termVectors is the part of a multi-term-vectors answer feedback reads.
type termVectors struct {
	Docs []struct {
		ID      string `json:"_id"`
		Found   bool   `json:"found"`
		Vectors map[string]struct {
			Stats struct {
				DocCount int   `json:"doc_count"`
				SumTTF   int64 `json:"sum_ttf"`
			} `json:"field_statistics"`
			Terms map[string]struct {
				DocFreq int `json:"doc_freq"`
				Freq    int `json:"term_freq"`
			} `json:"terms"`
		} `json:"term_vectors"`
	} `json:"docs"`
}

// expansion picks the words that characterise docs. One request reads
// the term vectors of the docs' titles and bodies, with the number of
// articles holding each term, and analyses the query's own words as an
// article of one field, so that they are left out as the stems they are.
func (e *Engine) expansion(ctx context.Context, docs []hitJSON, terms []leaf) ([]search.FeedbackTerm, error) {
	doc := func(fields ...string) obj {
		return obj{"fields": fields, "term_statistics": true, "field_statistics": true,
			"positions": false, "offsets": false, "payloads": false}
	}
	var reqs []any
	for _, h := range docs {
		r := doc(fTitle, fBody)
		r["_id"] = h.ID
		reqs = append(reqs, r)
	}
	asked := make([]string, len(terms))
	for i, t := range terms {
		asked[i] = t.text
	}
	r := doc(fBody)
	r["doc"] = obj{fBody: strings.Join(asked, " ")}
	reqs = append(reqs, r)
	var got termVectors
	if err := e.do(ctx, http.MethodPost, "/"+e.index+"/_mtermvectors", obj{"docs": reqs}, &got); err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	if len(got.Docs) != len(docs)+1 {
		return nil, fmt.Errorf("feedback: %d term vectors for %d documents", len(got.Docs), len(docs)+1)
	}
	stems := map[string]bool{}
	for t := range got.Docs[len(docs)].Vectors[fBody].Terms {
		stems[t] = true
	}
	df := map[string]int{}
	total := 0
	fdocs := make([]search.FeedbackDoc, 0, len(docs))
	for i, d := range got.Docs[:len(docs)] {
		if !d.Found {
			continue // deleted since the search
		}
		tf := map[string]int{}
		for field, v := range d.Vectors {
			for t, s := range v.Terms {
				tf[t] += s.Freq
				if field == fBody {
					df[t] = s.DocFreq
				}
			}
			if field == fBody {
				total = max(total, v.Stats.DocCount)
			}
		}
		fdocs = append(fdocs, search.FeedbackDoc{Score: score(docs[i]), Terms: search.CountTerms(tf)})
	}
	docFreqs := func([]string) (map[string]int, error) { return df, nil }
	return search.FeedbackTerms(fdocs, search.Feedback.Terms, 0, func(t string) bool { return stems[t] }, docFreqs, total)
}

// fetchSources reads the articles and highlights of hits, which a search
// that feedback reranks reads without them, from the same point in time.
func (e *Engine) fetchSources(ctx context.Context, pit string, highlight obj, hits []hitJSON) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	body := obj{
		"query":            obj{"ids": obj{"values": ids}},
		"size":             len(ids),
		"track_total_hits": false,
	}
	if highlight != nil {
		body["highlight"] = highlight
	}
	got, err := e.searchOn(ctx, pit, body)
	if err != nil {
		return err
	}
	byID := make(map[string]hitJSON, len(got.Hits.Hits))
	for _, h := range got.Hits.Hits {
		byID[h.ID] = h
	}
	for i := range hits {
		h, ok := byID[hits[i].ID]
		if !ok {
			return fmt.Errorf("opensearch: article %s of the ranking is gone from its point in time", hits[i].ID)
		}
		hits[i].Source, hits[i].Highlight = h.Source, h.Highlight
	}
	return nil
}

// demoteCopies moves each hit among the first search.DedupTop that
// repeats the title and body of a hit above it to just below them
// (search.DemoteCopies). Hits whose source was not read end the search
// for copies. It returns how many ranks are not in score order.
func demoteCopies(hits []hitJSON) ([]hitJSON, int, error) {
	order, moved, err := search.DemoteCopies(len(hits), func(i int) (string, bool, error) {
		if len(hits[i].Source) == 0 {
			return "", false, nil
		}
		a, err := article(hits[i].Source)
		if err != nil {
			return "", false, err
		}
		return search.CopyKey(a.Title, a.Body), true, nil
	})
	if err != nil || order == nil {
		return hits, 0, err
	}
	out := make([]hitJSON, len(order))
	for i, j := range order {
		out[i] = hits[j]
	}
	return out, moved, nil
}
