package searchtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// checkResult checks what every answer must hold: hits that are articles
// of the corpus as stored, with valid spans, and, when the page holds
// every hit, facet counts equal to those of the hits' articles.
func (s *suite) checkResult(t *testing.T, what string, req search.Request, res *search.Result) {
	t.Helper()
	size := req.Size
	if size <= 0 {
		size = 10
	}
	if len(res.Hits) > size {
		t.Errorf("%s: %d hits on a page of %d", what, len(res.Hits), size)
	}
	if res.Total < uint64(len(res.Hits)) {
		t.Errorf("%s: Total %d but %d hits", what, res.Total, len(res.Hits))
	}
	seen := map[string]bool{}
	var arts []*corpus.Article
	for _, h := range res.Hits {
		if seen[h.ID] {
			t.Errorf("%s: hit %s twice on one page", what, h.ID)
		}
		seen[h.ID] = true
		a := s.fx.article(h.ID)
		if a == nil {
			t.Errorf("%s: hit %s is not in the corpus", what, h.ID)
			continue
		}
		arts = append(arts, a)
		checkHit(t, what, req, h, a)
	}
	whole := req.After == "" && req.Page <= 1 && res.Total == uint64(len(res.Hits))
	if whole && res.Next != "" {
		t.Errorf("%s: every hit on the page, yet a next cursor %q", what, res.Next)
	}
	if whole && req.FacetSize >= s.fx.values() { // room for every value
		s.checkFacets(t, what, req, res, arts)
	}
}

// checkHit compares a hit with its article.
func checkHit(t *testing.T, what string, req search.Request, h search.Hit, a *corpus.Article) {
	t.Helper()
	at := fmt.Sprintf("%s: hit %s", what, h.ID)
	if h.Title.Text != a.Title {
		t.Errorf("%s: Title.Text %q, want %q", at, h.Title.Text, a.Title)
	}
	if h.URL != a.URL {
		t.Errorf("%s: URL %q, want %q", at, h.URL, a.URL)
	}
	if !sameDate(h.Date, a.Date) {
		t.Errorf("%s: Date %v, want %v", at, h.Date, a.Date)
	}
	for _, f := range facet.All {
		if got, want := h.Values[f.Name], f.Values(a); !slices.Equal(got, want) {
			t.Errorf("%s: Values[%q] = %q, want %q", at, f.Name, got, want)
		}
	}
	if req.WithBody && h.Body != a.Body {
		t.Errorf("%s: Body %q, want %q", at, h.Body, a.Body)
	}
	if !req.WithBody && h.Body != "" {
		t.Errorf("%s: Body set without WithBody", at)
	}
	if len(h.Fragments) > req.Fragments {
		t.Errorf("%s: %d fragments, asked for %d", at, len(h.Fragments), req.Fragments)
	}
	checkSpans(t, at+" title", h.Title)
	for i, f := range h.Fragments {
		checkSpans(t, fmt.Sprintf("%s fragment %d", at, i), f)
		// The corpus's bodies are on one line with single spaces, so a
		// fragment is a piece of the body, "…" marking where it was cut.
		if piece := strings.TrimSpace(strings.Trim(f.Text, "…")); piece == "" || !strings.Contains(a.Body, piece) {
			t.Errorf("%s fragment %d: %q is not a piece of the body %q", at, i, f.Text, a.Body)
		}
	}
}

