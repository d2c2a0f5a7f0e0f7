package ner

import (
	"slices"
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Head nouns: the last word of a name decides what kind of thing it names.
// A span that the tagger took for a person but ends in one of these is an
// organisation ("… Intelligence Service") or a work or event ("… Truce").
var orgHeads = toSet(`service services directorate agency agencies bureau ministry council committee
commission department office authority administration program programme project party movement
front army navy force forces guard command corps police union association federation league club
bank holding holdings corporation corp inc ltd company group fund foundation institute gazette times
post news journal herald tribune telegraph daily weekly magazine review network channel television
radio press trust consortium alliance coalition organisation organization parliament assembly
government cabinet court tribunal`)

var miscHeads = toSet(`documentary film movie book novel series show truce treaty accord accords agreement pact
war wars crisis campaign initiative plan doctrine act law papers files leaks report award prize cup
games championship summit conference forum festival declaration convention process protocol diplomacy
genocide massacre holocaust`)

// headType returns the type a name ending in word w has regardless of who
// it is named after ("ORG", "MISC"), or "".
func headType(w string) string {
	switch {
	case lowerIn(orgHeads, w, true):
		return "ORG"
	case lowerIn(miscHeads, w, true):
		return "MISC"
	}
	return ""
}

// ofHeadType is the type the head noun before a name's first "of" or
// "for" gives it ("General Directorate of External Security", "Institute
// for ..."), or "".
func ofHeadType(toks []Token) string { return headType(headBeforeOf(toks)) }

// headBeforeOf is the word before a name's first "of" or "for" (or one of
// also), or "".
func headBeforeOf(toks []Token, also ...string) string {
	for k := 1; k+1 < len(toks); k++ {
		if w := toks[k].Text; w == "of" || w == "for" || slices.Contains(also, w) {
			return toks[k-1].Text
		}
	}
	return ""
}

// retypeByHead applies head nouns to person spans. A span that is nothing
// but a head noun ("the Gazette") refers to the one longer name in the
// article that ends in it, or is dropped.
func retypeByHead(ms []*mention) []*mention {
	// Longer names first, so that a bare head noun takes the type its
	// longer name ends up with.
	for _, m := range ms {
		toks := m.toks()
		if ht := headType(toks[len(toks)-1].Text); ht != "" && len(toks) > 1 && m.typ == "PER" {
			m.typ = ht
		}
		if (m.typ == "PER" || m.typ == "MISC") && ofHeadType(toks) == "ORG" {
			m.typ = "ORG" // "General Directorate of External Security"
		}
	}
	out := ms[:0]
	for _, m := range ms {
		toks := m.toks()
		last := toks[len(toks)-1].Text
		if headType(last) == "" || len(toks) > 1 {
			out = append(out, m)
			continue
		}
		// A bare head noun: find the longer names ending in it.
		var longer *mention
		n := 0
		seen := map[string]bool{}
		for _, o := range ms {
			ot := o.toks()
			if len(ot) > 1 && strings.EqualFold(ot[len(ot)-1].Text, last) && !seen[nameKey(o.name)] {
				seen[nameKey(o.name)] = true
				longer = o
				n++
			}
		}
		if n == 1 {
			m.name, m.typ = longer.name, longer.typ
			out = append(out, m)
		}
	}
	return out
}

var deities = toSet(`god allah jehovah yahweh`)

// demonymSuffixes turn a place name into its people or adjective:
// Azerbaijan-i, Armenia-n, Brazil-ian, Japan-ese, Turk-ish, and plurals.
var demonymSuffixes = []string{"i", "is", "n", "ns", "an", "ans", "ian", "ians", "ese", "ish", "ic", "s"}

// isDemonym reports whether a one-word name is a nationality or people
// ("Azerbaijani", "Armenians"): the training names list it as
// miscellaneous only, or it is a known place name plus a demonym suffix.
func (r *Recognizer) isDemonym(w string, places map[string]bool) bool {
	if !isCapitalised(w) || isAllCaps(w) {
		return false
	}
	key := strings.ToLower(textnorm.Fold(w))
	if len(key) < 4 {
		return false
	}
	ext := externalLists()
	known := func(s string) uint8 {
		h := phraseStep(phraseSeed, lowerKeyOf(s))
		return r.m.gaz[h] | ext[h]
	}
	if bits := known(key); bits != 0 {
		return bits == 1<<3
	}
	// A plural of a nationality: "Azeris" after "Azeri".
	if stem, ok := strings.CutSuffix(key, "s"); ok && known(stem) == 1<<3 {
		return true
	}
	for _, suf := range demonymSuffixes {
		stem, ok := strings.CutSuffix(key, suf)
		if !ok || len(stem) < 3 {
			continue
		}
		for _, s := range []string{stem, stem + "a", stem + "ia", stem + "y", stem + "ey"} {
			if places[s] || known(s) == 1<<2 {
				return true
			}
		}
	}
	return false
}

// fixDemonyms types one-word nationalities as miscellaneous: "Azerbaijani"
// is neither a person nor a place.
func (r *Recognizer) fixDemonyms(ms []*mention) {
	places := map[string]bool{}
	for _, m := range ms {
		if m.typ == "LOC" {
			places[strings.ToLower(textnorm.Fold(m.name))] = true
		}
	}
	for _, m := range ms {
		toks := m.toks()
		last := toks[len(toks)-1].Text
		switch {
		case len(toks) == 1 && m.typ != "MISC" && r.isDemonym(last, places):
			m.typ = "MISC"
		case len(toks) > 1 && (m.typ == "PER" || m.typ == "LOC") && r.isDemonym(last, places):
			m.typ = "MISC" // a group of people: "Kosovo Albanians"
		}
	}
	// Names of God are no people's.
	for _, m := range ms {
		if m.typ == "PER" && m.to-m.from == 1 && lowerIn(deities, textnorm.Fold(m.name), false) {
			m.typ = "MISC"
		}
	}
	// A name the training data knows as one other type only is not a
	// person's ("Armenia").
	for _, m := range ms {
		if m.typ != "PER" || m.facility || m.acronym {
			continue
		}
		for t := 1; t < 4; t++ {
			if r.onlyKnownAs(m, t) {
				m.typ = Types[t]
			}
		}
	}
}

// onlyKnownAs reports whether the gazetteer lists the mention's words as
// type t and nothing else.
func (r *Recognizer) onlyKnownAs(m *mention, t int) bool {
	h := phraseKey(m.toks())
	return r.m.gaz[h] == 1<<t
}

// cutAtNonName ends a span before a comma, semicolon or a lower-case word
// that is not a connector: names do not run on into clauses.
func cutAtNonName(ms []*mention) []*mention {
	out := ms[:0]
	for _, m := range ms {
		toks := m.sent.toks
		for k := m.from + 1; k < m.to; k++ {
			t := toks[k].Text
			if t == "," || t == ";" || hasLetterOrDigit(t) && !isCapitalised(t) && !lowerIn(connectors, t, false) &&
				!hasDigit(t) && !isNameParticle(strings.ToLower(t)) && !isPossessive(t) { // cleanMentions weighs possessives
				m.to = k
				break
			}
		}
		for m.to > m.from && (lowerIn(connectors, toks[m.to-1].Text, false) ||
			m.typ != "MISC" && m.typ != "ORG" && isNumber(toks[m.to-1].Text)) {
			m.to--
		}
		if m.to > m.from {
			out = append(out, m)
		}
	}
	return out
}

// isNumber: digits with separators only, like "7" or "2,023".
func isNumber(s string) bool {
	return hasDigit(s) && strings.Trim(s, "0123456789,.") == ""
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// isNameParticle: lower-case words inside personal and place names.
func isNameParticle(w string) bool {
	switch w {
	case "van", "von", "der", "den", "da", "di", "del", "della", "dos", "das", "al", "el", "bin", "ibn", "y", "e", "upon", "sur", "am", "an", "ul", "ur":
		return true
	}
	return strings.HasPrefix(w, "al-") || strings.HasPrefix(w, "el-")
}
