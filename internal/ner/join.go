package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Joining: rules that extend a mention over the words of its name the
// tagger left out (a facility word, a partner, a national branch, a
// nationality, the rest of a name found elsewhere in the article).

// fixFacilities turns "Heydar Aliyev International Airport" into one place
// or organisation: a span followed by capitalised words ending in a
// facility word is extended over them (swallowing any spans there), and a
// person span that ends in such a word is retyped.
func fixFacilities(ms []*mention, sents []*taggedSentence) []*mention {
	drop := map[*mention]bool{}
	for i, m := range ms {
		if drop[m] {
			continue
		}
		toks := m.sent.toks
		end := -1
		for j := m.to; j < len(toks) && j < m.to+4; j++ {
			if !isCapitalised(toks[j].Text) {
				break
			}
			if facilityType(toks[j].Text) != "" {
				end = j + 1
			}
		}
		if end > 0 {
			m.to = end
			for _, o := range ms[i+1:] {
				if o.sent == m.sent && o.from < end {
					drop[o] = true
				}
			}
		}
		last := toks[m.to-1].Text
		if t := facilityType(last); t != "" && (end > 0 || m.typ == "PER" || m.typ == "LOC" && lowerIn(institutions, last, true)) {
			m.typ = t
			m.facility = true
		}
	}
	return withoutDropped(ms, drop)
}

// extendOrgsLeft takes into an organisation's name the capitalised words
// the tagger left in front of it ("Azerbaijan's Foreign Intelligence
// Service"): up to two, not first in the sentence, no title, and in no
// other mention.
func extendOrgsLeft(ms []*mention, texts []string) {
	type pos struct {
		sent *taggedSentence
		i    int
	}
	taken := map[pos]bool{}
	for _, m := range ms {
		for i := m.from; i < m.to; i++ {
			taken[pos{m.sent, i}] = true
		}
	}
	for _, m := range ms {
		toks := m.toks()
		if m.typ != "ORG" || m.acronym || m.facility || headType(toks[len(toks)-1].Text) != "ORG" {
			continue
		}
		for n := 0; n < 2 && m.from > 1; n++ {
			w := m.sent.toks[m.from-1].Text
			if taken[pos{m.sent, m.from - 1}] || !isCapitalised(w) || isAllCaps(w) || strings.Contains(w, "-") ||
				lowerIn(personTitles, w, true) || lowerIn(commonCaps, w, true) {
				break
			}
			m.from--
			m.name = m.text(texts)
		}
	}
}

// genericHeads are common nouns that a nationality in front of them does
// not make a name: "the French agency", "the Turkish side".
var genericHeads = toSet(`agency agencies company companies firm firms group groups side team delegation`)

// nationalityAndNoun reports whether a mention is a nationality and a
// generic noun ("French Agency"): it describes a body named elsewhere.
func (r *Recognizer) nationalityAndNoun(m *mention) bool {
	if m.to-m.from != 2 || !lowerIn(genericHeads, m.sent.toks[m.from+1].Text, false) {
		return false
	}
	first := &mention{seg: m.seg, sent: m.sent, from: m.from, to: m.from + 1}
	return r.knownBits(first) == 1<<3
}

