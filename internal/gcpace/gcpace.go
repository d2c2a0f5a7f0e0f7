// Package gcpace sets a floor under the Go garbage collector's heap goal
// while some work runs.
//
// At Go's default GOGC of 100 the collector runs each time the program
// has allocated as much as is live. A program with a small live heap that
// allocates fast then collects many times a second: an ingest keeps a
// few hundred megabytes live and spent about a sixth of its CPU marking
// them; a server of 20,000 articles keeps 90 MB live and collected every
// 200 searches or so, each collection taking one of two cores for its
// 30 ms mark phase and slowing the searches that overlapped it (the
// slowest searches of a run were those, not the hardest queries). While a floor is set the heap
// may instead grow to the floor before it is collected, or to twice the
// live heap when that is more (Go's own pace): GOGC is retuned from the
// live heap a few times a second. The soft memory limit
// (debug.SetMemoryLimit, GOMEMLIMIT) still bounds the heap.
package gcpace

import (
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

var pace struct {
	sync.Mutex
	floors []uint64      // of the calls under way
	top    atomic.Uint64 // the highest of floors, read by the retuning goroutine
	saved  int           // GOGC before the first of them
	stop   chan struct{} // ends the retuning goroutine
	done   chan struct{} // closed when it has ended
}

// Retune is how often the floor is turned into a GOGC for the heap that
// is live then.
const Retune = 100 * time.Millisecond

// liveHeapMetric is the heap the last collection found live.
const liveHeapMetric = "/gc/heap/live:bytes"

// Floor keeps a heap goal of at least floor bytes until the returned
// function is called (once; later calls do nothing). Calls may nest and
// overlap: the highest floor under way holds, and GOGC is restored when
// the last ends. A GOGC already off is left off; floor <= 0 does nothing.
func Floor(floor int64) (restore func()) {
	if floor <= 0 {
		return func() {}
	}
	pace.Lock()
	defer pace.Unlock()
	if len(pace.floors) == 0 {
		pace.saved = debug.SetGCPercent(100)
		debug.SetGCPercent(pace.saved)
		if pace.saved < 0 {
			return func() {}
		}
		pace.stop, pace.done = make(chan struct{}), make(chan struct{})
		go retune(pace.saved, pace.stop, pace.done)
	}
	pace.floors = append(pace.floors, uint64(floor))
	pace.top.Store(slices.Max(pace.floors))
	return sync.OnceFunc(func() {
		pace.Lock()
		defer pace.Unlock()
		i := slices.Index(pace.floors, uint64(floor))
		pace.floors = slices.Delete(pace.floors, i, i+1)
		if len(pace.floors) > 0 {
			pace.top.Store(slices.Max(pace.floors))
			return
		}
		close(pace.stop)
		<-pace.done
		debug.SetGCPercent(pace.saved)
	})
}

// retune sets GOGC so that the heap goal is the highest floor, or base
// percent over the live heap if that is more, until stop is closed.
func retune(base int, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	sample := []metrics.Sample{{Name: liveHeapMetric}}
	t := time.NewTicker(Retune)
	defer t.Stop()
	for {
		metrics.Read(sample)
		debug.SetGCPercent(percentFor(pace.top.Load(), sample[0].Value.Uint64(), base))
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// percentFor is the GOGC that makes the heap goal floor bytes for a live
// heap of live bytes, and at least base.
func percentFor(floor, live uint64, base int) int {
	if live == 0 || live >= floor {
		return base
	}
	return max(base, int(min((floor-live)*100/live, 1_000_000)))
}
