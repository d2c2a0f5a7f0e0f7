package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Retyping: rules that change a mention's type from what its words say
// (head nouns, nationalities, events, natural places) and from the words
// around it: an apposition says what a name names ("the aircraft
// manufacturer, Embraer"), and the names of a list are of one kind
// ("Aliyev, Putin and Lukashenko").

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
		if m.typ == "LOC" && len(toks) > 1 && lowerIn(bodyHeads, toks[len(toks)-1].Text, true) {
			m.typ = "ORG" // "Coral Consortium"
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

// bodyHeads end the names of bodies, never of places (unlike "Union" or
// "Court").
var bodyHeads = toSet(`consortium alliance coalition association federation corporation company group fund
	foundation institute agency bureau commission committee council`)

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

// Descriptor nouns of an apposition, by the type of what they describe.
var (
	orgDescriptors = toSet(`manufacturer maker company firm carrier airline group bank lender insurer
broadcaster newspaper website agency producer operator conglomerate automaker carmaker developer
retailer exporter importer supplier contractor startup publisher daily weekly tabloid outlet
charity`)
	locDescriptors = toSet(`airport city town village capital port region province country district
island republic`)
	perDescriptors = toSet(`cousin brother sister wife husband son daughter father mother uncle aunt
nephew niece grandson granddaughter banker businessman businesswoman lawyer journalist spokesman
spokeswoman adviser advisor aide politician billionaire oligarch tycoon executive entrepreneur
writer author director actor actress singer economist analyst diplomat colleague friend`)
)

// descriptorType returns the type a descriptor noun (or its plural)
// gives the names it describes, or "".
func descriptorType(w string) string {
	if w == "" || isCapitalised(w) {
		return "" // a name, not a descriptor
	}
	k := strings.ToLower(textnorm.Fold(w))
	for _, c := range []string{k, strings.TrimSuffix(k, "s"), strings.TrimSuffix(k, "es")} {
		switch {
		case orgDescriptors[c]:
			return "ORG"
		case locDescriptors[c]:
			return "LOC"
		case perDescriptors[c]:
			return "PER"
		}
	}
	return ""
}

var (
	copulas      = toSet(`is was are were`)
	relatives    = toSet(`which who whose that`)
	determiners  = toSet(`a an the his her their its`)
	listJoiners  = toSet(`, and or & ,and`)
	openQuotes   = toSet("\" ' “ ‘ «")
	appositionPs = toSet(", … ... – — - (")
)

// descriptorBefore reads "the NOUN , X" and "the NOUN , which were X" in
// front of token from. ofPhrase says the noun phrase is itself the object
// of "of" ("an official of the bank, X"), where X may name either.
func descriptorBefore(toks []Token, from int) (t string, ofPhrase bool) {
	at := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].Text
	}
	j := from - 1
	if lowerIn(copulas, at(j), false) && lowerIn(relatives, at(j-1), false) {
		j -= 2
	}
	if at(j) != "," {
		return "", false
	}
	t = descriptorType(at(j - 1))
	if t == "" {
		return "", false
	}
	// A noun phrase: a determiner and at most two lower-case modifiers
	// ("the nearest airports"), not the end of a clause ("In the city,
	// Smith said" is read by closedAfter).
	for k := j - 2; k >= 0 && k >= j-4; k-- {
		w := at(k)
		if lowerIn(determiners, w, false) {
			return t, strings.EqualFold(at(k-1), "of")
		}
		if !hasLetterOrDigit(w) || isCapitalised(w) {
			break
		}
	}
	return "", false
}

// closedAfter reports whether the words after token to close an
// apposition: punctuation, a list's "and", or the end.
func closedAfter(toks []Token, to int) bool {
	return to >= len(toks) || !hasLetterOrDigit(toks[to].Text) || lowerIn(listJoiners, toks[to].Text, false)
}

// descriptorAfter reads "X , a cousin of", "X … a banker", "X , the
// company's spokesman" after token to: the head noun of a noun phrase
// that follows the name.
func descriptorAfter(toks []Token, to int) string {
	j := to
	if j >= len(toks) || !appositionPs[toks[j].Text] && !appositionPs[textnorm.Fold(toks[j].Text)] {
		return ""
	}
	j++
	if j+1 < len(toks) && isCapitalised(toks[j].Text) && isPossessive(toks[j+1].Text) {
		// "Shin Bet, Israel's Internal Security Agency": the name after a
		// possessive ends in what it names.
		k := j + 2
		for k < len(toks) && isCapitalised(toks[k].Text) {
			k++
		}
		if k > j+2 && headType(toks[k-1].Text) == "ORG" {
			return "ORG"
		}
		if k > j+2 && lowerIn(personTitles, toks[j+2].Text, true) {
			// "Mukhtar Babayev, Azerbaijan's Minister of Ecology"
			return "PER"
		}
		return ""
	}
	if j >= len(toks) || !lowerIn(determiners, toks[j].Text, false) {
		return ""
	}
	head := ""
	for k := j + 1; k < len(toks) && k <= j+5; k++ {
		w := toks[k].Text
		if isPossessive(w) {
			head = "" // "the company's spokesman": the head comes after
			continue
		}
		if !hasLetterOrDigit(w) || isCapitalised(w) || lowerIn(connectors, w, false) || lowerIn(relatives, w, false) {
			break
		}
		head = w
	}
	if k := j + 1; head != "" && k < len(toks) {
		// "X, the newspaper Granma reported": the noun describes the name
		// that follows it.
		for k < len(toks) && toks[k].Text != head {
			k++
		}
		if k+1 < len(toks) && isCapitalised(toks[k+1].Text) {
			return ""
		}
	}
	return descriptorType(head)
}

