package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ingest"
)

// maxRejectedListed bounds the rejected records an ingest answer lists;
// rejected_total counts them all. Ten megabytes of junk lines made a
// list of 316 MB.
const maxRejectedListed = 1000

type rejectedRecord struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

type ingestResponse struct {
	Indexed       int              `json:"indexed"`
	Rejected      []rejectedRecord `json:"rejected"` // the first maxRejectedListed
	RejectedTotal int              `json:"rejected_total"`
	Total         uint64           `json:"total"` // articles in the index afterwards
}

// ingestCut is the answer to an upload cut short: the error says how far
// the ingest got, and the rejected records are those of the lines it got
// through.
type ingestCut struct {
	Error         *APIError        `json:"error"`
	Rejected      []rejectedRecord `json:"rejected"`
	RejectedTotal int              `json:"rejected_total"`
}

// ingest upserts the JSON Lines articles of the request body, in whole
// batches: when the upload is cut short (a timeout, a client that goes
// away, a body over server.max_body_bytes), the batch being read is
// dropped and the answer says through which line the records were
// indexed, so that the client can send the rest again.
func (s *Server) ingest(c echo.Context) error {
	req := c.Request()
	ct := req.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-ndjson") && !strings.HasPrefix(ct, "application/jsonl") {
		return apiError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send articles as JSON Lines with Content-Type: application/x-ndjson", -1)
	}
	// An upload may take longer than server.read_timeout allows a search;
	// its last batch and the answer then get server.write_timeout.
	if t := s.cfg.Server.IngestTimeout; t > 0 {
		rc := http.NewResponseController(c.Response())
		deadline := time.Now().Add(t)
		if err := rc.SetReadDeadline(deadline); err == nil {
			rc.SetWriteDeadline(deadline.Add(s.cfg.Server.WriteTimeout))
		}
	}
	body := &uploadBody{r: http.MaxBytesReader(c.Response(), req.Body, s.cfg.Server.MaxBodyBytes)}
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	var rejected []rejectedRecord
	// Read, batch and enrich the body, and write the batches to the index;
	// then let the index finish (link people across articles).
	stats, err := ingest.Run(ctx, corpus.ReadJSONL("request", body), s.engine, ingest.Options{
		Size:    s.cfg.Ingest.BatchSize,
		Workers: s.cfg.Ingest.Workers,
		// One batch at a time while serving: searches keep a core, and
		// they see the posted articles appear in the order they were sent.
		// It also keeps what is written a run of whole batches from the
		// first line, which is what a cut upload's answer reports.
		Writers: 1,
		Enrich:  s.enrich,
		OnError: func(err error) {
			var re *corpus.RecordError
			if !errors.As(err, &re) {
				cancel() // the rest of the body is lost: drop the batch being read
				return
			}
			if len(rejected) < maxRejectedListed {
				rejected = append(rejected, rejectedRecord{re.Line, re.Reason})
			}
		},
	})
	if err == nil {
		err = s.engine.FinishIngest(ctx, false)
	}
	s.metrics.ingested.Add(float64(stats.Indexed))
	s.metrics.rejected.Add(float64(stats.Rejected))
	// The body's own error says why it was cut; the request's context
	// ends too when the connection fails, which may stop the reading first.
	cut := body.err
	if cut == nil && err != nil && req.Context().Err() != nil {
		cut = err // the client went away after sending the body
	}
	if cut != nil {
		return s.ingestCut(c, cut, stats, rejected)
	}
	if err != nil {
		return err
	}
	out := ingestResponse{Indexed: stats.Indexed, Rejected: rejected, RejectedTotal: stats.Rejected}
	if out.Rejected == nil {
		out.Rejected = []rejectedRecord{}
	}
	out.Total, _ = s.engine.Count(req.Context())
	return c.JSON(http.StatusOK, out)
}

// ingestCut answers an upload whose body could not be read to its end,
// and logs it: the client may no longer be there to read the answer.
func (s *Server) ingestCut(c echo.Context, cut error, stats ingest.Stats, rejected []rejectedRecord) error {
	status, code, why := http.StatusBadRequest, "upload_incomplete", "the upload stopped before its end (the client went away or the connection failed)"
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(cut, &mbe):
		status, code, why = http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the upload is over server.max_body_bytes (%d bytes)", mbe.Limit)
	case errors.As(cut, &ne) && ne.Timeout():
		status, code, why = http.StatusRequestTimeout, "upload_timeout",
			fmt.Sprintf("the upload took longer than server.ingest_timeout (%v)", s.cfg.Server.IngestTimeout)
	}
	n, through := stats.Indexed, stats.Through
	msg := why + "; nothing was indexed: send it all again"
	if n > 0 {
		msg = fmt.Sprintf("%s; lines 1..%d were indexed (%d articles; the rejected records among them are listed), the rest were not: send the lines after %d again",
			why, through, n, through)
	}
	for len(rejected) > 0 && rejected[len(rejected)-1].Line > through {
		rejected = rejected[:len(rejected)-1]
	}
	if rejected == nil {
		rejected = []rejectedRecord{}
	}
	s.log.Warn("ingest cut short", "client", c.Request().RemoteAddr, "code", code, "err", cut,
		"indexed", n, "indexed_through_line", through)
	e := apiError(status, code, msg, -1)
	e.Indexed, e.IndexedThroughLine = &n, &through
	if status == http.StatusRequestTimeout || status == http.StatusRequestEntityTooLarge {
		// The rest of the body is not read: the connection cannot carry
		// another request.
		c.Response().Header().Set("Connection", "close")
	}
	return c.JSON(status, ingestCut{Error: e, Rejected: rejected, RejectedTotal: stats.RejectedThrough})
}

// uploadBody keeps the first error reading the body, other than its end.
type uploadBody struct {
	r   io.Reader
	err error
}

func (b *uploadBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}
