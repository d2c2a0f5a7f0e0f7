package quote

import (
	"sort"
	"strings"

	"github.com/folio-search/folio/corpus"
)

// reach bounds how far back a pronoun or description looks for its
// person or organisation, in bytes: further than that is a guess.
const reach = 1500

// resolve finds the speaker a subject phrase names. nearEnd says the
// phrase ends at the verb (X said), so its last words are its head.
func (d *doc) resolve(subj []tok, anchor int, nearEnd bool) attribution {
	if len(subj) == 0 {
		return attribution{}
	}
	from, to := subj[0].start, subj[len(subj)-1].end
	head := subj[0]
	if nearEnd {
		head = subj[len(subj)-1]
	}
	if g, ok := subjectPronouns[head.lower()]; ok {
		if m, ok := d.salient(head.start, g); ok {
			return d.found(m, corpus.SpeakerPerson, RoutePronoun)
		}
		return attribution{}
	}
	if otherPronouns[head.lower()] {
		return attribution{}
	}
	if m, ok := pick(d.persons, from, to, nearEnd); ok {
		// Mr Blair is found through the title; Sir Teddy Taylor is named.
		route := RouteExplicit
		if _, h := honorifics[strings.ToLower(wordBefore(d.a.Body, from, m.start))]; h && m.end-m.start < len(d.a.Entities[m.entity].Name) {
			route = RouteTitle
		}
		return d.found(m, corpus.SpeakerPerson, route)
	}
	// The Spectator editor: a person described by the body they work for.
	role := nearEnd && !head.punct && !head.capitalised() && !orgNouns[head.lower()]
	if m, ok := pick(d.orgs, from, to, nearEnd); ok && !role {
		return d.found(m, corpus.SpeakerOrg, RouteOrganisation)
	}
	// Mr Blair, Lord Tebbit, with no mention found.
	for i := 0; i+1 < len(subj); i++ {
		h := subj[i].lower()
		if _, ok := honorifics[h]; ok && subj[i+1].capitalised() {
			name := subj[i+1].s
			if e := d.bySurname(name); e >= 0 {
				return attribution{speaker: d.fullName(e), kind: corpus.SpeakerPerson, route: RouteTitle, entity: e + 1}
			}
			if peerages[h] {
				name = subj[i].s + " " + name
			}
			return attribution{speaker: name, kind: corpus.SpeakerPerson, route: RouteTitle}
		}
	}
	det := subj[0].lower()
	words := subj
	if nearEnd {
		// the words from the determiner on: "Meanwhile the minister"
		for i := len(subj) - 1; i >= 0; i-- {
			if w := subj[i].lower(); w == "the" || w == "a" || w == "an" || w == "its" || w == "his" || w == "her" {
				det, words = w, subj[i:]
				break
			}
		}
	}
	hw := words[len(words)-1].lower()
	if !nearEnd {
		hw = lastLower(words)
	}
	switch det {
	case "a", "an":
		return attribution{} // a judge said: someone the text does not name
	case "the", "its", "his", "her":
		if orgNouns[hw] {
			if m, ok := d.nearest(d.orgs, from, 0, hw); ok {
				return d.found(m, corpus.SpeakerOrg, RouteOrganisation)
			}
			return attribution{}
		}
		if det == "the" && hw != "" {
			if m, ok := d.nearest(d.persons, from, 0, hw); ok && d.introducedAs(m.entity, hw) {
				return d.found(m, corpus.SpeakerPerson, RouteTitle)
			}
			if m, ok := d.salient(from, 0); ok {
				return d.found(m, corpus.SpeakerPerson, RouteTitle)
			}
		}
		return attribution{}
	}
	// A name the entities missed: a surname of a known person, or the
	// name as written.
	caps := 0
	for _, t := range words {
		if !t.punct && t.capitalised() {
			caps++
		}
	}
	if caps == len(words) && caps <= 4 {
		if e := d.bySurname(words[len(words)-1].s); e >= 0 {
			return attribution{speaker: d.fullName(e), kind: corpus.SpeakerPerson, route: RouteExplicit, entity: e + 1}
		}
		if caps >= 2 {
			names := make([]string, len(words))
			for i, t := range words {
				names[i] = t.s
			}
			return attribution{speaker: strings.Join(names, " "), kind: corpus.SpeakerPerson, route: RouteExplicit}
		}
	}
	return attribution{}
}

func lastLower(ts []tok) string {
	for i := len(ts) - 1; i >= 0; i-- {
		if !ts[i].punct {
			return ts[i].lower()
		}
	}
	return ""
}

