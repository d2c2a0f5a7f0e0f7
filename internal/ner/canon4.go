package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Rules for names that only look like organisations: the capitalised
// words of a quoted title, natural places, a nationality before a common
// noun, a place whose people are named after it; and for names the tagger
// cut short of the whole name it found elsewhere in the article.

// workIntros introduce the quoted title of a work: "an article titled,
// “…”", "the documentary “…”".
var workIntros = toSet(`titled entitled headlined called documentary film movie book article report
story series song album novel play`)

// closeQuoteOf pairs each opening quote with its closing one.
var closeQuoteOf = map[string]string{"“": "”", "‘": "’", "\"": "\"", "«": "»", "'": "'"}

// quotedTitles returns the token ranges [from, to) of the quoted titles of
// works in a sentence.
func quotedTitles(toks []Token) [][2]int {
	var out [][2]int
	for i := 1; i < len(toks); i++ {
		cq, ok := closeQuoteOf[toks[i].Text]
		if !ok {
			continue
		}
		j := i - 1
		if toks[j].Text == "," || toks[j].Text == ":" {
			j--
		}
		if j < 0 || !lowerIn(workIntros, toks[j].Text, false) || isCapitalised(toks[j].Text) {
			continue
		}
		k := i + 1
		for k < len(toks) && toks[k].Text != cq {
			k++
		}
		if k < len(toks) && k > i+1 {
			out = append(out, [2]int{i + 1, k})
			i = k
		}
	}
	return out
}

