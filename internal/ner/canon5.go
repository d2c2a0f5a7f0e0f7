package ner

import "strings"

// linkBracketNames joins a name given in brackets right after an
// organisation's or event's name to that name, as an acronym is joined to
// the long form it spells: "the Egyptian General Intelligence Directorate
// (Mukhabarat el-amma)", "Korea Electric Power Corp (Kepco)", "Union de
// Banques Arabes et Francaises (UBAF)", "Gould Inc (GLD)". News gives a
// body's other name, foreign acronym or ticker this way. Every mention of
// the bracketed name takes the long name and its type. A person is no
// other name of a body, and a name the lists know as a place keeps its
// own ("Shell (Singapore)").
func (r *Recognizer) linkBracketNames(ms []*mention) {
	long := map[string]*mention{}
	for i := 1; i < len(ms); i++ {
		prev, m := ms[i-1], ms[i]
		toks := m.sent.toks
		if prev.sent != m.sent || prev.to+1 != m.from || toks[prev.to].Text != "(" ||
			(prev.typ != "ORG" && prev.typ != "MISC") || m.typ == "PER" || m.acronym ||
			nameKey(m.name) == nameKey(prev.name) || r.knownBits(m)&(1<<2) != 0 {
			continue
		}
		// The bracket holds the name and at most a few words more.
		for j := m.to; j < len(toks) && j <= m.to+3; j++ {
			if toks[j].Text == ")" {
				long[nameKey(m.name)] = prev
				break
			}
		}
	}
	for _, m := range ms {
		if lf, ok := long[nameKey(m.name)]; ok {
			m.name, m.typ = lf.name, lf.typ
		}
	}
}

// retypeSources types a name after "according to" that the tagger took
// for a place as an organisation: a source says things ("according to
// Wikipedia"). A name the lists or the training data know as a place
// keeps its type ("according to Russia").
func (r *Recognizer) retypeSources(ms []*mention) {
	for _, m := range ms {
		toks := m.sent.toks
		if m.typ == "LOC" && m.from >= 2 && strings.EqualFold(toks[m.from-2].Text, "according") &&
			toks[m.from-1].Text == "to" && r.knownBits(m)&(1<<2) == 0 {
			m.typ = "ORG"
		}
	}
}
