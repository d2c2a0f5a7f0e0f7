package server

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/search"
)

// How /healthz judges the recent searches: it is not ready when more than
// half of the last outcomesKept searches of the last outcomesWindow
// failed or timed out, and at least minFailures did. Outcomes age out, so
// a server that load balancers stopped sending searches to becomes ready
// again.
const (
	outcomesKept   = 20
	outcomesWindow = time.Minute
	minFailures    = 5
)

// outcomes remembers how the last searches ended.
type outcomes struct {
	mu   sync.Mutex
	ring [outcomesKept]struct {
		at     time.Time
		failed bool
	}
	next int
}

func (o *outcomes) add(failed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ring[o.next].at, o.ring[o.next].failed = time.Now(), failed
	o.next = (o.next + 1) % outcomesKept
}

// failing counts the recent searches and those of them that failed.
func (o *outcomes) failing() (failed, of int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	since := time.Now().Add(-outcomesWindow)
	for _, r := range o.ring {
		if r.at.After(since) {
			of++
			if r.failed {
				failed++
			}
		}
	}
	return failed, of
}

// health answers 200 while the server can search, and 503 "unavailable"
// with the reason when it cannot: every search slot has been taken for
// longer than search.timeout (searches that do not stop), most recent
// searches failed, the index is unavailable, or the server is shutting
// down.
func (s *Server) health(c echo.Context) error {
	n, err := s.engine.Count(c.Request().Context())
	if errors.Is(err, search.ErrUnavailable) {
		s.log.Warn("index unavailable", "path", c.Path(), "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": unavailableError().Message})
	}
	if err != nil {
		return err
	}
	reason := ""
	failed, of := s.outcomes.failing()
	switch busy := s.searchSlots.fullFor(); {
	case s.stopping.Err() != nil:
		reason = "the server is shutting down"
	case busy > s.cfg.Search.Timeout:
		reason = fmt.Sprintf("no search slot has been free for %s (search.timeout is %s)", busy.Round(time.Millisecond), s.cfg.Search.Timeout)
	case failed >= minFailures && 2*failed > of:
		reason = fmt.Sprintf("%d of the last %d searches failed or timed out", failed, of)
	}
	if reason != "" {
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": reason, "articles": n})
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "articles": n})
}
