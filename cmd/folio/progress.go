package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/ingest"
)

// progress shows a one-line, self-overwriting ingest status when the
// output is a terminal; elsewhere (logs, CI) it stays quiet until the
// summary, or writes a line every so often when every is set.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	shown    bool
	last     time.Time
	every    time.Duration // off a terminal: a line this often; 0 for none
}

func newProgress(w *os.File) *progress {
	info, err := w.Stat()
	return &progress{w: w, terminal: err == nil && info.Mode()&os.ModeCharDevice != 0}
}

// update shows ingest totals, after an optional prefix.
func (p *progress) update(prefix string, s ingest.Stats) {
	p.status(prefix+"%d articles, %.0f/s, %.1f MB, %d rejected", s.Indexed, float64(s.Indexed)/s.Elapsed.Seconds(), float64(s.Bytes)/1e6, s.Rejected)
}

// status rewrites the status line, at most five times a second, on a
// terminal; elsewhere it writes a line every p.every, if set.
func (p *progress) status(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.terminal && p.every > 0 && time.Since(p.last) >= p.every:
		p.last = time.Now()
		fmt.Fprintf(p.w, format+"\n", a...)
		return
	case !p.terminal || time.Since(p.last) < 200*time.Millisecond:
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K"+format, a...)
	p.shown = true
}

// println writes a line of its own, clearing the status line first.
func (p *progress) println(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintln(p.w, msg)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// crawled shows a crawl's totals on the status line.
func (p *progress) crawled(s crawl.Stats) {
	p.status("fetched %d, not modified %d; new %d, changed %d, unchanged %d; skipped %d, failed %d",
		s.Fetched, s.NotModified, s.New, s.Changed, s.Unchanged, len(s.Skipped), len(s.Failed))
}