func (d *doc) found(m mention, kind, route string) attribution {
	name := d.a.Entities[m.entity].Name
	if kind == corpus.SpeakerPerson {
		name = d.fullName(m.entity)
		// Lady Hale: a peerage is kept when it is all the name there is.
		if w := strings.ToLower(wordBefore(d.a.Body, max(0, m.start-8), m.start)); peerages[w] && !strings.Contains(name, " ") {
			name = wordBefore(d.a.Body, max(0, m.start-8), m.start) + " " + name
		}
	}
	return attribution{speaker: name, kind: kind, route: route, entity: m.entity + 1}
}

// fullName is a person's fullest name in the article, as the person
// facet may have it cut: an entity named by one word (Kujda) that one
// other person's name, introduced before, begins or ends with (Jarek
// Kujda) is that person; so is one whose mention directly follows a
// given name in the text (Juan Carlos Ferrero) or precedes a surname the entities
// missed (Hazel + Blears).
func (d *doc) fullName(e int) string {
	name := d.a.Entities[e].Name
	if strings.Contains(name, " ") {
		return name
	}
	first := len(d.a.Body)
	for _, m := range d.a.Entities[e].Mentions {
		first = min(first, m.Start)
	}
	full := ""
	for _, o := range d.a.Entities {
		if o.Type != "PER" || !(strings.HasSuffix(o.Name, " "+name) || strings.HasPrefix(o.Name, name+" ")) {
			continue
		}
		if len(o.Mentions) == 0 || o.Mentions[0].Start > first {
			continue
		}
		if full != "" && full != o.Name {
			return name // two people: no guess
		}
		full = o.Name
	}
	if full != "" {
		return full
	}
	body := d.a.Body
	for _, p := range d.persons {
		if rest := body[p.end:]; p.entity != e && strings.HasPrefix(rest, " "+name) &&
			(len(rest) == len(name)+1 || !isLetterOrDigit(rune(rest[len(name)+1]))) {
			return body[p.start : p.end+1+len(name)]
		}
	}
	for _, m := range d.a.Entities[e].Mentions {
		if ts := tokens(body, m.End, min(len(body), m.End+30)); len(ts) > 1 && ts[0].start == m.End+1 &&
			ts[0].capitalised() && !ts[0].punct && isName(ts[0].s) && (ts[1].punct || speechVerbs[ts[1].lower()]) {
			return body[m.Start:ts[0].end]
		}
	}
	return name
}

// isName reports whether a word looks like a surname: capitalised
// letters, not all capitals.
func isName(w string) bool {
	lower := 0
	for _, r := range w {
		if r >= 'a' && r <= 'z' {
			lower++
		}
	}
	return lower > 0 && !otherPronouns[strings.ToLower(w)]
}

// namedIn reports whether a word of the name (of three letters or more)
// stands in the quote: people seldom speak of themselves by name.
func namedIn(name, quote string) bool {
	for _, w := range strings.Fields(name) {
		if len(w) < 3 {
			continue
		}
		for i := strings.Index(quote, w); i >= 0; {
			end := i + len(w)
			if (i == 0 || !isLetterOrDigit(rune(quote[i-1]))) && (end == len(quote) || !isLetterOrDigit(rune(quote[end]))) {
				return true
			}
			j := strings.Index(quote[end:], w)
			if j < 0 {
				break
			}
			i = end + j
		}
	}
	return false
}

// salient finds whom a pronoun or a description at p means: the
// nearest earlier speaker or subject of fitting gender within reach, or
// failing those the nearest person mentioned.
func (d *doc) salient(p int, g byte) (mention, bool) {
	fits := func(m mention) bool {
		return p-m.end <= reach && (g == 0 || d.gender[m.entity] == 0 || d.gender[m.entity] == g) &&
			!namedIn(d.a.Entities[m.entity].Name, d.quoted)
	}
	var best mention
	found := false
	for j := sort.Search(len(d.persons), func(i int) bool { return d.persons[i].start >= p }) - 1; j >= 0; j-- {
		if m := d.persons[j]; m.salient && fits(m) {
			best, found = m, true
			break
		}
	}
	for j := len(d.speakers) - 1; j >= 0; j-- {
		if m := d.speakers[j]; m.start < p && fits(m) {
			if !found || m.start > best.start {
				best, found = m, true
			}
			break
		}
	}
	if found {
		return best, true
	}
	return d.nearest(d.persons, p, g, "")
}

