package server

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// logRequests writes one structured line per request: method, route,
// status, latency and the client's address (server.trusted_proxies says
// whose X-Forwarded-For names it). Query strings are left out: they can be
// personal.
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
			"client", c.RealIP(),
		)
		return nil
	}
}

// securityHeaders sets a strict Content-Security-Policy (the page loads
// only its own files and runs no inline code) and the usual hardening.
// Framing is refused unless server.frame_ancestors names the sites that
// may frame the page; then CSP frame-ancestors lists them, and
// X-Frame-Options, which cannot name several origins, is left out.
func securityHeaders(frameAncestors []string) echo.MiddlewareFunc {
	ancestors, frameOptions := "'none'", "DENY"
	if len(frameAncestors) > 0 {
		ancestors, frameOptions = strings.Join(frameAncestors, " "), ""
	}
	csp := "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors " + ancestors + "; form-action 'self'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			if frameOptions != "" {
				h.Set("X-Frame-Options", frameOptions)
			}
			h.Set("Referrer-Policy", "no-referrer")
			return next(c)
		}
	}
}

// noStore keeps answers that change or are private out of caches; a
// search answer replaces it with its public max-age.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
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
