package opensearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/names"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Entity filters match names as journalists spell them, as on Bleve:
// person:"Ilham Aliev", person:Алиев and person:"Ilham Əliyev" all find
// Ilham Aliyev. Folio reads the distinct values of the entity facets from
// the cluster (a composite aggregation), keeps them as name tables
// (names.Table), and compiles a filter into a terms filter over the
// canonical names its value stands for. While the tables are current a
// filter costs no request of its own; the first after this engine writes
// reads them (three requests and more for a large index), and a check
// in the background (one request, three more when the index changed)
// keeps them current with other processes' writes. A search without an
// entity filter uses the tables only when it finds fewer than
// search.VariantBelow articles, to look for a suggestion.

// defaultTableCheck is how long name tables are trusted without asking
// the cluster whether the index changed. This engine's own writes make
// them stale at once; another process's writes are seen by entity filters
// up to this late.
const defaultTableCheck = 10 * time.Second

// maxTableNames bounds the names read per entity facet, and so the
// memory of the tables: about 160 bytes a name besides its text (35,178
// names of Reuters-21578 took 5.8 MB), so some 33 MB a facet at most.
// Names beyond it, in the order of their bytes, match only as written.
// tablePage is how many names one page of the composite aggregation
// brings, per facet. Both are variables so that a test can page through
// a few names.
var (
	maxTableNames = 200_000
	tablePage     = 10_000
)

// nameTables are the name tables of the entity facets, by facet name, as
// the cluster held them when the index had the signature sig.
type nameTables struct {
	mu       sync.Mutex
	tabs     map[string]*names.Table
	sig      string
	gen      uint64     // the engine's write generation they were read at
	checked  time.Time  // when sig was last compared with the cluster's
	building *tableRead // the read under way; nil when none is
}

// tableRead is one read of the tables, as of write generation gen: done
// is closed when it ends, with the tables or the error it ended with.
type tableRead struct {
	gen  uint64
	done chan struct{}
	tabs map[string]*names.Table
	err  error
}

// nameTables returns the current name tables. Tables read since this
// engine last wrote are used at once; when they were last checked
// e.tableCheck ago or more, a read in the background asks the cluster for
// the index's signature and reads them again if it changed, so that no
// search waits on it. Without such tables (none yet, or this engine has
// written since), the search waits for a read. Reads are the engine's,
// not the search's: a search that gives up (its deadline, on a slow
// cluster) leaves the read to finish for the searches that follow.
func (e *Engine) nameTables(ctx context.Context) (map[string]*names.Table, error) {
	nt := &e.names
	for {
		gen := e.gen.Load()
		nt.mu.Lock()
		if nt.tabs != nil && nt.gen == gen {
			tabs := nt.tabs
			if nt.building == nil && time.Since(nt.checked) >= e.tableCheck {
				e.startRead(gen)
			}
			nt.mu.Unlock()
			return tabs, nil
		}
		r := nt.building
		if r == nil {
			r = e.startRead(gen)
		}
		nt.mu.Unlock()
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("opensearch: reading the entity names: %w", ctx.Err())
		}
		if r.err != nil {
			return nil, r.err
		}
		if r.gen == gen {
			// Read after every write before this search, even if another
			// has landed meanwhile: this search does not chase writes.
			return r.tabs, nil
		}
	}
}

// backgroundRead bounds a read of the name tables.
const backgroundRead = 2 * time.Minute

