package train

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/folio-search/folio/internal/ner"
)

// Counts are the entity counts behind precision and recall.
type Counts struct {
	Gold, Predicted, Correct int
}

// PRF is precision, recall and F1 in 0..1.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// PRF computes precision, recall and F1 from c.
func (c Counts) PRF() PRF {
	var r PRF
	if c.Predicted > 0 {
		r.Precision = float64(c.Correct) / float64(c.Predicted)
	}
	if c.Gold > 0 {
		r.Recall = float64(c.Correct) / float64(c.Gold)
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	return r
}

// Evaluation holds entity-level counts per type and overall (micro-averaged).
type Evaluation struct {
	Overall Counts
	ByType  map[string]Counts
}

// NewEvaluation returns an empty evaluation.
func NewEvaluation() *Evaluation {
	return &Evaluation{ByType: map[string]Counts{}}
}

// Add scores one sentence: an entity is correct only when its span and type
// both match a gold entity exactly.
func (e *Evaluation) Add(gold, pred []string) {
	g, p := ner.Spans(gold), ner.Spans(pred)
	gs := make(map[ner.Span]bool, len(g))
	for _, s := range g {
		gs[s] = true
		c := e.ByType[s.Type]
		c.Gold++
		e.ByType[s.Type] = c
		e.Overall.Gold++
	}
	for _, s := range p {
		c := e.ByType[s.Type]
		c.Predicted++
		if gs[s] {
			c.Correct++
			e.Overall.Correct++
		}
		e.ByType[s.Type] = c
		e.Overall.Predicted++
	}
}

// MarshalJSON writes {"overall": {...}, "PER": {...}, ...}.
func (e *Evaluation) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteString("{")
	put := func(name string, c Counts) {
		v, _ := json.Marshal(c.PRF())
		fmt.Fprintf(&b, "%q: %s", name, v)
	}
	put("overall", e.Overall)
	for _, t := range ner.Types {
		b.WriteString(", ")
		put(t, e.ByType[t])
	}
	b.WriteString("}")
	return []byte(b.String()), nil
}

// WriteTable prints a conlleval-style table: one row per type and overall.
func (e *Evaluation) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "F1", "gold", "found", "correct")
	row := func(name string, c Counts) {
		r := c.PRF()
		fmt.Fprintf(w, "%-8s %8.2f%% %8.2f%% %8.2f%% %7d %7d %7d\n", name, 100*r.Precision, 100*r.Recall, 100*r.F1, c.Gold, c.Predicted, c.Correct)
	}
	for _, t := range ner.Types {
		row(t, e.ByType[t])
	}
	row("overall", e.Overall)
}
