package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// Linking within an article: acronyms, initials and bracketed names take
// the name they stand for, and a surname takes the full name of the one
// person in the article who has it.

// linkAcronyms finds "Long Form Name (LFN)" and "LFN (Long Form Name)" and
// gives every mention of the acronym the long form's name.
func linkAcronyms(ms []*mention, sents []*taggedSentence, texts []string) []*mention {
	long := map[string]string{} // acronym -> long form
	type lfSpan struct {
		sent     *taggedSentence
		from, to int
	}
	var spans []lfSpan
	for _, ts := range sents {
		toks := ts.toks
		for i := 1; i+1 < len(toks); i++ {
			if toks[i].Text != "(" {
				continue
			}
			// Long Form (LFN)
			if i+2 < len(toks) && toks[i+2].Text == ")" && isAcronym(toks[i+1].Text) {
				acr := toks[i+1].Text
				if s := matchLongForm(toks[:i], acr, true); s >= 0 {
					long[acr] = cleanSpaces(texts[ts.seg][toks[s].Start:toks[i-1].End])
					spans = append(spans, lfSpan{ts, s, i})
				}
				continue
			}
			// LFN (Long Form)
			if isAcronym(toks[i-1].Text) {
				acr := toks[i-1].Text
				j := i + 1
				for j < len(toks) && toks[j].Text != ")" && j-i < 12 {
					j++
				}
				if j < len(toks) && toks[j].Text == ")" && j > i+1 {
					if s := matchLongForm(toks[i+1:j], acr, false); s == 0 {
						long[acr] = cleanSpaces(texts[ts.seg][toks[i+1].Start:toks[j-1].End])
						spans = append(spans, lfSpan{ts, i + 1, j})
					}
				}
			}
		}
	}
	if len(long) == 0 {
		return ms
	}
	longTy := map[string]string{} // long form key -> type
	for _, m := range ms {
		longTy[nameKey(m.name)] = m.typ
	}
	// Where the tagger split a long form up (or missed it), its pieces are
	// replaced by one mention of the whole.
	for _, sp := range spans {
		var keep []*mention
		typ := ""
		for _, m := range ms {
			if m.sent == sp.sent && m.from < sp.to && m.to > sp.from {
				if typ == "" || m.to-m.from > 1 {
					typ = m.typ
				}
				continue
			}
			keep = append(keep, m)
		}
		if typ == "" {
			// Untagged long form: its acronym's mentions decide, if any.
			for _, m := range ms {
				if m.name == acronymAt(sp.sent, sp) {
					typ = m.typ
				}
			}
		}
		if (typ == "PER" || typ == "MISC") && ofHeadType(sp.sent.toks[sp.from:sp.to]) == "ORG" {
			typ = "ORG"
		}
		if typ == "" || typ == "PER" && sp.to-sp.from >= 3 {
			// A name of three words or more with an acronym is a body's,
			// whatever its pieces were taken for.
			typ = "ORG"
		}
		nm := &mention{seg: sp.sent.seg, sent: sp.sent, from: sp.from, to: sp.to, typ: typ}
		nm.name = nm.text(texts)
		longTy[nameKey(nm.name)] = typ
		// Keep mentions in text order.
		pos := len(keep)
		for k, m := range keep {
			if before(nm, m) {
				pos = k
				break
			}
		}
		ms = append(keep[:pos], append([]*mention{nm}, keep[pos:]...)...)
	}
	for _, m := range ms {
		if lf, ok := long[m.name]; ok {
			m.name = lf
			m.acronym = true
			if t, ok := longTy[nameKey(lf)]; ok {
				m.typ = t
			}
		}
	}
	return ms
}

// acronymAt returns the acronym next to a long form: "(LFN)" after it or
// "LFN (" before it.
func acronymAt(ts *taggedSentence, sp struct {
	sent     *taggedSentence
	from, to int
}) string {
	if sp.to+1 < len(ts.toks) && ts.toks[sp.to].Text == "(" {
		return ts.toks[sp.to+1].Text
	}
	if sp.to < len(ts.toks) && ts.toks[sp.to].Text == ")" && sp.from >= 2 {
		return ts.toks[sp.from-2].Text
	}
	return ""
}

