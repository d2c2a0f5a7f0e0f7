package ner

import (
	"slices"
	"testing"
)

func TestSpansIOB1(t *testing.T) {
	// IOB1: I- starts an entity after O or another type; B- only between
	// two adjacent entities of one type.
	tags := []string{"I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG", "B-ORG", "I-MISC"}
	want := []Span{{0, 2, "PER"}, {2, 3, "PER"}, {4, 5, "LOC"}, {5, 7, "ORG"}, {7, 8, "ORG"}, {8, 9, "MISC"}}
	if got := Spans(tags); !slices.Equal(got, want) {
		t.Fatalf("Spans(%v) = %v, want %v", tags, got, want)
	}
	// BIOES classes round-trip to the same entities.
	if got := spansOfClasses(toBIOES(tags)); !slices.Equal(got, want) {
		t.Fatalf("BIOES round trip = %v, want %v", got, want)
	}
}
