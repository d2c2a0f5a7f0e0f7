package searchtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// filters checks Request.Filters: every value of every facet, as written,
// upper- and lower-cased; two facets at once; a filter with text.
func (s *suite) filters(t *testing.T) {
	for _, f := range facet.All {
		values := map[string]bool{}
		for i := range s.fx.articles {
			for _, v := range f.Values(&s.fx.articles[i]) {
				values[v] = true
			}
		}
		if len(values) < 2 {
			t.Fatalf("the corpus has %d values of facet %s: too few to test it", len(values), f.Name)
		}
		for _, v := range slices.Sorted(maps.Keys(values)) {
			t.Run(f.Name+"/"+v, func(t *testing.T) {
				want := s.fx.where(func(a *corpus.Article) bool { return hasValue(f, a, v) })
				for _, as := range []string{v, strings.ToUpper(v), strings.ToLower(v)} {
					req := search.Request{Filters: map[string][]string{f.Name: {as}}}
					sameHits(t, describe("", req), s.all(t, describe("", req), req), want)
				}
			})
		}
	}
	cases := []struct {
		name    string
		q       string
		filters map[string][]string
		want    []string
	}{
		{"two_facets", "", map[string][]string{"tag": {"climate"}, "place": {"BAKU"}}, []string{"a02"}},
		{"two_values_of_one_facet", "", map[string][]string{"tag": {"Property", "corruption"}}, []string{"a12"}},
		{"entity_and_field", "", map[string][]string{"person": {"ilham aliyev"}, "author": {"miranda patrucic"}}, []string{"a01", "a05"}},
		{"with_text", "gas", map[string][]string{"source": {"REUTERS"}}, []string{"a02", "a05", "a11"}},
		{"no_such_value", "", map[string][]string{"org": {"Nobody"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := search.Request{Query: parse(t, c.q), Filters: c.filters}
			sameHits(t, describe(c.q, req), s.all(t, describe(c.q, req), req), c.want)
		})
	}
}

// dateRanges checks Request.From and To, [From, To), alone and with
// filters and text; the undated article is in no range.
func (s *suite) dateRanges(t *testing.T) {
	cases := []struct {
		name     string
		q        string
		text     []string // the articles q finds, read from the corpus
		filters  map[string][]string
		from, to time.Time
	}{
		{name: "year", from: day(2024, 1, 1), to: day(2025, 1, 1)},
		{name: "from_only", from: day(2024, 6, 15)},
		{name: "to_only", to: day(2023, 2, 1)},             // a07 is at midnight on the 1st: excluded
		{name: "to_is_exclusive", to: day(2023, 2, 2)},     // and now included
		{name: "from_is_inclusive", from: day(2023, 2, 1)}, // a07 included
		{name: "one_day", from: day(2024, 6, 15), to: day(2024, 6, 16)},
		{name: "empty", from: day(2024, 7, 1), to: day(2024, 8, 1)},
		{name: "before_everything", to: day(2000, 1, 1)},
		// Ranges past what an engine can store still hold dated articles only.
		{name: "to_beyond_stored_dates", to: day(2300, 1, 1)},
		{name: "from_before_stored_dates", from: day(1000, 1, 1)},
		{name: "both_beyond_stored_dates", from: day(1000, 1, 1), to: day(3000, 1, 1)},
		{name: "with_filter", filters: map[string][]string{"source": {"reuters"}}, from: day(2022, 1, 1), to: day(2024, 12, 1)},
		{name: "with_filters_and_text", q: "aliyev OR gas", text: []string{"a01", "a02", "a05", "a10", "a11"},
			filters: map[string][]string{"tag": {"ENERGY"}}, from: day(2021, 1, 1), to: day(2024, 6, 16)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := s.fx.where(func(a *corpus.Article) bool {
				for name, vs := range c.filters {
					f, _ := facet.ByName(name)
					for _, v := range vs {
						if !hasValue(f, a, v) {
							return false
						}
					}
				}
				return (c.q == "" || slices.Contains(c.text, a.ID)) && dated(a, c.from, c.to)
			})
			req := search.Request{Query: parse(t, c.q), Filters: c.filters, From: c.from, To: c.to}
			sameHits(t, describe(c.q, req), s.all(t, describe(c.q, req), req), want)
		})
	}
}

// facets checks the counts of each facet and the date histogram against
// the corpus (checkFacets, run on every whole answer), for requests whose
// histograms fall by year, by month and by day; and the options that pick
// and bound facets.
func (s *suite) facets(t *testing.T) {
	cases := []struct {
		name, q  string
		from, to time.Time
		unit     string
	}{
		{name: "everything", unit: "year"},
		{name: "two_years", from: day(2023, 1, 1), to: day(2025, 1, 1), unit: "month"},
		{name: "one_year", q: "date:2024", unit: "month"},
		{name: "one_month", q: "date:2024-06", unit: "day"},
		{name: "text", q: "aliyev OR pipeline OR london", unit: "year"},
		{name: "nothing", q: `"poor not man"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.unit == "day" && !s.caps.DayHistogram {
				t.Skip("no date histogram by day")
			}
			req := search.Request{Query: parse(t, c.q), From: c.from, To: c.to}
			res := s.all(t, describe(c.q, req), req)
			var arts []*corpus.Article
			for _, id := range hitIDs(res) {
				arts = append(arts, s.fx.article(id))
			}
			if _, unit := histogram(arts); c.unit != "" && unit != c.unit {
				t.Fatalf("the corpus has changed: %s buckets by %s, the case is for %s", c.name, unit, c.unit)
			}
			if len(res.Hits) == 0 && c.unit != "" {
				t.Fatalf("%s: no hits", describe(c.q, req))
			}
		})
	}
	t.Run("only_those_asked_for", func(t *testing.T) {
		for _, names := range [][]string{{}, {"tag"}, {facet.Date}, {"author", "place"}} {
			req := search.Request{Facets: names}
			res := s.all(t, fmt.Sprintf("facets=%v", names), req) // checkFacets checks the rest
			for name, vs := range res.Facets {
				if len(vs) > 0 && !slices.Contains(names, name) {
					t.Errorf("facets=%v: facet %s computed", names, name)
				}
			}
		}
	})
	t.Run("facet_size", func(t *testing.T) {
		// Tags in the corpus: the top count, and how many tags have it.
		counts := map[string]int{}
		for i := range s.fx.articles {
			for _, v := range s.fx.articles[i].Tags {
				counts[v]++
			}
		}
		top := slices.Max(slices.Collect(maps.Values(counts)))
		for _, size := range []int{1, 2} {
			req := search.Request{FacetSize: size, Facets: []string{"tag"}}
			res := s.search(t, fmt.Sprintf("facet_size=%d", size), req)
			got := res.Facets["tag"]
			if len(got) != size {
				t.Errorf("facet_size=%d: %d tags %v", size, len(got), got)
				continue
			}
			for _, v := range got {
				if counts[v.Value] != v.Count || v.Count != top {
					t.Errorf("facet_size=%d: %v, want tags of the top count %d (corpus: %v)", size, got, top, counts)
				}
			}
		}
	})
}

// parse parses a query of the suite's own; "" is no text query.
func parse(t *testing.T, q string) query.Node {
	t.Helper()
	if q == "" {
		return nil
	}
	n, err := query.Parse(q)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	return n
}
