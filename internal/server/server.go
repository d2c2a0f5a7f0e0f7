// Package server is Folio's HTTP face: the JSON API of DESIGN.md and the
// search page, on Echo.
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/gcpace"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/web"
)

// Server serves one search engine.
type Server struct {
	engine  search.Engine
	cfg     *config.Config
	log     *slog.Logger
	echo    *echo.Echo
	page    []byte // index.html, served for / and /articles/{id}
	metrics *metrics
	enrich  func(*corpus.Article) // entity extraction for admin ingest; may be nil
	// curation is the entities file the admin API adds rules to (nil:
	// none); curating lets one rule at a time rewrite the index.
	curation *curate.File
	curating sync.Mutex
	// sourceStatus reports the sources `folio serve` polls, once set.
	sourceStatus atomic.Pointer[sourceStatus]

	// Searches and exports have slots of their own, so that load cannot
	// pile up unbounded and streams to slow clients cannot starve searches.
	searchSlots, exportSlots *limiter
	outcomes                 outcomes // of the last searches, for /healthz

	adminFailures *failureLimiter
	metricsAllow  []*net.IPNet

	// stopping ends when shutdown begins: running searches are cancelled.
	stopping context.Context
	stop     context.CancelFunc
	inflight sync.WaitGroup // index calls under way, some past their request
	gate     sync.RWMutex   // guards draining: no index call starts once Serve waits for them
	draining bool
}

// New builds the server for an engine. log may be nil.
func New(engine search.Engine, cfg *config.Config, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	assets := web.Assets()
	page, err := fs.ReadFile(assets, "index.html")
	if err != nil {
		return nil, err
	}
	proxies, err := parseNets("server.trusted_proxies", cfg.Server.TrustedProxies)
	if err != nil {
		return nil, err
	}
	metricsAllow, err := parseNets("server.metrics_allow", cfg.Server.MetricsAllow)
	if err != nil {
		return nil, err
	}
	s := &Server{
		engine: engine, cfg: cfg, log: log, echo: echo.New(), page: page,
		searchSlots:   newLimiter(searchSlotsFor(cfg), cfg.Server.SearchQueueTimeout),
		exportSlots:   newLimiter(cfg.Server.MaxConcurrentExports, cfg.Server.SearchQueueTimeout),
		adminFailures: newFailureLimiter(cfg.Server.AdminMaxFailures, time.Minute),
		metricsAllow:  metricsAllow,
	}
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.metrics = newMetrics(s)
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if len(proxies) > 0 {
		// Only the configured proxies are believed: Echo would trust every
		// private address by default.
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range proxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}
	e.Use(s.logRequests, s.recoverPanics, securityHeaders(cfg.Server.FrameAncestors))
	if len(cfg.Server.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: cfg.Server.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead},
			// A script on another site may read the export's row count
			// and the paging links, not only the body.
			ExposeHeaders: []string{"X-Total-Count", "Link"},
		}))
	}

	// Every GET route answers HEAD too: monitors use it.
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
	}
	get("/api/search", s.search, noStore)
	get("/api/quotes", s.quotes, noStore)
	get("/api/export", s.export, noStore)
	get("/api/entities/related", s.related, noStore)
	get("/api/facets", s.facets)
	get("/api/suggest", s.suggest, noStore)
	get("/api/feed.atom", s.feed, noStore)
	get("/api/quotes/feed.atom", s.quotesFeed, noStore)
	get("/widget.js", s.widget)
	get("/api/articles/:id", s.article, noStore)
	e.POST("/api/ingest", s.ingest, noStore, s.requireAdmin)
	e.POST("/api/entities/rules", s.addRule, noStore, s.requireAdmin)
	get("/api/entities/rules/audit", s.ruleAudit, noStore, s.requireAdmin)
	e.DELETE("/api/articles/:id", s.deleteArticle, noStore, s.requireAdmin)
	get("/api/sources", s.sources, noStore, s.requireAdmin)
	get("/healthz", s.health, noStore)
	get("/metrics", s.metrics.handler(), noStore, s.allowMetrics)
	get("/openapi.json", s.openAPI)
	get("/", s.servePage)
	get("/articles/:id", s.servePage)
	get("/static/*", s.static(assets))
	return s, nil
}

