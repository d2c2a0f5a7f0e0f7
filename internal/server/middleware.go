package server

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
)

// logRequests writes one structured line per request: method, route,
// status and latency. Query strings are left out: they can be personal.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.metrics.observe(c, time.Since(start))
		s.log.Info("request",
			"method", c.Request().Method,
			"route", c.Path(),
			"status", c.Response().Status,
			"ms", float64(time.Since(start).Microseconds())/1000,
		)
		return nil
	}
}

// securityHeaders sets a strict Content-Security-Policy (the page loads
// only its own files and runs no inline code) and the usual hardening.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		return next(c)
	}
}

// recoverPanics turns a panic in a handler into a logged fault and a plain
// 500; the client never sees the panic's message or stack.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "route", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = errors.New("panic") // answered as "internal error"
			}
		}()
		return next(c)
	}
}

// limitSearches admits at most server.max_concurrent_searches searches at
// once. A search that finds no slot within server.search_queue_timeout is
// answered 503 with Retry-After.
func (s *Server) limitSearches(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		select {
		case s.searches <- struct{}{}:
		default:
			t := time.NewTimer(s.cfg.Server.SearchQueueTimeout)
			defer t.Stop()
			select {
			case s.searches <- struct{}{}:
			case <-t.C:
				s.metrics.shed.Inc()
				c.Response().Header().Set("Retry-After", "1")
				return apiError(http.StatusServiceUnavailable, "overloaded",
					"too many searches are running (server.max_concurrent_searches); retry in a second", -1)
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
		}
		defer func() { <-s.searches }()
		return next(c)
	}
}
