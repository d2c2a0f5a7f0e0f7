// Package server is Folio's HTTP face: the JSON API of DESIGN.md and the
// search page, on Echo.
package server

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/web"
)

// Server serves one index.
type Server struct {
	ix      *index.Index
	cfg     *config.Config
	log     *slog.Logger
	echo    *echo.Echo
	page    []byte // index.html, served for / and /articles/{id}
	metrics *metrics
	enrich  func(*corpus.Article) // entity extraction for admin ingest; may be nil
	// searches holds a token per search running; when full, new searches
	// wait a little and then get 503, so load cannot pile up unbounded.
	searches chan struct{}
}

// New builds the server for ix. log may be nil.
func New(ix *index.Index, cfg *config.Config, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	assets := web.Assets()
	page, err := fs.ReadFile(assets, "index.html")
	if err != nil {
		return nil, err
	}
	s := &Server{
		ix: ix, cfg: cfg, log: log, echo: echo.New(), page: page,
		searches: make(chan struct{}, cfg.Server.MaxConcurrentSearches),
	}
	s.metrics = newMetrics(s)
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.logRequests, s.recoverPanics, securityHeaders)
	if len(cfg.Server.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: cfg.Server.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead},
		}))
	}

	e.GET("/api/search", s.search, s.limitSearches)
	e.GET("/api/export", s.export, s.limitSearches)
	e.GET("/api/articles/:id", s.article)
	e.POST("/api/ingest", s.ingest, s.requireAdmin)
	e.DELETE("/api/articles/:id", s.deleteArticle, s.requireAdmin)
	e.GET("/healthz", s.health)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/", s.servePage)
	e.GET("/articles/:id", s.servePage)
	e.GET("/static/*", s.static(assets))
	return s, nil
}

// SetEnrich sets the entity extraction run on articles ingested over HTTP.
func (s *Server) SetEnrich(f func(*corpus.Article)) { s.enrich = f }

// Handler is the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on ln until ctx ends, then shuts down gracefully: requests
// under way get up to server.shutdown_timeout to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadTimeout:       s.cfg.Server.ReadTimeout,
		ReadHeaderTimeout: s.cfg.Server.ReadTimeout,
		WriteTimeout:      s.cfg.Server.WriteTimeout,
		IdleTimeout:       s.cfg.Server.IdleTimeout,
		MaxHeaderBytes:    s.cfg.Server.MaxHeaderBytes,
	}
	done := make(chan error, 1)
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownTimeout)
		defer cancel()
		done <- srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-done
}

// static serves the page's files; a missing one is the API's JSON 404.
func (s *Server) static(assets fs.FS) echo.HandlerFunc {
	files := http.StripPrefix("/static/", http.FileServer(http.FS(assets)))
	return func(c echo.Context) error {
		name := c.Param("*")
		if f, err := fs.Stat(assets, name); err != nil || f.IsDir() {
			return apiError(http.StatusNotFound, "not_found", "no such file", -1)
		}
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

func (s *Server) servePage(c echo.Context) error {
	return c.Blob(http.StatusOK, "text/html; charset=utf-8", s.page)
}

func (s *Server) health(c echo.Context) error {
	n, err := s.ix.Count()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "articles": n})
}

func (s *Server) article(c echo.Context) error {
	a, err := s.ix.Article(c.Param("id"))
	if errors.Is(err, index.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "no article with id "+c.Param("id"), -1)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
