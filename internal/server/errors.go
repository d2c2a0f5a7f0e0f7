package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/search"
)

// APIError is the body of every error answer:
// {"error": {"code": "bad_query", "message": "…", "position": 12}}.
type APIError struct {
	Status   int    `json:"-"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Position *int   `json:"position,omitempty"`
	// An upload cut short says what it indexed: Indexed articles, from
	// lines 1..IndexedThroughLine of its body.
	Indexed            *int `json:"indexed,omitempty"`
	IndexedThroughLine *int `json:"indexed_through_line,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header when set.
	RetryAfter int `json:"-"`
}

func (e *APIError) Error() string { return e.Message }

// apiError makes an APIError; position < 0 means none.
func apiError(status int, code, msg string, position int) *APIError {
	e := &APIError{Status: status, Code: code, Message: msg}
	if position >= 0 {
		e.Position = &position
	}
	return e
}

// statusClientGone is logged for a request whose client went away before
// its answer, as is customary (nginx); it is never sent.
const statusClientGone = 499

// handleError answers every error as JSON. Faults are logged and reach the
// client only as "internal error": no stack, path or message of ours leaks.
// A client that went away is no fault: it is logged with status 499.
func (s *Server) handleError(err error, c echo.Context) {
	if errors.Is(err, errClientGone) || errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		c.Response().Status = statusClientGone
		return
	}
	if c.Response().Committed {
		return
	}
	var ae *APIError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, search.ErrUnavailable):
		s.log.Warn("index unavailable", "method", c.Request().Method, "path", c.Path(), "err", err)
		ae = unavailableError()
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			msg = m
		}
		ae = apiError(he.Code, strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_")), msg, -1)
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "client", c.RealIP(), "err", err)
		ae = apiError(http.StatusInternalServerError, "internal", "internal error", -1)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	if ae.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(ae.Status)
		return
	}
	c.JSON(ae.Status, map[string]*APIError{"error": ae})
}

// unavailableError is the 503 of an index that cannot answer for now (a
// cluster that is unreachable or lacks a shard). The cause is logged, not
// sent: it names the cluster's nodes.
func unavailableError() *APIError {
	e := apiError(http.StatusServiceUnavailable, "unavailable",
		"the index is unavailable: its cluster does not answer or lacks a shard; retry in a few seconds", -1)
	e.RetryAfter = 5
	return e
}
