package ingest

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The collector's pace during an ingest. An ingest allocates fast and
// keeps a live heap of a few hundred megabytes (the analysed batches being
// written). At Go's default GOGC of 100 the collector marks that heap
// again each time the program has allocated as much as is live: about a
// sixth of an ingest's CPU. While any Run is under way, the heap may
// instead grow to Options.HeapBytes before it is collected, or to twice
// the live heap when that is more (Go's default pace): a floor under the
// heap goal, retuned from the live heap a few times a second. The soft
// memory limit (debug.SetMemoryLimit, GOMEMLIMIT) still bounds the heap.
// Serving, with a small heap, goes back to the pace it had.
var gcPace struct {
	sync.Mutex
	runs  int           // Runs under way that set a floor
	floor uint64        // the heap goal's floor, bytes: the first Run's
	saved int           // GOGC before the first of them
	stop  chan struct{} // ends the retuning goroutine
	done  chan struct{} // closed when it has ended
}

// gcRetune is how often the floor is turned into a GOGC for the heap that
// is live then.
const gcRetune = 100 * time.Millisecond

// liveHeapMetric is the heap the last collection found live.
const liveHeapMetric = "/gc/heap/live:bytes"

// paceGC keeps a heap goal of at least floor bytes until the returned
// function is called; nested and concurrent calls keep the first floor
// and restore GOGC when the last one ends. A GOGC already off is left.
func paceGC(floor int64) (restore func()) {
	if floor <= 0 {
		return func() {}
	}
	gcPace.Lock()
	defer gcPace.Unlock()
	if gcPace.runs == 0 {
		gcPace.saved = debug.SetGCPercent(100)
		debug.SetGCPercent(gcPace.saved)
		if gcPace.saved < 0 {
			return func() {}
		}
		gcPace.floor = uint64(floor)
		gcPace.stop, gcPace.done = make(chan struct{}), make(chan struct{})
		go retuneGC(gcPace.floor, gcPace.saved, gcPace.stop, gcPace.done)
	}
	gcPace.runs++
	return sync.OnceFunc(func() {
		gcPace.Lock()
		defer gcPace.Unlock()
		if gcPace.runs--; gcPace.runs == 0 {
			close(gcPace.stop)
			<-gcPace.done
			debug.SetGCPercent(gcPace.saved)
		}
	})
}

// retuneGC sets GOGC so that the heap goal is floor bytes, or base percent
// over the live heap if that is more, until stop is closed.
func retuneGC(floor uint64, base int, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	sample := []metrics.Sample{{Name: liveHeapMetric}}
	t := time.NewTicker(gcRetune)
	defer t.Stop()
	for {
		metrics.Read(sample)
		debug.SetGCPercent(gcPercentFor(floor, sample[0].Value.Uint64(), base))
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// gcPercentFor is the GOGC that makes the heap goal floor bytes for a live
// heap of live bytes, and at least base.
func gcPercentFor(floor, live uint64, base int) int {
	if live == 0 || live >= floor {
		return base
	}
	return max(base, int(min((floor-live)*100/live, 1_000_000)))
}
