package ner

import (
	"strings"
	"testing"
)

// mentionsIn tags nothing: it makes mentions of the given token ranges of
// text, as the tagger would have found them, for testing the rules alone.
func mentionsIn(text string, spans ...Span) []*mention {
	toks := Tokenize(text)
	ts := &taggedSentence{seg: 1, toks: toks, ctx: &sentCtx{}}
	var ms []*mention
	for _, sp := range spans {
		m := &mention{seg: 1, sent: ts, from: sp.Start, to: sp.End, typ: sp.Type}
		m.name = m.text([]string{"", text})
		ms = append(ms, m)
	}
	return ms
}

func tokTexts(ts []Token) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return out
}

func typesOf(ms []*mention) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.name+"/"+m.typ)
	}
	return strings.Join(out, " ")
}

// spanOf is the span of the first run of toks that reads words.
func spanOf(t *testing.T, toks []Token, words, typ string) Span {
	t.Helper()
	ws := strings.Fields(words)
	for i := range toks {
		if i+len(ws) <= len(toks) && strings.Join(tokTexts(toks[i:i+len(ws)]), " ") == words {
			return Span{i, i + len(ws), typ}
		}
	}
	t.Fatalf("no %q in %q", words, tokTexts(toks))
	return Span{}
}

// spansOf finds each "words/TYPE" of specs in text (first occurrence).
func spansOf(t *testing.T, text string, specs ...[2]string) []*mention {
	t.Helper()
	toks := Tokenize(text)
	var sps []Span
	for _, s := range specs {
		sps = append(sps, spanOf(t, toks, s[0], s[1]))
	}
	return mentionsIn(text, sps...)
}
