package train

import (
	"fmt"
	"io"
	"time"

	"github.com/folio-search/folio/internal/ner"
)

// PipelineConfig names the data that `folio ner-train` learns from.
type PipelineConfig struct {
	Train, Valid string   // CoNLL files
	Unlabelled   []string // JSON Lines files with title and body
	Epochs       int
	Stages       int            // 2: a second pass over the first's predictions
	Shuffles     int            // runs averaged per pass
	LightSecond  bool           // second pass without sentence and document features (quicker)
	Clusters     ClusterOptions // Seed 0: Seed
	XClasses     int            // exchange classes learned from the unlabelled text (0: none)
	AutoTypes    bool           // tag the unlabelled text and give words what they were tagged there
	Seed         int64
	Log          io.Writer
}

// TrainPipeline learns word clusters and capitalisation statistics from
// the unlabelled text (plus the training text), then trains the tagger,
// keeping the epoch that scores best on the validation file.
func TrainPipeline(c PipelineConfig) (*ner.Model, error) {
	logf := func(format string, a ...any) {
		if c.Log != nil {
			fmt.Fprintf(c.Log, format, a...)
		}
	}
	start := time.Now()
	train, err := ReadCoNLLFile(c.Train)
	if err != nil {
		return nil, err
	}
	var valid []Document
	if c.Valid != "" {
		if valid, err = ReadCoNLLFile(c.Valid); err != nil {
			return nil, err
		}
	}
	texts, err := ReadUnlabelled(c.Unlabelled)
	if err != nil {
		return nil, err
	}
	logf("read %d unlabelled texts (%s)\n", len(texts), time.Since(start).Round(time.Millisecond))
	caseOf := ner.LearnCasePrior(texts, 3)
	for _, d := range train {
		for _, s := range d.Sentences {
			texts = append(texts, s.Words)
		}
	}
	co := c.Clusters
	if co.Seed == 0 {
		co.Seed = c.Seed
	}
	co.Log = c.Log
	clusters := LearnClusters(texts, co)
	logf("learned %d word clusters (%s)\n", len(clusters), time.Since(start).Round(time.Millisecond))
	if c.XClasses > 65535 {
		return nil, fmt.Errorf("ner: %d exchange classes: at most 65,535", c.XClasses)
	}
	var xclass map[string]uint16
	if c.XClasses > 0 {
		xclass = LearnExchangeClasses(texts, ExchangeOptions{Classes: c.XClasses, Log: c.Log})
		logf("learned exchange classes of %d words (%s)\n", len(xclass), time.Since(start).Round(time.Millisecond))
	}
	var autoDocs [][][]string
	if c.AutoTypes {
		if autoDocs, err = readUnlabelledDocs(c.Unlabelled); err != nil {
			return nil, err
		}
	}
	m, err := Train(train, TrainOptions{Epochs: c.Epochs, Stages: c.Stages, Shuffles: c.Shuffles, LightSecond: c.LightSecond, Seed: c.Seed, Clusters: clusters, CaseOf: caseOf, XClass: xclass, AutoDocs: autoDocs, Valid: valid, Log: c.Log})
	if err != nil {
		return nil, err
	}
	logf("trained (%s)\n", time.Since(start).Round(time.Millisecond))
	return m, nil
}
