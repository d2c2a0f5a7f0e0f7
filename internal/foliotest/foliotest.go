// Package foliotest starts real Folio servers for tests: a Bleve index on
// disk in a temporary directory, served on a loopback port.
package foliotest

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/ner"
	"github.com/folio-search/folio/internal/server"
)

var (
	recOnce sync.Once
	rec     *ner.Recognizer
	recErr  error
)

// Enrich is the entity extraction `folio ingest` runs, with the default
// configuration; the model is loaded once per test binary.
func Enrich(t testing.TB) func(*corpus.Article) {
	t.Helper()
	recOnce.Do(func() { rec, recErr = ner.Load(config.Default().NER.Aliases) })
	if recErr != nil {
		t.Fatal(recErr)
	}
	return rec.Enrich
}

// NewIndex builds an index in t.TempDir() from the corpus paths ("bundled"
// is the sample corpus), with entities as `folio ingest` extracts them,
// and closes it when the test ends.
func NewIndex(t testing.TB, paths ...string) *index.Index {
	t.Helper()
	ix, stats, err := index.Create(context.Background(), t.TempDir()+"/index", corpus.ReadPaths(paths), index.IngestOptions{
		Enrich:  Enrich(t),
		OnError: func(err error) { t.Errorf("ingest: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Indexed == 0 {
		t.Fatalf("no articles indexed from %v", paths)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// NewServer builds an index from paths and serves the whole app (API and
// page) on a loopback httptest.Server, closed when the test ends.
func NewServer(t testing.TB, paths ...string) *httptest.Server {
	t.Helper()
	return Serve(t, NewIndex(t, paths...), config.Default())
}

// Serve serves ix with cfg on a loopback httptest.Server; articles
// ingested over HTTP get entities as in `folio serve`.
func Serve(t testing.TB, ix *index.Index, cfg *config.Config) *httptest.Server {
	t.Helper()
	srv, err := server.New(ix, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetEnrich(Enrich(t))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}
