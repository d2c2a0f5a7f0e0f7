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
// slowest searches of a run were those, not the hardest queries). While a
// floor is set the heap may instead grow to the floor before it is
// collected, or to twice the live heap when that is more (Go's own pace):
// GOGC is retuned from the live heap a few times a second. The soft memory
// limit (debug.SetMemoryLimit, GOMEMLIMIT) still bounds the heap.
package gcpace

import (
	"bytes"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// A floor is a heap goal in bytes, read at each retuning.
type floor func() uint64

var pace struct {
	sync.Mutex     // guards the life of the retuning goroutine
	saved      int // GOGC before the first floor
	stop       chan struct{}
	done       chan struct{}
	floors     struct {
		sync.Mutex // also taken by the retuning goroutine
		of         map[*floor]struct{}
	}
}

// Retune is how often the floor is turned into a GOGC for the heap that
// is live then.
const Retune = 100 * time.Millisecond

// liveHeapMetric is the heap the last collection found live.
const liveHeapMetric = "/gc/heap/live:bytes"

// Floor keeps a heap goal of at least bytes until the returned function
// is called (once; later calls do nothing). Calls may nest and overlap
// (with Budget's too): the highest floor under way holds, and GOGC is
// restored when the last ends. A GOGC already off is left off; bytes <= 0
// does nothing.
func Floor(bytes int64) (restore func()) {
	if bytes <= 0 {
		return func() {}
	}
	return add(func() uint64 { return uint64(bytes) })
}

// Budget is Floor with a floor of what a memory budget of total bytes
// leaves beside the process's resident file-backed pages, which for a
// server are mostly its index's mapped files: a small index leaves the
// heap room to grow, an index as large as the budget leaves Go's pace.
// Where those pages cannot be read (not Linux), the floor is a quarter of
// the budget. On a machine with less than four times the budget's memory
// the floor is at most a quarter of the machine's, so that a small server
// is not asked for more than it has.
func Budget(total int64) (restore func()) {
	if total <= 0 {
		return func() {}
	}
	ceiling := uint64(total)
	if machine, ok := physicalBytes(); ok {
		ceiling = min(ceiling, machine/4)
	}
	return add(func() uint64 {
		files, ok := residentFileBytes()
		switch {
		case !ok:
			return min(uint64(total)/4, ceiling)
		case files >= uint64(total):
			return 0
		}
		return min(uint64(total)-files, ceiling)
	})
}

// Where the machine's memory and a container's limit are read (files of
// the test's own in tests).
var (
	procMeminfo     = "/proc/meminfo"
	cgroupMemoryMax = "/sys/fs/cgroup/memory.max"
)

// physicalBytes is the memory the process may have: the machine's
// (MemTotal of /proc/meminfo), or its container's limit (cgroup v2's
// memory.max) when that is less.
func physicalBytes() (uint64, bool) {
	machine, ok := memTotal()
	if b, err := os.ReadFile(cgroupMemoryMax); err == nil {
		if limit, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64); err == nil && (!ok || limit < machine) {
			return limit, true // "max", no limit, does not parse
		}
	}
	return machine, ok
}

// memTotal is MemTotal of /proc/meminfo, in bytes.
func memTotal() (uint64, bool) {
	b, err := os.ReadFile(procMeminfo)
	if err != nil {
		return 0, false
	}
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte("MemTotal:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			kib, err := strconv.ParseUint(string(f[0]), 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}

func add(f floor) (restore func()) {
	pace.Lock()
	defer pace.Unlock()
	pace.floors.Lock()
	first := len(pace.floors.of) == 0
	pace.floors.Unlock()
	if first {
		pace.saved = debug.SetGCPercent(100)
		debug.SetGCPercent(pace.saved)
		if pace.saved < 0 {
			return func() {}
		}
		pace.stop, pace.done = make(chan struct{}), make(chan struct{})
		go retune(pace.saved, pace.stop, pace.done)
	}
	pace.floors.Lock()
	if pace.floors.of == nil {
		pace.floors.of = map[*floor]struct{}{}
	}
	pace.floors.of[&f] = struct{}{}
	pace.floors.Unlock()
	return sync.OnceFunc(func() {
		pace.Lock()
		defer pace.Unlock()
		pace.floors.Lock()
		delete(pace.floors.of, &f)
		last := len(pace.floors.of) == 0
		pace.floors.Unlock()
		if last {
			close(pace.stop)
			<-pace.done
			debug.SetGCPercent(pace.saved)
		}
	})
}

// highest is the highest of the floors under way.
func highest() uint64 {
	pace.floors.Lock()
	defer pace.floors.Unlock()
	var top uint64
	for f := range pace.floors.of {
		top = max(top, (*f)())
	}
	return top
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
		debug.SetGCPercent(percentFor(highest(), sample[0].Value.Uint64(), base))
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

// residentFileBytes is how much of the process's resident memory is
// file-backed (the third figure of /proc/self/statm, in pages).
func residentFileBytes() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseUint(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
