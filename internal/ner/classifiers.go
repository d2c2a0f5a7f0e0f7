package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Classifier nouns: news puts a noun that says what a name names right
// before it, without a comma ("anti-virus firm Sophos", "online retailer
// Amazon", "the Xbox game Halo 2"), and a number after a name makes it a
// product or a work ("Halo 2"). What one mention says holds for every
// mention of the name in the article, since the type of an entity is the
// one most of its mentions have.

// workNouns name works and products: a name they classify is MISC.
var workNouns = toSet(`game videogame film movie album single song novel book console handset
	browser show programme program series sitcom drama musical documentary title sequel
	technology software format virus worm`)

// retypeByClassifier gives people and places the type of the classifier
// noun before them, or MISC when a number follows them.
func (r *Recognizer) retypeByClassifier(ms []*mention) {
	retyped := map[string]string{}
	head := map[*mention]*mention{} // the first name of each list
	for _, l := range lists(ms) {
		for _, m := range l {
			head[m] = l[0]
		}
	}
	for _, m := range ms {
		if m.typ != "PER" && m.typ != "LOC" || m.acronym || m.facility || m.to-m.from > 3 {
			continue
		}
		toks := m.sent.toks
		t := ""
		if m.from > 0 {
			t = classifierType(toks[m.from-1].Text)
		}
		if t == "" {
			first := m
			if h := head[m]; h != nil {
				first = h
			}
			t = introducedType(first.sent.toks, first.from)
		}
		if t == "" && r.inWorkTitle(ms, m) {
			m.typ = "MISC" // this mention only: "Harry Potter and the Prisoner of Azkaban"
			continue
		}
		if t == "" && m.typ == "PER" && m.to < len(toks) && isNumber(toks[m.to].Text) && !listContinues(toks, m.to) {
			t = "MISC" // "Halo 2"
		}
		if t == "" || t == m.typ {
			continue
		}
		known := r.knownBits(m)
		if known&(1<<typeIndex(m.typ)) != 0 && known&(1<<typeIndex(t)) == 0 {
			continue // a listed name of its type that the lists do not give t
		}
		retyped[nameKey(m.name)] = t
	}
	if len(retyped) == 0 {
		return
	}
	for _, m := range ms {
		if t, ok := retyped[nameKey(m.name)]; ok && (m.typ == "PER" || m.typ == "LOC") {
			m.typ = t
		}
	}
}

// listContinues reports a number that is part of a date or a figure:
// after a month ("March 2"), or with more digits after ("Smith 4.5").
func listContinues(toks []Token, i int) bool {
	if i > 0 && months[strings.ToLower(toks[i-1].Text)] {
		return true
	}
	return i+2 < len(toks) && (toks[i+1].Text == "." || toks[i+1].Text == ",") && isNumber(toks[i+2].Text)
}

var months = toSet(`january february march april may june july august september october november december
	jan feb mar apr jun jul aug sep sept oct nov dec`)

// classifierType is the type a classifier noun gives the name after it:
// MISC for a work or a product, ORG for a kind of organisation, or "".
func classifierType(w string) string {
	if isCapitalised(w) {
		return ""
	}
	k := strings.ToLower(textnorm.Fold(strings.ReplaceAll(w, "-", ""))) // "start-up"
	if stem, ok := strings.CutSuffix(k, "ies"); ok {
		k = stem + "y" // "companies"
	}
	if workNouns[k] || workNouns[strings.TrimSuffix(k, "s")] {
		return "MISC" // "the game Halo", "films like …"
	}
	if descriptorType(k) == "ORG" {
		return "ORG" // "security firm Sophos"
	}
	return ""
}

// introducers lead from a classifier noun to the names it classifies:
// "firms such as Blinkx, Copernic", "a technology known as Janus".
var introducers = [][]string{{"such", "as"}, {"like"}, {"including"}, {"known", "as"}, {"called"}, {"dubbed"}, {"named"}}

// codenames introduce the name of a product or a project by themselves.
var codenames = toSet(`codenamed code-named`)

// introducedType is the type that an introducer, or the classifier noun
// before it, gives the names from token from on, or "".
func introducedType(toks []Token, from int) string {
	if from > 0 && codenames[strings.ToLower(toks[from-1].Text)] {
		return "MISC" // "Windows, codenamed Longhorn"
	}
	for _, in := range introducers {
		k := from - len(in)
		if k < 1 {
			continue
		}
		ok := true
		for j, w := range in {
			ok = ok && strings.EqualFold(toks[k+j].Text, w)
		}
		if !ok {
			continue
		}
		w := toks[k-1].Text
		if k == 1 {
			w = strings.ToLower(w) // "Companies such as Blinkx"
		}
		return classifierType(w)
	}
	return ""
}

// retypeTitles makes MISC the short names after a capitalised "The" in
// mid-sentence that no list knows: the titles of films, books and shows
// ("Martin Scorsese's The Aviator"), which news writes that way and names
// of people and places never are.
func (r *Recognizer) retypeTitles(ms []*mention) {
	retyped := map[string]bool{}
	for _, m := range ms {
		if m.typ == "MISC" || m.to-m.from > 2 || m.from < 2 || m.acronym || m.facility {
			continue
		}
		toks := m.sent.toks
		if toks[m.from-1].Text != "The" || !hasLetterOrDigit(toks[m.from-2].Text) || r.knownBits(m) != 0 ||
			listedAnywhere()[squeeze("The"+m.name)] {
			continue // not "The Hague"
		}
		retyped[nameKey(m.name)] = true
	}
	for _, m := range ms {
		if retyped[nameKey(m.name)] {
			m.typ = "MISC"
		}
	}
}

// inWorkTitle reports a name after "of" or "of the" that ends the title
// of a work: a word before it in capitals that news mostly writes in
// lower case and no name or title holds ("the Prisoner of Azkaban",
// "Flight of the Phoenix"; not "President of France" or "Gulf of
// Mexico").
func (r *Recognizer) inWorkTitle(ms []*mention, m *mention) bool {
	toks := m.sent.toks
	k := m.from - 1
	if k >= 1 && strings.EqualFold(toks[k].Text, "the") {
		k--
	}
	if k < 2 || !strings.EqualFold(toks[k].Text, "of") {
		return false
	}
	w := toks[k-1].Text
	if m.to-m.from > 1 || !isCapitalised(w) || isAllCaps(w) || lowerIn(titleWords, w, true) ||
		lowerIn(officeTitles, w, true) || headType(w) != "" || lowerIn(placeHeads, w, true) {
		return false
	}
	if b, ok := r.caseOf(w); !ok || b > 2 {
		return false
	}
	for _, o := range ms {
		if o.sent == m.sent && o.from <= k-1 && k-1 < o.to {
			return false // "Bank of England": the word is a name's
		}
	}
	return true
}

// placeHeads open the names of places and of the bodies named after them
// ("Gulf of Mexico", "Bank of England").
var placeHeads = toSet(`gulf bay isle island islands sea lake cape strait straits port city town county
	state republic kingdom province district bank museum university college tower house church cathedral
	palace castle church school hospital mouth river valley coast`)