// parseNets reads a list of CIDR ranges or single addresses.
func parseNets(key string, list []string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, v := range list {
		if !strings.Contains(v, "/") {
			ip := net.ParseIP(v)
			if ip == nil {
				return nil, fmt.Errorf("config: %s: %q is neither an IP address nor a CIDR range", key, v)
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(8*len(ip), 8*len(ip))})
			continue
		}
		_, n, err := net.ParseCIDR(v)
		if err != nil {
			return nil, fmt.Errorf("config: %s: %w", key, err)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// SetEnrich sets the entity extraction run on articles ingested over HTTP.
func (s *Server) SetEnrich(f func(*corpus.Article)) { s.enrich = f }

// Handler is the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on ln until ctx ends, with the collector paced to
// server.memory_mib (gcpace.Budget) and run in the gaps between searches
// once half way there (gcpace.CollectWhenIdle), then shuts down: it stops
// accepting, cancels the searches under way at once (they are short, a
// client can retry them elsewhere, and their cores are better spent
// finishing the rest), and gives the other requests (exports, an admin
// ingest) up to server.shutdown_timeout. When that grace period is over,
// what is left is cancelled and its connections closed. Serve returns when
// every index call has ended, or at the end of the grace period if one has
// not (an index call that does not heed its context), so the caller can
// close the index.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if os.Getenv("GOGC") == "" {
		defer gcpace.Budget(int64(s.cfg.Server.MemoryMiB) << 20)()
	}
	// Collected between bursts of searches rather than during one.
	defer gcpace.CollectWhenIdle(busy(s.searchSlots, s.exportSlots))()
	base, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	srv := &http.Server{
		Handler:           s.echo,
		ReadTimeout:       s.cfg.Server.ReadTimeout,
		ReadHeaderTimeout: s.cfg.Server.ReadTimeout,
		WriteTimeout:      s.cfg.Server.WriteTimeout,
		IdleTimeout:       s.cfg.Server.IdleTimeout,
		MaxHeaderBytes:    s.cfg.Server.MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		s.stop()
		return err
	case <-ctx.Done():
	}
	s.stop()
	grace, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		s.log.Warn("shutdown: the grace period is over; cancelling the requests left", "shutdown_timeout", s.cfg.Server.ShutdownTimeout)
		cancelAll()
		srv.Close()
	}
	<-served
	s.gate.Lock()
	s.draining = true
	s.gate.Unlock()
	idle := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(idle)
	}()
	select {
	case <-idle:
	case <-grace.Done():
		s.log.Warn("shutdown: a search is still running in the index after the grace period")
	}
	return nil
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

func (s *Server) article(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	a, err := s.engine.Article(c.Request().Context(), id)
	if errors.Is(err, search.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "no article with id "+id, -1)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newArticleJSON(a))
}

// articleID is the {id} of /api/articles/{id}, which may hold any
// character, percent-encoded as encodeURIComponent does. Echo routes on the
// raw path when it differs from the decoded one (an encoded "/" or "-"),
// and then hands the parameter over still encoded; otherwise decoded.
func articleID(c echo.Context) (string, error) {
	id := c.Param("id")
	if c.Request().URL.RawPath == "" {
		return id, nil
	}
	id, err := url.PathUnescape(id)
	if err != nil {
		return "", badParam("id", "is not a valid percent-encoded path segment")
	}
	return id, nil
}

// widget serves the <folio-search> element at /widget.js, the path a site
// owner's script tag names. It is plain script, loaded across origins by
// a script tag, which needs no CORS.
func (s *Server) widget(c echo.Context) error {
	js, err := fs.ReadFile(web.Assets(), "widget.js")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", js)
}
