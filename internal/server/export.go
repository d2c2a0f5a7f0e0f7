package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
	"github.com/labstack/echo/v4"
)

// exportPage is how many hits the export asks the index for at a time.
const exportPage = 500

// export streams every hit of a search (up to search.export_max) as CSV or
// JSON Lines, page by page through the after cursor, so memory stays flat
// whatever the size of the result. Exports have slots of their own
// (server.max_concurrent_exports) and never hold a search slot; each page
// runs under search.timeout, the whole export under server.export_timeout,
// and a client that takes nothing for server.export_stall_timeout is cut
// off.
func (s *Server) export(c echo.Context) error {
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	format := v.Get("format")
	if format != "csv" && format != "jsonl" {
		return badParam("format", "must be csv or jsonl")
	}
	// The search parameters are validated as for /api/search; size and
	// page do not apply to an export.
	v.Del("size")
	v.Del("page")
	req, _, err := s.parseSearch(v)
	if err != nil {
		return err
	}
	req.Size, req.Fragments, req.Facets, req.WithBody = exportPage, 0, []string{}, true

	if err := s.exportSlots.acquire(c.Request().Context()); err != nil {
		if errors.Is(err, errNoSlot) {
			s.metrics.shed.Inc()
			return overloaded("exports", "server.max_concurrent_exports")
		}
		return err
	}
	ctx, cancel := context.WithTimeoutCause(c.Request().Context(), s.cfg.Server.ExportTimeout, errExportTimeout)
	defer cancel()
	// Run the first page before answering, so a bad request is still a 400.
	res, done, err := s.runSearch(ctx, req)
	defer func() { s.exportSlots.releaseAfter(done) }()
	if err != nil {
		return err
	}
	w := c.Response()
	name := "folio-export-" + time.Now().UTC().Format("20060102-150405")
	if format == "csv" {
		w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	} else {
		w.Header().Set(echo.HeaderContentType, "application/x-ndjson; charset=utf-8")
		w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.jsonl"`)
	}
	w.Header().Set("X-Total-Count", fmt.Sprint(min(res.Total, uint64(s.cfg.Search.ExportMax))))
	if c.Request().Method == http.MethodHead {
		return c.NoContent(http.StatusOK)
	}
	w.WriteHeader(http.StatusOK)

	out := &stallWriter{w: w.Writer, rc: http.NewResponseController(w.Writer), stall: s.cfg.Server.ExportStallTimeout}
	cw := csv.NewWriter(out)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if format == "csv" {
		cw.Write(exportColumns())
	}
	written := 0
	// The matches only: with feedback, a query of several words that
	// matches few is followed by articles that hold some of them.
	limit := int(min(res.Total, uint64(s.cfg.Search.ExportMax)))
	for {
		for _, h := range res.Hits {
			if written == limit || out.err != nil {
				break
			}
			if format == "csv" {
				cw.Write(neutralise(exportRow(h)))
			} else {
				enc.Encode(hitObject(h, false))
			}
			written++
		}
		cw.Flush()
		out.Flush()
		if out.err != nil {
			// Headers are gone; all we can do is stop. The log says why.
			s.log.Info("export cut off", "client", c.RealIP(), "rows", written, "err", out.err)
			return errClientGone
		}
		if res.Next == "" || written == limit {
			return nil
		}
		req.After = res.Next
		res, done, err = s.runSearch(ctx, req)
		if err != nil {
			if errors.Is(err, errClientGone) {
				return err
			}
			// Headers are gone. A write deadline in the past makes the end
			// of the stream fail, so the client sees it cut, not complete.
			s.log.Warn("export stopped", "client", c.RealIP(), "rows", written, "err", err)
			out.rc.SetWriteDeadline(time.Now())
			return nil
		}
	}
}

// stallWriter writes an export to its client. Each write and flush must
// finish within stall: the deadline is set before each, so it measures
// how long the client takes nothing, and producing pages does not renew
// it. After the first error it writes nothing more.
type stallWriter struct {
	w     io.Writer
	rc    *http.ResponseController
	stall time.Duration
	err   error
}

func (s *stallWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.rc.SetWriteDeadline(time.Now().Add(s.stall))
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

func (s *stallWriter) Flush() {
	if s.err == nil {
		s.rc.SetWriteDeadline(time.Now().Add(s.stall))
		s.err = s.rc.Flush()
	}
}

// neutralise keeps spreadsheets from running CSV cells as formulas: a cell
// that starts with =, +, -, @, tab or carriage return gets a leading
// single quote, as OWASP's page on CSV injection recommends.
func neutralise(cells []string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	return cells
}

// exportColumns are the CSV's header: the article's fields and a column
// per facet of the facet table.
func exportColumns() []string {
	cols := []string{"id", "date", "title", "url"}
	for _, f := range facet.All {
		cols = append(cols, f.Column)
	}
	return append(cols, "score", "body")
}

// exportRow is one CSV row, in the order of exportColumns; a facet's
// values are joined by "; ".
func exportRow(h search.Hit) []string {
	date := ""
	if h.Date != nil {
		date = h.Date.Format(time.RFC3339)
	}
	row := []string{h.ID, date, h.Title.Text, h.URL}
	for _, f := range facet.All {
		row = append(row, strings.Join(h.Values[f.Name], "; "))
	}
	return append(row, fmt.Sprint(h.Score), h.Body)
}
