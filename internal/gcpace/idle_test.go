package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

func TestWorthCollectingHalfWayToTheGoal(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, goal, objects uint64
		want                bool
	}{
		{100 * mib, 1500 * mib, 700 * mib, false}, // 600 of 1400 grown
		{100 * mib, 1500 * mib, 800 * mib, true},  // half way
		{100 * mib, 200 * mib, 160 * mib, true},   // Go's own pace
		{100 * mib, 100 * mib, 160 * mib, false},  // no goal above the live heap
		{0, 1500 * mib, 800 * mib, false},         // nothing measured yet
	} {
		if got := worthCollecting(c.live, c.goal, c.objects); got != c.want {
			t.Errorf("worthCollecting(%d, %d, %d MiB) = %v, want %v", c.live/mib, c.goal/mib, c.objects/mib, got, c.want)
		}
	}
}

// TestCollectWhenIdleWaitsForAGap grows the heap past half the way to its
// goal: no collection runs while the probe reports work, and one runs
// soon after it stops.
func TestCollectWhenIdleWaitsForAGap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(2000))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}, {Name: liveHeapMetric}, {Name: heapGoalMetric}, {Name: heapObjectsMetric}}
	read := func() (forced, live, goal, objects uint64) {
		metrics.Read(sample)
		return sample[0].Value.Uint64(), sample[1].Value.Uint64(), sample[2].Value.Uint64(), sample[3].Value.Uint64()
	}
	var working atomic.Bool
	working.Store(true)
	defer CollectWhenIdle(working.Load)()
	var sink []byte
	for {
		_, live, goal, objects := read()
		if worthCollecting(live, goal, objects) {
			break
		}
		sink = make([]byte, 256<<10) // garbage, swept only by a collection
	}
	_ = sink
	before, _, _, _ := read()
	time.Sleep(6 * IdlePeriod)
	if forced, _, _, _ := read(); forced != before {
		t.Fatalf("%d collections ran while the probe reported work", forced-before)
	}
	working.Store(false)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if forced, _, _, objects := read(); forced > before {
			t.Logf("collected within the gap; heap objects now %d MiB", objects>>20)
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no collection 5 s into a gap with the heap half way to its goal")
		}
		time.Sleep(IdlePeriod / 2)
	}
}
