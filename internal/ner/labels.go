package ner

import "strings"

// The tagger predicts BIOES classes: O, then B, I, E, S for each type.
// BIOES marks the ends of entities explicitly, which helps a greedy tagger
// more than IOB does.
const nClass = 1 + 4*4

var classNames = func() []string {
	n := []string{"O"}
	for _, t := range Types {
		for _, p := range []string{"B", "I", "E", "S"} {
			n = append(n, p+"-"+t)
		}
	}
	return n
}()

func classOf(prefix byte, typ int) int {
	switch prefix {
	case 'B':
		return 1 + typ*4
	case 'I':
		return 2 + typ*4
	case 'E':
		return 3 + typ*4
	case 'S':
		return 4 + typ*4
	}
	return 0
}

// classType returns the type index of class c, or -1 for O.
func classType(c int) int {
	if c == 0 {
		return -1
	}
	return (c - 1) / 4
}

// classPrefix returns 'O', 'B', 'I', 'E' or 'S'.
func classPrefix(c int) byte {
	if c == 0 {
		return 'O'
	}
	return "BIES"[(c-1)%4]
}

func typeIndex(t string) int {
	for i, x := range Types {
		if x == t {
			return i
		}
	}
	return -1
}

// allowed reports whether class c may follow class prev in BIOES.
func allowed(prev, c int) bool {
	pp := classPrefix(prev)
	cp := classPrefix(c)
	open := pp == 'B' || pp == 'I'
	if open {
		return (cp == 'I' || cp == 'E') && classType(c) == classType(prev)
	}
	return cp == 'O' || cp == 'B' || cp == 'S'
}

// toBIOES converts a tag sequence (any scheme) to BIOES class indexes.
func toBIOES(tags []string) []int {
	out := make([]int, len(tags))
	for _, s := range Spans(tags) {
		t := typeIndex(s.Type)
		if t < 0 {
			continue
		}
		if s.End-s.Start == 1 {
			out[s.Start] = classOf('S', t)
			continue
		}
		out[s.Start] = classOf('B', t)
		for i := s.Start + 1; i < s.End-1; i++ {
			out[i] = classOf('I', t)
		}
		out[s.End-1] = classOf('E', t)
	}
	return out
}

// spansOfClasses returns the entities of a BIOES class sequence.
func spansOfClasses(cs []int) []Span { return appendSpans(nil, cs) }

// appendSpans appends the entities of a BIOES class sequence to out.
func appendSpans(out []Span, cs []int) []Span {
	start := -1
	for i, c := range cs {
		p := classPrefix(c)
		switch p {
		case 'O':
			start = -1
		case 'S':
			out = append(out, Span{i, i + 1, Types[classType(c)]})
			start = -1
		case 'B':
			start = i
		case 'E':
			if start >= 0 && classType(cs[start]) == classType(c) {
				out = append(out, Span{start, i + 1, Types[classType(c)]})
			}
			start = -1
		}
	}
	return out
}

// classesToIOB2 renders classes as IOB2 tags for scoring and output.
func classesToIOB2(cs []int) []string {
	out := make([]string, len(cs))
	for i := range out {
		out[i] = "O"
	}
	for _, s := range spansOfClasses(cs) {
		out[s.Start] = "B-" + s.Type
		for i := s.Start + 1; i < s.End; i++ {
			out[i] = "I-" + s.Type
		}
	}
	return out
}

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
