package search

import (
	"slices"
	"strings"
)

// DateHistogram is the date facet of every engine, from the matches
// counted by month ("2024-03") and, when they fall in one month, by day
// ("2024-03-09"): buckets are years when the matches span more than two
// years, days when they fall in one month, months otherwise, in date
// order. Years are summed from the months.
func DateHistogram(months, days []FacetValue) []FacetValue {
	byValue := func(a, b FacetValue) int { return strings.Compare(a.Value, b.Value) }
	months = slices.SortedFunc(slices.Values(months), byValue)
	var years []FacetValue
	for _, m := range months {
		if len(m.Value) < 4 {
			continue
		}
		if n := len(years); n > 0 && years[n-1].Value == m.Value[:4] {
			years[n-1].Count += m.Count
			continue
		}
		years = append(years, FacetValue{Value: m.Value[:4], Count: m.Count})
	}
	out := months
	switch {
	case len(years) > 2:
		out = years
	case len(months) == 1:
		out = days
	}
	return append([]FacetValue{}, slices.SortedFunc(slices.Values(out), byValue)...)
}