// lists groups the mentions of each sentence that stand in a list,
// separated only by commas, "and" or "or".
func lists(ms []*mention) [][]*mention {
	// A list is a run of ms: slicing it allocates nothing per mention.
	var out [][]*mention
	start := 0
	for i := 1; i <= len(ms); i++ {
		if i < len(ms) && listJoined(ms[i-1], ms[i]) {
			continue
		}
		if i-start > 1 {
			out = append(out, ms[start:i:i])
		}
		start = i
	}
	return out
}

// listJoined reports whether m follows p in a list: same sentence, after
// one or two joining tokens.
func listJoined(p, m *mention) bool {
	joined := p.sent == m.sent && p.seg == m.seg && m.from > p.to && m.from-p.to <= 2
	for k := p.to; joined && k < m.from; k++ {
		joined = lowerIn(listJoiners, m.sent.toks[k].Text, false)
	}
	return joined
}

// retypeByContext applies appositions and lists. A mention is retyped
// only when the names the model knows do not list it as its current type;
// facilities and acronyms keep theirs.
func (r *Recognizer) retypeByContext(ms []*mention) {
	free := func(m *mention) bool {
		return !m.facility && !m.acronym && m.to-m.from <= 3 && r.knownBits(m)&(1<<typeIndex(m.typ)) == 0
	}
	// Appositions, the one before a list applying to all its names.
	inList := map[*mention][]*mention{}
	for _, l := range lists(ms) {
		for _, m := range l {
			inList[m] = l
		}
	}
	for _, m := range ms {
		t := descriptorAfter(m.sent.toks, m.to)
		if t == "" {
			first, last := m, m
			if l := inList[m]; l != nil {
				first, last = l[0], l[len(l)-1]
			}
			if closedAfter(last.sent.toks, last.to) {
				var of bool
				t, of = descriptorBefore(first.sent.toks, first.from)
				if of && m.to-m.from > 1 {
					t = "" // "an official of the bank, Samuel Yonnone"
				}
			}
		}
		if t == "PER" && (m.to-m.from > 2 || !allMixedCase(m.toks())) {
			t = "" // organisations act as advisers too; acronyms are no people
		}
		if t != "" && t != m.typ && free(m) {
			m.typ = t
		}
	}
	// A list whose other names (two or more) agree that they are people,
	// or places: "Aliyev, Putin and Lukashenko". (Company names have
	// commas and "and" in them: organisations are left alone.)
	for _, l := range lists(ms) {
		if len(l) < 3 {
			continue
		}
		for _, m := range l {
			if m.typ != "PER" && m.typ != "LOC" || m.to-m.from > 1 {
				continue
			}
			t := ""
			agree := true
			for _, o := range l {
				if o != m {
					agree = agree && (t == "" || o.typ == t)
					t = o.typ
				}
			}
			if agree && t != m.typ && (t == "PER" || t == "LOC") && free(m) {
				m.typ = t
			}
		}
	}
}

// eventHeads end the names of events, agreements and leaks, which are no
// organisations or places: "CIS Summit", "Baku Conference", "Artsakh
// War", "Pandora Papers".
var eventHeads = toSet(`summit conference convention war wars truce treaty accord accords pact crisis
papers leaks genocide massacre holocaust`)

// agreementHeads head an event's or agreement's name before "of", "for"
// or "on" as well: "Convention on Climate Change", "Treaty of Rome". Not
// "conference": the "United Nations Conference on Trade and Development"
// is an organisation.
var agreementHeads = toSet(`convention treaty accord pact war summit`)

// retypeEvents types an organisation or place whose name is headed by an
// event word as miscellaneous.
func retypeEvents(ms []*mention) {
	for _, m := range ms {
		toks := m.toks()
		if (m.typ != "ORG" && m.typ != "LOC") || len(toks) < 2 || m.acronym {
			continue
		}
		if lowerIn(eventHeads, toks[len(toks)-1].Text, true) || lowerIn(agreementHeads, headBeforeOf(toks, "on"), true) {
			m.typ = "MISC"
		}
	}
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
