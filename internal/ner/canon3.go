package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// Rules from the words around a mention: an apposition says what a name
// names ("the aircraft manufacturer, Embraer"; "Mir Pashayev, a cousin
// of …"), the names of a list are of one kind ("Aliyev, Putin and
// Lukashenko"), and a capitalised word that opens a quoted phrase of
// lower-case words is a coinage, not a name ("‘Caviar diplomacy’").

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

// knownBits returns the types the training names and the name lists know
// the mention's words as (bit t for type t).
func (r *Recognizer) knownBits(m *mention) uint8 {
	h := phraseKey(m.toks())
	return r.m.gaz[h] | externalLists()[h]
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

// dropCoinages leaves out a one-word person that opens a quoted phrase of
// lower-case words (“Kovyor operation”, ‘Caviar diplomacy’), a gloss in
// brackets allowed between: the quote must open on the word and close on
// the third word at most.
func dropCoinages(ms []*mention) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if m.typ == "PER" && m.to-m.from == 1 && quotedCoinage(m.sent.toks, m.from) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func quotedCoinage(toks []Token, i int) bool {
	if i == 0 || !openQuotes[toks[i-1].Text] {
		return false
	}
	if toks[i-1].End != toks[i].Start {
		return false // an opening quote sticks to its first word
	}
	j := i + 1
	if j < len(toks) && toks[j].Text == "(" {
		for j < len(toks) && toks[j].Text != ")" {
			j++
		}
		j++
	}
	// One to three lower-case words, then the quote closes (after a
	// comma or full stop at most).
	words := 0
	for ; j < len(toks) && words < 3; j++ {
		w := toks[j].Text
		if !hasLetterOrDigit(w) || isCapitalised(w) || isPossessive(w) {
			break
		}
		words++
	}
	if words == 0 {
		return false
	}
	if j < len(toks) && (toks[j].Text == "," || toks[j].Text == ".") {
		j++
	}
	// A closing quote sticks to the word before it.
	return j < len(toks) && closeQuotes[toks[j].Text] && toks[j-1].End == toks[j].Start
}

// allMixedCase reports whether every token is a capitalised word in mixed
// case ("Mir", "Pashayev"), not an acronym or initials.
func allMixedCase(ts []Token) bool {
	for _, t := range ts {
		if !isCapitalised(t.Text) || isAllCaps(t.Text) || strings.Contains(t.Text, ".") {
			return false
		}
	}
	return true
}

var closeQuotes = toSet("\" ' ” ’ »")

// dropLoneCommonWords leaves out a one-word person not linked to anyone's
// full name when the word is a common one: the training text has it in
// lower case and news often writes it so ("Intelligence" cut out of
// "Institute for Intelligence and Special Operations").
func (r *Recognizer) dropLoneCommonWords(ms []*mention) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if m.typ == "PER" && m.to-m.from == 1 && !strings.Contains(m.canon, " ") {
			lw := strings.ToLower(textnorm.Fold(m.name))
			if _, known := r.m.table.get(hashStr(tmWord, lw)); known && lw != textnorm.Fold(m.name) {
				if b, ok := r.m.lex.caseOf[lw]; ok && b <= 2 {
					continue
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// splitPlaceAndPerson cuts a span that runs a known place into a known
// person's name ("Prime Minister of Turkey Tansu Ciller") in two.
func (r *Recognizer) splitPlaceAndPerson(ms []*mention) []*mention {
	var out []*mention
	for _, m := range ms {
		done := false
		if m.typ != "PER" && m.to-m.from >= 3 && !m.facility {
			for k := m.from + 1; k <= m.to-2 && !done; k++ {
				place := &mention{seg: m.seg, sent: m.sent, from: m.from, to: k, typ: "LOC"}
				person := &mention{seg: m.seg, sent: m.sent, from: k, to: m.to, typ: "PER"}
				if r.knownBits(place)&(1<<2) != 0 && r.knownBits(person)&1 != 0 && allCapitalised(person.toks()) {
					out = append(out, place, person)
					done = true
				}
			}
		}
		if !done {
			out = append(out, m)
		}
	}
	return out
}

// dropNamePieces leaves out a one-word person that is only a piece of a
// longer name the tagger did not see whole: it stands between connectors
// inside a run of capitalised words ("Institute for Intelligence and
// Special Operations"), or right after a nationality ("French
// Intelligence"), where people have a title between ("French President
// Macron").
func dropNamePieces(ms []*mention) []*mention {
	type end struct {
		sent *taggedSentence
		to   int
	}
	misc := map[end]bool{}
	for _, m := range ms {
		if m.typ == "MISC" && m.to-m.from == 1 && !strings.Contains(m.name, "-") {
			misc[end{m.sent, m.to}] = true // "French", not "Houston-based"
		}
	}
	inner := toSet(`for of and &`)
	out := ms[:0]
	for _, m := range ms {
		if m.typ == "PER" && m.to-m.from == 1 {
			toks := m.sent.toks
			i := m.from
			between := i >= 2 && i+2 < len(toks) && lowerIn(inner, toks[i-1].Text, false) && lowerIn(inner, toks[i+1].Text, false) &&
				isCapitalised(toks[i-2].Text) && isCapitalised(toks[i+2].Text)
			if between || misc[end{m.sent, m.from}] {
				continue
			}
		}
		out = append(out, m)
	}
	return out
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

// dropFamilies leaves out the plural of a person's surname: "the
// Aliyevs" are a family, neither a person nor an organisation, whatever
// the tagger made of them.
func dropFamilies(ms []*mention) []*mention {
	surnames := map[string]bool{}
	for _, m := range ms {
		if m.typ == "PER" {
			if w, ok := lastOfSeveralWords(m.canon); ok {
				surnames[strings.ToLower(w)] = true
			}
		}
	}
	if len(surnames) == 0 {
		return ms
	}
	out := ms[:0]
	for _, m := range ms {
		if m.to-m.from == 1 {
			if stem, ok := strings.CutSuffix(strings.ToLower(m.canon), "s"); ok && surnames[stem] {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// lastOfSeveralWords is the last of the words of s (as strings.Fields
// splits it), if it has two or more.
func lastOfSeveralWords(s string) (string, bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	i := strings.LastIndexFunc(s, unicode.IsSpace)
	if i < 0 || strings.TrimFunc(s[:i], unicode.IsSpace) == "" {
		return "", false
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return s[i+n:], true
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

// splitAtPlace cuts "in" or "at" and a place out of the end of an
// organisation's or event's name: "COP29 Summit in Baku" is the summit,
// held in Baku. The place must be one the article or the name lists know.
func (r *Recognizer) splitAtPlace(ms []*mention, texts []string) []*mention {
	var places map[string]bool // made when first needed: most articles never do
	var out []*mention
	for _, m := range ms {
		toks := m.sent.toks
		cut := -1
		if m.typ == "ORG" || m.typ == "MISC" {
			for k := m.from + 1; k < m.to-1; k++ {
				if w := toks[k].Text; w != "in" && w != "at" {
					continue
				}
				place := &mention{seg: m.seg, sent: m.sent, from: k + 1, to: m.to, typ: "LOC"}
				place.name = place.text(texts)
				if places == nil {
					places = placeKeys(ms)
				}
				if places[nameKey(place.name)] || r.knownBits(place) == 1<<2 {
					cut = k
					break
				}
			}
		}
		if cut < 0 {
			out = append(out, m)
			continue
		}
		place := &mention{seg: m.seg, sent: m.sent, from: cut + 1, to: m.to, typ: "LOC"}
		place.name = place.text(texts)
		m.to = cut
		m.name = m.text(texts)
		out = append(out, m, place)
	}
	return out
}
