package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/internal/bench"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/ingest"
)

var benchCmd = &cobra.Command{
	Use:   "bench",
	Short: "Measure Folio against SQLite FTS5 on a replicated Reuters corpus",
	Long: `Bench builds a corpus of --docs articles from --source (Reuters-21578,
replicated with new IDs, each copy's dates moved one more year back), ingests
it into Folio and into SQLite FTS5 (both through the ingest path of folio
ingest), with entity extraction off and on, then serves each engine behind
Folio's own server and runs the same sampled queries, as the same API
requests, against both over loopback HTTP with 1, 2, 8 and 32 clients: (a) 1–2 terms,
(b) exact phrases, (c) a term with facets, (d) terms with snippets,
(e) entity/tag filter and date range by date. Each engine ingests and serves
in a process of its own, so peak memory is per engine. It prints Markdown
tables with the ratio Folio/FTS5 per figure and the issue-6 targets, and
writes the full report as JSON to --out.`,
	Args: cobra.NoArgs,
	RunE: runBench,
}

// benchChildCmd is the per-engine process that bench starts.
var benchChildCmd = &cobra.Command{
	Use:    "bench-child ingest|serve",
	Hidden: true,
	Args:   cobra.ExactArgs(1),
	RunE:   runBenchChild,
}

func init() {
	f := benchCmd.Flags()
	f.Int("docs", 20000, "articles in the corpus")
	f.String("source", "../shared/corpora/reuters21578/reuters21578.jsonl", "JSON Lines articles to replicate")
	f.String("work", "", "directory for the corpus and indexes (default: a temporary directory, removed afterwards)")
	f.Bool("keep", false, "keep the temporary work directory")
	f.String("ner", "both", "entity extraction at ingest: both, on or off (queries run on the last)")
	f.String("out", "", "write the report as JSON to this file")
	f.String("cpuprofile", "", "write Folio's CPU profile while serving to this file (ingest: FILE-ingest-ner-on…)")
	f.String("memprofile", "", "write Folio's allocation profile while serving to this file (ingest likewise)")
	f.Int("queries", 200, "queries per class and per cell")
	f.Duration("cell-time", 15*time.Second, "time cap per class, client count and engine")
	f.IntSlice("clients", []int{1, 2, 8, 32}, "concurrent clients")
	f.Uint64("seed", 1, "seed for sampling queries")

	c := benchChildCmd.Flags()
	c.String("engine", "", "folio or fts5")
	c.String("dir", "", "index directory")
	c.String("corpus", "", "JSON Lines corpus (ingest)")
	c.Bool("ner", false, "extract entities (ingest)")
	c.Int("docs", 0, "articles in the corpus, for progress lines (ingest)")
	c.String("cpuprofile", "", "CPU profile file")
	c.String("memprofile", "", "allocation profile file")
	rootCmd.AddCommand(benchCmd, benchChildCmd)
}

func runBench(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	o := bench.Options{Log: os.Stderr}
	o.Docs, _ = f.GetInt("docs")
	o.Source, _ = f.GetString("source")
	o.Work, _ = f.GetString("work")
	o.Keep, _ = f.GetBool("keep")
	o.NER, _ = f.GetString("ner")
	o.Out, _ = f.GetString("out")
	o.CPUProfile, _ = f.GetString("cpuprofile")
	o.MemProfile, _ = f.GetString("memprofile")
	o.Queries, _ = f.GetInt("queries")
	o.CellTime, _ = f.GetDuration("cell-time")
	o.Clients, _ = f.GetIntSlice("clients")
	o.Seed, _ = f.GetUint64("seed")
	if o.Docs < 1 || o.Queries < 1 || o.CellTime <= 0 || len(o.Clients) == 0 {
		return fmt.Errorf("--docs, --queries, --cell-time and --clients must be positive")
	}
	// Children read the same configuration, so they ingest and serve with
	// the settings folio ingest and folio serve would use. (Checked here
	// without this command's flags: its --ner is not ner.enabled.)
	file, _ := f.GetString("config")
	if _, err := config.Load(file, nil); err != nil {
		return err
	}
	if file != "" {
		o.ChildArgs = append(o.ChildArgs, "--config", file)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Exe = exe
	o.Command = "folio " + strings.Join(os.Args[1:], " ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	rep.Print(cmd.OutOrStdout())
	return nil
}

func runBenchChild(cmd *cobra.Command, args []string) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	f := cmd.Flags()
	engine, _ := f.GetString("engine")
	dir, _ := f.GetString("dir")
	cpu, _ := f.GetString("cpuprofile")
	mem, _ := f.GetString("memprofile")
	stopProfiles, err := bench.Profiles(cpu, mem)
	if err != nil {
		return err
	}
	switch args[0] {
	case "ingest":
		path, _ := f.GetString("corpus")
		ner, _ := f.GetBool("ner")
		docs, _ := f.GetInt("docs")
		cfg.NER.Enabled = ner
		opts, err := ingestOptions(cfg)
		if err != nil {
			return err
		}
		res, err := bench.Ingest(context.Background(), engine, path, dir, docs, ingest.Options{
			Size: opts.BatchSize, Bytes: opts.BatchBytes, Workers: opts.Workers, Writers: opts.Writers, Enrich: opts.Enrich,
			HeapBytes: opts.HeapBytes,
		}, ner)
		stopProfiles()
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(res)
	case "serve":
		defer stopProfiles()
		return bench.Serve(engine, dir, cfg, os.Stdin, os.Stdout)
	}
	return fmt.Errorf("bench-child: unknown mode %q", args[0])
}
