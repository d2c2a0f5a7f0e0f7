package crawl

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/folio-search/folio/internal/ingest"
)

// Sink is where a poller writes: an engine, which takes batches and
// finishes a run of them (search.Engine is one).
type Sink interface {
	ingest.Writer
	FinishIngest(ctx context.Context, optimize bool) error
}

// Source is a URL crawled again every Every.
type Source struct {
	URL   string
	Every time.Duration
}

// SourceStatus is what a poller says of one source.
type SourceStatus struct {
	URL          string        `json:"url"`
	Every        string        `json:"every"`
	Runs         int           `json:"runs"`
	Running      bool          `json:"running"`
	LastRun      *time.Time    `json:"last_run"` // when the last finished run started
	LastDuration float64       `json:"last_duration_seconds"`
	LastError    string        `json:"last_error,omitempty"` // of the run as a whole, such as a write that failed
	Last         RunCounts     `json:"last"`                 // of the last finished run
	Total        RunCounts     `json:"total"`                // of every run since the start
	Errors       []SourceError `json:"recent_errors"`        // the latest, newest last
}

// RunCounts count what crawls of a source did.
type RunCounts struct {
	Fetched     int `json:"fetched"`
	NotModified int `json:"not_modified"`
	New         int `json:"new"`
	Changed     int `json:"changed"`
	Unchanged   int `json:"unchanged"`
	Skipped     int `json:"skipped"`
	Failed      int `json:"failed"`
}

func (c *RunCounts) add(o RunCounts) {
	c.Fetched += o.Fetched
	c.NotModified += o.NotModified
	c.New += o.New
	c.Changed += o.Changed
	c.Unchanged += o.Unchanged
	c.Skipped += o.Skipped
	c.Failed += o.Failed
}

// SourceError is one URL of a source that failed or was skipped.
type SourceError struct {
	At     time.Time `json:"at"`
	URL    string    `json:"url"`
	Reason string    `json:"reason"`
}

// recentErrors is how many errors a source keeps to show.
const recentErrors = 20

// Poller keeps sources fresh: it crawls each on its interval and writes
// new and changed articles to a sink, while the sink is searched.
type Poller struct {
	opt    Options
	st     *State
	sink   Sink
	ingest ingest.Options
	log    *slog.Logger

	mu      sync.Mutex
	sources []*SourceStatus
	every   []time.Duration
	write   sync.Mutex // one crawl writes at a time: searches keep a core
}

// NewPoller polls sources with the crawl options opt and state st into
// sink; in sets the batches and enrichment of the writes (its OnError and
// OnBatch are not used).
func NewPoller(sources []Source, opt Options, st *State, sink Sink, in ingest.Options, log *slog.Logger) (*Poller, error) {
	if _, err := New(opt, st); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Poller{opt: opt, st: st, sink: sink, ingest: in, log: log}
	for _, s := range sources {
		if s.Every <= 0 {
			return nil, fmt.Errorf("crawl: source %s: the interval must be positive", s.URL)
		}
		p.sources = append(p.sources, &SourceStatus{URL: s.URL, Every: s.Every.String(), Errors: []SourceError{}})
		p.every = append(p.every, s.Every)
	}
	return p, nil
}

// Run polls until ctx ends: each source at once, then every interval
// after the last run began (a run longer than the interval is followed
// at once by the next).
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i := range p.sources {
		wg.Go(func() {
			for {
				start := time.Now()
				p.poll(ctx, i)
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(start.Add(p.every[i]))):
				}
			}
		})
	}
	wg.Wait()
}

// Status is what every source did so far.
func (p *Poller) Status() []SourceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]SourceStatus, len(p.sources))
	for i, s := range p.sources {
		out[i] = *s
		out[i].Errors = slices.Clone(s.Errors)
	}
	return out
}

// poll crawls source i once into the sink.
func (p *Poller) poll(ctx context.Context, i int) {
	p.write.Lock()
	defer p.write.Unlock()
	p.mu.Lock()
	src := p.sources[i]
	src.Running = true
	url := src.URL
	p.mu.Unlock()
	start := time.Now()
	c, err := New(p.opt, p.st)
	var stats Stats
	if err == nil {
		opt := p.ingest
		opt.OnError, opt.OnBatch = nil, nil
		_, err = ingest.Run(ctx, c.Crawl(ctx, []string{url}), c.Writer(p.sink), opt)
		if err == nil {
			err = p.sink.FinishIngest(ctx, false)
		}
		if err == nil {
			err = c.Finish()
		}
		stats = c.Stats()
	}
	if ctx.Err() != nil {
		return // shutting down: a cut run is not a run
	}
	counts := RunCounts{Fetched: stats.Fetched, NotModified: stats.NotModified, New: stats.New, Changed: stats.Changed,
		Unchanged: stats.Unchanged, Skipped: len(stats.Skipped), Failed: len(stats.Failed)}
	p.mu.Lock()
	defer p.mu.Unlock()
	src.Running = false
	src.Runs++
	src.LastRun = &start
	src.LastDuration = time.Since(start).Seconds()
	src.Last = counts
	src.Total.add(counts)
	src.LastError = ""
	if err != nil {
		src.LastError = err.Error()
		p.log.Warn("polling a source", "source", url, "err", err)
	}
	for _, e := range append(stats.Failed, stats.Skipped...) {
		src.Errors = append(src.Errors, SourceError{At: start, URL: e.URL, Reason: e.Reason})
	}
	if n := len(src.Errors); n > recentErrors {
		src.Errors = slices.Clone(src.Errors[n-recentErrors:])
	}
	p.log.Info("polled a source", "source", url, "new", counts.New, "changed", counts.Changed,
		"unchanged", counts.Unchanged, "failed", counts.Failed, "took", time.Since(start).Round(time.Millisecond))
}
