package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/index"
)

// requireAdmin guards the routes that change the index: they need
// "Authorization: Bearer <server.admin_token>", compared in constant time.
// With no token configured they do not exist.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := s.cfg.Server.AdminToken
		if token == "" {
			return apiError(http.StatusNotFound, "not_found", "admin routes are disabled (server.admin_token is not set)", -1)
		}
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="folio"`)
			return apiError(http.StatusUnauthorized, "unauthorized", "this route needs Authorization: Bearer <server.admin_token>", -1)
		}
		return next(c)
	}
}

// deleteArticle removes one article.
func (s *Server) deleteArticle(c echo.Context) error {
	id := c.Param("id")
	if _, err := s.ix.Article(id); errors.Is(err, index.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "no article with id "+id, -1)
	} else if err != nil {
		return err
	}
	if err := s.ix.Delete(id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
