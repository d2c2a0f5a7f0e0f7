package ner

import (
	"os"
	"testing"
)

func TestDevTrain(t *testing.T) {
	if os.Getenv("NER_DEV") == "" {
		t.Skip()
	}
	tr, _ := ReadCoNLLFile("../../../shared/corpora/conll2003/train.txt")
	va, _ := ReadCoNLLFile("../../../shared/corpora/conll2003/valid.txt")
	te, _ := ReadCoNLLFile("../../../shared/corpora/conll2003/test.txt")
	var cl map[string]string
	if f, err := os.Open("/tmp/nerdev/clusters.tsv"); err == nil && os.Getenv("NOCL") == "" {
		cl, _ = ReadClusters(f)
	}
	texts, _ := ReadUnlabelled([]string{"../../../shared/corpora/reuters21578/reuters21578.jsonl", "../../../shared/corpora/bbc/bbc.jsonl"})
	var co map[string]uint8
	if os.Getenv("NOCASE") == "" {
		co = LearnCasePrior(texts, 3)
	}
	m, _ := Train(tr, TrainOptions{Epochs: 12, Seed: 1, Valid: va, Log: os.Stderr, Clusters: cl, CaseOf: co})
	m.SaveFile("/tmp/nerdev/model.gz")
	ev := m.Evaluate(te)
	ev.WriteTable(os.Stderr)
}
