package ner

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// titleWords are titles and honorifics dropped from the front of a person's
// name ("President Ilham Aliyev" -> "Ilham Aliyev"). Keys are lower-case,
// without a final period.
var titleWords = toSet(`commander-in-chief mr mrs ms miss mx dr prof professor pres president vice prime minister
deputy foreign interior defence defense finance chancellor premier gen general sen senator rep
representative gov governor lt lieutenant col colonel capt captain sgt sergeant maj major adm admiral
cmdr commander rev reverend fr father sir dame lord lady king queen prince princess sheikh emir
sultan ambassador amb secretary chairman chairwoman chair ceo director judge justice mayor
speaker pope cardinal bishop archbishop rabbi imam ayatollah mullah hon honourable honorable dr.
mme mlle herr monsieur madame señor senor president-elect ex-president former late acting
undersecretary under-secretary
spokesman spokeswoman coach agent officer detective inspector superintendent
mp mep prosecutor attorney general-secretary secretary-general`)

// personTitles are the titles that make a span a person's name even when
// the tagger took it for an organisation ("President Aliyev").
var personTitles = toSet(`mr mrs ms dr prof pres president prime minister gen sen sir amb ambassador gov governor commander-in-chief`)

// facilityLOC and facilityORG are the last words of names of places and
// organisations that are often named after people.
var facilityLOC = toSet(`airport street avenue ave road rd square park bridge boulevard blvd highway
station stadium arena lane drive way place port harbour harbor canal tunnel metro`)

// institutions are the facilities that name a body, not a place, even
// when the tagger took them for places ("Barnard College").
var institutions = toSet(`university college school academy institute`)

var facilityORG = toSet(`university college school academy institute foundation center centre
hospital museum library prize award fund trust society hall palace theatre theater
gymnasium lyceum clinic church mosque cathedral company group`)

// connectors may appear inside a long form without giving a letter to its
// acronym ("Organized Crime and Corruption Reporting Project").
var connectors = toSet(`of and for the on in de du des la le to at by with &`)

// commonCaps are capitalised words that start sentences or label speakers
// and are never entities on their own.
var commonCaps = toSet(`the a an this that these those it its he she they we i you his her their our
but and or so yet if when while after before as at in on of for from to with by about despite
however meanwhile also still journalist reporter question answer photo image video source
according unfortunately additionally furthermore moreover therefore thus hello yes no thanks
said says should would could will may might must can mr mrs ms dr president minister prime
government parliament state republic city country war north south east west central
commission department ministry committee agency office council court army police bureau
january february march april june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday mon tue tues wed thu thurs fri sat sun`)

