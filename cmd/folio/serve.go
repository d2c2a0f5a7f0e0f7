package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/server"
)

var serveCmd = &cobra.Command{
	Use:   "serve",
	Short: "Serve the search page and API (building the index first if there is none)",
	Args:  cobra.NoArgs,
	RunE:  runServe,
}

func init() {
	serveCmd.Flags().String("addr", "", "address to listen on (config server.addr)")
	rootCmd.AddCommand(serveCmd)
}

func runServe(cmd *cobra.Command, _ []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The entities file in use: rules added over the admin API apply to
	// what is ingested afterwards too.
	rules, err := curate.Open(cfg.EntitiesPath())
	if err != nil {
		return err
	}
	opts, err := ingestOptionsWith(cfg, rules)
	if err != nil {
		return err
	}
	// Listen first: a port in use is a plain error before the index is
	// touched, and nothing is left running on it.
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.Index.Backend == config.BackendOpenSearch {
		return serveCluster(ctx, cfg, ln, opts, rules, log)
	}
	dir := indexDir(cfg)
	var ix *index.Index
	if index.Exists(dir) {
		if ix, err = index.Open(dir); err != nil {
			return err
		}
	} else {
		// The first build can take minutes: say so, and how far it got,
		// before anything answers on the port.
		fmt.Fprintf(os.Stderr, "no index in %s yet: building one from %v…\n", cfg.DataDir, cfg.Corpus.Paths)
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return err
		}
		progress := newProgress(os.Stderr)
		progress.every = buildProgressEvery
		opts.OnError = func(err error) { progress.println(err.Error()) }
		opts.OnBatch = func(s index.IngestStats) { progress.update("building… ", s) }
		var stats index.IngestStats
		ix, stats, err = index.Create(ctx, dir, corpus.ReadPaths(cfg.Corpus.Paths), opts)
		progress.done()
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "built the index: %d articles in %s (%d rejected)\n", stats.Indexed, stats.Elapsed.Round(time.Millisecond), stats.Rejected)
	}
	warmed := make(chan struct{})
	go func() {
		defer close(warmed)
		if err := ix.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Warn("warming the facet columns and suggestions", "err", err)
		}
	}()

	srv, err := server.New(ix, cfg, log)
	if err != nil {
		closeIndex(ix, warmed, cfg.Server.ShutdownTimeout, log)
		return err
	}
	srv.SetEnrich(opts.Enrich)
	srv.SetCuration(rules)
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	polled, err := pollSources(pollCtx, cfg, ix, opts, srv, log)
	if err != nil {
		closeIndex(ix, warmed, cfg.Server.ShutdownTimeout, log)
		return err
	}
	n, _ := ix.Count(ctx)
	fmt.Fprintf(os.Stderr, "Folio is serving %d articles on http://%s/\n", n, ln.Addr())
	err = srv.Serve(ctx, ln)
	stopPolling() // a crawl under way stops at once
	<-polled
	closeIndex(ix, warmed, closeWait, log)
	return err
}

// pollSources starts polling the configured sources into the index while
// it is served; the channel closes when polling has stopped, after ctx.
func pollSources(ctx context.Context, cfg *config.Config, ix crawl.Sink, opts index.IngestOptions, srv *server.Server, log *slog.Logger) (<-chan struct{}, error) {
	done := make(chan struct{})
	if len(cfg.Sources) == 0 {
		close(done)
		return done, nil
	}
	st, err := crawl.OpenState(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	sources := make([]crawl.Source, len(cfg.Sources))
	for i, s := range cfg.Sources {
		sources[i] = crawl.Source{URL: s.URL, Every: s.Every}
	}
	// Small batches, one at a time: searches keep a core, and new
	// articles appear as they are found.
	p, err := crawl.NewPoller(sources, crawlOptions(cfg), st, ix,
		ingest.Options{Size: 50, Workers: opts.Workers, Writers: 1, Enrich: opts.Enrich}, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	srv.SetSources(p.Status)
	go func() {
		defer close(done)
		defer st.Close()
		p.Run(ctx)
	}()
	return done, nil
}

// buildProgressEvery is how often serve reports the first build's progress
// when its output is no terminal (a log, a service manager).
const buildProgressEvery = 5 * time.Second

// closeWait bounds closing the index after the grace period: a search the
// index does not stop holds its lock, and the process must still exit.
const closeWait = 2 * time.Second

// closeIndex closes the index once the warm-up has ended, waiting at most
// wait. An index left open is safe: every batch written is durable, as a
// kill -9 shows.
func closeIndex(ix *index.Index, warmed <-chan struct{}, wait time.Duration, log *slog.Logger) {
	closed := make(chan error, 1)
	go func() {
		<-warmed
		closed <- ix.Close()
	}()
	select {
	case err := <-closed:
		if err != nil {
			log.Warn("closing the index", "err", err)
		}
	case <-time.After(wait):
		log.Warn("the index is still busy; exiting without closing it", "waited", wait)
	}
}
