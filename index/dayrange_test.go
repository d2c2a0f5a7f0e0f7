package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// A date range finds, from the year, month and day terms, exactly the
// articles whose day lies in it, as the Bleve date field of an index of
// schema 9 does: open ends, bounds inside a day, within a month, across
// months and years, leap days, and ranges that hold nothing.
func TestDayRangesMatchTheDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	start := time.Date(1985, 11, 20, 0, 0, 0, 0, time.UTC)
	span := time.Date(1990, 2, 10, 0, 0, 0, 0, time.UTC).Sub(start)
	var articles []corpus.Article
	for i := range 500 {
		a := corpus.Article{ID: fmt.Sprintf("a%03d", i), Title: "Talks", Body: "Talks resumed."}
		if i%50 != 0 { // a few undated articles, never in a range
			d := start.Add(time.Duration(rng.Int64N(int64(span))))
			if i%7 == 0 {
				d = d.In(time.FixedZone("", -5*3600)) // the day is the UTC day
			}
			a.Date = &d
		}
		articles = append(articles, a)
	}
	leap := time.Date(1988, 2, 29, 23, 30, 0, 0, time.UTC)
	articles[1].Date = &leap

	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	older := openUnpacked(t, t.TempDir()+"/older")
	for _, x := range []*Index{ix, older} {
		if err := x.Put(articles...); err != nil {
			t.Fatal(err)
		}
	}
	if !ix.datedByDay {
		t.Fatal("a new index has no date terms")
	}

	day := func(a corpus.Article) time.Time {
		u := a.Date.UTC()
		return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
	}
	want := func(from, to time.Time) []string {
		var ids []string
		for _, a := range articles {
			if a.Date == nil {
				if from.IsZero() && to.IsZero() {
					ids = append(ids, a.ID) // no range asked for
				}
				continue
			}
			d := day(a)
			if (from.IsZero() || !d.Before(from)) && (to.IsZero() || d.Before(to)) {
				ids = append(ids, a.ID)
			}
		}
		return ids
	}
	found := func(x *Index, from, to time.Time) []string {
		res, err := x.Search(context.Background(), search.Request{Query: query.MatchAll{}, From: from, To: to, Size: 1000, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		ids := hitIDs(res)
		slices.Sort(ids)
		if int(res.Total) != len(ids) {
			t.Errorf("[%v, %v): total %d, %d hits", from, to, res.Total, len(ids))
		}
		return ids
	}
	point := func() time.Time {
		switch rng.IntN(6) {
		case 0:
			return time.Time{} // open
		case 1: // the first of a month
			d := start.AddDate(0, rng.IntN(54), 0)
			return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		case 2: // the first of a year
			return time.Date(1985+rng.IntN(6), 1, 1, 0, 0, 0, 0, time.UTC)
		case 3: // inside a day, in another zone
			return start.Add(time.Duration(rng.Int64N(int64(span)))).In(time.FixedZone("", 9*3600))
		}
		return start.AddDate(0, 0, rng.IntN(1600)) // a midnight
	}
	// The query syntax's ranges compile to the same.
	for _, tc := range []struct {
		q        string
		from, to time.Time
	}{
		{"date:1987", time.Date(1987, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1988, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"date:1986-03..1988-02-29", time.Date(1986, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(1988, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"date:>=1988-02-29", time.Date(1988, 2, 29, 0, 0, 0, 0, time.UTC), time.Time{}},
		{"date:<1987-07", time.Time{}, time.Date(1987, 7, 1, 0, 0, 0, 0, time.UTC)},
	} {
		n, err := query.Parse(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), search.Request{Query: n, Size: 1000, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		got, w := hitIDs(res), want(tc.from, tc.to)
		slices.Sort(got)
		if !slices.Equal(got, w) || len(w) == 0 {
			t.Errorf("%s: %d articles, want %d", tc.q, len(got), len(w))
		}
	}
	ranges := [][2]time.Time{
		{leap, leap.Add(time.Minute)}, // within the leap day: its midnight is before From
		{time.Date(1988, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(1988, 3, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1986, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1989, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1986, 3, 17, 0, 0, 0, 0, time.UTC), time.Date(1989, 10, 2, 6, 0, 0, 0, time.UTC)},
		{time.Date(1987, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(1987, 5, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1986, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1987, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for range 300 {
		ranges = append(ranges, [2]time.Time{point(), point()})
	}
	nonEmpty := 0
	for _, r := range ranges {
		w := want(r[0], r[1])
		if len(w) > 0 && len(w) < 490 {
			nonEmpty++
		}
		if got := found(ix, r[0], r[1]); !slices.Equal(got, w) {
			t.Errorf("[%v, %v): %d articles, want %d (%v)", r[0], r[1], len(got), len(w), dayRangeQuery(query.DateRange{From: r[0], To: r[1]}))
		}
		if got := found(older, r[0], r[1]); !slices.Equal(got, w) {
			t.Errorf("[%v, %v): the date field found %d articles, want %d", r[0], r[1], len(got), len(w))
		}
	}
	if nonEmpty < 100 {
		t.Errorf("only %d ranges hold some articles but not all: the test is not testing", nonEmpty)
	}
}
