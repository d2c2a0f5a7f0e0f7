package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/internal/ner"
	"github.com/folio-search/folio/internal/ner/train"
)

var nerTrainCmd = &cobra.Command{
	Use:   "ner-train",
	Short: "Rebuild the named-entity model from CoNLL-2003 and unlabelled news",
	Long: `ner-train learns word clusters from the unlabelled news, trains the tagger on
--train, keeps the epoch that scores best on --valid, and writes the model to --out.
With --stages 2 a second tagger learns from the first one's predictions across each
document (for the training data, from first-pass models that did not see it); each
pass averages --shuffles runs. --exchange-classes adds flat word classes learned
from the unlabelled news; with --auto-types, one-pass taggers trained first tag the
unlabelled news and every capitalised word gets a summary of what it was tagged
there (the training documents get it from taggers that did not see them). The
result is deterministic: the same data gives the same file.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, args []string) error {
		f := cmd.Flags()
		trainFile, _ := f.GetString("train")
		valid, _ := f.GetString("valid")
		unl, _ := f.GetStringSlice("unlabelled")
		out, _ := f.GetString("out")
		epochs, _ := f.GetInt("epochs")
		seed, _ := f.GetInt64("seed")
		stages, _ := f.GetInt("stages")
		shuffles, _ := f.GetInt("shuffles")
		light, _ := f.GetBool("light-second")
		dim, _ := f.GetInt("cluster-dim")
		minCount, _ := f.GetInt("cluster-min-count")
		clusterSeed, _ := f.GetInt64("cluster-seed")
		xclasses, _ := f.GetInt("exchange-classes")
		autoTypes, _ := f.GetBool("auto-types")
		start := time.Now()
		m, err := train.TrainPipeline(train.PipelineConfig{
			Train: trainFile, Valid: valid, Unlabelled: unl, Epochs: epochs, Stages: stages, Shuffles: shuffles, LightSecond: light, Seed: seed, Log: cmd.ErrOrStderr(),
			Clusters: train.ClusterOptions{Dim: dim, MinCount: minCount, Seed: clusterSeed},
			XClasses: xclasses, AutoTypes: autoTypes,
		})
		if err != nil {
			return err
		}
		if err := m.SaveFile(out); err != nil {
			return err
		}
		st, err := os.Stat(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%.1f MB) in %s\n", out, float64(st.Size())/1e6, time.Since(start).Round(time.Second))
		return nil
	},
}

var nerEvalCmd = &cobra.Command{
	Use:   "ner-eval FILE",
	Short: "Score the named-entity model on CoNLL-format data, entity by entity",
	Args:  cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		asJSON, _ := cmd.Flags().GetBool("json")
		modelPath, _ := cmd.Flags().GetString("model")
		docs, err := train.ReadCoNLLFile(args[0])
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		if len(docs) == 0 {
			return &exitError{code: 2, err: errors.New(args[0] + ": no sentences")}
		}
		var m *ner.Model
		if modelPath != "" {
			m, err = ner.ReadModelFile(modelPath)
		} else {
			m, err = ner.EmbeddedModel()
		}
		if err != nil {
			return err
		}
		ev := train.Evaluate(m, docs)
		if asJSON {
			b, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(b))
			return nil
		}
		ev.WriteTable(cmd.OutOrStdout())
		return nil
	},
}

func init() {
	const corpora = "../shared/corpora/"
	f := nerTrainCmd.Flags()
	f.String("train", corpora+"conll2003/train.txt", "CoNLL training data")
	f.String("valid", corpora+"conll2003/valid.txt", "CoNLL validation data (chooses the epoch)")
	f.StringSlice("unlabelled", []string{corpora + "reuters21578/reuters21578.jsonl", corpora + "bbc/bbc.jsonl"}, "JSON Lines news for word clusters")
	f.String("out", "internal/ner/model/ner.model.gz", "where to write the model")
	f.Int("epochs", 12, "training epochs")
	f.Int64("seed", 2, "random seed (of the shuffles and folds)")
	f.Int("stages", 2, "tagging passes: 2 adds a pass that sees the first pass's predictions across the document")
	f.Int("shuffles", 3, "training runs with different shuffles averaged into each pass")
	f.Bool("light-second", true, "leave sentence and document features out of the second pass (quicker tagging)")
	f.Int("cluster-dim", 200, "dimensions of the word vectors that the clusters split")
	f.Int("cluster-min-count", 3, "words seen fewer times in the unlabelled text get no cluster")
	f.Int64("cluster-seed", 2, "random seed of the clusters (0: --seed)")
	f.Int("exchange-classes", 500, "flat word classes learned from the unlabelled text by the exchange algorithm (0: none)")
	f.Bool("auto-types", false, "tag the unlabelled text with taggers trained first and give each word what it was tagged there")
	nerEvalCmd.Flags().Bool("json", false, "print precision, recall and F1 as JSON")
	nerEvalCmd.Flags().String("model", "", "model file (default: the model built into folio)")
	rootCmd.AddCommand(nerTrainCmd, nerEvalCmd)
}
