package index

import (
	"context"
	"sync/atomic"

	"github.com/folio-search/folio/internal/search"
)

// searchCost is a search's running search.Cost, counted by Folio's own
// searchers, the collector and the highlighter, and shared by them.
type searchCost struct {
	postings, positions, terms atomic.Int64
}

func (c *searchCost) snapshot() search.Cost {
	return search.Cost{Postings: c.postings.Load(), Positions: c.positions.Load(), Terms: c.terms.Load()}
}

type costKey struct{}

func withCost(ctx context.Context, c *searchCost) context.Context {
	return context.WithValue(ctx, costKey{}, c)
}

// checkEvery is how many units of work (postings or positions) a meter
// lets pass between looks at the context: a few hundred microseconds of
// work, so a cancelled search stops well within 100 ms.
const checkEvery = 1 << 14

// meter counts one searcher's work into its search's cost and, every
// checkEvery units, reports a cancelled or expired context. Bleve's
// collector looks at the context only every 1024 hits, and a single Next
// of a searcher that rejects most documents can run for long without one.
type meter struct {
	ctx                 context.Context
	done                <-chan struct{}
	cost                *searchCost // nil outside Search
	postings, positions int64       // not yet added to cost
}

func newMeter(ctx context.Context) *meter {
	m := &meter{ctx: ctx}
	if ctx != nil {
		m.done = ctx.Done()
		m.cost, _ = ctx.Value(costKey{}).(*searchCost)
	}
	return m
}

// step counts postings and positions of work; it returns the context's
// error once the context is done. A nil meter counts nothing.
func (m *meter) step(postings, positions int) error {
	if m == nil {
		return nil
	}
	m.postings += int64(postings)
	m.positions += int64(positions)
	if m.postings+m.positions < checkEvery {
		return nil
	}
	return m.check()
}

// check flushes the counts and looks at the context.
func (m *meter) check() error {
	if m == nil {
		return nil
	}
	if m.cost != nil {
		m.cost.postings.Add(m.postings)
		m.cost.positions.Add(m.positions)
	}
	m.postings, m.positions = 0, 0
	select {
	case <-m.done:
		return m.ctx.Err()
	default:
		return nil
	}
}
