package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/folio-search/folio/internal/crawl"
)

// sourceStatus reports the polled sources; nil when none are polled.
type sourceStatus = func() []crawl.SourceStatus

// SetSources makes GET /api/sources and the per-source series of
// /metrics tell what status reports (a crawl.Poller's Status).
func (s *Server) SetSources(status func() []crawl.SourceStatus) { s.sourceStatus.Store(&status) }

func (s *Server) polledSources() []crawl.SourceStatus {
	if f := s.sourceStatus.Load(); f != nil && *f != nil {
		return (*f)()
	}
	return []crawl.SourceStatus{}
}

// sources answers GET /api/sources: each source's last run, counts and
// recent errors.
func (s *Server) sources(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"sources": s.polledSources()})
}

// sourceCollector exports the sources' totals as counters labelled by
// source, read from the poller at each scrape.
type sourceCollector struct {
	s                         *Server
	fetches, articles, errors *prometheus.Desc
}

func newSourceCollector(s *Server) *sourceCollector {
	return &sourceCollector{s: s,
		fetches:  prometheus.NewDesc("folio_source_fetches_total", "Documents fetched (200 or 304) polling a source.", []string{"source"}, nil),
		articles: prometheus.NewDesc("folio_source_articles_total", "New (and changed) articles indexed from a source.", []string{"source", "kind"}, nil),
		errors:   prometheus.NewDesc("folio_source_errors_total", "URLs of a source that failed or were skipped.", []string{"source"}, nil),
	}
}

func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.fetches
	ch <- c.articles
	ch <- c.errors
}

func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, src := range c.s.polledSources() {
		t := src.Total
		ch <- prometheus.MustNewConstMetric(c.fetches, prometheus.CounterValue, float64(t.Fetched+t.NotModified), src.URL)
		ch <- prometheus.MustNewConstMetric(c.articles, prometheus.CounterValue, float64(t.New), src.URL, "new")
		ch <- prometheus.MustNewConstMetric(c.articles, prometheus.CounterValue, float64(t.Changed), src.URL, "changed")
		ch <- prometheus.MustNewConstMetric(c.errors, prometheus.CounterValue, float64(t.Failed+t.Skipped), src.URL)
	}
}
