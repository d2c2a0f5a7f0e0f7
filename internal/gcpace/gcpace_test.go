package gcpace

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGCPercentForKeepsTheHeapGoalAtTheFloor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		floor, live uint64
		want        int
	}{
		{1024 * mib, 256 * mib, 300},  // goal 1024 MiB
		{1024 * mib, 900 * mib, 100},  // twice the live heap is more
		{1024 * mib, 2048 * mib, 100}, // live past the floor
		{1024 * mib, 0, 100},          // nothing measured yet
		{1024 * mib, 1, 1_000_000},    // bounded
	} {
		if got := percentFor(c.floor, c.live, 100); got != c.want {
			t.Errorf("percentFor(%d, %d) = %d, want %d", c.floor, c.live, got, c.want)
		}
	}
}

// gogc reads GOGC without changing it.
func gogc() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestFloorRaisesGOGCWhileWorkRunsAndRestoresIt(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()            // the live heap is measured by a collection
	first := Floor(4 << 30) // far above a test's live heap
	second := Floor(4 << 30)
	defer first()
	defer second()
	time.Sleep(3 * Retune)
	if p := gogc(); p <= 100 {
		t.Fatalf("GOGC %d while work runs, want it raised", p)
	}
	first()
	first() // once only
	time.Sleep(2 * Retune)
	if p := gogc(); p <= 100 {
		t.Fatalf("GOGC %d while one still runs, want it raised", p)
	}
	second()
	if p := gogc(); p != 100 {
		t.Fatalf("GOGC %d after both, want 100 again", p)
	}
}

func TestFloorLeavesTheCollectorOff(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	restore := Floor(1 << 30)
	time.Sleep(2 * Retune)
	if p := gogc(); p != -1 {
		t.Errorf("GOGC %d, want it left off", p)
	}
	restore()
	if p := gogc(); p != -1 {
		t.Errorf("GOGC %d after the work, want it left off", p)
	}
}

func TestTheHighestFloorHolds(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()
	low := Floor(256 << 20)
	defer low()
	time.Sleep(2 * Retune)
	withLow := gogc()
	high := Floor(4 << 30)
	time.Sleep(2 * Retune)
	withHigh := gogc()
	high()
	time.Sleep(2 * Retune)
	if again := gogc(); withLow <= 100 || withHigh <= withLow || again >= withHigh {
		t.Fatalf("GOGC %d with a 256 MiB floor, %d with a 4 GiB one too, %d once it ended", withLow, withHigh, again)
	}
}

// A budget leaves the heap what the resident file-backed pages do not
// take: a generous one raises GOGC, one smaller than the pages (the test
// binary's own code is file-backed) leaves Go's pace.
func TestBudgetLeavesTheHeapWhatFilesDoNot(t *testing.T) {
	files, ok := residentFileBytes()
	if !ok || files == 0 {
		t.Skip("no /proc/self/statm here")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()
	small := Budget(int64(files / 2))
	time.Sleep(2 * Retune)
	if p := gogc(); p != 100 {
		t.Errorf("GOGC %d with a budget below the %d bytes of resident files, want 100", p, files)
	}
	small()
	large := Budget(int64(files) + 2<<30)
	time.Sleep(2 * Retune)
	if p := gogc(); p <= 100 {
		t.Errorf("GOGC %d with a budget 2 GiB over the resident files, want it raised", p)
	}
	large()
	if p := gogc(); p != 100 {
		t.Errorf("GOGC %d after the budget, want 100 again", p)
	}
}

func TestPhysicalMemoryIsRead(t *testing.T) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skip("no /proc/meminfo here")
	}
	n, ok := memTotal()
	if !ok || n < 64<<20 || !strings.Contains(string(b), strconv.FormatUint(n>>10, 10)) {
		t.Fatalf("physical memory %d bytes (%v), from:\n%.200s", n, ok, b)
	}
}

func TestAContainersLimitCounts(t *testing.T) {
	defer func(m, c string) { procMeminfo, cgroupMemoryMax = m, c }(procMeminfo, cgroupMemoryMax)
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	procMeminfo = write("meminfo", "MemTotal:        8388608 kB\nMemFree:          1024 kB\n")
	for _, c := range []struct {
		max  string // "" for no file
		want uint64
	}{
		{"1073741824\n", 1 << 30},  // a container of 1 GiB
		{"max\n", 8 << 30},         // no limit
		{"", 8 << 30},              // no cgroup v2
		{"17179869184\n", 8 << 30}, // a limit over the machine's memory
	} {
		cgroupMemoryMax = filepath.Join(dir, "none")
		if c.max != "" {
			cgroupMemoryMax = write("memory.max", c.max)
		}
		if n, ok := physicalBytes(); !ok || n != c.want {
			t.Errorf("memory.max %q: %d bytes (%v), want %d", c.max, n, ok, c.want)
		}
	}
}
