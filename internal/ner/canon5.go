package ner

import (
	"slices"
	"strings"
)

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
	if len(long) == 0 {
		return // as in most articles: no name key to compute
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

// countryCodes are the codes a national branch of an organisation is
// named with, as written.
var countryCodes = map[string]bool{"UK": true, "U.K.": true, "US": true, "U.S.": true, "USA": true}

// joinNationalBranches takes a country's code written right after an
// organisation's name into the name: "Transparency International UK" and
// "Barclays US" are branches, named so. The tagger often leaves the code
// out, or takes it for a place of its own. Only when punctuation or the
// end of the sentence follows: "Spie Group Inc U.S. subsidiary" is the
// group's American subsidiary, and in "Acme UK Prime Minister" another
// name starts. Not after an acronym ("the EU UK talks").
func joinNationalBranches(ms []*mention, texts []string) []*mention {
	drop := map[*mention]bool{}
	for i, m := range ms {
		toks := m.sent.toks
		j := m.to
		if m.typ != "ORG" || drop[m] || m.acronym || isAllCaps(toks[j-1].Text) || j >= len(toks) || !countryCodes[toks[j].Text] ||
			j+1 < len(toks) && hasLetterOrDigit(toks[j+1].Text) {
			continue
		}
		if i+1 < len(ms) && ms[i+1].sent == m.sent && ms[i+1].from == j {
			if ms[i+1].to != j+1 {
				continue
			}
			drop[ms[i+1]] = true
		}
		m.to = j + 1
		m.name = m.text(texts)
	}
	return withoutDropped(ms, drop)
}

// foldRepublics names a country by its short name when the article uses
// both: "the Republic of Armenia" and "Armenia", "the Islamic Republic of
// Iran" and "Iran" are one place. An article that says only "Republic of
// Armenia" keeps it.
func foldRepublics(ms []*mention, texts []string) {
	if !slices.ContainsFunc(ms, func(m *mention) bool { return m.typ == "LOC" && republicOf(m.toks()) >= 0 }) {
		return // as in most articles: no places to collect
	}
	places := map[string]string{}
	for _, m := range ms {
		if m.typ == "LOC" {
			places[nameKey(m.name)] = m.name
		}
	}
	for _, m := range ms {
		if m.typ != "LOC" {
			continue
		}
		if k := republicOf(m.toks()); k >= 0 {
			// The name is spaced as cleaned, not as written: cut X from the text.
			x := mention{seg: m.seg, sent: m.sent, from: m.from + k + 2, to: m.to}
			if short, ok := places[nameKey(x.text(texts))]; ok {
				m.name = short
			}
		}
	}
}

// republicOf is where the first "Republic of" before a word stands in
// toks, or -1.
func republicOf(toks []Token) int {
	for k := 0; k+2 < len(toks); k++ {
		if toks[k].Text == "Republic" && toks[k+1].Text == "of" {
			return k
		}
	}
	return -1
}