// dropQuotedTitles leaves out the names inside the quoted title of a work
// ("an article titled, “Luxury London Properties … Behind an Offshore
// Trust”"; "the documentary “Qazaq: History of the Golden Man”"): a
// title's words are capitalised as a title's are. A name in a title stays
// when the article names it outside titles too, or the name lists know it
// as its type.
func (r *Recognizer) dropQuotedTitles(ms []*mention) []*mention {
	inTitle := map[*mention]bool{}
	titles := map[*taggedSentence][][2]int{}
	for _, m := range ms {
		ts, ok := titles[m.sent]
		if !ok {
			ts = quotedTitles(m.sent.toks)
			titles[m.sent] = ts
		}
		for _, t := range ts {
			if m.from >= t[0] && m.to <= t[1] {
				inTitle[m] = true
			}
		}
	}
	if len(inTitle) == 0 {
		return ms
	}
	outside := map[string]bool{}
	for _, m := range ms {
		if !inTitle[m] {
			outside[nameKey(m.name)] = true
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if inTitle[m] && !outside[nameKey(m.name)] && r.knownBits(m)&(1<<typeIndex(m.typ)) == 0 {
			continue
		}
		out = append(out, m)
	}
	return out
}

// naturalPlaces end the names of natural places, which are no
// organisations ("Hampstead Heath").
var naturalPlaces = toSet(`heath moor moors lake river mountains valley desert sea ocean gulf
peninsula island islands strait coast`)

// retypeNaturalPlaces types an organisation or miscellaneous name ending
// in a natural place's head noun as a place. People keep theirs ("Edward
// Heath").
func (r *Recognizer) retypeNaturalPlaces(ms []*mention) {
	for _, m := range ms {
		toks := m.toks()
		if (m.typ == "ORG" || m.typ == "MISC") && len(toks) > 1 && !m.acronym &&
			lowerIn(naturalPlaces, toks[len(toks)-1].Text, true) && r.knownBits(m)&(1<<typeIndex(m.typ)) == 0 {
			m.typ = "LOC"
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

// dropCommonByArticle leaves out a one-word name where capitals say
// nothing (first in a sentence, or in a headline) when the article writes
// the word, or its plural or singular, in lower case elsewhere and never
// capitalises it mid-sentence: "Penthouse apartments ..." beside "flats
// and penthouses". Not a name the name lists know, or one that news
// mostly capitalises (some articles are set in lower case).
func (r *Recognizer) dropCommonByArticle(ms []*mention, sents []*taggedSentence) []*mention {
	// The candidates first: most articles have none, and then the words
	// of the article need not be looked at.
	type candidate struct {
		m   *mention
		key string
	}
	var cands []candidate
	want := map[string]bool{}
	for _, m := range ms {
		if m.to-m.from != 1 || m.acronym || isAllCaps(m.sent.toks[m.from].Text) {
			continue
		}
		title := isTitleCase(m.sent.toks) || m.sent.ctx != nil && m.sent.ctx.capsSent
		if m.from != 0 && !title {
			continue
		}
		k := strings.ToLower(textnorm.Fold(m.sent.toks[m.from].Text))
		if b, ok := r.m.lex.caseOf[k]; (!ok || b <= 2) && r.knownBits(m) == 0 {
			cands = append(cands, candidate{m, k})
			want[k], want[k+"s"], want[strings.TrimSuffix(k, "s")] = true, true, true
		}
	}
	if len(cands) == 0 {
		return ms
	}
	lower := map[string]bool{}
	capMid := map[string]bool{}
	for _, ts := range sents {
		title := isTitleCase(ts.toks) || ts.ctx != nil && ts.ctx.capsSent
		for i, t := range ts.toks {
			w := textnorm.Fold(t.Text)
			if !hasLetterOrDigit(w) || !lowerIn(want, w, false) {
				continue
			}
			k := strings.ToLower(w)
			switch {
			case !isCapitalised(w):
				lower[k] = true
			case i > 0 && !title:
				capMid[k] = true
			}
		}
	}
	drop := map[*mention]bool{}
	for _, c := range cands {
		k := c.key
		if !capMid[k] && (lower[k] || lower[k+"s"] || lower[strings.TrimSuffix(k, "s")]) {
			drop[c.m] = true
		}
	}
	return withoutDropped(ms, drop)
}

// placePeople reports whether a word names the people of a place the
// article or the name lists know: "Armenians", "Albanians"; not
// "Democrats".
func (r *Recognizer) placePeople(w string, places map[string]bool) bool {
	key := strings.ToLower(textnorm.Fold(w))
	if !isCapitalised(w) || isAllCaps(w) {
		return false
	}
	ext := externalLists()
	for _, suf := range demonymSuffixes {
		stem, ok := strings.CutSuffix(key, suf)
		if !ok || len(stem) < 3 {
			continue
		}
		for _, s := range []string{stem, stem + "a", stem + "ia", stem + "y", stem + "ey"} {
			h := phraseStep(phraseSeed, lowerKeyOf(s))
			if places[s] || (r.m.gaz[h]|ext[h]) == 1<<2 {
				return true
			}
		}
	}
	return false
}

// placeNouns after a one-word name say that it names a place: "the
// Artsakh conflict", "the Karabakh region".
var placeNouns = toSet(`conflict region border frontier province district war`)

// placesByUse retypes a one-word organisation or person as a place when
// the article uses the word as a place's: it names a people ("Artsakh
// Armenians", "Kosovo Albanians"), a conflict or region ("the Artsakh
// conflict", "the Artsakh War"), or follows a place's possessive after
// "in" ("in Azerbaijan's Karabagh"). Every mention of the word is retyped,
// unless the name lists know it as its type.
func (r *Recognizer) placesByUse(ms []*mention) {
	places := map[string]bool{}
	for _, m := range ms {
		if m.typ == "LOC" {
			places[strings.ToLower(textnorm.Fold(m.name))] = true
		}
	}
	key := func(w string) string { return strings.ToLower(textnorm.Fold(w)) }
	used := map[string]bool{}
	for _, m := range ms {
		toks := m.sent.toks
		first := toks[m.from].Text
		if !isCapitalised(first) || isAllCaps(first) {
			continue
		}
		switch n := m.to - m.from; {
		case n == 2 && r.placePeople(toks[m.from+1].Text, places):
			used[key(first)] = true
		case n == 2 && strings.EqualFold(toks[m.from+1].Text, "war"):
			used[key(first)] = true
		case n == 1 && m.to < len(toks) && lowerIn(placeNouns, toks[m.to].Text, false) && !isCapitalised(toks[m.to].Text):
			used[key(first)] = true
		case n == 1 && m.from >= 3 && isPossessive(toks[m.from-1].Text) && strings.EqualFold(toks[m.from-3].Text, "in") &&
			inFolded(places, toks[m.from-2].Text):
			used[key(first)] = true
		}
	}
	if len(used) == 0 {
		return // as in most articles
	}
	for _, m := range ms {
		if m.to-m.from != 1 || m.acronym || !inFolded(used, m.name) || r.knownBits(m)&(1<<typeIndex(m.typ)) != 0 {
			continue
		}
		// A nationality stays one ("the Kurdish conflict").
		if m.typ == "ORG" || m.typ == "PER" || m.typ == "MISC" && !strings.Contains(m.name, "-") && !r.isDemonym(m.name, places) {
			m.typ = "LOC"
		}
	}
}

// inFolded reports whether set holds w folded and lower-cased.
func inFolded(set map[string]bool, w string) bool {
	in, _ := foldGet(set, w)
	return in
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

// linkInitials gives an acronym the article does not spell out in
// brackets the name of the one longer name of its type in the article
// whose initials it is ("UN" and "United Nations", "U.S." and "United
// States"): the reader's list then holds it once.
func linkInitials(ms []*mention) {
	for _, m := range ms {
		if m.acronym || m.to-m.from != 1 || (m.typ != "ORG" && m.typ != "LOC") {
			continue
		}
		w := m.sent.toks[m.from].Text
		if !isAcronym(w) || strings.ContainsAny(w, "0123456789") {
			continue
		}
		long := ""
		n := 0
		for _, o := range ms {
			if o.typ != m.typ || o.to-o.from < 2 || o.acronym || o.name == long || matchLongForm(o.toks(), w, false) != 0 {
				continue
			}
			long = o.name
			n++
		}
		if n == 1 {
			m.name = long
			m.acronym = true
		}
	}
}
