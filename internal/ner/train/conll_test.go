package train

import (
	"strings"
	"testing"
)

func TestReadCoNLL(t *testing.T) {
	in := "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP I-NP I-LOC\n"
	docs, err := ReadCoNLL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(docs[0].Sentences) != 2 || docs[1].Sentences[0].Tags[0] != "I-LOC" {
		t.Fatalf("docs = %+v", docs)
	}
}
