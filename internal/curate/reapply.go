package curate

import (
	"context"
	"fmt"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Report is what a run of the rules changed, by rule.
type Report struct {
	Rules   []Rule   `json:"rules"`
	Counts  []Counts `json:"counts"` // by rule, as Rules
	Read    int      `json:"read"`   // articles read
	Written int      `json:"written"`
}

// Reapply runs the rules over every article the engine holds and writes
// back only those they change, in batches of batch, then lets the engine
// finish the ingest (people linked again).
func Reapply(ctx context.Context, eng search.Engine, s *Set, batch int) (*Report, error) {
	rep := &Report{Rules: s.Rules, Counts: make([]Counts, len(s.Rules))}
	if len(s.Rules) == 0 {
		return rep, nil
	}
	batch = max(batch, 1)
	var pending []corpus.Article
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := eng.WriteBatch(ctx, pending); err != nil {
			return err
		}
		rep.Written += len(pending)
		pending = pending[:0]
		return nil
	}
	// The IDs first, then the articles: writing while paging by cursor
	// would page over a changing index.
	var ids []string
	req := search.Request{Query: query.MatchAll{}, Sort: search.ByDateDesc, Size: 500, Facets: []string{}}
	for {
		res, err := eng.Search(ctx, req)
		if err != nil {
			return rep, fmt.Errorf("listing articles: %w", err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.Next == "" || len(res.Hits) == 0 {
			break
		}
		req.After = res.Next
	}
	for _, id := range ids {
		a, err := eng.Article(ctx, id)
		if err != nil {
			return rep, fmt.Errorf("reading %s: %w", id, err)
		}
		rep.Read++
		counts := s.Apply(a)
		if counts == nil {
			continue
		}
		for i, c := range counts {
			rep.Counts[i].Add(c)
		}
		pending = append(pending, *a)
		if len(pending) >= batch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if rep.Written == 0 {
		return rep, nil
	}
	return rep, eng.FinishIngest(ctx, false)
}
