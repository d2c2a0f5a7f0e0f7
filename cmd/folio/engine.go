package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/opensearch"
	"github.com/folio-search/folio/internal/server"
)

// openCluster opens the engine of index.backend opensearch.
func openCluster(ctx context.Context, cfg *config.Config) (*opensearch.Engine, error) {
	c := cfg.OpenSearch
	return opensearch.Open(ctx, opensearch.Config{
		URLs: c.URLs, Index: c.Index, Username: c.Username, Password: c.Password,
		Shards: c.Shards, Replicas: c.Replicas, InsecureSkipVerify: c.InsecureSkipVerify, CAFile: c.CAFile,
	})
}

// serveCluster is folio serve on an OpenSearch cluster: an empty index is
// filled from the configured corpus first, with Folio's entities computed
// here as for Bleve; then the same server answers from the cluster.
func serveCluster(ctx context.Context, cfg *config.Config, ln net.Listener, opts index.IngestOptions, rules *curate.File, log *slog.Logger) error {
	e, err := openCluster(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	n, err := e.Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(os.Stderr, "index %s is empty: filling it from %v\n", cfg.OpenSearch.Index, cfg.Corpus.Paths)
		stats, err := ingest.Run(ctx, corpus.ReadPaths(cfg.Corpus.Paths), e, ingest.Options{
			Size: cfg.Ingest.BatchSize, Bytes: cfg.Ingest.BatchBytes, Workers: opts.Workers, Writers: cfg.Ingest.Writers, Enrich: opts.Enrich,
			OnError: func(err error) { fmt.Fprintln(os.Stderr, err) },
		})
		if err != nil {
			return err
		}
		if err := e.FinishIngest(ctx, false); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "indexed %d articles in %s (%d rejected)\n", stats.Indexed, stats.Elapsed.Round(time.Millisecond), stats.Rejected)
	}
	srv, err := server.New(e, cfg, log)
	if err != nil {
		return err
	}
	srv.SetEnrich(opts.Enrich)
	srv.SetCuration(rules)
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	polled, err := pollSources(pollCtx, cfg, e, opts, srv, log)
	if err != nil {
		return err
	}
	n, _ = e.Count(ctx)
	fmt.Fprintf(os.Stderr, "Folio is serving %d articles from OpenSearch (%s) on http://%s/\n", n, cfg.OpenSearch.Index, ln.Addr())
	err = srv.Serve(ctx, ln)
	stopPolling()
	<-polled
	return err
}
