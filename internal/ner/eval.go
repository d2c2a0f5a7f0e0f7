package ner

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Types are the entity types of the CoNLL-2003 data, in report order.
var Types = []string{"PER", "ORG", "LOC", "MISC"}

// Span is one entity of a tagged sentence: tokens [Start, End) of type Type.
type Span struct {
	Start, End int
	Type       string
}

// splitTag returns the prefix ("B", "I", "E", "S" or "O") and type of a tag.
func splitTag(tag string) (string, string) {
	if tag == "O" || tag == "" {
		return "O", ""
	}
	if i := strings.IndexByte(tag, '-'); i > 0 {
		return tag[:i], tag[i+1:]
	}
	return "I", tag
}

// Spans turns a tag sequence into entities. It reads IOB1, IOB2 and BIOES
// alike, the way conlleval does: an entity starts on B- or S-, or on I-/E-
// when the previous token is outside or of another type, and ends after E-
// or S-, or before any token that starts a new entity.
func Spans(tags []string) []Span {
	var out []Span
	start, typ := -1, ""
	prevP := "O"
	for i, t := range tags {
		p, ty := splitTag(t)
		begins := false
		switch p {
		case "B", "S":
			begins = true
		case "I", "E":
			begins = typ != ty || start < 0 || prevP == "E" || prevP == "S"
		}
		if start >= 0 && (p == "O" || begins) {
			out = append(out, Span{start, i, typ})
			start, typ = -1, ""
		}
		if p != "O" && begins {
			start, typ = i, ty
		}
		prevP = p
	}
	if start >= 0 {
		out = append(out, Span{start, len(tags), typ})
	}
	return out
}

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
	g, p := Spans(gold), Spans(pred)
	gs := make(map[Span]bool, len(g))
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
	for _, t := range Types {
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
	for _, t := range Types {
		row(t, e.ByType[t])
	}
	row("overall", e.Overall)
}