// leadingWords are function words and greetings that the tagger may run
// into the name that follows them.
var leadingWords = toSet(`a an this that these those it its he she they we i you his her their our
but and or so yet if when while after before as at in on of for from to with by about despite however
meanwhile also still hello yes no thanks according unfortunately additionally furthermore moreover
therefore thus dear welcome`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func lowerNoDot(s string) string {
	return strings.TrimSuffix(strings.ToLower(textnorm.Fold(s)), ".")
}

// lowerIn reports whether set holds s lower-cased (as lowerNoDot gives it
// with trimDot, as strings.ToLower without): the rules look up every
// word of every mention, and short ASCII words need no allocation.
func lowerIn(set map[string]bool, s string, trimDot bool) bool {
	in, _ := lowerGet(set, s, trimDot)
	return in
}

// lowerGet is m[lowerNoDot(s)] with trimDot, m[strings.ToLower(s)]
// without, and allocates nothing for short ASCII s.
func lowerGet[V any](m map[string]V, s string, trimDot bool) (V, bool) {
	var buf [48]byte
	if len(s) <= len(buf) {
		n := 0
		for ; n < len(s); n++ {
			c := s[n]
			if c >= utf8.RuneSelf {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
		}
		if n == len(s) {
			if trimDot && n > 0 && buf[n-1] == '.' {
				n--
			}
			v, ok := m[string(buf[:n])]
			return v, ok
		}
	}
	k := strings.ToLower(s)
	if trimDot {
		k = lowerNoDot(s)
	}
	v, ok := m[k]
	return v, ok
}

// caseOf is the model's case bucket of word w, folded and lower-cased.
func (r *Recognizer) caseOf(w string) (uint8, bool) { return foldGet(r.m.lex.caseOf, w) }

// foldGet is m[strings.ToLower(textnorm.Fold(w))], without allocating for
// short ASCII w.
func foldGet[V any](m map[string]V, w string) (V, bool) {
	if isASCII(w) { // folding changes nothing
		return lowerGet(m, w, false)
	}
	v, ok := m[strings.ToLower(textnorm.Fold(w))]
	return v, ok
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// keyGet is m[nameKey(s)], without allocating for most names.
func keyGet[V any](m map[string]V, s string) (V, bool) {
	if singleSpaced(s) { // then nameKey(s) is strings.ToLower(s)
		return lowerGet(m, s, false)
	}
	v, ok := m[nameKey(s)]
	return v, ok
}

// cleanSpaces folds typography and collapses runs of spaces.
func cleanSpaces(s string) string {
	if singleSpaced(s) {
		return s
	}
	return strings.Join(strings.Fields(textnorm.Fold(s)), " ")
}

// singleSpaced reports whether s is ASCII with no white space but single
// spaces between words, which cleanSpaces would return unchanged: most
// names are, and the check saves two allocations.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

// nameKey is the form in which names are compared: folded, lower-cased,
// single-spaced.
func nameKey(s string) string { return strings.ToLower(cleanSpaces(s)) }

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

func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters > 0
}

func isPossessive(s string) bool {
	f := textnorm.Fold(s)
	return f == "'s" || f == "'S" || f == "'"
}

// Extract finds the entities of one article. Mentions have byte offsets
// into body; TitleMentions into title.
func (r *Recognizer) Extract(title, body string) []Entity {
	texts := []string{title, body}
	tb := tagBufPool.Get().(*tagBufs)
	defer tb.release()
	sents := r.tag(texts, true, tb)
	var ms []*mention
	var spans []Span
	var slab []mention // the mentions, allocated a few at a time
	for _, ts := range sents {
		spans = appendSpans(spans[:0], ts.classes)
		for _, sp := range spans {
			if len(slab) == cap(slab) {
				slab = make([]mention, 0, 32)
			}
			slab = append(slab, mention{seg: ts.seg, sent: ts, from: sp.Start, to: sp.End, typ: sp.Type})
			ms = append(ms, &slab[len(slab)-1])
		}
	}
	ms = cutAtNonName(ms)
	ms = fixFacilities(ms, sents)
	ms = splitAtTitles(ms)
	ms = splitKnownNames(ms)
	ms = r.splitPlaceAndPerson(ms)
	ms = r.cleanMentions(ms, texts)
	r.joinPartnersLeft(ms, texts)
	extendPartnerships(ms, texts)
	ms = linkAcronyms(ms, sents, texts)
	linkInitials(ms)
	ms = r.splitAtPlace(ms, texts)
	ms = completeNames(ms, texts)
	ms = retypeByHead(ms)
	r.fixDemonyms(ms)
	r.placesByUse(ms)
	r.retypeByContext(ms)
	retypeEvents(ms)
	r.retypeSources(ms)
	r.retypeNaturalPlaces(ms)
	extendOrgsLeft(ms, texts)
	ms = joinNationalBranches(ms, texts)
	ms = r.takeNationality(ms, texts)
	ms = r.joinAcrossAnd(ms, texts)
	r.linkBracketNames(ms) // once the names before the brackets are whole
	foldRepublics(ms, texts)
	ms = r.dropCommonByArticle(ms, sents)
	ms = dropCoinages(ms)
	ms = r.dropQuotedTitles(ms)
	ms = dropNamePieces(ms)
	ms = dropSignOffs(ms, texts)
	for _, m := range ms {
		m.canon = m.name
		switch m.typ {
		case "ORG":
			m.canon = textnorm.WithoutLegalForm(m.name) // "Chrysler Corp" is Chrysler; the mention keeps its words
		case "LOC":
			if st := stateName(m.name); st != "" {
				m.canon = st // "Irvine, Calif." names California
			}
		}
		if isAllCaps(m.canon) && inCapitals(m.sent.toks) {
			if w, ok := listCasing(m.canon); ok {
				m.canon = w // "CANADA" in a capitals headline is Canada
			}
		}
		if a, ok := keyGet(r.aliases, m.canon); ok {
			m.canon = a
		}
	}
	r.linkSurnames(ms)
	ms = r.dropLoneCommonWords(ms)
	ms = dropFamilies(ms)
	for _, m := range ms {
		if a, ok := keyGet(r.aliases, m.canon); ok {
			m.canon = a
		}
	}
	return group(ms)
}

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

// withoutDropped is ms without the mentions marked in drop, in order.
func withoutDropped(ms []*mention, drop map[*mention]bool) []*mention {
	return slices.DeleteFunc(ms, func(m *mention) bool { return drop[m] })
}

func facilityType(w string) string {
	switch {
	case lowerIn(facilityLOC, w, true):
		return "LOC"
	case lowerIn(facilityORG, w, true):
		return "ORG"
	}
	return ""
}

// cleanMentions drops titles, possessives and leading articles from each
// mention and leaves out what is not a name at all: lone titles, common
// capitalised words at the start of a sentence or in a headline.
func (r *Recognizer) cleanMentions(ms []*mention, texts []string) []*mention {
	out := ms[:0]
	for _, m := range ms {
		toks := m.sent.toks
		// "Eastern Europe Group's Bureau": the possessor is the name,
		// unless the possessive is part of it ("Moody's Investors Service").
		for k := m.from + 1; k < m.to; k++ {
			if !isPossessive(toks[k].Text) {
				continue
			}
			if !r.possessiveInName(m, k) {
				m.to = k
				break
			}
			if k+1 < m.to && lowerIn(listJoiners, toks[k+1].Text, false) {
				m.to = k + 1 // "Moody's and Standard and Poor's": two names
				break
			}
		}
		for m.to > m.from && isPossessive(toks[m.to-1].Text) && !r.possessiveInName(m, m.to-1) {
			m.to--
		}
		// Leading connectors, punctuation and words that only stand first
		// ("Hello Mr. President", "But Smith").
		for m.from < m.to && (lowerIn(connectors, toks[m.from].Text, false) || !hasLetterOrDigit(toks[m.from].Text) ||
			m.to-m.from > 1 && lowerIn(leadingWords, toks[m.from].Text, true) && !isAllCaps(toks[m.from].Text)) {
			m.from++
		}
		for m.to > m.from && (lowerIn(connectors, toks[m.to-1].Text, false) || !hasLetterOrDigit(toks[m.to-1].Text) && toks[m.to-1].Text != ")") {
			m.to--
		}
		if m.to-m.from > 1 && m.typ == "PER" && lowerIn(titleWords, toks[m.to-1].Text, true) {
			continue // "Azerbaijani President" describes, it does not name
		}
		if m.typ == "PER" || m.typ == "MISC" || m.typ == "ORG" {
			// Titles in front of a name; for organisations only when a
			// person's name is what remains ("President Aliyev" tagged ORG).
			set := titleWords
			if m.typ != "PER" {
				set = personTitles
			}
			k := m.from
			for k < m.to && lowerIn(set, toks[k].Text, true) {
				k++
			}
			if k > m.from && k < m.to && (m.typ == "PER" || m.to-k <= 3 && !m.facility && allCapitalised(toks[k:m.to])) {
				m.from = k
				if m.typ != "PER" {
					m.typ = "PER"
				}
			} else if k == m.to {
				continue // only titles
			}
		}
		if m.from >= m.to {
			continue
		}
		if r.isJunk(m) || allTitles(toks[m.from:m.to]) {
			continue // "Prosecutor General" is an office, not a name
		}
		m.name = m.text(texts)
		if !strings.ContainsFunc(m.name, unicode.IsLetter) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// isJunk reports whether a mention is no name: a table's or money
// abbreviation, a legal form alone, or words capitalised only because of
// where they stand.
func (r *Recognizer) isJunk(m *mention) bool {
	endings := 0
	for _, t := range m.toks() {
		if lowerIn(wireAbbrevs, t.Text, true) && (!isAllCaps(t.Text) || inCapitals(m.sent.toks)) {
			return true // "Nine Mths", "N.Z. Dlrs": a results table's words
		}
		if textnorm.IsLegalForm(t.Text) {
			endings++
		}
	}
	if endings == m.to-m.from {
		return true // a company's ending alone: "CO" of "ACME CO SETS PAYOUT", "Co Inc"
	}
	if m.to-m.from != 1 {
		// Several words that news writes in lower case: a headline
		// fragment ("Hidden Behind", "Special Envoy"), unless they end in
		// what names a body ("Internal Security Agency") after no place.
		if r.nationalityAndNoun(m) {
			return true // "the French Agency" refers to one named elsewhere
		}
		toks := m.toks()
		first := &mention{seg: m.seg, sent: m.sent, from: m.from, to: m.from + 1}
		if headType(toks[len(toks)-1].Text) == "ORG" && r.knownBits(first)&(1<<2) == 0 {
			return false // but "U.S. Company" only describes
		}
		for _, t := range toks {
			b, ok := r.caseOf(t.Text)
			if !lowerIn(connectors, t.Text, false) && (!ok || b > 1) {
				return false
			}
		}
		return true
	}
	w := m.sent.toks[m.from].Text
	// The case prior counts mixed-case spellings only: it says nothing
	// about an acronym in running text ("U.S.", "UN").
	acronym := isAllCaps(w) && !m.sent.ctx.capsSent
	if b, ok := r.caseOf(w); ok && b <= 1 && !acronym {
		return true // news mostly writes it in lower case: "Conference", "Summit"
	}
	if lowerIn(commonCaps, w, true) || lowerIn(titleWords, w, true) {
		return true
	}
	if _, ok := spelledOutWord(w); ok {
		return true // an abbreviated common word: "Int'l", "Govt."
	}
	if k := strings.TrimSuffix(w, "."); k != w && !strings.Contains(k, ".") && lowerIn(abbreviations, k, false) {
		return true // "St." cut off "St. Petersburg", a lone "Corp."
	}
	if utf8.RuneCountInString(w) < 2 {
		return true
	}
	// A word that news writes in lower case, capitalised here only by
	// position or headline style.
	titleCase := isTitleCase(m.sent.toks)
	exposed := m.from == 0 || m.sent.ctx.capsSent || titleCase
	if b, ok := r.caseOf(w); ok && (b <= 1 && exposed || b <= 2 && titleCase && m.from > 0) {
		// A headline capitalises every word: one that news writes in
		// lower case as often as not is no name alone there ("Upset By
		// International Criticism").
		return true
	}
	return false
}

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

// before orders mentions by position in the article.
func before(a, b *mention) bool {
	if a.seg != b.seg {
		return a.seg < b.seg
	}
	return a.span().Start < b.span().Start
}

// isAcronym: two to eight characters, capitals (digits allowed after the
// first), like "OCCRP", "COP29", "UN".
func isAcronym(w string) bool {
	n := 0
	for i, r := range w {
		switch {
		case unicode.IsUpper(r):
			n++
		case unicode.IsDigit(r) && i > 0:
		case r == '.' || r == '&':
		default:
			return false
		}
	}
	return n >= 2 && len(w) <= 10
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

// group merges mentions with one canonical name into entities. The type is
// the one most mentions have; the spelling is the first mixed-case one, so
// a capitals headline does not decide it.
func group(ms []*mention) []Entity {
	type acc struct {
		e     Entity
		votes [4]int // by typeIndex
		first int
		caps  bool
	}
	byKey := make(map[string]int, len(ms))
	var accs []acc
	for i, m := range ms {
		ai, ok := keyGet(byKey, m.canon)
		if !ok {
			ai = len(accs)
			accs = append(accs, acc{e: Entity{Name: m.canon}, first: i, caps: isAllCaps(m.canon)})
			byKey[nameKey(m.canon)] = ai
		} else if a := &accs[ai]; a.caps && !isAllCaps(m.canon) {
			a.e.Name, a.caps = m.canon, false
		}
		a := &accs[ai]
		if t := typeIndex(m.typ); t >= 0 {
			a.votes[t]++
		}
		if m.seg == 0 {
			a.e.TitleMentions = append(a.e.TitleMentions, m.span())
		} else {
			a.e.Mentions = append(a.e.Mentions, m.span())
		}
	}
	out := make([]Entity, 0, len(accs))
	for i := range accs {
		a := &accs[i]
		best := 0
		for t := range a.votes {
			if a.votes[t] > a.votes[best] {
				best = t
			}
		}
		a.e.Type = Types[best]
		if !startsIncrease(a.e.Mentions) { // as they mostly do: sorting allocates
			sort.Slice(a.e.Mentions, func(i, j int) bool { return a.e.Mentions[i].Start < a.e.Mentions[j].Start })
		}
		out = append(out, a.e)
	}
	return out
}

// startsIncrease reports whether each mention starts after the one before,
// so that sorting by start would leave ms as it is.
func startsIncrease(ms []Mention) bool {
	for i := 1; i < len(ms); i++ {
		if ms[i].Start <= ms[i-1].Start {
			return false
		}
	}
	return true
}

func allTitles(ts []Token) bool {
	for _, t := range ts {
		if !lowerIn(titleWords, t.Text, true) {
			return false
		}
	}
	return len(ts) > 0
}

func allCapitalised(ts []Token) bool {
	for _, t := range ts {
		if !isCapitalised(t.Text) || lowerIn(commonCaps, t.Text, true) {
			return false
		}
	}
	return true
}

func hasLetterOrDigit(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// knownAs reports whether the gazetteer of training names lists the
// mention's words as type t (0 PER, 1 ORG, 2 LOC, 3 MISC).
func (r *Recognizer) knownAs(m *mention, t int) bool {
	h := phraseKey(m.toks())
	return r.m.gaz[h]&(1<<t) != 0
}

// splitAtTitles cuts a span at a person's title inside it: the tagger
// sometimes runs "Department of Pres. Ilham Aliyev of Azerbaijan" into one
// organisation. The part from the title on is a person up to a lower-case
// word ("of"); what follows that is a name of its own.
func splitAtTitles(ms []*mention) []*mention {
	var out []*mention
	for _, m := range ms {
		toks := m.sent.toks
		cut := -1
		for k := m.from + 1; k < m.to; k++ {
			if lowerIn(personTitles, toks[k].Text, true) && (k+1 < m.to && !lowerIn(personTitles, toks[k+1].Text, true) || k+1 == m.to) && !lowerIn(personTitles, toks[k-1].Text, true) {
				cut = k
				break
			}
			if officeHolder(m, k) {
				cut = k
				m.to = nameRunEnd(m, ms)
				break
			}
		}
		if cut < 0 && m.typ != "PER" {
			out = append(out, m)
			continue
		}
		if cut > 0 {
			left := *m
			left.to = cut
			for left.to > left.from+1 && lowerIn(officeModifiers, toks[left.to-1].Text, true) {
				left.to-- // "ICCO Executive Director": the body is ICCO
			}
			out = append(out, &left)
			m = &mention{seg: m.seg, sent: m.sent, from: cut, to: m.to, typ: "PER"}
		}
		// A person's name ends at a lower-case word: "Ilham Aliyev of Azerbaijan".
		end := m.to
		for k := m.from + 1; k < m.to; k++ {
			if connectors[toks[k].Text] {
				end = k
				break
			}
		}
		if end < m.to {
			rest := &mention{seg: m.seg, sent: m.sent, from: end + 1, to: m.to, typ: "LOC"}
			m.to = end
			out = append(out, m)
			if rest.from < rest.to {
				out = append(out, rest)
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// splitKnownNames cuts a person's full name, found as a person elsewhere in
// the article, out of a longer span of another type ("Azerbaijan Ilham
// Aliyev").
func splitKnownNames(ms []*mention) []*mention {
	var names [][]string
	for _, m := range ms {
		if m.typ != "PER" || m.to-m.from < 2 {
			continue
		}
		var ws []string
		for _, t := range m.toks() {
			ws = append(ws, textnorm.Fold(t.Text))
		}
		names = append(names, ws)
	}
	if len(names) == 0 {
		return ms
	}
	var out []*mention
	for _, m := range ms {
		if m.typ == "PER" || m.facility || m.to-m.from < 3 {
			out = append(out, m)
			continue
		}
		toks := m.sent.toks
		done := false
		for _, n := range names {
			for k := m.from; k+len(n) <= m.to && !done; k++ {
				match := true
				for j, w := range n {
					if textnorm.Fold(toks[k+j].Text) != w {
						match = false
						break
					}
				}
				if !match || k+len(n) == m.to && k == m.from {
					continue
				}
				if k+len(n) == m.to-1 && (headType(toks[m.to-1].Text) != "" || facilityType(toks[m.to-1].Text) != "") {
					// A work or body named after the person: "Untitled
					// Oliver Stone Documentary", "Heydar Aliyev Foundation".
					if t := headType(toks[m.to-1].Text); t != "" {
						m.typ = t
					}
					break
				}
				if k > m.from {
					out = append(out, &mention{seg: m.seg, sent: m.sent, from: m.from, to: k, typ: m.typ})
				}
				out = append(out, &mention{seg: m.seg, sent: m.sent, from: k, to: k + len(n), typ: "PER"})
				if k+len(n) < m.to {
					out = append(out, &mention{seg: m.seg, sent: m.sent, from: k + len(n), to: m.to, typ: m.typ})
				}
				done = true
			}
			if done {
				break
			}
		}
		if !done {
			out = append(out, m)
		}
	}
	return out
}
