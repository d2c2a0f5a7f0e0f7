package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// Index finds related entities.
var _ search.RelatedFinder = (*Index)(nil)

// Related entities are counted from the facet columns in one pass over
// the articles the search matches: for each entity, the matching articles
// naming it and those naming it beside the entity asked about. The pass
// costs what counting facets costs, whatever the entity.

// Related lists the entities most associated with req's entity.
func (ix *Index) Related(ctx context.Context, req search.RelatedRequest) (*search.RelatedResult, error) {
	start := time.Now()
	f, fields, err := req.Facets()
	if err != nil {
		return nil, err
	}
	size, minCount := req.Limits()
	names, err := ix.entityNames(f, req.Name)
	if err != nil {
		return nil, err
	}
	out := &search.RelatedResult{Names: names, Related: map[string][]search.RelatedEntity{}}
	for _, g := range fields {
		out.Related[g.Name] = []search.RelatedEntity{}
	}
	if len(names) == 0 {
		out.Took = time.Since(start)
		return out, nil
	}
	bg := search.Request{Query: req.Search.Query, Filters: req.Search.Filters, From: req.Search.From, To: req.Search.To}
	q, _, _, err := ix.bleveQuery(ctx, bg, false, DefaultRanking)
	if err != nil {
		return nil, err
	}
	counter := &relatedCounter{cols: &ix.cols, field: f.Field, names: names, fields: fields, slice: req.Slice}
	col := &hitCollector{facets: &facetPlan{cols: &ix.cols, visit: counter.count}}
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	res, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	out.Total, out.Articles = res.Total, counter.fg
	n := int(res.Total)
	for i, g := range fields {
		out.Related[g.Name] = counter.rank(counter.both[i], i, counter.fg, n, size, minCount)
	}
	for _, p := range counter.periodOrder() {
		sl := counter.periods[p]
		rs := search.RelatedSlice{Period: p, Articles: sl.fg, Related: map[string][]search.RelatedEntity{}}
		for i, g := range fields {
			rs.Related[g.Name] = counter.rank(sl.both[i], i, sl.fg, n, size, min(minCount, 1))
		}
		out.Slices = append(out.Slices, rs)
	}
	out.Took = time.Since(start)
	return out, nil
}

// entityNames are the canonical names that name stands for in facet f.
func (ix *Index) entityNames(f facet.Facet, name string) ([]string, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	defer r.Close()
	rs := &resolver{ix: ix, r: r}
	if _, err := rs.filter(f.Name, name, false); err != nil {
		return nil, err
	}
	return rs.matched[f.Name], nil
}

// relatedCounter counts, over the matches, each entity's articles and
// those it shares with the entity asked about (the foreground).
type relatedCounter struct {
	cols   *columnStore
	field  string   // the entity's index field
	names  []string // its canonical names
	fields []facet.Facet
	slice  string

	fg         int       // foreground articles
	all        [][]int32 // by field: matching articles naming each value
	both       [][]int32 // by field: foreground articles naming each value
	valueNames [][]string
	periods    map[string]*relatedPeriod
}

// relatedPeriod is the foreground of one time slice.
type relatedPeriod struct {
	fg   int
	both []map[uint32]int32 // by field
}

func (rc *relatedCounter) count(snap *scorch.IndexSnapshot, m *docSet, mt *meter) error {
	segCols, err := rc.cols.columns(snap)
	if err != nil {
		return err
	}
	target := map[uint32]bool{}
	for _, n := range rc.names {
		if id, ok := rc.cols.ords[rc.field].lookup(n); ok {
			target[id] = true
		}
	}
	rc.periods = map[string]*relatedPeriod{}
	months := rc.cols.ords[fMonth].snapshotNames()
	for _, g := range rc.fields {
		names := rc.cols.ords[g.Field].snapshotNames()
		rc.valueNames = append(rc.valueNames, names)
		rc.all = append(rc.all, make([]int32, len(names)))
		rc.both = append(rc.both, make([]int32, len(names)))
	}
	for s, docs := range m.docs {
		if err := mt.step(len(docs), 0); err != nil {
			return err
		}
		cols := segCols[s]
		own := cols[rc.field]
		for _, d := range docs {
			in := false
			for _, v := range own.vals[own.start[d]:own.start[d+1]] {
				in = in || target[v]
			}
			var period *relatedPeriod
			if in {
				rc.fg++
				period = rc.period(cols[fMonth], d, months)
			}
			for i, g := range rc.fields {
				c := cols[g.Field]
				for _, v := range c.vals[c.start[d]:c.start[d+1]] {
					if int(v) >= len(rc.all[i]) {
						continue // numbered after the names were read
					}
					rc.all[i][v]++
					if in {
						rc.both[i][v]++
						if period != nil {
							period.both[i][v]++
						}
					}
				}
			}
		}
	}
	return nil
}

// period is the time slice of document d, counted once more; nil when
// the request has no slices or d has no date.
func (rc *relatedCounter) period(months *column, d uint32, names []string) *relatedPeriod {
	if rc.slice == search.SliceNone {
		return nil
	}
	vals := months.vals[months.start[d]:months.start[d+1]]
	if len(vals) == 0 || int(vals[0]) >= len(names) {
		return nil
	}
	key := names[vals[0]]
	if rc.slice == search.SliceYear && len(key) >= 4 {
		key = key[:4]
	}
	p := rc.periods[key]
	if p == nil {
		p = &relatedPeriod{}
		for range rc.fields {
			p.both = append(p.both, map[uint32]int32{})
		}
		rc.periods[key] = p
	}
	p.fg++
	return p
}

func (rc *relatedCounter) periodOrder() []string {
	keys := make([]string, 0, len(rc.periods))
	for k := range rc.periods {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rank scores the entities of field i seen with the entity (both holds
// their shared articles, as a slice or a map) and keeps the size most
// associated with at least minCount shared articles; fg is the
// foreground's size and n the matches'.
func (rc *relatedCounter) rank(both any, i, fg, n, size, minCount int) []search.RelatedEntity {
	out := []search.RelatedEntity{}
	add := func(v uint32, k int32) {
		if int(k) < minCount {
			return
		}
		name := rc.valueNames[i][v]
		if rc.fields[i].Field == rc.field && slices.Contains(rc.names, name) {
			return // the entity itself
		}
		a := int(rc.all[i][v])
		g2, pmi := search.Association(int(k), fg, a, n)
		out = append(out, search.RelatedEntity{Name: name, Count: int(k), Articles: a, Score: g2, PMI: pmi})
	}
	switch b := both.(type) {
	case []int32:
		for v, k := range b {
			add(uint32(v), k)
		}
	case map[uint32]int32:
		for v, k := range b {
			add(v, k)
		}
	}
	return search.RankRelated(out, size)
}
