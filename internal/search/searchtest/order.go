package searchtest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/folio-search/folio/internal/search"
)

// orderQueries are the queries the sorts and cursors are tried on: none
// (everything, the undated article with it) and one with text and scores.
var orderQueries = []string{"", "aliyev OR gas OR crash OR london"}

// orderHits are the articles each of orderQueries finds (nil: all).
var orderHits = map[string][]string{
	"aliyev OR gas OR crash OR london": {"a01", "a02", "a03", "a05", "a07", "a08", "a10", "a11"},
}

var sorts = []string{search.ByRelevance, search.ByDate, search.ByDateDesc}

// sorts checks each order on one whole page.
func (s *suite) sorts(t *testing.T) {
	for _, q := range orderQueries {
		for _, sort := range sorts {
			t.Run(name(q, sort), func(t *testing.T) {
				req := search.Request{Query: parse(t, q), Sort: sort}
				what := describe(q, req)
				res := s.all(t, what, req)
				want := orderHits[q]
				if want == nil {
					want = s.fx.all()
				}
				sameHits(t, what, res, want)
				switch {
				case sort == search.ByRelevance && q != "":
					for i := 1; i < len(res.Hits); i++ {
						if res.Hits[i].Score > res.Hits[i-1].Score {
							t.Errorf("%s: hit %d (%s, %g) scores above hit %d (%s, %g)", what,
								i, res.Hits[i].ID, res.Hits[i].Score, i-1, res.Hits[i-1].ID, res.Hits[i-1].Score)
						}
					}
				case sort == search.ByDate:
					s.checkDates(t, what, res, +1)
				default: // newest first, also the relevance order of a query without text
					s.checkDates(t, what, res, -1)
				}
			})
		}
	}
	t.Run("default_is_relevance", func(t *testing.T) {
		for _, q := range orderQueries {
			req := search.Request{Query: parse(t, q), Sort: search.ByRelevance}
			want := hitIDs(s.all(t, describe(q, req), req))
			req.Sort = ""
			if got := hitIDs(s.all(t, describe(q, req), req)); !slices.Equal(got, want) {
				t.Errorf("%s with no sort: %v, by relevance %v", describe(q, req), got, want)
			}
		}
	})
	t.Run("relevance/title_and_frequency_rank_first", func(t *testing.T) {
		// a10 has the pipeline in its title and four times in its body,
		// a11 once in its body.
		req := search.Request{Query: parse(t, "pipeline")}
		res := s.all(t, describe("pipeline", req), req)
		if got := hitIDs(res); !slices.Equal(got, []string{"a10", "a11"}) {
			t.Errorf("%s: %v, want [a10 a11]", describe("pipeline", req), got)
		}
	})
}

// checkDates checks that dated hits are in date order (dir +1 oldest
// first, -1 newest first); newest first puts undated hits last.
func (s *suite) checkDates(t *testing.T, what string, res *search.Result, dir int) {
	t.Helper()
	var last *search.Hit
	undated := false
	for i := range res.Hits {
		h := &res.Hits[i]
		if h.Date == nil {
			undated = true
			continue
		}
		if undated && dir < 0 {
			t.Errorf("%s: dated hit %s after an undated one: %v", what, h.ID, hitIDs(res))
		}
		if last != nil && h.Date.Compare(*last.Date) == -dir {
			t.Errorf("%s: hit %s (%s) after %s (%s): %v", what, h.ID, h.Date.Format("2006-01-02T15:04"),
				last.ID, last.Date.Format("2006-01-02T15:04"), hitIDs(res))
		}
		last = h
	}
}

// cursors checks that paging with After through every sort, with pages
// of one and of three, gives the hits of the whole page in its order,
// each once.
func (s *suite) cursors(t *testing.T) {
	for _, q := range orderQueries {
		for _, sort := range sorts {
			for _, size := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/size_%d", name(q, sort), size), func(t *testing.T) {
					req := search.Request{Query: parse(t, q), Sort: sort}
					whole := hitIDs(s.all(t, describe(q, req), req))
					req.Size = size
					var paged []string
					for page := 1; ; page++ {
						what := fmt.Sprintf("%s size=%d page %d by cursor", describe(q, req), size, page)
						res := s.search(t, what, req)
						if res.Total != uint64(len(whole)) {
							t.Errorf("%s: Total %d, want %d", what, res.Total, len(whole))
						}
						paged = append(paged, hitIDs(res)...)
						if res.Next == "" {
							break
						}
						if len(res.Hits) != size {
							t.Fatalf("%s: %d hits and a next cursor", what, len(res.Hits))
						}
						if page > len(whole) {
							t.Fatalf("%s: still a next cursor after %v", what, paged)
						}
						req.After = res.Next
					}
					if !slices.Equal(paged, whole) {
						t.Errorf("%s: pages by cursor give %v, the whole page %v", describe(q, req), paged, whole)
					}
				})
			}
		}
	}
}

// pages checks that Page 1, 2, … give the whole page's hits in its order.
func (s *suite) pages(t *testing.T) {
	for _, q := range orderQueries {
		for _, sort := range sorts {
			t.Run(name(q, sort), func(t *testing.T) {
				req := search.Request{Query: parse(t, q), Sort: sort}
				whole := hitIDs(s.all(t, describe(q, req), req))
				req.Size = 4
				var paged []string
				for page := 1; page <= (len(whole)+3)/4+1; page++ {
					req.Page = page
					res := s.search(t, fmt.Sprintf("%s size=4 page=%d", describe(q, req), page), req)
					paged = append(paged, hitIDs(res)...)
				}
				if !slices.Equal(paged, whole) {
					t.Errorf("%s: pages of 4 give %v, the whole page %v", describe(q, req), paged, whole)
				}
			})
		}
	}
}

// defaultSize checks that a request without a Size gets 10 hits.
func (s *suite) defaultSize(t *testing.T) {
	if len(s.fx.articles) <= 10 {
		t.Fatalf("the corpus has %d articles: too few to see a page of 10", len(s.fx.articles))
	}
	res := s.search(t, "no size", search.Request{})
	if len(res.Hits) != 10 || res.Total != uint64(len(s.fx.articles)) {
		t.Errorf("no size: %d hits of %d, want 10 of %d", len(res.Hits), res.Total, len(s.fx.articles))
	}
}

// name names a subtest for a query and a sort.
func name(q, sort string) string {
	if q == "" {
		q = "no_text"
	}
	return q + "/" + sort
}
