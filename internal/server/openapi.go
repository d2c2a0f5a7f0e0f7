package server

import (
	_ "embed"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// openAPISpec is the OpenAPI 3.1 description of every route, written by hand
// to match the code; the tests check real answers of every route against
// it, and fail when a route is missing from it.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/json", openAPISpec)
}

// Route is a method and path the server answers, as Echo has it
// registered ("/api/articles/:id", "/static/*").
type Route struct{ Method, Path string }

// Routes lists every route registered, so that tests can hold the API's
// description to them.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Path, "/") {
			out = append(out, Route{r.Method, r.Path})
		}
	}
	return out
}
