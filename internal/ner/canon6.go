package ner

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/folio-search/folio/internal/textnorm"
)

// wireAbbrevs are the abbreviations of news wires' results tables and
// money figures ("Nine mths", "N.Z. dlrs", "Shr"); no name holds one, so
// a mention that does is no entity. In capitals outside a capitals
// headline they are acronyms ("PCT"), which names may hold.
var wireAbbrevs = toSet(`dlrs dlr mths mth mln mlns bln pct cts shr shrs qtr qtrs revs`)

// isCompanyEnd reports whether a company's full name may end in w: a
// legal form, abbreviated or not ("Corp", "Corporation").
func isCompanyEnd(w string) bool {
	return textnorm.IsLegalForm(w) || strings.EqualFold(w, "corporation") || strings.EqualFold(w, "incorporated")
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

// officeTitles name an office its holder is written after, inside a
// body's name: "Federal Reserve Board Chairman Paul Volcker", "U.S. Trade
// Representative Clayton Yeutter".
var officeTitles = toSet(`chairman chairwoman secretary representative director commissioner spokesman spokeswoman
treasurer administrator undersecretary under-secretary`)

// officeModifiers come before an office title and belong to it, not to
// the body named before them: "ICCO Executive Director".
var officeModifiers = toSet(`executive senior associate deputy assistant vice acting chief managing special`)

// officeHolder reports whether token k of mention m is an office title
// (after no other title) followed, to the end of the mention, by
// capitalised words that are no title and do not end in what names a
// body: the mention is an office and a person, cut at k.
func officeHolder(m *mention, k int) bool {
	toks := m.sent.toks
	if !lowerIn(officeTitles, toks[k].Text, true) || lowerIn(titleWords, toks[k-1].Text, true) || k+1 >= m.to {
		return false
	}
	for j := k + 1; j < m.to; j++ {
		if !isCapitalised(toks[j].Text) || lowerIn(titleWords, toks[j].Text, true) {
			return false
		}
	}
	return headType(toks[m.to-1].Text) == "" && facilityType(toks[m.to-1].Text) == ""
}

// nameRunEnd is where a person's name at the end of mention m ends: up to
// two capitalised words the tagger left out right after m ("Clayton" +
// "Yeutter") are taken in, unless they are in another mention of ms.
func nameRunEnd(m *mention, ms []*mention) int {
	toks, to := m.sent.toks, m.to
	end := to
	for end < len(toks) && end < to+2 && isCapitalised(toks[end].Text) && !isAllCaps(toks[end].Text) &&
		!lowerIn(titleWords, toks[end].Text, true) {
		end++
	}
	for _, o := range ms {
		if o.sent == m.sent && o.from >= to && o.from < end {
			end = o.from
		}
	}
	return end
}

// listCasings maps every name of the lists, folded and lower-cased, to
// how the first list to hold it writes it, or to "" when any list writes
// it in capitals: "canada" -> "Canada", "fed" -> "Fed", "opec" -> "".
var listCasings = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	eachListName(func(_ listFile, name string) {
		key := strings.ToLower(textnorm.Fold(name))
		if isAllCaps(name) {
			out[key] = "" // an acronym somewhere: "OPEC", never "Opec"
		} else if _, ok := out[key]; !ok {
			out[key] = name
		}
	})
	return out
})

// listCasing is how the lists write a name given in capitals, so that a
// capitals headline's "NEW YORK" and another article's "New York" are one
// facet value across the corpus. A name the lists hold in capitals, or
// not at all, has none.
func listCasing(name string) (string, bool) {
	w := listCasings()[strings.ToLower(textnorm.Fold(name))]
	return w, w != ""
}

// inCapitals reports whether a sentence is written in capitals, as wire
// headlines are: three words or more, four in five of them in capitals.
// (The tagger's own flag is off for a headline it has true-cased.)
func inCapitals(toks []Token) bool {
	words, caps := 0, 0
	for _, t := range toks {
		if len(t.Text) < 2 || !hasLetterOrDigit(t.Text) || hasDigit(t.Text) {
			continue
		}
		words++
		if isAllCaps(t.Text) {
			caps++
		}
	}
	return words >= 3 && caps*5 >= words*4
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

// stateAbbrevs are the abbreviations news writes for American states
// after a town ("Irvine, Calif."), folded to lower case without their
// dots, and the states they stand for. "Miss" is left out (a title too).
var stateAbbrevs = map[string]string{
	"ala": "Alabama", "ariz": "Arizona", "ark": "Arkansas", "calif": "California", "colo": "Colorado",
	"conn": "Connecticut", "del": "Delaware", "fla": "Florida", "ga": "Georgia", "ill": "Illinois",
	"ind": "Indiana", "kan": "Kansas", "kans": "Kansas", "ky": "Kentucky", "la": "Louisiana",
	"md": "Maryland", "mass": "Massachusetts", "mich": "Michigan", "minn": "Minnesota", "mo": "Missouri",
	"mont": "Montana", "neb": "Nebraska", "nev": "Nevada", "nh": "New Hampshire", "nj": "New Jersey",
	"nm": "New Mexico", "ny": "New York", "nc": "North Carolina", "nd": "North Dakota", "okla": "Oklahoma",
	"ore": "Oregon", "pa": "Pennsylvania", "penn": "Pennsylvania", "ri": "Rhode Island", "sc": "South Carolina",
	"sd": "South Dakota", "tenn": "Tennessee", "tex": "Texas", "vt": "Vermont", "va": "Virginia",
	"wash": "Washington", "wva": "West Virginia", "wis": "Wisconsin", "wyo": "Wyoming",
}

// stateName is the state a place's abbreviated name stands for ("Calif",
// "N.Y."), or "". Capitals (a postal code such as "PA") are no
// abbreviation here: they are often a body's initials.
func stateName(name string) string {
	key := strings.ToLower(strings.ReplaceAll(name, ".", ""))
	if len(name) > 6 || !strings.ContainsFunc(name, unicode.IsLower) && (!strings.Contains(name, ".") || !dottedStates[key]) {
		return "" // "PA", and "L.A." is Los Angeles, not "La." (Louisiana)
	}
	return stateAbbrevs[key]
}

// dottedStates are the abbreviations written in dotted capitals: "N.Y.".
var dottedStates = toSet(`nh nj nm ny nc nd ri sc sd`)
