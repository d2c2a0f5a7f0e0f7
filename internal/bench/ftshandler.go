package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/folio-search/folio/internal/fts5"
)

// ftsHit mirrors the fields of a Folio API hit.
type ftsHit struct {
	fts5.Doc
	TitleHTML string   `json:"title_html,omitempty"`
	Score     float64  `json:"score"`
	Snippets  []string `json:"snippets"`
}

type ftsAnswer struct {
	Query  string                       `json:"query"`
	Total  int                          `json:"total"`
	TookMS float64                      `json:"took_ms"`
	Hits   []ftsHit                     `json:"hits"`
	Facets map[string][]fts5.FacetValue `json:"facets,omitempty"`
}

// FTS5Handler answers GET /search with Folio's API parameters (q, tag,
// person, org, place, from, to, sort, size) plus facets=1 and snippets=1,
// in JSON shaped like Folio's, so that both engines pay for HTTP and JSON
// alike. A page costs: the ranked or date-sorted top hits and the total,
// the hits' metadata (title, date, tags, entities), and on request the
// facets (one statement over the match set, which also counts it) and
// the highlighted title and body snippet of each hit.
func FTS5Handler(db *fts5.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		v := r.URL.Query()
		q := fts5.Query{Text: v.Get("q"), Sort: v.Get("sort"), Filters: map[string][]string{}}
		for _, name := range []string{"tag", "person", "org", "place"} {
			if vals := v[name]; len(vals) > 0 {
				q.Filters[name] = vals
			}
		}
		var err error
		if q.From, err = parseDate(v.Get("from"), false); err == nil {
			q.To, err = parseDate(v.Get("to"), true)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if s := v.Get("size"); s != "" {
			q.Limit, _ = strconv.Atoi(s)
		}
		facets, snippets := v.Get("facets") == "1", v.Get("snippets") == "1"
		q.NoTotal = facets
		ctx := r.Context()
		res, err := db.Search(ctx, q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ans := ftsAnswer{Query: q.Text, Total: res.Total, Hits: []ftsHit{}}
		if facets {
			if ans.Facets, err = db.Facets(ctx, q, 10); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			ans.Total = ans.Facets["total"][0].Count
			delete(ans.Facets, "total")
		}
		ids := make([]string, len(res.Hits))
		score := map[string]float64{}
		for i, h := range res.Hits {
			ids[i] = h.ID
			score[h.ID] = h.Score
		}
		docs, err := db.Docs(ctx, ids)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var snips map[string]fts5.Snippet
		if snippets {
			// 64 tokens, FTS5's longest fragment, is about the text of
			// Folio's three fragments.
			if snips, err = db.Snippets(ctx, q, ids, 64); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		for _, d := range docs {
			h := ftsHit{Doc: d, Score: score[d.ID], Snippets: []string{}}
			if s, ok := snips[d.ID]; ok {
				h.TitleHTML = s.TitleHTML
				h.Snippets = []string{s.Body}
			}
			ans.Hits = append(ans.Hits, h)
		}
		ans.TookMS = float64(time.Since(start).Microseconds()) / 1000
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(ans)
	})
}

// parseDate reads YYYY, YYYY-MM or YYYY-MM-DD as Folio's API does: both
// ends inclusive at their precision, so an end moves to the start of the
// next year, month or day.
func parseDate(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, p := range []struct {
		layout  string
		y, m, d int
	}{{"2006", 1, 0, 0}, {"2006-01", 0, 1, 0}, {"2006-01-02", 0, 0, 1}} {
		if t, err := time.Parse(p.layout, s); err == nil {
			if end {
				t = t.AddDate(p.y, p.m, p.d)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}