// startRead starts a read of the tables as of write generation gen (again
// only if the index changed); e.names.mu is held. When it ends, the
// tables it read replace those there were; a failed read keeps them, and
// is not tried again in the background until they are due for a check
// once more.
func (e *Engine) startRead(gen uint64) *tableRead {
	nt := &e.names
	r := &tableRead{gen: gen, done: make(chan struct{})}
	nt.building = r
	old, oldSig := nt.tabs, nt.sig
	e.bg.Add(1)
	go func() {
		defer e.bg.Done()
		ctx, cancel := context.WithTimeout(e.bgCtx, backgroundRead)
		defer cancel()
		tabs, sig, err := e.readTables(ctx, old, oldSig)
		nt.mu.Lock()
		defer nt.mu.Unlock()
		r.tabs, r.err = tabs, err
		nt.building, nt.checked = nil, time.Now()
		if err == nil {
			nt.tabs, nt.sig, nt.gen = tabs, sig, gen
		}
		close(r.done)
	}()
	return r
}

// readTables returns old when the index's signature is still oldSig, and
// otherwise reads the tables afresh, with the signature they hold.
func (e *Engine) readTables(ctx context.Context, old map[string]*names.Table, oldSig string) (map[string]*names.Table, string, error) {
	sig, err := e.signature(ctx)
	if err != nil {
		return nil, "", err
	}
	if old != nil && sig == oldSig {
		return old, sig, nil
	}
	// Operations counted in the signature but not yet refreshed would be
	// missing from the aggregation, and no later change of signature
	// would bring them: a refresh makes them visible first. A role
	// without the right to refresh still reads what is visible.
	err = e.do(ctx, http.MethodPost, "/"+e.index+"/_refresh", nil, nil)
	var se *statusError
	if err != nil && !(errors.As(err, &se) && se.Status == http.StatusForbidden) {
		return nil, "", err
	}
	all, err := e.entityValues(ctx)
	if err != nil {
		return nil, "", err
	}
	tabs := map[string]*names.Table{}
	for name, values := range all {
		tabs[name] = names.NewTable(values)
	}
	return tabs, sig, nil
}

