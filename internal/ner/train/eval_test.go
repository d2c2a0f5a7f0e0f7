package train

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/ner"
)

func TestEvaluation(t *testing.T) {
	ev := NewEvaluation()
	gold := []string{"I-PER", "I-PER", "O", "I-LOC", "B-LOC", "O", "I-ORG"}
	// PER right; first LOC right; second LOC missed (merged into the first
	// would be wrong too); ORG typed as MISC.
	pred := []string{"B-PER", "I-PER", "O", "B-LOC", "O", "O", "B-MISC"}
	ev.Add(gold, pred)
	if ev.Overall != (Counts{Gold: 4, Predicted: 3, Correct: 2}) {
		t.Fatalf("overall = %+v", ev.Overall)
	}
	if c := ev.ByType["LOC"]; c != (Counts{2, 1, 1}) {
		t.Fatalf("LOC = %+v", c)
	}
	if c := ev.ByType["MISC"]; c != (Counts{0, 1, 0}) {
		t.Fatalf("MISC = %+v", c)
	}
	p := ev.Overall.PRF()
	if abs(p.Precision-2.0/3) > 1e-9 || abs(p.Recall-0.5) > 1e-9 || abs(p.F1-4.0/7) > 1e-9 {
		t.Fatalf("PRF = %+v", p)
	}
	// A merged span is wrong: I-LOC I-LOC over two gold entities.
	ev2 := NewEvaluation()
	ev2.Add([]string{"I-LOC", "B-LOC"}, []string{"I-LOC", "I-LOC"})
	if ev2.Overall.Correct != 0 || ev2.Overall.Predicted != 1 {
		t.Fatalf("merged = %+v", ev2.Overall)
	}
	var js map[string]map[string]float64
	b, _ := json.Marshal(ev)
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"overall", "PER", "ORG", "LOC", "MISC"} {
		if _, ok := js[k]["f1"]; !ok {
			t.Fatalf("JSON lacks %s.f1: %s", k, b)
		}
	}
	if !strings.HasPrefix(string(b), `{"overall":`) {
		t.Fatalf("JSON = %s", b)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestModelF1OnTest(t *testing.T) {
	const path = "../../../../shared/corpora/conll2003/test.txt"
	if _, err := os.Stat(path); err != nil {
		t.Skip("CoNLL test data absent")
	}
	docs, err := ReadCoNLLFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ner.EmbeddedModel()
	if err != nil {
		t.Fatal(err)
	}
	ev := Evaluate(m, docs)
	f := ev.Overall.PRF().F1
	t.Logf("test F1 %.4f", f)
	// The target is 0.88; the committed model does not reach it yet
	// (see the README). This guards against regressions below what it does.
	if f < minTestF1 {
		t.Fatalf("test F1 %.4f < %.2f", f, minTestF1)
	}
}

const minTestF1 = 0.855
