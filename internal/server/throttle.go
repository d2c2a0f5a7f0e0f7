package server

import (
	"sync"
	"time"
)

// maxTracked bounds the addresses the failure limiter remembers. When
// that many have failed within a window, further addresses share one
// count, so a flood from many addresses is throttled as one client and
// memory stays bounded.
const maxTracked = 10000

// overflowAddr is the shared count of addresses beyond maxTracked.
const overflowAddr = "*"

// failureLimiter counts wrong admin tokens per client address in fixed
// windows: after max failures within one window, the address is refused
// until the window ends.
type failureLimiter struct {
	max    int // 0: no limit
	window time.Duration

	mu     sync.Mutex
	byAddr map[string]*failureCount
	purged time.Time // when ended windows were last dropped
}

type failureCount struct {
	since time.Time // start of the window
	n     int
}

func newFailureLimiter(max int, window time.Duration) *failureLimiter {
	return &failureLimiter{max: max, window: window, byAddr: map[string]*failureCount{}}
}

// retryAfter is how long addr must wait before it may try again; 0 when
// it may try now.
func (l *failureLimiter) retryAfter(addr string, now time.Time) time.Duration {
	if l.max <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.byAddr[addr]
	if f == nil {
		f = l.byAddr[overflowAddr]
		if f == nil || len(l.byAddr) < maxTracked {
			return 0
		}
	}
	if end := f.since.Add(l.window); f.n >= l.max && now.Before(end) {
		return end.Sub(now)
	}
	return 0
}

// fail counts one wrong token from addr.
func (l *failureLimiter) fail(addr string, now time.Time) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.byAddr[addr]; !ok && len(l.byAddr) >= maxTracked {
		l.forgetOld(now)
		if len(l.byAddr) >= maxTracked {
			addr = overflowAddr
		}
	}
	f := l.byAddr[addr]
	if f == nil || !now.Before(f.since.Add(l.window)) {
		f = &failureCount{since: now}
		l.byAddr[addr] = f
	}
	f.n++
}

// forgetOld drops the counts whose window has ended, at most once a
// second: a sweep of the whole map on every failure would be a way to burn
// the server's CPU.
func (l *failureLimiter) forgetOld(now time.Time) {
	if now.Sub(l.purged) < time.Second {
		return
	}
	l.purged = now
	for addr, f := range l.byAddr {
		if !now.Before(f.since.Add(l.window)) {
			delete(l.byAddr, addr)
		}
	}
}
