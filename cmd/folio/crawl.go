package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/ingest"
)

var crawlCmd = &cobra.Command{
	Use:   "crawl URL…",
	Short: "Crawl feeds, sitemaps, tag pages or articles and index what they hold",
	Long: `Crawl fetches each URL — an RSS, Atom or JSON feed, a sitemap or sitemap
index (plain, gzipped or Google News), a listing page such as a tag page,
or an article — follows what it lists on the same site and indexes the
articles, politely: robots.txt, a rate limit per host, conditional
requests. The crawl state in the data dir makes a second crawl fetch only
what changed, and a crawl that was killed resume where it stopped.
Skipped and failed URLs are reported with the reason; when any failed,
the exit status is 2.`,
	Args: cobra.MinimumNArgs(1),
	RunE: runCrawl,
}

func init() {
	crawlCmd.Flags().Int("batch-size", 50, "articles per index batch (a crawl is slow: small batches show progress)")
	crawlCmd.Flags().Bool("ner", true, "extract named entities (config ner.enabled)")
	crawlCmd.Flags().Bool("quotes", true, "extract direct quotes and their speakers (config ner.quotes)")
	rootCmd.AddCommand(crawlCmd)
}

// crawlOptions builds the crawler's settings from the configuration.
func crawlOptions(cfg *config.Config) crawl.Options {
	c := cfg.Crawl
	opt := crawl.Options{UserAgent: c.UserAgent, Rate: c.Rate, Concurrency: c.Concurrency, MaxBodyBytes: c.MaxBodyBytes,
		Timeout: c.Timeout, MaxRedirects: c.MaxRedirects, MaxPages: c.MaxPages, MaxDepth: c.MaxDepth, AllowPrivate: c.AllowPrivate}
	pageOptions(&opt)
	return opt
}

func runCrawl(cmd *cobra.Command, urls []string) error {
	cfg, ctx, stop, ix, err := openForWriting(cmd, false)
	if err != nil {
		return err
	}
	defer stop()
	defer ix.Close()
	st, err := crawl.OpenState(cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	opts, err := ingestOptions(cfg)
	if err != nil {
		return err
	}
	progress := newProgress(os.Stderr)
	opt := crawlOptions(cfg)
	opt.OnProgress = progress.crawled
	c, err := crawl.New(opt, st)
	if err != nil {
		return err
	}
	batch, _ := cmd.Flags().GetInt("batch-size")
	// Crawl → the ingest step (batches, entities) → the index, and the
	// crawl state once each batch is in it.
	stats, err := ingest.Run(ctx, c.Crawl(ctx, urls), c.Writer(ix), ingest.Options{
		Size: max(batch, 1), Workers: opts.Workers, Enrich: opts.Enrich,
		OnError: func(err error) { progress.println(err.Error()) },
	})
	if err == nil {
		err = ix.FinishIngest(ctx, false)
	}
	if err == nil {
		err = c.Finish()
	}
	progress.done()
	cs := c.Stats()
	total, _ := ix.Count(ctx)
	printCrawlSummary(os.Stderr, cs, stats, total)
	if err != nil {
		return err
	}
	// Skipping (robots.txt, PDFs) is a crawl working as meant; a failure
	// is worth a script's notice.
	if len(cs.Failed) > 0 {
		return &exitError{code: 2, err: fmt.Errorf("%d URLs failed (and %d were skipped)", len(cs.Failed), len(cs.Skipped))}
	}
	return nil
}

// printCrawlSummary says what a crawl did, with skipped and failed URLs
// counted by reason.
func printCrawlSummary(w io.Writer, cs crawl.Stats, stats ingest.Stats, total uint64) {
	fmt.Fprintf(w, "crawled in %s: fetched %d, not modified %d; new %d, changed %d, unchanged %d; skipped %d, failed %d; indexed %d; the index holds %d\n",
		stats.Elapsed.Round(time.Millisecond), cs.Fetched, cs.NotModified, cs.New, cs.Changed, cs.Unchanged,
		len(cs.Skipped), len(cs.Failed), stats.Indexed, total)
	for _, group := range []struct {
		what string
		errs []*crawl.Error
	}{{"skipped", cs.Skipped}, {"failed", cs.Failed}} {
		byReason := map[string]int{}
		for _, e := range group.errs {
			byReason[reasonKind(e.Reason)]++
		}
		reasons := make([]string, 0, len(byReason))
		for r := range byReason {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			fmt.Fprintf(w, "  %s %d: %s\n", group.what, byReason[r], r)
		}
	}
}

// reasonKind groups reasons that differ only in the URLs they name.
func reasonKind(reason string) string {
	if strings.HasPrefix(reason, "redirect loop") {
		return "redirect loop"
	}
	return requestURL.ReplaceAllString(reason, "")
}

// requestURL is how net/http names the request in its errors.
var requestURL = regexp.MustCompile(`(Get|GET) "[^"]*": `)
