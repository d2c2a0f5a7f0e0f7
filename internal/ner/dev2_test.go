package ner

import (
	"os"
	"testing"
	"time"
)

func TestDevClusters(t *testing.T) {
	if os.Getenv("NER_CL") == "" {
		t.Skip()
	}
	st := time.Now()
	texts, err := ReadUnlabelled([]string{"../../../shared/corpora/reuters21578/reuters21578.jsonl", "../../../shared/corpora/bbc/bbc.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := ReadCoNLLFile("../../../shared/corpora/conll2003/train.txt")
	for _, d := range tr {
		for _, s := range d.Sentences {
			texts = append(texts, s.Words)
		}
	}
	t.Logf("read %v", time.Since(st))
	c := LearnClusters(texts, ClusterOptions{Seed: 1, Log: os.Stderr})
	t.Logf("clustered %v", time.Since(st))
	f, _ := os.Create("/tmp/nerdev/clusters.tsv")
	WriteClusters(f, c)
	f.Close()
}
