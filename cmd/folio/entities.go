package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/search"
)

var entitiesCmd = &cobra.Command{
	Use:   "entities",
	Short: "Curate entities: apply the rules of the entities file",
}

var entitiesApplyCmd = &cobra.Command{
	Use:   "apply",
	Short: "Apply the entities file's rules to the index, without a re-ingest",
	Long: `Apply reads the curation rules of the entities file (ner.entities_file,
by default entities.yaml in data_dir), runs them over every article of the
index, and writes back only the articles whose entities or quote speakers
they change. It prints what each rule changed and adds it to the audit
beside the file (entities.audit.jsonl). A rule already applied changes
nothing the second time. A file with an error is reported as file:line and
nothing is written. While folio serve holds the index, add rules with
POST /api/entities/rules instead.`,
	Args: cobra.NoArgs,
	RunE: runEntitiesApply,
}

func init() {
	entitiesCmd.AddCommand(entitiesApplyCmd)
	rootCmd.AddCommand(entitiesCmd)
}

func runEntitiesApply(cmd *cobra.Command, _ []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	rules, err := curate.Open(cfg.EntitiesPath())
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if len(rules.Rules().Rules) == 0 {
		fmt.Fprintf(cmd.OutOrStdout(), "%s has no rules: nothing to do\n", rules.Path)
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var eng search.Engine
	if cfg.Index.Backend == config.BackendOpenSearch {
		if eng, err = openCluster(ctx, cfg); err != nil {
			return err
		}
	} else {
		if !index.Exists(indexDir(cfg)) {
			return fmt.Errorf("no index in %s: build one with folio ingest PATH…", cfg.DataDir)
		}
		if eng, err = index.Open(indexDir(cfg)); err != nil {
			return err
		}
	}
	defer eng.Close()
	start := time.Now()
	rep, err := curate.Reapply(ctx, eng, rules.Rules(), max(cfg.Ingest.BatchSize, 1))
	if err != nil {
		return err
	}
	writeReport(cmd.OutOrStdout(), rep)
	fmt.Fprintf(cmd.OutOrStdout(), "read %d articles, rewrote %d in %s\n", rep.Read, rep.Written, time.Since(start).Round(time.Millisecond))
	return rules.Record(rep, "cli")
}

// writeReport prints what each rule changed, one rule a line.
func writeReport(w io.Writer, rep *curate.Report) {
	for i, r := range rep.Rules {
		c := rep.Counts[i]
		fmt.Fprintf(w, "line %d: %s: %d articles, %d entities, %d quote speakers\n", r.Line, r.String(), c.Articles, c.Entities, c.Quotes)
	}
}