// joinAcrossAnd joins a body's name of the form "Institute for X" to the
// capitalised words after its "and" up to a comma or full stop ("Institute
// for Intelligence and Special Operations"), unless they hold a person or
// a name the name lists know: then they are a second name.
func (r *Recognizer) joinAcrossAnd(ms []*mention, texts []string) []*mention {
	drop := map[*mention]bool{}
	for _, m := range ms {
		toks := m.sent.toks
		if drop[m] || m.typ != "ORG" || m.to-m.from < 3 || m.to+2 >= len(toks) || toks[m.to].Text != "and" ||
			ofHeadType(m.toks()) != "ORG" {
			continue
		}
		e := m.to + 1
		for e < len(toks) && isCapitalised(toks[e].Text) {
			e++
		}
		run := &mention{seg: m.seg, sent: m.sent, from: m.to + 1, to: e}
		if e == m.to+1 || !closedAfter(toks, e) || r.knownBits(run) != 0 || headType(toks[e-1].Text) != "" {
			continue // "Bank of America and First Los Angeles Bank" are two
		}
		ok := true
		var inside []*mention
		for _, o := range ms {
			if o != m && o.sent == m.sent && o.from < e && o.to > m.to {
				ok = ok && o.typ != "PER" && o.typ != m.typ && o.from > m.to && o.to <= e && r.knownBits(o) == 0
				inside = append(inside, o)
			}
		}
		if !ok {
			continue
		}
		for _, o := range inside {
			drop[o] = true
		}
		m.to = e
		m.name = m.text(texts)
	}
	return withoutDropped(ms, drop)
}

// takeNationality takes a nationality in front of an organisation whose
// words are all common ones into its name: "French" + "Intelligence
// Agency" is the French agency's name, "Intelligence Agency" none.
func (r *Recognizer) takeNationality(ms []*mention, texts []string) []*mention {
	drop := map[*mention]bool{}
	for i, m := range ms {
		if i == 0 || m.typ != "ORG" || m.to-m.from < 2 || m.acronym {
			continue
		}
		p := ms[i-1]
		if p.sent != m.sent || p.to != m.from || p.to-p.from != 1 || p.typ != "MISC" || r.knownBits(p) != 1<<3 {
			continue
		}
		common := true
		for _, t := range m.toks() {
			b, ok := r.caseOf(t.Text)
			common = common && ok && b <= 2
		}
		if !common {
			continue
		}
		m.from = p.from
		m.name = m.text(texts)
		drop[p] = true
	}
	return withoutDropped(ms, drop)
}

