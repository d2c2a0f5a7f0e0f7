// Package opensearch is Folio's scale-out engine: a search.Engine on an
// OpenSearch cluster, written with the official Go client. Folio computes
// entities and canonical names before indexing, as for Bleve; the cluster
// stores each article as its _source and indexes the same fields the
// Bleve mapping has (mapping.go). Queries are Folio's tree compiled to
// the query DSL (compile.go), and fragments are cut by Folio's own
// snippet package from spans the cluster's highlighter finds
// (fragments.go), so hits read as Bleve's do.
package opensearch

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opensearch-project/opensearch-go/v4"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/linking"
	"github.com/folio-search/folio/internal/search"
)

// Config says which cluster and index to use.
type Config struct {
	URLs               []string
	Index              string // the index name; its template is Index + "-template"
	Username, Password string
	Shards, Replicas   int // of a new index; 0 shards means 1
	// InsecureSkipVerify accepts any TLS certificate (a test cluster's own).
	InsecureSkipVerify bool
	// CAFile is a PEM file of certificates to trust besides the system's,
	// such as the cluster's own authority.
	CAFile string
	// transport, when set, carries the requests (tests count them).
	transport http.RoundTripper
}

// Engine is Folio's index on an OpenSearch cluster.
type Engine struct {
	client *opensearch.Client
	index  string
	shared sharedPIT // of first pages in relevance order (search.go)

	// People by surname and organisations by initials, to link them
	// across articles as the embedded index does (linkstore.go).
	persons, orgs linking.Linker

	// gen counts this engine's writes; names are the entity facets'
	// name tables (variants.go), read again after a write.
	gen   atomic.Uint64
	names nameTables
	// tableCheck is how long the name tables are trusted without asking
	// the cluster whether the index changed (defaultTableCheck).
	tableCheck time.Duration
	// bgCtx ends the reads of name tables in the background, which bg
	// counts, when the engine is closed.
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
}

var _ search.Engine = (*Engine)(nil)

// Open connects to the cluster, installs the index template and creates
// the index if it does not exist.
func Open(ctx context.Context, cfg Config) (*Engine, error) {
	if len(cfg.URLs) == 0 {
		return nil, errors.New("opensearch: no URLs configured (opensearch.urls)")
	}
	if cfg.Index == "" || cfg.Index != strings.ToLower(cfg.Index) {
		return nil, fmt.Errorf("opensearch: index name %q must be lower case and not empty", cfg.Index)
	}
	var ca []byte
	if cfg.CAFile != "" {
		var err error
		if ca, err = os.ReadFile(cfg.CAFile); err != nil {
			return nil, fmt.Errorf("opensearch: the CA file (opensearch.ca_file): %w", err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(ca) {
			return nil, fmt.Errorf("opensearch: the CA file %s (opensearch.ca_file) holds no PEM certificate", cfg.CAFile)
		}
	}
	c, err := opensearch.NewClient(opensearch.Config{
		Addresses:          cfg.URLs,
		Username:           cfg.Username,
		Password:           cfg.Password,
		InsecureSkipVerify: cfg.InsecureSkipVerify,
		CACert:             ca,
		// 429 is the cluster's backpressure: the client waits and retries.
		RetryOnStatus: []int{429, 502, 503, 504},
		MaxRetries:    5,
		Transport:     cfg.transport,
	})
	if err != nil {
		return nil, fmt.Errorf("opensearch: %w", err)
	}
	e := &Engine{client: c, index: cfg.Index, tableCheck: defaultTableCheck, orgs: linking.Linker{Type: "ORG"}}
	if err := e.do(ctx, http.MethodPut, "/_index_template/"+cfg.Index+"-template", template(cfg), nil); err != nil {
		return nil, err
	}
	err = e.do(ctx, http.MethodHead, "/"+cfg.Index, nil, nil)
	var se *statusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		// Created from the template; wait until its primaries can take writes.
		err = e.do(ctx, http.MethodPut, "/"+cfg.Index+"?wait_for_active_shards=1", map[string]any{}, nil)
		if errors.As(err, &se) && strings.Contains(se.Body, "resource_already_exists") {
			err = nil // another process created it first
		}
	} else if err == nil {
		// An index made before the quote fields existed gains them; its
		// articles are found by quote: and speaker: once written again.
		err = e.do(ctx, http.MethodPut, "/"+cfg.Index+"/_mapping", map[string]any{"properties": quoteProperties()}, nil)
	}
	if err != nil {
		return nil, err
	}
	e.bgCtx, e.bgCancel = context.WithCancel(context.Background())
	return e, nil
}

// statusError is an answer of the cluster other than 2xx.
type statusError struct {
	Status int
	Body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("opensearch: status %d: %s", e.Status, e.Body)
}

// Unwrap makes the answers of a cluster that cannot serve for now
// search.ErrUnavailable: no copy of a shard or no elected cluster
// manager (503), a proxy without a node behind it (502, 504),
// backpressure that outlasted the client's retries (429), and a search
// whose shard was on a node that has just failed (a 500 that says so).
func (e *statusError) Unwrap() error {
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return search.ErrUnavailable
	case http.StatusInternalServerError:
		for _, lost := range []string{"node_disconnected_exception", "node_not_connected_exception", "no_shard_available_action_exception"} {
			if strings.Contains(e.Body, lost) {
				return search.ErrUnavailable
			}
		}
	}
	return nil
}