func acronymLetters(acr string) string {
	var b strings.Builder
	for _, r := range acr {
		if unicode.IsUpper(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sameLetters reports whether an acronym of three or more letters spells
// the initials in another order, as a name translated from a language
// with another word order does ("General Directorate of External Security
// (DGSE)").
func sameLetters(initials, letters string) bool {
	if len(letters) < 3 || len(initials) != len(letters) {
		return false
	}
	var n [256]int
	for i := 0; i < len(letters); i++ {
		n[unicode.ToUpper(rune(initials[i]))&0xff]++
		n[unicode.ToUpper(rune(letters[i]))&0xff]--
	}
	for _, c := range n {
		if c != 0 {
			return false
		}
	}
	return true
}

// matchLongForm looks for a run of capitalised words (with connectors)
// whose initials spell the acronym. With tail set the run must end at the
// end of toks and the start index is returned; otherwise the run must be
// all of toks and 0 is returned on success. -1 means no match.
func matchLongForm(toks []Token, acr string, tail bool) int {
	letters := acronymLetters(acr)
	if letters == "" {
		return -1
	}
	initials := func(ts []Token) (string, bool) {
		var b strings.Builder
		for k, t := range ts {
			w := textnorm.Fold(t.Text)
			if lowerIn(connectors, w, false) {
				if k == 0 {
					return "", false
				}
				continue
			}
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) {
				return "", false
			}
			for part := range strings.SplitSeq(w, "-") {
				if p, _ := utf8.DecodeRuneInString(part); unicode.IsUpper(p) {
					b.WriteRune(p)
				}
			}
		}
		return b.String(), true
	}
	if !tail {
		if in, ok := initials(toks); ok && strings.EqualFold(in, letters) {
			return 0
		}
		return -1
	}
	for s := len(toks) - 1; s >= 0 && len(toks)-s <= 2*len(letters)+2; s-- {
		in, ok := initials(toks[s:])
		if !ok {
			continue
		}
		if strings.EqualFold(in, letters) || sameLetters(in, letters) {
			return s
		}
		if len(in) > len(letters) {
			break
		}
	}
	return -1
}

// linkSurnames gives a one-word person mention the full name of the one
// person in the article with that surname; with two such people (or none)
// it stays as it is. A one-word organisation or miscellaneous mention that
// is exactly such a surname is taken to be the person, too.
func (r *Recognizer) linkSurnames(ms []*mention) {
	full := map[string]map[string]bool{} // surname key -> canonical full names
	for _, m := range ms {
		if m.typ != "PER" || m.facility || m.acronym {
			continue
		}
		parts := strings.Fields(m.canon)
		if len(parts) < 2 {
			continue
		}
		sk := strings.ToLower(parts[len(parts)-1])
		if full[sk] == nil {
			full[sk] = map[string]bool{}
		}
		full[sk][m.canon] = true
	}
	// First names, for a later "Arzu" after "Arzu Aliyeva"; a word that is
	// also someone's surname is left to the surname rule.
	given := map[string]map[string]bool{}
	for _, m := range ms {
		if m.typ != "PER" || m.facility || m.acronym {
			continue
		}
		parts := strings.Fields(m.canon)
		if len(parts) < 2 {
			continue
		}
		gk := strings.ToLower(parts[0])
		if given[gk] == nil {
			given[gk] = map[string]bool{}
		}
		given[gk][m.canon] = true
	}
	for _, m := range ms {
		if m.facility || m.acronym || strings.Contains(m.canon, " ") {
			continue
		}
		if m.typ == "LOC" && r.knownAs(m, 2) {
			continue // a known place keeps its name even if someone bears it
		}
		k := strings.ToLower(m.canon)
		names := full[k]
		if len(names) == 0 && m.typ != "LOC" {
			names = given[k]
		}
		if len(names) != 1 {
			continue
		}
		for n := range names {
			m.canon = n
		}
		m.typ = "PER"
	}
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

// linkShortOrgs gives a one-word organisation the name of the one longer
// organisation of the article that ends in that word: a club's "United"
// or "Villa" is the Manchester United or Aston Villa of the article.
func linkShortOrgs(ms []*mention) {
	for _, m := range ms {
		if m.typ != "ORG" || m.to-m.from != 1 || m.acronym {
			continue
		}
		var longer string
		n := 0
		for _, o := range ms {
			if o.typ != "ORG" || o.to-o.from < 2 || !strings.HasSuffix(o.canon, " "+m.canon) || o.canon == longer {
				continue
			}
			longer = o.canon
			n++
		}
		if n == 1 {
			m.canon = longer
		}
	}
}
