package index

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// A request's filters and date range restrict what its text finds and
// leave its order and scores as they were: the filtered page is the
// unfiltered ranking with the other articles taken out.
func TestRequestFiltersDoNotScore(t *testing.T) {
	articles := firstReuters(t, 1500)
	ix := openTemp(t)
	if err := ix.Put(articles...); err != nil {
		t.Fatal(err)
	}
	tags := map[string][]string{}
	dates := map[string]time.Time{}
	for _, a := range articles {
		tags[a.ID] = a.Tags
		if a.Date != nil {
			dates[a.ID] = a.Date.UTC()
		}
	}
	// A range of days holding the middle third of the articles.
	sorted := slices.SortedFunc(func(yield func(time.Time) bool) {
		for _, d := range dates {
			if !yield(d) {
				return
			}
		}
	}, time.Time.Compare)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	from, to := day(sorted[len(sorted)/3]), day(sorted[2*len(sorted)/3])
	ctx := context.Background()
	checked := 0
	for _, tc := range []struct{ text, tag string }{{"oil prices", "crude"}, {"bank rates", "interest"}, {"profit", "earn"}, {"wheat exports", "grain"}} {
		n, err := query.Parse(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		all, err := ix.Search(ctx, search.Request{Query: n, Size: 1000, NoExpand: true, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		var want []search.Hit
		for _, h := range all.Hits {
			d, dated := dates[h.ID]
			if slices.Contains(tags[h.ID], tc.tag) && dated && !day(d).Before(from) && day(d).Before(to) {
				want = append(want, h)
			}
		}
		got, err := ix.Search(ctx, search.Request{Query: n, Size: 1000, NoExpand: true, Facets: []string{},
			Filters: map[string][]string{"tag": {tc.tag}}, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Hits) != len(want) {
			t.Errorf("%s, tag %s: %d hits, want %d", tc.text, tc.tag, len(got.Hits), len(want))
			continue
		}
		for i := range want {
			if got.Hits[i].ID != want[i].ID || got.Hits[i].Score != want[i].Score {
				t.Errorf("%s, tag %s: rank %d is %s %v, want %s %v", tc.text, tc.tag, i+1, got.Hits[i].ID, got.Hits[i].Score, want[i].ID, want[i].Score)
				break
			}
		}
		checked += len(want)
	}
	if checked < 10 {
		t.Fatalf("only %d filtered hits compared: the test is not testing", checked)
	}
}
