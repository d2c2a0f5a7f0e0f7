package ner

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// Dropping: rules that trim what is not part of a name from a mention
// (titles, possessives, leading words) and leave out mentions that are no
// names at all: common words capitalised by their place, coinages, the
// words of a quoted title, pieces of names, families, sign-offs.

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

// workIntros introduce the quoted title of a work: "an article titled,
// “…”", "the documentary “…”".
var workIntros = toSet(`titled entitled headlined called documentary film movie book article report
story series song album novel play`)

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

// dropSignOffs leaves out a person named alone on the last line of the
// body, where a wire's sign-off stands ("REUTER"): the tagger takes it for
// a person, but it says who sent the story, not whom it is about. A place
// or body there ends a table (a ticker, a tender's country) and stays.
func dropSignOffs(ms []*mention, texts []string) []*mention {
	body := strings.TrimRightFunc(texts[1], func(r rune) bool { return r == '.' || r == '\u2026' || unicode.IsSpace(r) })
	last := body[strings.LastIndexByte(body, '\n')+1:]
	if strings.TrimSpace(last) == "" || strings.ContainsFunc(strings.TrimSpace(last), unicode.IsSpace) {
		return ms // the last line is a sentence, not a sign-off
	}
	return slices.DeleteFunc(ms, func(m *mention) bool {
		sp := m.span()
		return m.seg == 1 && m.to-m.from == 1 && sp.Start >= len(body)-len(last) && m.typ == "PER"
	})
}
