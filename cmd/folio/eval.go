package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/opensearch"
	"github.com/folio-search/folio/internal/relevance"
)

var evalCmd = &cobra.Command{
	Use:   "eval",
	Short: "Measure ranking quality: P@10 and nDCG@10 of Folio, SQLite FTS5 and Folio on OpenSearch",
	Long: `Eval indexes a labelled corpus (by default Reuters-21578) with Folio and
with SQLite FTS5 (title and body, porter stemming, ranked by bm25()), runs
every query of a judged set through both, and prints P@10 and nDCG@10 per
query, their means and Folio's lead. An article is relevant to a query when
it carries one of the query's topic tags.

The Folio index is built in a temporary directory unless --index names one;
an existing index there is reused if it holds the same number of articles.
With --check the exit status is 3 when Folio is not ahead on both means.

With a cluster (--opensearch URLS, or else opensearch.urls when
index.backend is opensearch) Folio on OpenSearch is a third column,
"folio-os": the corpus goes into the cluster's index --opensearch-index
(one shard, no replica), reused when it holds as many articles. Folio's lead
is still measured against FTS5.`,
	Args: cobra.NoArgs,
	RunE: runEval,
}

func init() {
	f := evalCmd.Flags()
	f.String("corpus", "../shared/corpora/reuters21578/reuters21578.jsonl", "labelled corpus (JSON Lines with tags)")
	f.String("queries", "", "judged queries, query<TAB>tag,tag per line (default: the committed Reuters set)")
	f.String("index", "", "directory of the Folio index to build or reuse (default: a temporary one)")
	f.Bool("json", false, "print the report as JSON")
	f.Bool("check", false, "exit with status 3 unless Folio leads on both mean P@10 and mean nDCG@10")
	f.String("opensearch", "", "also rank with Folio on the OpenSearch cluster at these URLs (comma separated)")
	f.String("opensearch-index", "folio-eval", "the cluster's index to fill with the corpus")
	rootCmd.AddCommand(evalCmd)
}

func runEval(cmd *cobra.Command, _ []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	if err := fts5.Available(); err != nil {
		return err // before indexing with Folio for nothing
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	flags := cmd.Flags()
	corpusPath, _ := flags.GetString("corpus")
	queriesPath, _ := flags.GetString("queries")
	indexDir, _ := flags.GetString("index")
	asJSON, _ := flags.GetBool("json")
	check, _ := flags.GetBool("check")
	cluster := cfg.OpenSearch
	if cfg.Index.Backend != config.BackendOpenSearch {
		cluster.URLs = nil
	}
	clusterIndex, _ := flags.GetString("opensearch-index")
	if urls, _ := flags.GetString("opensearch"); urls != "" {
		cluster.URLs = strings.FieldsFunc(urls, func(r rune) bool { return r == ',' || r == ' ' })
	}

	qs := relevance.ReutersQueries()
	if queriesPath != "" {
		f, err := os.Open(queriesPath)
		if err != nil {
			return err
		}
		qs, err = relevance.ParseQueries(queriesPath, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	articles, err := relevance.LoadCorpus(corpusPath)
	if err != nil {
		return err
	}
	judgments := relevance.NewJudgments(articles)
	if err := judgments.Check(qs); err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "folio-eval")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if indexDir == "" {
		indexDir = filepath.Join(tmp, "index")
	}
	step := func(what string, f func() error) error {
		start := time.Now()
		fmt.Fprintf(os.Stderr, "%s…", what)
		err := f()
		fmt.Fprintf(os.Stderr, " %s\n", time.Since(start).Round(time.Millisecond))
		return err
	}

	// cmd/folio picks the engines; the evaluation sees search.Engines.
	folio := relevance.Named{Name: "folio"}
	err = step(fmt.Sprintf("Folio index of %d articles in %s", len(articles), indexDir), func() error {
		ix, err := relevance.OpenFolio(ctx, indexDir, articles)
		if err == nil {
			folio.Engine = ix
		}
		return err
	})
	if err != nil {
		return err
	}
	defer folio.Engine.Close()

	ref := relevance.Named{Name: "fts5"}
	err = step(fmt.Sprintf("FTS5 table of %d articles", len(articles)), func() error {
		db, err := relevance.NewFTS5(ctx, filepath.Join(tmp, "fts5"), articles)
		if err == nil {
			ref.Engine = db
		}
		return err
	})
	if err != nil {
		return err
	}
	defer ref.Engine.Close()

	engines := []relevance.Named{folio, ref}
	if len(cluster.URLs) > 0 {
		onOS := relevance.Named{Name: "folio-os"}
		err = step(fmt.Sprintf("OpenSearch index %s of %d articles on %v", clusterIndex, len(articles), cluster.URLs), func() error {
			e, err := relevance.OpenCluster(ctx, opensearch.Config{
				URLs: cluster.URLs, Index: clusterIndex, Username: cluster.Username, Password: cluster.Password,
				InsecureSkipVerify: cluster.InsecureSkipVerify, CAFile: cluster.CAFile,
			}, articles)
			if err == nil {
				onOS.Engine = e
			}
			return err
		})
		if err != nil {
			return err
		}
		defer onOS.Engine.Close()
		engines = append(engines, onOS)
	}

	report, err := relevance.Evaluate(ctx, judgments, qs, 10, engines...)
	if err != nil {
		return err
	}
	if asJSON {
		err = report.WriteJSON(os.Stdout)
	} else {
		err = report.WriteText(os.Stdout)
	}
	if err != nil {
		return err
	}
	if d := report.Difference; check && (d.P <= 0 || d.NDCG <= 0) {
		return &exitError{code: 3, err: fmt.Errorf("Folio is not ahead of %s: P@10 %+.3f, nDCG@10 %+.3f", ref.Name, d.P, d.NDCG)}
	}
	return nil
}
