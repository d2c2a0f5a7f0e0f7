package ner

import (
	"bytes"
	"testing"
	"time"
)

func TestModelLoadsQuickly(t *testing.T) {
	start := time.Now()
	if _, err := ReadModel(bytes.NewReader(embeddedModel)); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("model %d bytes decoded in %s", len(embeddedModel), d)
	if d > 5*time.Second { // generous: shared CI machines are slow; typically ~0.2 s
		t.Fatalf("loading took %s", d)
	}
}
