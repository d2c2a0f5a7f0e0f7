package ner

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/folio-search/folio/internal/textnorm"
)

// Canonical names: the name each mention goes by (without legal form,
// states spelled out, the lists' casing, configured aliases), and the
// grouping of mentions with one name into entities.

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

// foldRepublics names a country by its short name when the article uses
// both: "the Republic of Armenia" and "Armenia", "the Islamic Republic of
// Iran" and "Iran" are one place. An article that says only "Republic of
// Armenia" keeps it.
func foldRepublics(ms []*mention, texts []string) {
	if !slices.ContainsFunc(ms, func(m *mention) bool { return m.typ == "LOC" && republicOf(m.toks()) >= 0 }) {
		return // as in most articles: no places to collect
	}
	places := map[string]string{}
	for _, m := range ms {
		if m.typ == "LOC" {
			places[nameKey(m.name)] = m.name
		}
	}
	for _, m := range ms {
		if m.typ != "LOC" {
			continue
		}
		if k := republicOf(m.toks()); k >= 0 {
			// The name is spaced as cleaned, not as written: cut X from the text.
			x := mention{seg: m.seg, sent: m.sent, from: m.from + k + 2, to: m.to}
			if short, ok := places[nameKey(x.text(texts))]; ok {
				m.name = short
			}
		}
	}
}

// republicOf is where the first "Republic of" before a word stands in
// toks, or -1.
func republicOf(toks []Token) int {
	for k := 0; k+2 < len(toks); k++ {
		if toks[k].Text == "Republic" && toks[k+1].Text == "of" {
			return k
		}
	}
	return -1
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

// canonicalNames gives each mention its canonical name: an organisation's
// without its legal form, a state's for its abbreviation, the lists'
// casing for a name in a capitals headline, and the configured alias.
func (r *Recognizer) canonicalNames(ms []*mention) {
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
		r.alias(m)
	}
}

// applyAliases replaces each canonical name by its alias.
func (r *Recognizer) applyAliases(ms []*mention) {
	for _, m := range ms {
		r.alias(m)
	}
}

// alias gives m the canonical name of its aliases: the configured ones
// first, then the built-in list of its type, then a broadcaster's for its
// channels ("BBC Radio 4" is the BBC).
func (r *Recognizer) alias(m *mention) {
	if a, ok := keyGet(r.aliases, m.canon); ok {
		m.canon = a
		return
	}
	if m.typ == "ORG" {
		if p := parentOfUnit(m.canon); p != "" {
			m.canon = p
		}
		if stem, ok := strings.CutSuffix(m.canon, ".com"); ok && len(stem) > 1 && isCapitalised(stem) {
			m.canon = stem // "Amazon.com" is Amazon
		}
		// Replace allocates even when it finds nothing, as it mostly does.
		if strings.Contains(m.canon, "Organisation") || strings.Contains(m.canon, " & ") {
			m.canon = orgSpelling.Replace(m.canon)
		}
	}
	if a, ok := builtinAlias(m.typ, m.canon); ok {
		m.canon = a
	}
}

// orgSpelling gives the spelling variants of organisations' names one
// form: British and American spellings of "Organization", and "&" for
// "and" between words ("Standard & Poor's").
var orgSpelling = strings.NewReplacer("Organisation", "Organization", " & ", " and ")
