package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/search"
)

// searchServer runs folio search through the folio serve that holds the
// index, with GET /api/search at server.addr, and prints its answer as a
// local search would.
func searchServer(ctx context.Context, cfg *config.Config, dir, q string, req search.Request, asJSON bool) error {
	base := "http://" + dialAddr(cfg.Server.Addr)
	fmt.Fprintf(os.Stderr, "folio: a running folio serve holds the index in %s: asking it at %s\n", dir, base)
	v := url.Values{"q": {q}, "size": {strconv.Itoa(req.Size)}}
	if req.Sort != "" {
		v.Set("sort", req.Sort)
	}
	for name, values := range req.Filters {
		v[name] = values
	}
	if !asJSON {
		v.Set("facets", "none")
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Search.Timeout+5*time.Second)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/search?"+v.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return fmt.Errorf("the index in %s is held by another process, and no folio serve answers at %s (%v): stop that process, or set server.addr to where serve listens", dir, base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct {
				Message  string
				Position *int
			}
		}
		if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
			return fmt.Errorf("%s answered %s", base, resp.Status)
		}
		if e.Error.Position != nil {
			return fmt.Errorf("%s (position %d)", e.Error.Message, *e.Error.Position)
		}
		return fmt.Errorf("%s", e.Error.Message)
	}
	if asJSON {
		_, err := os.Stdout.Write(body)
		return err
	}
	var a struct {
		Total             uint64
		TookMS            float64 `json:"took_ms"`
		Fuzzy             bool
		DidYouMean        *string             `json:"did_you_mean"`
		DidYouMeanTotal   uint64              `json:"did_you_mean_total"`
		DidYouMeanFilters map[string][]string `json:"did_you_mean_filters"`
		Matched           map[string][]string `json:"matched"`
		Expansion         []string            `json:"expansion"`
		Hits              []struct {
			ID        string
			TitleHTML string `json:"title_html"`
			Date      *time.Time
			Tags      []string
			Score     float64
			Snippets  []string
		}
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("%s answered no search: %w", base, err)
	}
	open, close := marks(terminal())
	text := func(h string) string {
		// Only <mark> is markup in the API's HTML; the rest is escaped text.
		return html.UnescapeString(strings.NewReplacer("<mark>", open, "</mark>", close).Replace(h))
	}
	page := textPage{query: q, total: a.Total, tookMS: a.TookMS, fuzzy: a.Fuzzy,
		matched: a.Matched, didYouMeanFilters: a.DidYouMeanFilters, didYouMeanTotal: a.DidYouMeanTotal, expansion: a.Expansion}
	if a.DidYouMean != nil {
		page.didYouMean = *a.DidYouMean
	}
	for _, h := range a.Hits {
		th := textHit{id: h.ID, title: text(h.TitleHTML), date: h.Date, tags: h.Tags, score: h.Score}
		for _, s := range h.Snippets {
			th.fragments = append(th.fragments, text(s))
		}
		page.hits = append(page.hits, th)
	}
	page.print()
	return nil
}

// dialAddr is where to reach a server listening on addr: a listener on
// every interface (":8080", "0.0.0.0:8080") is reached on loopback.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
