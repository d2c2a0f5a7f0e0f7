package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
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

// handleError answers every error as JSON. Faults are logged and reach the
// client only as "internal error": no stack, path or message of ours leaks.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var ae *APIError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			msg = m
		}
		ae = apiError(he.Code, strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_")), msg, -1)
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		ae = apiError(http.StatusInternalServerError, "internal", "internal error", -1)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(ae.Status)
		return
	}
	c.JSON(ae.Status, map[string]*APIError{"error": ae})
}