// signature names the state of the index: its name and UUID and the
// highest sequence number of each primary shard, which every write and
// delete raises. A new signature is a changed index; the same one, the same
// articles.
func (e *Engine) signature(ctx context.Context) (string, error) {
	var got struct {
		Indices map[string]struct {
			UUID   string `json:"uuid"`
			Shards map[string][]struct {
				Routing struct {
					Primary bool `json:"primary"`
				} `json:"routing"`
				SeqNo struct {
					Max int64 `json:"max_seq_no"`
				} `json:"seq_no"`
			} `json:"shards"`
		} `json:"indices"`
	}
	path := "/" + e.index + "/_stats/docs?level=shards&filter_path=indices.*.uuid,indices.*.shards.*.routing.primary,indices.*.shards.*.seq_no.max_seq_no"
	if err := e.do(ctx, http.MethodGet, path, nil, &got); err != nil {
		return "", err
	}
	if len(got.Indices) == 0 {
		return "", fmt.Errorf("opensearch: no statistics of index %s", e.index)
	}
	// An alias may stand for several indexes: each is part of the state.
	var parts []string
	for name, ix := range got.Indices {
		for shard, copies := range ix.Shards {
			for _, c := range copies {
				if c.Routing.Primary {
					parts = append(parts, name+" "+ix.UUID+" "+shard+":"+strconv.FormatInt(c.SeqNo.Max, 10))
				}
			}
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ","), nil
}

// entityValues reads the distinct values of each entity facet, up to
// maxTableNames each, a page of each facet per request.
func (e *Engine) entityValues(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	after := map[string]obj{}
	todo := map[string]bool{}
	for _, f := range facet.All {
		if f.EntityType != "" {
			todo[f.Name] = true
			out[f.Name] = nil
		}
	}
	for len(todo) > 0 {
		aggs := obj{}
		for _, f := range facet.All {
			if !todo[f.Name] {
				continue
			}
			c := obj{"size": tablePage, "sources": []any{obj{"v": obj{"terms": obj{"field": f.Field}}}}}
			if a := after[f.Name]; a != nil {
				c["after"] = a
			}
			aggs[f.Name] = obj{"composite": c}
		}
		var got struct {
			Shards       shards `json:"_shards"`
			Aggregations map[string]struct {
				After   obj `json:"after_key"`
				Buckets []struct {
					Key struct {
						V string `json:"v"`
					} `json:"key"`
				} `json:"buckets"`
			} `json:"aggregations"`
		}
		body := obj{"size": 0, "track_total_hits": false, "aggs": aggs}
		if err := e.do(ctx, http.MethodPost, e.searchPath(), body, &got); err != nil {
			return nil, err
		}
		if err := got.Shards.check(); err != nil {
			return nil, err
		}
		for name := range todo {
			a := got.Aggregations[name]
			for _, b := range a.Buckets {
				out[name] = append(out[name], b.Key.V)
			}
			if len(out[name]) >= maxTableNames {
				out[name] = out[name][:maxTableNames]
				delete(todo, name)
			}
			if len(a.Buckets) < tablePage || a.After == nil {
				delete(todo, name)
			}
			after[name] = a.After
		}
	}
	return out, nil
}

// entityFilters reports whether req filters on an entity facet, by a
// parameter or in its query, and so needs the name tables.
func entityFilters(req *search.Request) bool {
	for name := range req.Filters {
		if f, ok := facet.ByName(name); ok && f.EntityType != "" && len(req.Filters[name]) > 0 {
			return true
		}
	}
	var in func(n query.Node) bool
	in = func(n query.Node) bool {
		switch n := n.(type) {
		case query.Filter:
			f, ok := facet.ByName(n.Field)
			return ok && f.EntityType != ""
		case query.And:
			return slices.ContainsFunc(n.Nodes, in)
		case query.Or:
			return slices.ContainsFunc(n.Nodes, in)
		case query.Not:
			return in(n.Node)
		}
		return false
	}
	return in(req.Query)
}

// variants are a search's entity filters by their name variants: the
// tables they match in, the canonical names each positive filter matched
// (by facet name), and the positive filters that matched no name.
type variants struct {
	tabs    map[string]*names.Table // nil: filters match the value as written
	matched map[string][]string
	missed  []query.Filter
}

// entityFilter is the filter of entity facet f for value: the canonical
// names the value stands for, or the value as written when it stands for
// none. Exclusions (-person:x) match the same names but are not
// reported.
func (v *variants) entityFilter(f facet.Facet, value string, negated bool) (obj, bool) {
	t := v.tabs[f.Name]
	if t == nil {
		return nil, false
	}
	found := search.EntityNames(f, value, t.Match)
	if len(found) == 0 {
		if !negated {
			v.missed = append(v.missed, query.Filter{Field: f.Name, Value: value})
		}
		return nil, false
	}
	found = found[:min(len(found), search.MaxVariantNames)]
	if !negated {
		v.matched = search.AddMatched(v.matched, f.Name, found)
	}
	return obj{"terms": obj{f.Field: found}}, true
}

// suggestVariant offers, for a search that found few articles or had an
// entity filter that matched no name, the request with the names it
// spells otherwise (search.SuggestVariant).
func (e *Engine) suggestVariant(ctx context.Context, req search.Request, missed []query.Filter, out *search.Result) error {
	tabs, err := e.nameTables(ctx)
	if err != nil {
		return err
	}
	return search.SuggestVariant(ctx, req, missed, out, search.Variants{
		Lookup: func(f facet.Facet, typed string) ([]string, error) {
			if t := tabs[f.Name]; t != nil {
				return t.Match(typed), nil
			}
			return nil, nil
		},
		Nearest: func(f facet.Facet, typed string) ([]string, error) {
			if t := tabs[f.Name]; t != nil {
				return t.Nearest(typed), nil
			}
			return nil, nil
		},
		Total: func(ctx context.Context, alt search.Request) (uint64, error) {
			alt.Sort = search.ByDate // a count needs no point in time
			res, _, err := e.search(ctx, alt, false)
			if err != nil {
				return 0, err
			}
			return res.Total, nil
		},
	})
}
