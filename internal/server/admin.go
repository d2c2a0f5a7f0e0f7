package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/search"
	"github.com/labstack/echo/v4"
)

// requireAdmin guards the routes that change the index: they need
// "Authorization: Bearer <server.admin_token>" (the scheme in any case),
// compared in constant time. With no token configured they do not exist.
// A client address that sent server.admin_max_failures wrong tokens within
// a minute is answered 429 until the minute is over, right token or not.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := s.cfg.Server.AdminToken
		if token == "" {
			return apiError(http.StatusNotFound, "not_found", "admin routes are disabled (server.admin_token is not set)", -1)
		}
		client, now := c.RealIP(), time.Now()
		if wait := s.adminFailures.retryAfter(client, now); wait > 0 {
			e := apiError(http.StatusTooManyRequests, "too_many_requests",
				"too many wrong admin tokens from this address (server.admin_max_failures a minute); retry later", -1)
			e.RetryAfter = int(wait.Round(time.Second).Seconds()) + 1
			return e
		}
		if got, ok := bearer(c.Request()); !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			s.adminFailures.fail(client, now)
			s.log.Warn("wrong admin token", "client", client, "route", c.Path())
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="folio"`)
			return apiError(http.StatusUnauthorized, "unauthorized", "this route needs Authorization: Bearer <server.admin_token>", -1)
		}
		return next(c)
	}
}

// bearer is the token of an "Authorization: Bearer <token>" header; the
// scheme is matched without regard to case, as HTTP's are (RFC 9110).
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return token, ok && strings.EqualFold(scheme, "Bearer")
}

// deleteArticle removes one article.
func (s *Server) deleteArticle(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.engine.Article(ctx, id); errors.Is(err, search.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "no article with id "+id, -1)
	} else if err != nil {
		return err
	}
	if err := s.engine.Delete(ctx, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
