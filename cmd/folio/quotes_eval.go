package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ner"
	"github.com/folio-search/folio/internal/quote"
)

var quotesEvalCmd = &cobra.Command{
	Use:   "quotes-eval FILE",
	Short: "Score quote extraction and attribution on annotated articles",
	Long: `quotes-eval reads annotated quotes (JSON Lines: article, quote, speaker, cue),
extracts the entities and quotes of those articles from --articles as ingest
does, and prints quote detection precision and recall, speaker accuracy on
detected quotes that have a named speaker, and precision, recall and F1 of
(quote, speaker) pairs, overall and by attribution route.`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		asJSON, _ := cmd.Flags().GetBool("json")
		errs, _ := cmd.Flags().GetBool("errors")
		path, _ := cmd.Flags().GetString("articles")
		gold, err := quote.ReadGold(args[0])
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		articles, err := readArticlesByID(path)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		cfg, err := loadConfig(cmd)
		if err != nil {
			return err
		}
		rec, err := ner.Load(cfg.NER.Aliases)
		if err != nil {
			return err
		}
		rep, err := quote.Evaluate(articles, nil, gold, func(a *corpus.Article) []corpus.Quote {
			rec.Enrich(a)
			return quote.Extract(a)
		})
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		out := cmd.OutOrStdout()
		if !errs {
			rep.Errors = nil
		}
		if asJSON {
			b, err := json.Marshal(rep)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, string(b))
			return nil
		}
		rep.WriteTable(out)
		for _, e := range rep.Errors {
			fmt.Fprintln(out, e)
		}
		return nil
	},
}

// readArticlesByID reads a JSON Lines corpus into a map by article id.
func readArticlesByID(path string) (map[string]*corpus.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*corpus.Article{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var a corpus.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out[a.ID] = &a
	}
	return out, sc.Err()
}

func init() {
	f := quotesEvalCmd.Flags()
	f.Bool("json", false, "print the figures as JSON")
	f.Bool("errors", false, "list every missed, spurious and misattributed quote")
	f.String("articles", "../shared/corpora/bbc/bbc.jsonl", "the annotated articles (JSON Lines with id, title, body)")
	rootCmd.AddCommand(quotesEvalCmd)
}
