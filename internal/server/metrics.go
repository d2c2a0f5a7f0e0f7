package server

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, in a registry of its own so
// that several servers (tests) can live in one process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ingested prometheus.Counter
	rejected prometheus.Counter
	shed     prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "folio_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "folio_http_request_duration_seconds", Help: "HTTP request latency by route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "status"}),
		ingested: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "folio_ingest_articles_total", Help: "Articles indexed through the admin API.",
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "folio_ingest_rejected_total", Help: "Records rejected by the admin API's ingest.",
		}),
		shed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "folio_search_shed_total", Help: "Searches and exports refused with 503 because too many were running.",
		}),
	}
	docs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "folio_index_articles", Help: "Articles in the index.",
	}, func() float64 {
		n, _ := s.engine.Count(context.Background())
		return float64(n)
	})
	m.registry.MustRegister(m.requests, m.latency, m.ingested, m.rejected, m.shed, docs, newSourceCollector(s),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one finished request.
func (m *metrics) observe(c echo.Context, took time.Duration) {
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	status := strconv.Itoa(c.Response().Status)
	m.requests.WithLabelValues(route, status).Inc()
	m.latency.WithLabelValues(route, status).Observe(took.Seconds())
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

// allowMetrics lets through the clients in server.metrics_allow and, when
// server.metrics_token is set, any client that sends it as a bearer token.
// Others get 404, as if the route did not exist: a stranger learns nothing
// of it, and the operator who set the limits knows why.
func (s *Server) allowMetrics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ip := net.ParseIP(c.RealIP()); ip != nil {
			for _, n := range s.metricsAllow {
				if n.Contains(ip) {
					return next(c)
				}
			}
		}
		if want := s.cfg.Server.MetricsToken; want != "" {
			if got, ok := bearer(c.Request()); ok && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
				return next(c)
			}
		}
		return apiError(http.StatusNotFound, "not_found", "not found", -1)
	}
}
