package server

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/search"
)

// Why a search's context ended; context.Cause tells them apart from a
// client that went away.
var (
	errSearchTimeout = errors.New("search.timeout passed")
	errExportTimeout = errors.New("server.export_timeout passed")
	errShuttingDown  = errors.New("the server is shutting down")
	errNoSlot        = errors.New("no slot came free")
	// errClientGone ends a request whose client has gone away; it is
	// logged as status 499, not as a fault, and nothing is answered.
	errClientGone = errors.New("the client went away")
)

// searchSlotsFor is how many searches cfg lets run at once:
// server.max_concurrent_searches, or when that is 0 a number chosen by
// where searches run. The embedded index's searches are CPU-bound, so one
// a core Go may use: more at once only share the cores, each slower, and
// the queue's order is lost (at 20,000 articles, eight clients on two
// cores, the p99 of three-snippet searches was a fifth lower with two
// slots than with eight, at the same throughput). An OpenSearch engine's
// searches wait on the cluster, which does the work: eight.
func searchSlotsFor(cfg *config.Config) int {
	switch {
	case cfg.Server.MaxConcurrentSearches > 0:
		return cfg.Server.MaxConcurrentSearches
	case cfg.Index.Backend == config.BackendOpenSearch:
		return clusterSearchSlots
	}
	return runtime.GOMAXPROCS(0)
}

// clusterSearchSlots is searchSlotsFor's choice for an OpenSearch engine.
const clusterSearchSlots = 8

// A limiter admits at most cap(slots) holders at once; others wait up to
// queue for a slot, in the order they came (a channel's blocked senders
// are served first in, first out), and are then refused. It remembers
// since when no slot has been free, for /healthz.
type limiter struct {
	slots    chan struct{}
	queue    time.Duration
	admitted atomic.Uint64 // holders ever admitted

	mu        sync.Mutex
	fullSince time.Time // zero while a slot is free
}

func newLimiter(n int, queue time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, n), queue: queue}
}

// acquire takes a slot: errNoSlot when none came free within the queue
// time, errClientGone when ctx ended first.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
	default:
		t := time.NewTimer(l.queue)
		defer t.Stop()
		select {
		case l.slots <- struct{}{}:
		case <-t.C:
			return errNoSlot
		case <-ctx.Done():
			return errClientGone
		}
	}
	l.admitted.Add(1)
	l.mark()
	return nil
}

// busy returns a probe for gcpace.CollectWhenIdle: whether any of limiters
// admitted or held work since the probe was last called.
func busy(limiters ...*limiter) func() bool {
	var last uint64
	return func() bool {
		var n uint64
		held := false
		for _, l := range limiters {
			n += l.admitted.Load()
			held = held || len(l.slots) > 0
		}
		was := last
		last = n
		return held || n != was
	}
}

func (l *limiter) release() {
	<-l.slots
	l.mark()
}

// releaseAfter gives the slot back once done is closed: a search that
// outlived its request still holds the core it runs on.
func (l *limiter) releaseAfter(done <-chan struct{}) {
	select {
	case <-done:
		l.release()
	default:
		go func() {
			<-done
			l.release()
		}()
	}
}

func (l *limiter) mark() {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch full := len(l.slots) == cap(l.slots); {
	case !full:
		l.fullSince = time.Time{}
	case l.fullSince.IsZero():
		l.fullSince = time.Now()
	}
}

// fullFor is how long no slot has been free; 0 while one is.
func (l *limiter) fullFor() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fullSince.IsZero() {
		return 0
	}
	return time.Since(l.fullSince)
}

// overloaded is the 503 of a request that found no slot.
func overloaded(what, limit string) *APIError {
	e := apiError(http.StatusServiceUnavailable, "overloaded",
		"too many "+what+" are running ("+limit+"); retry in a second", -1)
	e.RetryAfter = 1
	return e
}

// untilShutdown is ctx, cancelled as well when shutdown begins.
func (s *Server) untilShutdown(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(s.stopping, func() { cancel(errShuttingDown) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// runSearch runs one search under search.timeout (or the earlier deadline
// of parent). The index works on a goroutine of its own, so the client
// hears at the deadline even when the index notices it late; done is
// closed when the index call has returned, and only then may the slot that
// admitted the search be given back.
func (s *Server) runSearch(parent context.Context, req search.Request) (res *search.Result, done <-chan struct{}, err error) {
	return runEngine(s, parent, func(ctx context.Context) (*search.Result, error) { return s.engine.Search(ctx, req) })
}

// runEngine runs call as runSearch runs a search: any engine call that
// answers a search-like request (a search of quotes) shares its deadline,
// shutdown and outcome accounting.
func runEngine[T any](s *Server, parent context.Context, call func(context.Context) (T, error)) (res T, done <-chan struct{}, err error) {
	ctx, cancel := context.WithTimeoutCause(parent, s.cfg.Search.Timeout, errSearchTimeout)
	defer cancel()

	type answer struct {
		res T
		err error
	}
	var zero T
	answers := make(chan answer, 1)
	finished := make(chan struct{})
	s.gate.RLock()
	if s.draining {
		s.gate.RUnlock()
		close(finished)
		return zero, finished, shuttingDownError()
	}
	s.inflight.Add(1)
	s.gate.RUnlock()
	go func() {
		defer s.inflight.Done()
		defer close(finished)
		r, err := call(ctx)
		answers <- answer{r, err}
	}()
	var a answer
	select {
	case a = <-answers:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		a.err = ctx.Err() // an answer after the deadline is a timeout all the same
	}
	if a.err == nil {
		s.outcomes.add(false)
		return a.res, finished, nil
	}
	err = s.searchFailure(ctx, a.err)
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		// A 400 is the client's mistake and a 503 timeout a failure.
		if ae.Status >= 500 {
			s.outcomes.add(true)
		} else {
			s.outcomes.add(false)
		}
	case errors.Is(err, errClientGone), errors.Is(err, errExportTimeout):
	default:
		s.outcomes.add(true) // a fault
	}
	return zero, finished, err
}

// searchFailure says why a search ended without a result: a 503 for the
// deadline or a shutdown, errClientGone, a 400 or a fault.
func (s *Server) searchFailure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errSearchTimeout):
			return timeoutError()
		case errors.Is(cause, errShuttingDown):
			return shuttingDownError()
		case errors.Is(cause, errExportTimeout):
			return errExportTimeout
		default:
			return errClientGone
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return timeoutError()
	case errors.Is(err, context.Canceled):
		return errClientGone
	}
	return searchError(err)
}

func timeoutError() *APIError {
	e := apiError(http.StatusServiceUnavailable, "timeout",
		"the search took longer than search.timeout; retry, or narrow the query", -1)
	e.RetryAfter = 1
	return e
}

func shuttingDownError() *APIError {
	e := apiError(http.StatusServiceUnavailable, "shutting_down", "the server is shutting down; retry in a second", -1)
	e.RetryAfter = 1
	return e
}
