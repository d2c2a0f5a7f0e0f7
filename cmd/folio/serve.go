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

	opts, err := ingestOptions(cfg)
	if err != nil {
		return err
	}
	dir := indexDir(cfg)
	var ix *index.Index
	if index.Exists(dir) {
		if ix, err = index.Open(dir); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(os.Stderr, "no index in %s yet: building one from %v\n", cfg.DataDir, cfg.Corpus.Paths)
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return err
		}
		opts.OnError = func(err error) { fmt.Fprintln(os.Stderr, err) }
		var stats index.IngestStats
		ix, stats, err = index.Create(ctx, dir, corpus.ReadPaths(cfg.Corpus.Paths), opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "indexed %d articles in %s (%d rejected)\n", stats.Indexed, stats.Elapsed.Round(time.Millisecond), stats.Rejected)
	}
	defer ix.Close()
	go func() {
		if err := ix.Warm(ctx); err != nil {
			log.Warn("warming the facet columns", "err", err)
		}
	}()

	srv, err := server.New(ix, cfg, log)
	if err != nil {
		return err
	}
	srv.SetEnrich(opts.Enrich)
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return err
	}
	n, _ := ix.Count()
	fmt.Fprintf(os.Stderr, "Folio is serving %d articles on http://%s/\n", n, ln.Addr())
	return srv.Serve(ctx, ln)
}
