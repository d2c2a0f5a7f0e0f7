package index

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/folio-search/folio/internal/query"
)

// The date terms of an article, each in a layout that sorts as its dates
// do (years 1000 to 9999, which the index's range of dates lies within).
const (
	yearLayout  = "2006"
	monthLayout = "2006-01"
	dayLayout   = "2006-01-02"
)

// dateRange compiles a date range for the index the compiler serves.
func (c *compiler) dateRange(r query.DateRange) bq.Query {
	if c.quotes || !c.ix.datedByDay {
		return dateQuery(r)
	}
	return dayRangeQuery(r)
}

// dayRangeQuery matches the articles whose day is in [r.From, r.To), as
// dateQuery does, from their year, month and day terms: the days before
// the first whole month of the range, the months before its first whole
// year, the whole years, then the months and days after the last. A range
// is at most five term ranges, and each term is read once: a day that a
// whole month covers, or a month of a whole year, is not read again.
func dayRangeQuery(r query.DateRange) bq.Query {
	if !r.To.IsZero() && !r.To.After(minIndexDate) || !r.From.IsZero() && !r.From.Before(maxIndexDate) {
		return bleve.NewMatchNoneQuery()
	}
	// The first and last days of the range, nil where it is open.
	var first, last *time.Time
	if !r.From.IsZero() && r.From.After(minIndexDate) {
		d := ceilDay(r.From)
		first = &d
	}
	if !r.To.IsZero() && r.To.Before(maxIndexDate) {
		d := ceilDay(r.To).AddDate(0, 0, -1)
		last = &d
	}
	empty := func() bool { return first != nil && last != nil && first.After(*last) }
	if empty() {
		return bleve.NewMatchNoneQuery()
	}
	var qs []bq.Query
	add := func(field, layout string, from, to *time.Time) {
		lo, hi := "0", "" // "0" sorts before every term: Bleve wants one bound at least
		if from != nil {
			lo = from.Format(layout)
		}
		if to != nil {
			hi = to.Format(layout)
		}
		yes := true
		q := bleve.NewTermRangeInclusiveQuery(lo, hi, &yes, &yes)
		q.SetField(field)
		qs = append(qs, q)
	}
	// trim takes the part of the range that is not whole units (months,
	// then years) off each end as terms of field, and reports whether the
	// whole range was taken.
	trim := func(field, layout string, isStart, isEnd func(time.Time) bool, start, end func(time.Time) time.Time) bool {
		if first != nil && !isStart(*first) {
			e := end(*first)
			if last != nil && !last.After(e) {
				add(field, layout, first, last)
				return true
			}
			add(field, layout, first, &e)
			next := e.AddDate(0, 0, 1)
			first = &next
		}
		if last != nil && !isEnd(*last) {
			s := start(*last)
			if first != nil && !first.Before(s) {
				add(field, layout, first, last)
				return true
			}
			add(field, layout, &s, last)
			prev := s.AddDate(0, 0, -1)
			last = &prev
		}
		return empty()
	}
	monthStart := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	monthEnd := func(t time.Time) time.Time { return monthStart(t).AddDate(0, 1, -1) }
	yearStart := func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) }
	yearEnd := func(t time.Time) time.Time { return time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC) }
	done := trim(fDay, dayLayout,
		func(t time.Time) bool { return t.Day() == 1 },
		func(t time.Time) bool { return t.Equal(monthEnd(t)) },
		monthStart, monthEnd)
	if !done {
		done = trim(fMonth, monthLayout,
			func(t time.Time) bool { return t.Month() == time.January },
			func(t time.Time) bool { return t.Month() == time.December },
			yearStart, yearEnd)
	}
	if !done {
		add(fYear, yearLayout, first, last)
	}
	return disjunction(qs)
}

// ceilDay is the first midnight (UTC) at or after t.
func ceilDay(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
