package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
)

type rejectedRecord struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

type ingestResponse struct {
	Indexed  int              `json:"indexed"`
	Rejected []rejectedRecord `json:"rejected"`
	Total    uint64           `json:"total"` // articles in the index afterwards
}

// ingest upserts the JSON Lines articles of the request body.
func (s *Server) ingest(c echo.Context) error {
	ct := c.Request().Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-ndjson") && !strings.HasPrefix(ct, "application/jsonl") {
		return apiError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send articles as JSON Lines with Content-Type: application/x-ndjson", -1)
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.Server.MaxBodyBytes)
	out := ingestResponse{Rejected: []rejectedRecord{}}
	var tooLarge bool
	stats, err := s.ix.Ingest(c.Request().Context(), corpus.ReadJSONL("request", body), index.IngestOptions{
		BatchSize: s.cfg.Ingest.BatchSize,
		Workers:   s.cfg.Ingest.Workers,
		// One batch at a time while serving: searches keep a core, and
		// they see the posted articles appear in the order they were sent.
		Writers: 1,
		Enrich:  s.enrich,
		OnError: func(err error) {
			var re *corpus.RecordError
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &re):
				out.Rejected = append(out.Rejected, rejectedRecord{re.Line, re.Reason})
			case errors.As(err, &mbe):
				tooLarge = true
			default:
				out.Rejected = append(out.Rejected, rejectedRecord{0, err.Error()})
			}
		},
	})
	s.metrics.ingested.Add(float64(stats.Indexed))
	s.metrics.rejected.Add(float64(stats.Rejected))
	if err != nil {
		return err
	}
	if tooLarge {
		return apiError(http.StatusRequestEntityTooLarge, "body_too_large",
			"the request body is over server.max_body_bytes; the articles before the cut were indexed", -1)
	}
	out.Indexed = stats.Indexed
	out.Total, _ = s.ix.Count()
	return c.JSON(http.StatusOK, out)
}
