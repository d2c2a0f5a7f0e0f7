package server

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/index"
)

// exportPage is how many hits the export asks the index for at a time.
const exportPage = 500

// export streams every hit of a search (up to search.export_max) as CSV or
// JSON Lines, page by page through the after cursor, so memory stays flat
// whatever the size of the result.
func (s *Server) export(c echo.Context) error {
	v := c.QueryParams()
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
	req.Size, req.Snippets, req.Facets, req.WithBody = exportPage, 0, []string{}, true

	// Run the first page before answering, so a bad request is still a 400.
	res, err := s.ix.Search(c.Request().Context(), req)
	if err != nil {
		return searchError(err)
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
	w.WriteHeader(http.StatusOK)

	cw := csv.NewWriter(w)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if format == "csv" {
		cw.Write([]string{"id", "date", "title", "url", "tags", "person", "org", "place", "source", "score", "body"})
	}
	written := 0
	for {
		for _, h := range res.Hits {
			if written == s.cfg.Search.ExportMax {
				break
			}
			if format == "csv" {
				date := ""
				if h.Date != nil {
					date = h.Date.Format(time.RFC3339)
				}
				cw.Write([]string{h.ID, date, h.Title, h.URL, join(h.Tags), join(h.Person), join(h.Org), join(h.Place), h.Source, fmt.Sprint(h.Score), h.Body})
			} else {
				h.Snippets, h.TitleHTML = nil, ""
				if err := enc.Encode(exportRecord(h)); err != nil {
					return nil // the client went away
				}
			}
			written++
		}
		cw.Flush()
		w.Flush()
		// write_timeout bounds each page, not the whole export, so a long
		// export to a slow client is not cut off half way.
		http.NewResponseController(w.Writer).SetWriteDeadline(time.Now().Add(s.cfg.Server.WriteTimeout))
		if res.Next == "" || written == s.cfg.Search.ExportMax || c.Request().Context().Err() != nil {
			return nil
		}
		req.After = res.Next
		if res, err = s.ix.Search(c.Request().Context(), req); err != nil {
			// Headers are gone; all we can do is stop. The log says why.
			s.log.Error("export stopped", "err", err)
			return nil
		}
	}
}

// exportRecord is one JSON Lines record: the hit without its HTML.
func exportRecord(h index.Hit) any {
	return struct {
		ID     string     `json:"id"`
		Date   *time.Time `json:"date"`
		Title  string     `json:"title"`
		URL    string     `json:"url,omitempty"`
		Tags   []string   `json:"tags"`
		Person []string   `json:"person"`
		Org    []string   `json:"org"`
		Place  []string   `json:"place"`
		Source string     `json:"source,omitempty"`
		Score  float64    `json:"score"`
		Body   string     `json:"body"`
	}{h.ID, h.Date, h.Title, h.URL, h.Tags, h.Person, h.Org, h.Place, h.Source, h.Score, h.Body}
}

func join(values []string) string { return strings.Join(values, "; ") }