// pick returns the mention inside [from, to): the last when the phrase
// ends at the verb, else the first.
func pick(ms []mention, from, to int, last bool) (mention, bool) {
	i := sort.Search(len(ms), func(i int) bool { return ms[i].start >= from })
	var got mention
	ok := false
	for ; i < len(ms) && ms[i].end <= to; i++ {
		got, ok = ms[i], true
		if !last {
			break
		}
	}
	return got, ok
}

// nearest finds the closest mention before p, within reach, whose
// entity fits the gender g (0: any); with a role word, one introduced by
// that word (Prime Minister Tony Blair for "the prime minister") wins.
func (d *doc) nearest(ms []mention, p int, g byte, role string) (mention, bool) {
	i := sort.Search(len(ms), func(i int) bool { return ms[i].start >= p })
	var first mention
	found := false
	for j := i - 1; j >= 0 && p-ms[j].end <= reach; j-- {
		m := ms[j]
		if g != 0 && d.gender[m.entity] != 0 && d.gender[m.entity] != g {
			continue
		}
		if !found {
			first, found = m, true
			if role == "" {
				return m, true
			}
		}
		if role != "" && d.introducedAs(m.entity, role) {
			return m, true
		}
	}
	return first, found
}

// introducedAs reports whether any mention of entity e has the role
// word just before it or in its name.
func (d *doc) introducedAs(e int, role string) bool {
	ent := d.a.Entities[e]
	if strings.Contains(strings.ToLower(ent.Name), role) {
		return true
	}
	for _, m := range ent.Mentions {
		lo := max(0, m.Start-40)
		if m.Start <= len(d.a.Body) && strings.Contains(strings.ToLower(d.a.Body[lo:m.Start]), role) {
			return true
		}
	}
	return false
}

// bySurname finds the person entity whose name ends in surname.
func (d *doc) bySurname(surname string) int {
	found := -1
	for i, e := range d.a.Entities {
		if e.Type == "PER" && (e.Name == surname || strings.HasSuffix(e.Name, " "+surname)) {
			if found >= 0 && d.a.Entities[found].Name != e.Name {
				return -1 // two people of that name: no guess
			}
			found = i
		}
	}
	return found
}

func wordBefore(body string, lo, p int) string {
	j := p
	for j > lo && body[j-1] == ' ' {
		j--
	}
	i := j
	for i > lo && body[i-1] != ' ' && body[i-1] != '\n' {
		i--
	}
	return strings.TrimSuffix(body[i:j], ".")
}

// continuation gives a quote with no cue of its own the speaker of the
// indirect speech or the quote just before it, when nothing in between
// names someone else.
func (d *doc) continuation(s span, prev *attribution, prevEnd int) attribution {
	body := d.a.Body
	lo := max(s.paraStart-reach/3, prevEnd, s.open-400, 0)
	if prevEnd < 0 {
		lo = max(s.paraStart, s.open-400)
	}
	if lo > s.open {
		return attribution{}
	}
	if prevEnd >= 0 && lo == prevEnd {
		lo = sentenceEnd(body, lo, s.open)
	}
	ts := tokens(body, lo, s.open)
	// Indirect speech just before: Barrow said he was surprised. "…"
	for v := len(ts) - 1; v >= 0; v-- {
		if !speechVerbs[ts[v].lower()] || v > 0 && passives[ts[v-1].lower()] {
			continue
		}
		a := v
		for a > 0 && (auxiliaries[ts[a-1].lower()] || adverbs[ts[a-1].lower()]) {
			a--
		}
		st := sentenceStart(body, lo, ts[v].start)
		k := a
		for k > 0 && ts[k-1].start >= st {
			k--
		}
		at := d.resolve(trimPunct(ts[k:a]), ts[max(k, 0)].start, true)
		if at.speaker == "" {
			return attribution{}
		}
		at.route, at.continued, at.cue = RouteContinuation, true, ""
		return at
	}
	if prev == nil || prev.speaker == "" {
		return attribution{}
	}
	words := 0
	for _, t := range ts {
		if !t.punct {
			words++
		}
	}
	if words > 0 {
		// Narration between: only when it names no one else.
		if _, ok := pick(d.persons, lo, s.open, false); ok {
			return attribution{}
		}
	}
	at := *prev
	at.route, at.continued = RouteContinuation, true
	if words > 0 {
		at.cue = ""
	}
	return at
}

// sentenceEnd is where the sentence running at p ends, at most hi.
func sentenceEnd(text string, p, hi int) int {
	for i := p; i < hi; i++ {
		if c := text[i]; c == '.' || c == '?' || c == '!' {
			if i+1 == hi || text[i+1] == ' ' || text[i+1] == '\n' {
				return i + 1
			}
		}
	}
	return p
}
