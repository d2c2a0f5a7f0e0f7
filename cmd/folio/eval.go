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

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/opensearch"
	"github.com/folio-search/folio/internal/relevance"
)

var evalCmd = &cobra.Command{
	Use:   "eval",
	Short: "Measure ranking quality: P@10, nDCG@10 and MAP of Folio, SQLite FTS5 and Folio on OpenSearch",
	Long: `Eval indexes a labelled corpus (by default Reuters-21578) with Folio and
with SQLite FTS5 (title and body, porter stemming, ranked by bm25()), runs
every query of a judged set through each engine, and prints P@10, nDCG@10 and
average precision (over the first 1,000 results) per query, their means
and paired randomisation tests. An article is relevant to a query when it
carries one of the query's topic tags.

The engines: "folio" (Folio's ranking), "folio-noexp" (the same with
expand=false: no pseudo-relevance feedback), "folio-prev" (every word
required, no feedback, duplicates not demoted: Folio's ranking before
these), "fts5", and "folio-cv": the ranking choices tuned by k-fold
cross-validation (--folds) over the candidates, each fold's figures from
the choice made on the other folds. Folio and folio-cv are compared with
FTS5 and with folio-prev.

The Folio index is built in a temporary directory unless --index names one;
an existing index there is reused if it holds the same number of articles.
With --check the exit status is 3 when Folio is not ahead of FTS5 on both
P@10 and nDCG@10.

With a cluster (--opensearch URLS, or else opensearch.urls when
index.backend is opensearch) Folio on OpenSearch is one more column,
"folio-os": the corpus goes into the cluster's index --opensearch-index
(one shard, no replica), reused when it holds as many articles.`,
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
	f.Int("folds", 5, "folds of the cross-validation of the tuned ranking (below 2: none)")
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
	folds, _ := flags.GetInt("folds")
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
	var ix *index.Index
	err = step(fmt.Sprintf("Folio index of %d articles in %s", len(articles), indexDir), func() error {
		ix, err = relevance.OpenFolio(ctx, indexDir, articles)
		return err
	})
	if err != nil {
		return err
	}
	defer ix.Close()
	folio := relevance.Named{Name: "folio", Engine: ix}

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

	engines := []relevance.Named{folio, ref,
		{Name: "folio-noexp", Engine: relevance.WithoutExpansion(ix)},
		{Name: "folio-prev", Engine: ix.WithRanking(index.Ranking{})}}
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
	pairs := [][2]string{{"folio", "fts5"}, {"folio", "folio-prev"}, {"folio-noexp", "fts5"}}
	if folds = min(folds, len(qs)); folds >= 2 {
		var grid []relevance.Named
		for _, c := range relevance.Candidates() {
			grid = append(grid, relevance.Named{Name: c.Name, Engine: ix.WithRanking(c.Ranking)})
		}
		var all *relevance.Report
		err = step(fmt.Sprintf("%d candidate rankings for %d-fold cross-validation", len(grid), folds), func() error {
			all, err = relevance.Evaluate(ctx, judgments, qs, 10, grid...)
			return err
		})
		if err != nil {
			return err
		}
		if err := report.CrossValidate("folio-cv", all, folds); err != nil {
			return err
		}
		pairs = append(pairs, [2]string{"folio-cv", "fts5"}, [2]string{"folio-cv", "folio-prev"})
	}
	if len(cluster.URLs) > 0 {
		pairs = append(pairs, [2]string{"folio-os", "fts5"})
	}
	for _, p := range pairs {
		if _, err := report.Compare(p[0], p[1]); err != nil {
			return err
		}
	}
	if asJSON {
		err = report.WriteJSON(os.Stdout)
	} else {
		err = report.WriteText(os.Stdout)
	}
	if err != nil {
		return err
	}
	if d := report.Paired[0]; check && (d.DP <= 0 || d.DNDCG <= 0) {
		return &exitError{code: 3, err: fmt.Errorf("Folio is not ahead of %s: P@10 %+.3f, nDCG@10 %+.3f", ref.Name, d.DP, d.DNDCG)}
	}
	return nil
}
