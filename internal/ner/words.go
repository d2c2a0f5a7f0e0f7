package ner

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// Word lists and tests on words that rules of several kinds share.

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

func facilityType(w string) string {
	switch {
	case lowerIn(facilityLOC, w, true):
		return "LOC"
	case lowerIn(facilityORG, w, true):
		return "ORG"
	}
	return ""
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

var closeQuotes = toSet("\" ' ” ’ »")

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

// closeQuoteOf pairs each opening quote with its closing one.
var closeQuoteOf = map[string]string{"“": "”", "‘": "’", "\"": "\"", "«": "»", "'": "'"}

// inFolded reports whether set holds w folded and lower-cased.
func inFolded(set map[string]bool, w string) bool {
	in, _ := foldGet(set, w)
	return in
}

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
