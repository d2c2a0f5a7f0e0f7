package ner

import (
	"slices"
	"testing"
)

func TestTokenizeOffsets(t *testing.T) {
	text := "Pres.\u00a0Ilham Aliyev’s “visit” to the U.S.\u00a0and Int’l talks—Mr. Smith’s, 1,000.5 don't."
	toks := Tokenize(text)
	var got []string
	for _, tk := range toks {
		if text[tk.Start:tk.End] != tk.Text {
			t.Fatalf("token %q has offsets %d:%d = %q", tk.Text, tk.Start, tk.End, text[tk.Start:tk.End])
		}
		got = append(got, tk.Text)
	}
	want := []string{"Pres.", "Ilham", "Aliyev", "’s", "“", "visit", "”", "to", "the", "U.S.", "and", "Int’l", "talks", "—", "Mr.", "Smith", "’s", ",", "1,000.5", "do", "n't", "."}
	if !slices.Equal(got, want) {
		t.Fatalf("Tokenize:\n got %q\nwant %q", got, want)
	}
}

func TestSplitSentences(t *testing.T) {
	text := "Mr. Smith met Pres. Aliyev in the U.S. on Monday. He left.\n\n“Yes,” he said! then left?\nNo."
	toks := Tokenize(text)
	var sents []string
	for _, r := range SplitSentences(text, toks) {
		sents = append(sents, text[toks[r[0]].Start:toks[r[1]-1].End])
	}
	want := []string{"Mr. Smith met Pres. Aliyev in the U.S. on Monday.", "He left.", "“Yes,” he said! then left?", "No."}
	if !slices.Equal(sents, want) {
		t.Fatalf("sentences:\n got %q\nwant %q", sents, want)
	}
}
