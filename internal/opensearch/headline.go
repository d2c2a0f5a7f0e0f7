package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/folio-search/folio/internal/search"
)

// A flash, a headline without a body, also scores words on its headline
// as the body it stands for (search.HeadlineScore), as in the Bleve
// engine (index/headline.go). Articles are indexed without a body field
// when theirs is empty (source), so that the cluster tells flashes by a
// body that does not exist; an index written before that holds its
// flashes with an empty body and ranks them as before, until reindexed.

// OpenSearch's BM25 parameters (its default similarity).
const (
	clusterK1 = 1.2
	clusterB  = 0.75
)

// headlines are the flashes among a search's first hits, each headline
// analysed as a body, with the body field's statistics.
type headlines struct {
	flashes map[string]flashBody // by article ID
	words   map[string]float64   // the query's own words, as body terms, weight 1
	docs    float64              // articles with a body
	avgLen  float64              // their mean body length, in terms
	df      map[string]float64   // body document frequency of the headlines' terms
}

type flashBody struct {
	tf map[string]int
	n  int
}

// flashesAmong finds the flashes among hits and reads their headlines as
// bodies: one search (those hits without a body, their titles) and, when
// there is any, one request of term vectors that analyses each headline,
// and the query's words, as an article's body. nil when none is a flash.
func (e *Engine) flashesAmong(ctx context.Context, pit string, hits []hitJSON, terms []leaf) (*headlines, error) {
	var asked []string
	for _, t := range terms {
		if t.field == "" || t.field == fBody {
			asked = append(asked, t.text)
		}
	}
	if len(hits) == 0 || len(asked) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	got, err := e.searchOn(ctx, pit, obj{
		"query": obj{"bool": obj{
			"filter":   obj{"ids": obj{"values": ids}},
			"must_not": obj{"exists": obj{"field": fBody}},
		}},
		"size":             len(ids),
		"_source":          []string{fTitle},
		"track_total_hits": false,
	})
	if err != nil || len(got.Hits.Hits) == 0 {
		return nil, err
	}
	flashIDs := make([]string, 0, len(got.Hits.Hits))
	var reqs []any
	body := func(text string) obj {
		return obj{"doc": obj{fBody: text}, "fields": []string{fBody}, "term_statistics": true, "field_statistics": true,
			"positions": false, "offsets": false, "payloads": false}
	}
	for _, h := range got.Hits.Hits {
		var src struct {
			Title string `json:"title"`
		}
		if err := json.Unmarshal(h.Source, &src); err != nil {
			return nil, fmt.Errorf("headline of %s: %w", h.ID, err)
		}
		flashIDs = append(flashIDs, h.ID)
		reqs = append(reqs, body(src.Title))
	}
	reqs = append(reqs, body(strings.Join(asked, " ")))
	var tv termVectors
	if err := e.do(ctx, http.MethodPost, "/"+e.index+"/_mtermvectors", obj{"docs": reqs}, &tv); err != nil {
		return nil, fmt.Errorf("headlines: %w", err)
	}
	if len(tv.Docs) != len(reqs) {
		return nil, fmt.Errorf("headlines: %d term vectors for %d headlines", len(tv.Docs), len(reqs))
	}
	out := &headlines{flashes: map[string]flashBody{}, words: map[string]float64{}, df: map[string]float64{}}
	for i, d := range tv.Docs {
		v := d.Vectors[fBody]
		if v.Stats.DocCount > 0 {
			out.docs = float64(v.Stats.DocCount)
			out.avgLen = float64(v.Stats.SumTTF) / out.docs
		}
		if i == len(flashIDs) {
			for t := range v.Terms {
				out.words[t] = 1
			}
			continue
		}
		f := flashBody{tf: map[string]int{}}
		for t, s := range v.Terms {
			f.tf[t] = s.Freq
			f.n += s.Freq
			out.df[t] = float64(s.DocFreq)
		}
		out.flashes[flashIDs[i]] = f
	}
	return out, nil
}

// scores is, for each flash, what the weighted terms score on its
// headline as a body; flashes that score nothing are left out.
func (h *headlines) scores(weights map[string]float64) (map[string]float64, error) {
	if h == nil || len(weights) == 0 {
		return nil, nil
	}
	df := func(t string) (float64, error) { return h.df[t], nil }
	out := map[string]float64{}
	for id, f := range h.flashes {
		s, err := search.HeadlineScore(f.tf, f.n, weights, df, h.docs, h.avgLen, clusterK1, clusterB)
		if err != nil {
			return nil, err
		}
		if s > 0 {
			out[id] = s
		}
	}
	return out, nil
}

// addScores adds extra to the scores of hits by ID and orders them again
// by score, then ID. It reports whether a score changed.
func addScores(hits []hitJSON, extra map[string]float64) bool {
	if len(extra) == 0 {
		return false
	}
	for i := range hits {
		if add, ok := extra[hits[i].ID]; ok && hits[i].Score != nil {
			s := *hits[i].Score + add
			hits[i].Score = &s
		}
	}
	sortByScore(hits)
	return true
}

// sortByScore orders hits by score, then ID.
func sortByScore(hits []hitJSON) {
	sort.SliceStable(hits, func(i, j int) bool {
		si, sj := score(hits[i]), score(hits[j])
		if si != sj {
			return si > sj
		}
		return hits[i].ID < hits[j].ID
	})
}
