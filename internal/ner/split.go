package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// Splitting: rules that cut a span the tagger ran over two names (or on
// into a clause) into the names it holds.

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
