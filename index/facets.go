package index

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/folio-search/folio/internal/search"
)

// Facet counts are exact. The keyword facets and the months come from the
// facet columns (columns.go); days, wanted only when every match falls in
// one month, from doc values.

// facetPlan is the facets a search wants.
type facetPlan struct {
	terms map[string]string // facet name -> keyword field, top size values each
	size  int
	date  bool // the date histogram
	cols  *columnStore
	// visit, when set, is given the matches instead of counting facets
	// (related entities read the columns themselves).
	visit func(snap *scorch.IndexSnapshot, m *docSet, mt *meter) error
}

// count computes the facets over the matches m of snapshot snap.
// mt counts the work and stops it when the search's context is done.
func (p *facetPlan) count(snap *scorch.IndexSnapshot, m *docSet, mt *meter) (map[string][]search.FacetValue, error) {
	if p.visit != nil {
		return nil, p.visit(snap, m, mt)
	}
	fields := []string{}
	for _, f := range p.terms {
		fields = append(fields, f)
	}
	if p.date {
		fields = append(fields, fMonth)
	}
	counted, err := p.cols.columnCounts(snap, m, fields, func(f string) int {
		if f == fMonth {
			return 0 // every month: the histogram needs them all
		}
		return p.size
	}, mt)
	if err != nil {
		return nil, err
	}
	out := map[string][]search.FacetValue{}
	for name, f := range p.terms {
		out[name] = counted[f]
		if out[name] == nil {
			out[name] = []search.FacetValue{} // an empty facet is [], not null
		}
	}
	if p.date {
		months := counted[fMonth]
		var days []search.FacetValue
		if len(months) == 1 {
			byDay, err := docValueCounts(snap, m, fDay, mt)
			if err != nil {
				return nil, err
			}
			days = topValues(byDay, 0)
		}
		out["date"] = search.DateHistogram(months, days)
	}
	return out, nil
}

// docValueCounts counts the values of field over the matches m.
func docValueCounts(snap *scorch.IndexSnapshot, m *docSet, field string, mt *meter) (map[string]int, error) {
	counts := map[string]int{}
	if m.total == 0 {
		return counts, nil
	}
	dvr, err := snap.DocValueReader([]string{field})
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	visit := func(_ string, term []byte) { counts[string(term)]++ }
	var id [8]byte
	for s, docs := range m.docs {
		for _, d := range docs {
			if err := mt.step(1, 0); err != nil {
				return nil, err
			}
			binary.BigEndian.PutUint64(id[:], m.offsets[s]+uint64(d))
			if err := dvr.VisitDocValues(id[:], visit); err != nil {
				return nil, fmt.Errorf("facets: %w", err)
			}
		}
	}
	return counts, nil
}

// topValues ranks counted values, keeping size of them (all for 0).
func topValues(counts map[string]int, size int) []search.FacetValue {
	out := make([]search.FacetValue, 0, len(counts))
	for v, n := range counts {
		out = append(out, search.FacetValue{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return ranksBefore(out[i], out[j]) })
	if size > 0 && len(out) > size {
		out = out[:size]
	}
	return out
}

func ranksBefore(a, b search.FacetValue) bool {
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	return a.Value < b.Value
}

// worstFirst is a heap of facet values, the one ranked last on top.
type worstFirst []search.FacetValue

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return ranksBefore(h[j], h[i]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(search.FacetValue)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
