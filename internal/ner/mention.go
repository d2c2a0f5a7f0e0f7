package ner

import (
	"slices"
)

// caseOf is the model's case bucket of word w, folded and lower-cased.
func (r *Recognizer) caseOf(w string) (uint8, bool) { return foldGet(r.m.lex.caseOf, w) }

// mention is one recognised span before canonicalisation.
type mention struct {
	seg      int // 0 title, 1 body
	sent     *taggedSentence
	from, to int // token range in the sentence
	typ      string
	name     string // cleaned surface form
	canon    string // canonical name
	facility bool
	acronym  bool
}

func (m *mention) toks() []Token { return m.sent.toks[m.from:m.to] }

func (m *mention) span() Mention {
	t := m.toks()
	return Mention{t[0].Start, t[len(t)-1].End}
}

func (m *mention) text(texts []string) string {
	s := m.span()
	return cleanSpaces(texts[m.seg][s.Start:s.End])
}

// withoutDropped is ms without the mentions marked in drop, in order.
func withoutDropped(ms []*mention, drop map[*mention]bool) []*mention {
	return slices.DeleteFunc(ms, func(m *mention) bool { return drop[m] })
}

// before orders mentions by position in the article.
func before(a, b *mention) bool {
	if a.seg != b.seg {
		return a.seg < b.seg
	}
	return a.span().Start < b.span().Start
}

// knownAs reports whether the gazetteer of training names lists the
// mention's words as type t (0 PER, 1 ORG, 2 LOC, 3 MISC).
func (r *Recognizer) knownAs(m *mention, t int) bool {
	h := phraseKey(m.toks())
	return r.m.gaz[h]&(1<<t) != 0
}

// onlyKnownAs reports whether the gazetteer lists the mention's words as
// type t and nothing else.
func (r *Recognizer) onlyKnownAs(m *mention, t int) bool {
	h := phraseKey(m.toks())
	return r.m.gaz[h] == 1<<t
}

// knownBits returns the types the training names and the name lists know
// the mention's words as (bit t for type t).
func (r *Recognizer) knownBits(m *mention) uint8 {
	h := phraseKey(m.toks())
	return r.m.gaz[h] | externalLists()[h]
}

// placeKeys is the set of the name keys of the places among ms.
func placeKeys(ms []*mention) map[string]bool {
	places := map[string]bool{}
	for _, m := range ms {
		if m.typ == "LOC" {
			places[nameKey(m.name)] = true
		}
	}
	return places
}