// do sends body (JSON-encoded unless it is []byte) and decodes the answer
// into out, if not nil. An answer other than 2xx is a *statusError.
func (e *Engine) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/x-ndjson"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	u, err := url.Parse(path)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := e.client.Perform(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("opensearch: %w", ctx.Err())
		}
		// No node answered, after the client tried each it knows.
		return fmt.Errorf("opensearch: %w: %w", search.ErrUnavailable, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("opensearch: %w", ctx.Err())
		}
		return fmt.Errorf("opensearch: %w: %w", search.ErrUnavailable, err)
	}
	if res.StatusCode/100 != 2 {
		return &statusError{Status: res.StatusCode, Body: string(bytes.TrimSpace(data))}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("opensearch: decoding the answer to %s %s: %w", method, path, err)
		}
	}
	return nil
}

// Article returns a stored article from its _source.
func (e *Engine) Article(ctx context.Context, id string) (*corpus.Article, error) {
	var got struct {
		Found  bool            `json:"found"`
		Source json.RawMessage `json:"_source"`
	}
	err := e.do(ctx, http.MethodGet, "/"+e.index+"/_doc/"+url.PathEscape(id), nil, &got)
	var se *statusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil, search.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !got.Found {
		return nil, search.ErrNotFound
	}
	return article(got.Source)
}

// article decodes a _source: the article's own JSON with the entity
// facets' values beside it, which decoding ignores.
func article(src json.RawMessage) (*corpus.Article, error) {
	var a corpus.Article
	if err := json.Unmarshal(src, &a); err != nil {
		return nil, fmt.Errorf("opensearch: stored article: %w", err)
	}
	return &a, nil
}

// Count is the number of articles in the index.
func (e *Engine) Count(ctx context.Context) (uint64, error) {
	var got struct {
		Count  uint64 `json:"count"`
		Shards shards `json:"_shards"`
	}
	if err := e.do(ctx, http.MethodGet, "/"+e.index+"/_count", nil, &got); err != nil {
		return 0, err
	}
	return got.Count, got.Shards.check()
}

// FinishIngest refreshes the index, rewrites the articles written before
// whose people or organisations the new ones name in full (see
// linking.Linker.Relink), and with optimize merges its segments down to
// one per shard.
func (e *Engine) FinishIngest(ctx context.Context, optimize bool) error {
	defer e.wrote()
	if err := e.do(ctx, http.MethodPost, "/"+e.index+"/_refresh", nil, nil); err != nil {
		return err
	}
	for _, l := range []*linking.Linker{&e.persons, &e.orgs} {
		if err := l.Relink(ctx, linkStore{e}); err != nil {
			return err
		}
	}
	if optimize {
		return e.do(ctx, http.MethodPost, "/"+e.index+"/_forcemerge?max_num_segments=1", nil, nil)
	}
	return nil
}

// Close ends the work of the engine in the background and releases the
// client's connections; the cluster keeps the data.
func (e *Engine) Close() error {
	e.bgCancel()
	e.bg.Wait()
	return e.client.Close()
}

// Drop deletes the index, for tests and migrations that start afresh.
func (e *Engine) Drop(ctx context.Context) error {
	err := e.do(ctx, http.MethodDelete, "/"+e.index, nil, nil)
	var se *statusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil
	}
	return err
}
