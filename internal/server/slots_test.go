package server

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/config"
)

// TestSearchSlotsFollowTheCores: by default the embedded index runs a
// search a core Go may use, and follows GOMAXPROCS; an OpenSearch engine
// runs eight; a configured number wins over both.
func TestSearchSlotsFollowTheCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	cfg := config.Default()
	if cfg.Server.MaxConcurrentSearches != 0 {
		t.Fatalf("default server.max_concurrent_searches %d, want 0 (chosen by backend)", cfg.Server.MaxConcurrentSearches)
	}
	for _, procs := range []int{1, 3} {
		runtime.GOMAXPROCS(procs)
		if got := searchSlotsFor(cfg); got != procs {
			t.Errorf("embedded index with GOMAXPROCS %d: %d slots, want %d", procs, got, procs)
		}
	}
	cluster := *cfg
	cluster.Index.Backend = config.BackendOpenSearch
	if got := searchSlotsFor(&cluster); got != clusterSearchSlots {
		t.Errorf("OpenSearch: %d slots, want %d", got, clusterSearchSlots)
	}
	for _, c := range []*config.Config{cfg, &cluster} {
		set := *c
		set.Server.MaxConcurrentSearches = 5
		if got := searchSlotsFor(&set); got != 5 {
			t.Errorf("%s with server.max_concurrent_searches 5: %d slots", set.Index.Backend, got)
		}
	}
}

// TestLimiterAdmitsInArrivalOrder: searches waiting for a slot get it in
// the order they asked, so that none waits behind later ones.
func TestLimiterAdmitsInArrivalOrder(t *testing.T) {
	l := newLimiter(1, time.Minute)
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	const waiters = 6
	admitted := make(chan int)
	for i := range waiters {
		asking := make(chan struct{})
		go func() {
			close(asking)
			if err := l.acquire(context.Background()); err != nil {
				t.Error(err)
			}
			admitted <- i
		}()
		<-asking
		time.Sleep(50 * time.Millisecond) // queued before the next asks
	}
	for want := range waiters {
		l.release()
		if got := <-admitted; got != want {
			t.Fatalf("the slot went to waiter %d, want %d (the longest waiting)", got, want)
		}
	}
	l.release()
}

// TestBusyProbeSeesEachPeriodsWork: the idle collector's probe reports a
// search admitted since it was last asked, even one already over, and one
// still holding its slot; otherwise idle.
func TestBusyProbeSeesEachPeriodsWork(t *testing.T) {
	searches, exports := newLimiter(2, time.Second), newLimiter(1, time.Second)
	probe := busy(searches, exports)
	if probe() {
		t.Error("busy before any work")
	}
	searches.acquire(context.Background())
	searches.release()
	if !probe() {
		t.Error("a search admitted and finished since the last call: not busy")
	}
	if probe() {
		t.Error("busy with nothing admitted since the last call")
	}
	exports.acquire(context.Background())
	probe()
	if !probe() {
		t.Error("an export holding its slot: not busy")
	}
	exports.release()
	if probe() {
		t.Error("busy after the export ended")
	}
}