// completeNames extends a mention over the words that follow it when they
// complete a longer name found elsewhere in the article ("Armenian
// Prisoners" before "of War"): the longer mention's type goes with it, and
// mentions inside the added words are dropped.
func completeNames(ms []*mention, texts []string) []*mention {
	drop := map[*mention]bool{}
	for _, m := range ms {
		if drop[m] {
			continue
		}
		toks := m.sent.toks
		n := m.to - m.from
		var best *mention
		for _, o := range ms {
			on := o.to - o.from
			if o == m || drop[o] || on <= n || m.from+on > len(toks) || best != nil && on <= best.to-best.from {
				continue
			}
			ot := o.toks()
			same := true
			for k := 0; k < on && same; k++ {
				same = textnorm.Fold(ot[k].Text) == textnorm.Fold(toks[m.from+k].Text)
			}
			if same {
				best = o
			}
		}
		if best == nil {
			continue
		}
		m.to = m.from + best.to - best.from
		m.typ = best.typ
		m.name = m.text(texts)
		for _, o := range ms {
			if o != m && o.sent == m.sent && o.from < m.to && o.to > m.from {
				drop[o] = true
			}
		}
	}
	return withoutDropped(ms, drop)
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

// possessiveInName reports whether the possessive at token k of an
// organisation's mention belongs to its name, as in firms named after
// their founders: "Moody's", "McDonald's Corp", "Lloyd's of London". It
// does when the lists know the name through the possessive as an
// organisation, or when one word that no list knows as a place comes
// before it and a company's ending or "of" comes after it. "Britain's
// Labour Party" and "Eastern Europe Group's Bureau" are cut as before.
func (r *Recognizer) possessiveInName(m *mention, k int) bool {
	if m.typ != "ORG" {
		return false
	}
	toks := m.sent.toks
	if featureLists()[phraseKey(toks[m.from:k+1])]&(1<<1) != 0 {
		return true
	}
	if k != m.from+1 || k+1 >= m.to {
		return false
	}
	owner := phraseKey(toks[m.from : m.from+1])
	if (r.m.gaz[owner]|featureLists()[owner])&(1<<2) != 0 {
		return false
	}
	return toks[k+1].Text == "of" || isCompanyEnd(toks[m.to-1].Text)
}

// joinPartnersLeft takes into a body's name the partner the tagger left
// out before "and" or "&": "Standard and Poor's Corp", where the tagger
// found "Poor's Corp", and "Savings and Loan Association", where it found
// "Loan Association". The name must be a founder's possessive or end in
// what names a body; the word must be capitalised, in no other mention
// and not a word that merely opens a sentence ("IBM and Moody's" are two
// names), nor a legal form, a word the lists know as a place or person,
// or the last word of a longer run of capitals (which ends a name of its
// own). A possessive the cleaning left after the name comes back:
// "Standard and Poor's said".
func (r *Recognizer) joinPartnersLeft(ms []*mention, texts []string) {
	for i, m := range ms {
		toks := m.sent.toks
		a := m.from - 2
		if m.typ != "ORG" || a < 0 || (toks[a+1].Text != "and" && toks[a+1].Text != "&") ||
			!isCapitalised(toks[a].Text) || isAllCaps(toks[a].Text) || lowerIn(leadingWords, toks[a].Text, true) ||
			textnorm.IsLegalForm(toks[a].Text) || hasDigit(toks[a].Text) || a > 0 && isCapitalised(toks[a-1].Text) ||
			r.knownBits(&mention{sent: m.sent, from: a, to: a + 1})&(1<<0|1<<2) != 0 {
			continue // not "Co and Sherwood Capital", "Tokyo and Westpac Banking", "Capital Markets and Salomon Brothers"
		}
		founder := m.from+1 < len(toks) && isPossessive(toks[m.from+1].Text)
		if !founder && (m.to-m.from < 2 || headType(toks[m.to-1].Text) != "ORG") {
			continue
		}
		if i > 0 && ms[i-1].sent == m.sent && ms[i-1].to > a {
			continue
		}
		m.from = a
		if founder && m.to == m.from+3 {
			m.to++ // the possessive: "Standard and Poor's"
		}
		m.name = m.text(texts)
	}
}

// firmPartners are the words after "and" or "&" that end a partnership's
// name: "James Capel and Co", "Alex. Brown and Sons".
var firmPartners = toSet(`co company sons partners associates brothers bros`)

// extendPartnerships takes "and Co", "& Sons" and the like, with a
// company ending after them, into a person's name before them and makes
// it an organisation: a firm named after people is not those people.
// An organisation's name is left as the tagger found it ("Goldman
// Sachs"), so that its mentions keep one name, and so are words the
// tagger put in another mention. The surname alone elsewhere in the
// article then names the firm too.
func extendPartnerships(ms []*mention, texts []string) {
	var firms map[string]*mention // the last word of each person's name that became a firm's
	for i, m := range ms {
		toks := m.sent.toks
		j := m.to
		if m.typ != "PER" || j+1 >= len(toks) || (toks[j].Text != "and" && toks[j].Text != "&") || !isCapitalised(toks[j+1].Text) ||
			!lowerIn(firmPartners, toks[j+1].Text, true) {
			continue
		}
		end := j + 2
		if end < len(toks) && isCompanyEnd(toks[end].Text) {
			end++
		}
		if i+1 < len(ms) && ms[i+1].sent == m.sent && ms[i+1].from < end {
			continue
		}
		if firms == nil {
			firms = map[string]*mention{}
		}
		firms[strings.ToLower(toks[m.to-1].Text)] = m
		m.to, m.typ = end, "ORG"
		m.name = m.text(texts)
	}
	// The surname alone then names the firm: "Lanston said" after "Aubrey
	// G. Lanston and Co".
	for _, m := range ms {
		if f, ok := firms[strings.ToLower(m.sent.toks[m.from].Text)]; ok && m.typ == "PER" && m.to-m.from == 1 {
			m.name, m.typ = f.name, "ORG"
		}
	}
}
