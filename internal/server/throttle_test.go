package server

import (
	"fmt"
	"testing"
	"time"
)

// TestFailureLimiterIsBounded: wrong tokens from more addresses than it
// tracks neither grow its memory past the cap nor escape the limit.
func TestFailureLimiterIsBounded(t *testing.T) {
	l := newFailureLimiter(2, time.Minute)
	now := time.Now()
	for i := range 3 * maxTracked {
		addr := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		l.fail(addr, now)
		l.fail(addr, now)
	}
	if n := len(l.byAddr); n > maxTracked+1 {
		t.Errorf("%d addresses tracked, want at most %d", n, maxTracked+1)
	}
	if l.retryAfter("10.0.0.1", now) == 0 {
		t.Error("a tracked address that failed twice may try again")
	}
	if l.retryAfter("192.0.2.1", now) == 0 {
		t.Error("an address beyond the cap escapes the shared count")
	}
	later := now.Add(time.Minute + time.Second)
	if l.retryAfter("10.0.0.1", later) != 0 || l.retryAfter("192.0.2.1", later) != 0 {
		t.Error("still refused after the window")
	}
	l.fail("192.0.2.2", later)
	if n := len(l.byAddr); n != 1 {
		t.Errorf("%d addresses tracked after the window, want the new one only", n)
	}
}
