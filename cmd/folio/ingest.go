package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/ner"
	"github.com/folio-search/folio/internal/quote"
	"github.com/folio-search/folio/internal/search"
)

var ingestCmd = &cobra.Command{
	Use:   "ingest PATH…",
	Short: "Add articles to the index (files, directories, or \"bundled\")",
	Long: `Ingest reads articles from JSON Lines files, tag-page text dumps, HTML
article pages (one article per .html or .htm file) and web archives (.warc,
.warc.gz: each HTML response is an article); directories are searched for
all of these, and "bundled" is the sample corpus. It upserts the articles
into the index under data_dir, or with index.backend opensearch into the
cluster's index.
Malformed records (for a web archive, file:record: reason) and pages that
are no article are reported as file:line: reason and skipped; the exit
status is then 2, so scripts notice.`,
	Args: cobra.MinimumNArgs(1),
	RunE: runIngest,
}

func init() {
	ingestCmd.Flags().Int("batch-size", 0, "articles per batch (config ingest.batch_size)")
	ingestCmd.Flags().Int("workers", 0, "entity-extraction goroutines (config ingest.workers)")
	ingestCmd.Flags().Bool("ner", true, "extract named entities (config ner.enabled)")
	ingestCmd.Flags().Bool("quotes", true, "extract direct quotes and their speakers (config ner.quotes)")
	ingestCmd.Flags().Bool("optimize", true, "merge the index into few large segments at the end (smaller, faster to search)")
	rootCmd.AddCommand(ingestCmd)
}

// indexDir is where the index lives inside the data dir.
func indexDir(cfg *config.Config) string { return filepath.Join(cfg.DataDir, "index") }

// openForWriting starts a command that writes the index: its
// configuration, a context that ends at Ctrl-C or SIGTERM (a batch being
// written is finished first), and the index, made if there is none, opened
// for a bulk ingest if bulk is set.
func openForWriting(cmd *cobra.Command, bulk bool) (*config.Config, context.Context, context.CancelFunc, *index.Index, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, nil, nil, nil, err
	}
	ix, err := index.OpenWith(indexDir(cfg), index.OpenOptions{Bulk: bulk})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return cfg, ctx, stop, ix, nil
}

func runIngest(cmd *cobra.Command, paths []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	var ix search.Engine
	var ctx context.Context
	var stop context.CancelFunc
	finished := "linked people across articles"
	if cfg.Index.Backend == config.BackendOpenSearch {
		// Entities and quotes are computed here, as for Bleve; the
		// cluster only stores and indexes.
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		e, err := openCluster(ctx, cfg)
		if err != nil {
			stop()
			return err
		}
		ix, finished = e, "refreshed the cluster's index"
	} else {
		var b *index.Index
		// The ingest ends with the final merge unless told not to; the
		// background merger, then, need merge little before it.
		optimize, _ := cmd.Flags().GetBool("optimize")
		if cfg, ctx, stop, b, err = openForWriting(cmd, optimize); err != nil {
			return err
		}
		ix = b
	}
	defer stop()
	defer ix.Close()
	opts, err := ingestOptions(cfg)
	if err != nil {
		return err
	}
	progress := newProgress(os.Stderr)
	optimize, _ := cmd.Flags().GetBool("optimize")
	start := time.Now()
	// Readers → the ingest step (batches, entities, counts) → the index.
	stats, err := ingest.Run(ctx, corpus.ReadPaths(paths), ix, ingest.Options{
		Size: opts.BatchSize, Bytes: opts.BatchBytes, Workers: opts.Workers, Writers: opts.Writers, Enrich: opts.Enrich,
		HeapBytes: opts.HeapBytes,
		OnError:   func(err error) { progress.println(err.Error()) },
		OnBatch:   func(s ingest.Stats) { progress.update("", s) },
	})
	if err == nil {
		err = ix.FinishIngest(ctx, optimize && stats.Indexed > 0)
	}
	progress.done()
	if err == nil && stats.Indexed > 0 {
		what := finished
		if optimize {
			what = "merged segments and " + what
		}
		fmt.Fprintf(os.Stderr, "%s in %s\n", what, (time.Since(start) - stats.Elapsed).Round(time.Millisecond))
	}
	total, _ := ix.Count(ctx)
	fmt.Fprintf(os.Stderr, "indexed %d articles (%.1f MB) in %s, %.0f articles/s; %d rejected; the index holds %d\n",
		stats.Indexed, float64(stats.Bytes)/1e6, stats.Elapsed.Round(time.Millisecond),
		float64(stats.Indexed)/stats.Elapsed.Seconds(), stats.Rejected, total)
	if err != nil {
		return err
	}
	if stats.Rejected > 0 {
		return &exitError{code: 2, err: fmt.Errorf("%d records or inputs were rejected", stats.Rejected)}
	}
	return nil
}

// ingestOptions builds the ingest settings from the configuration,
// including entity extraction when it is enabled and the curation rules
// of the entities file.
func ingestOptions(cfg *config.Config) (index.IngestOptions, error) {
	rules, err := curate.Open(cfg.EntitiesPath())
	if err != nil {
		return index.IngestOptions{}, err
	}
	return ingestOptionsWith(cfg, rules)
}

// ingestOptionsWith is ingestOptions with the entities file in use, whose
// rules added later apply to later articles.
func ingestOptionsWith(cfg *config.Config, rules *curate.File) (index.IngestOptions, error) {
	// Merging segments makes garbage faster than the collector's default
	// pace clears it; a soft limit makes it collect harder instead of
	// letting the heap double (GOMEMLIMIT, if set, wins).
	if cfg.Ingest.MemoryLimitMiB > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.Ingest.MemoryLimitMiB) << 20)
	}
	opts := index.IngestOptions{BatchSize: cfg.Ingest.BatchSize, BatchBytes: cfg.Ingest.BatchBytes, Workers: cfg.Ingest.Workers, Writers: cfg.Ingest.Writers}
	if os.Getenv("GOGC") == "" {
		opts.HeapBytes = int64(cfg.Ingest.HeapMiB) << 20
	}
	var entities func(*corpus.Article)
	if cfg.NER.Enabled {
		rec, err := ner.Load(cfg.NER.Aliases)
		if err != nil {
			return opts, err
		}
		entities = rec.Enrich
	}
	opts.Enrich = enrichment(entities, rules, cfg.NER.Quotes)
	return opts, nil
}

// enrichment is what ingest runs on every article: entity extraction
// (nil when off), the curation rules, then quote extraction, whose
// speakers take the entities' canonical names. Without entities, quotes
// keep speakers as the text names them at the cue; the rules then run
// again for those.
func enrichment(entities func(*corpus.Article), rules *curate.File, quotes bool) func(*corpus.Article) {
	return func(a *corpus.Article) {
		if entities != nil {
			entities(a)
		}
		if rules != nil {
			rules.Apply(a)
		}
		if quotes {
			a.Quotes = quote.All(a)
			if rules != nil {
				rules.Apply(a)
			}
		}
	}
}