// checkSpans checks that a fragment's spans are sorted, disjoint, not
// empty and inside its text, on character boundaries.
func checkSpans(t *testing.T, at string, f search.Fragment) {
	t.Helper()
	prev := 0
	for _, sp := range f.Spans {
		switch {
		case sp.Start < prev:
			t.Errorf("%s: spans %v not sorted and disjoint in %q", at, f.Spans, f.Text)
			return
		case sp.End <= sp.Start || sp.End > len(f.Text):
			t.Errorf("%s: span %v empty or outside the text (%d bytes) %q", at, sp, len(f.Text), f.Text)
			return
		case !utf8.RuneStart(f.Text[sp.Start]) || sp.End < len(f.Text) && !utf8.RuneStart(f.Text[sp.End]):
			t.Errorf("%s: span %v cuts a character in %q", at, sp, f.Text)
			return
		}
		prev = sp.End
	}
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// checkFacets compares every facet the request asked for with the counts
// of the articles arts, taken by facet.All's Values.
func (s *suite) checkFacets(t *testing.T, what string, req search.Request, res *search.Result, arts []*corpus.Article) {
	t.Helper()
	for _, f := range facet.All {
		got, asked := res.Facets[f.Name]
		if !req.WantsFacet(f.Name) {
			if len(got) > 0 {
				t.Errorf("%s: facet %s computed though not asked for", what, f.Name)
			}
			continue
		}
		if !asked && len(arts) > 0 {
			t.Errorf("%s: facet %s missing", what, f.Name)
		}
		want := map[string]int{}
		for _, a := range arts {
			for _, v := range f.Values(a) {
				want[v]++
			}
		}
		gotMap := map[string]int{}
		for i, v := range got {
			gotMap[v.Value] = v.Count
			if i > 0 && got[i-1].Count < v.Count {
				t.Errorf("%s: facet %s not ranked by count: %v", what, f.Name, got)
			}
		}
		if !maps.Equal(gotMap, want) {
			t.Errorf("%s: facet %s = %v, want %v (counted from the corpus)", what, f.Name, got, want)
		}
	}
	if !req.WantsFacet(facet.Date) {
		if len(res.Facets[facet.Date]) > 0 {
			t.Errorf("%s: date histogram computed though not asked for", what)
		}
		return
	}
	want, unit := histogram(arts)
	if unit == "day" && !s.caps.DayHistogram {
		return
	}
	if got := res.Facets[facet.Date]; !slices.Equal(got, want) && len(got)+len(want) > 0 {
		t.Errorf("%s: date histogram = %v, want by %s %v (counted from the corpus)", what, got, unit, want)
	}
}

// histogram buckets the dated articles of arts by year when they span
// more than two years, by day when they fall in one month and by month
// otherwise, in date order.
func histogram(arts []*corpus.Article) ([]search.FacetValue, string) {
	years, months := map[string]bool{}, map[string]bool{}
	for _, a := range arts {
		if a.Date != nil {
			years[a.Date.UTC().Format("2006")] = true
			months[a.Date.UTC().Format("2006-01")] = true
		}
	}
	layout, unit := "2006-01", "month"
	switch {
	case len(years) > 2:
		layout, unit = "2006", "year"
	case len(months) == 1:
		layout, unit = "2006-01-02", "day"
	}
	counts := map[string]int{}
	for _, a := range arts {
		if a.Date != nil {
			counts[a.Date.UTC().Format(layout)]++
		}
	}
	var out []search.FacetValue
	for _, v := range slices.Sorted(maps.Keys(counts)) {
		out = append(out, search.FacetValue{Value: v, Count: counts[v]})
	}
	return out, unit
}

// hitIDs are the IDs of res's hits, in order.
func hitIDs(res *search.Result) []string {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// sameHits compares the hits of a whole answer with want, in any order,
// and says what is missing and what is extra.
func sameHits(t *testing.T, what string, res *search.Result, want []string) {
	t.Helper()
	got := slices.Sorted(slices.Values(hitIDs(res)))
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		var missing, extra []string
		for _, id := range want {
			if !slices.Contains(got, id) {
				missing = append(missing, id)
			}
		}
		for _, id := range got {
			if !slices.Contains(want, id) {
				extra = append(extra, id)
			}
		}
		t.Errorf("%s: hits %v, want %v (missing %v, unexpected %v)", what, got, want, missing, extra)
	}
	if res.Total != uint64(len(want)) {
		t.Errorf("%s: Total %d, want %d", what, res.Total, len(want))
	}
}

func dateText(d time.Time) string {
	if d.IsZero() {
		return "open"
	}
	return d.Format(time.RFC3339)
}

// fold is text as matching sees it: case and typographic variants aside.
func fold(s string) string {
	return strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(strings.ToLower(s))
}
