package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/opensearch"
	"github.com/folio-search/folio/internal/search"
)

var migrateCmd = &cobra.Command{
	Use:   "migrate --to opensearch",
	Short: "Copy the index under data_dir into an OpenSearch cluster",
	Long: `Migrate reads every article of the Bleve index under data_dir, with the
entities and quotes computed when it was ingested, and writes them into the
index opensearch.index on the cluster of opensearch.urls, in batches of
ingest.batch_size, ingest.writers of them at once. It shows its progress, and ends with a count check: the
cluster's index must then hold as many articles as the Bleve index, or the
exit status is 1. The cluster's index must be empty unless --replace, which
deletes it first. A running folio serve holds the Bleve index: stop it first.`,
	Args: cobra.NoArgs,
	RunE: runMigrate,
}

func init() {
	migrateCmd.Flags().String("to", "", "the backend to copy into: opensearch")
	migrateCmd.Flags().Int("batch-size", 0, "articles per bulk request (config ingest.batch_size)")
	migrateCmd.Flags().Bool("replace", false, "delete the cluster's index first if it holds articles")
	rootCmd.AddCommand(migrateCmd)
}

func runMigrate(cmd *cobra.Command, _ []string) error {
	if to, _ := cmd.Flags().GetString("to"); to != "opensearch" {
		return fmt.Errorf("--to must be opensearch, got %q", to)
	}
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	dir := indexDir(cfg)
	if !index.Exists(dir) {
		return fmt.Errorf("no index under data_dir (%s) to migrate", dir)
	}
	src, err := index.Open(dir)
	if err != nil {
		return err
	}
	defer src.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dst, err := openCluster(ctx, cfg)
	if err != nil {
		return err
	}
	defer dst.Close()
	held, err := dst.Count(ctx)
	if err != nil {
		return err
	}
	if held > 0 {
		if replace, _ := cmd.Flags().GetBool("replace"); !replace {
			return fmt.Errorf("the cluster's index %s holds %d articles: migrate into an empty index, or pass --replace", cfg.OpenSearch.Index, held)
		}
		if err := dst.Drop(ctx); err != nil {
			return err
		}
		dst.Close()
		if dst, err = openCluster(ctx, cfg); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "deleted the cluster's index %s (%d articles)\n", cfg.OpenSearch.Index, held)
	}
	total, err := src.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "migrating %d articles from %s to the index %s on %v\n", total, dir, cfg.OpenSearch.Index, cfg.OpenSearch.URLs)

	progress := newProgress(os.Stderr)
	start := time.Now()
	nextLine := 0 // a line at every tenth, for logs; the status line on a terminal
	copied, rejected, err := copyArticles(ctx, src, dst, cfg.Ingest.BatchSize, cfg.Ingest.Writers, func(n int) {
		rate := float64(n) / time.Since(start).Seconds()
		progress.status("%d of %d articles, %.0f/s", n, total, rate)
		if total > 0 && n*10 >= nextLine*int(total) {
			progress.println(fmt.Sprintf("migrated %d of %d articles (%d%%), %.0f/s", n, total, uint64(n)*100/total, rate))
			nextLine = int(uint64(n)*10/total) + 1
		}
	})
	progress.done()
	for _, id := range slices.Sorted(maps.Keys(rejected)) {
		fmt.Fprintf(os.Stderr, "rejected %s: %s\n", id, rejected[id])
	}
	if err != nil {
		return err
	}
	if err := dst.FinishIngest(ctx, false); err != nil {
		return err
	}
	elapsed := time.Since(start)
	got, err := dst.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "copied %d articles in %s, %.0f/s; %d rejected\n",
		copied, elapsed.Round(time.Millisecond), float64(copied)/elapsed.Seconds(), len(rejected))
	if got != total {
		return fmt.Errorf("count check failed: the cluster's index %s holds %d articles, the Bleve index %d", cfg.OpenSearch.Index, got, total)
	}
	fmt.Printf("count check passed: the cluster's index %s holds %d articles, as the Bleve index does\n", cfg.OpenSearch.Index, got)
	return nil
}

// copyArticles writes every article of from into to, in batches of size
// with writers batches in flight, and calls progress with the number
// copied after each batch. Reading the next batch overlaps writing the
// last. Articles are read in date order by cursor, so that articles the
// source gains meanwhile do not shift the pages. Articles the target
// refuses are returned by ID with the reason, and the copy goes on.
func copyArticles(ctx context.Context, from, to search.Engine, size, writers int, progress func(int)) (copied int, rejected map[string]string, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan []corpus.Article, writers)
	go func() {
		defer close(batches)
		req := search.Request{Sort: search.ByDate, Size: size, Facets: []string{}}
		for {
			res, err := from.Search(ctx, req)
			if err != nil {
				cancel(err)
				return
			}
			batch := make([]corpus.Article, 0, len(res.Hits))
			for _, h := range res.Hits {
				a, err := from.Article(ctx, h.ID)
				if err != nil {
					cancel(fmt.Errorf("reading article %s: %w", h.ID, err))
					return
				}
				batch = append(batch, *a)
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
			if res.Next == "" {
				return
			}
			req.After = res.Next
		}
	}()
	var mu sync.Mutex
	rejected = map[string]string{}
	var wg sync.WaitGroup
	for range max(writers, 1) {
		wg.Go(func() {
			for batch := range batches {
				err := to.WriteBatch(ctx, batch)
				var re *opensearch.RejectedError
				if err != nil && !errors.As(err, &re) {
					cancel(err)
					return
				}
				mu.Lock()
				n := len(batch)
				if re != nil {
					maps.Copy(rejected, re.Reasons)
					n -= len(re.Reasons)
				}
				copied += n
				progress(copied)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return copied, rejected, err
	}
	return copied, rejected, nil
}
