package quote

import (
	"sort"
	"strings"

	"github.com/folio-search/folio/corpus"
)

// attribution is what the sieve found for one quote.
type attribution struct {
	speaker, kind, cue, route string
	cued                      bool // a speech cue presents the words as someone's
	label                     bool // Name: "…"
	continued                 bool // speaker carried over from before
	end                       int  // where the attribution's words end
	entity                    int  // the speaker's entity + 1; 0 when none
}

// mention is an entity mention outside quotes. A salient one is a
// subject: it opens its sentence or a speech verb follows it.
type mention struct {
	start, end int
	entity     int
	salient    bool
}

// doc is an article prepared for attribution.
type doc struct {
	a       *corpus.Article
	spans   []span
	persons []mention // sorted by start
	orgs    []mention
	gender  []byte // by entity: 'm', 'f' or 0
	// speakers are the people quotes were given to so far, at the
	// quote's start, in order: a pronoun most often means one of them.
	speakers []mention
	quoted   string // the text of the quote being attributed
}

func newDoc(a *corpus.Article, spans []span) *doc {
	d := &doc{a: a, spans: spans, gender: make([]byte, len(a.Entities))}
	inQuote := func(p int) bool {
		k := sort.Search(len(spans), func(k int) bool { return spans[k].end > p })
		return k < len(spans) && spans[k].start <= p
	}
	for i, e := range a.Entities {
		for _, m := range e.Mentions {
			if m.Start < 0 || m.End > len(a.Body) || m.Start >= m.End {
				continue
			}
			if g := genderCue(a.Body, m); g != 0 && e.Type == "PER" {
				d.gender[i] = g
			}
			if inQuote(m.Start) {
				continue
			}
			switch e.Type {
			case "PER":
				d.persons = append(d.persons, mention{m.Start, m.End, i, false})
			case "ORG":
				d.orgs = append(d.orgs, mention{m.Start, m.End, i, false})
			}
		}
	}
	byStart := func(ms []mention) { sort.Slice(ms, func(i, j int) bool { return ms[i].start < ms[j].start }) }
	byStart(d.persons)
	byStart(d.orgs)
	for j := range d.persons {
		m := &d.persons[j]
		m.salient = speaks(a.Body, m.end) || opensSentence(a.Body, m.start) && (j == 0 || d.persons[j-1].end < sentenceStart(a.Body, max(0, m.start-120), m.start))
	}
	return d
}

// speaks reports whether a verb of speech or opinion follows a mention
// ending at end, past a relative clause; or a restrictive relative
// clause introduces the person (skipper Brian O'Driscoll who missed).
func speaks(body string, end int) bool {
	ts := tokens(body, end, min(len(body), end+160))
	if len(ts) > 1 && ts[0].s == "," && relatives[ts[1].lower()] {
		ts = withoutRelatives(ts)[1:] // Ferrero, who was upset, hinted
	}
	for _, t := range ts {
		w := t.lower()
		if auxiliaries[w] || adverbs[w] {
			continue
		}
		return speechVerbs[w] || opinionVerbs[w] || w == "who"
	}
	return false
}

// opensSentence reports whether a mention at p is its sentence's
// subject by place: only a few words of description (no preposition,
// no comma) stand between the sentence's start and it. (The caller
// rules out a person named before it in the sentence.)
func opensSentence(body string, p int) bool {
	lo := max(0, p-120)
	st := sentenceStart(body, lo, p)
	if p-st > 60 || st == lo && lo > 0 {
		return false
	}
	before := tokens(body, st, p)
	if len(before) > 5 {
		return false
	}
	for _, t := range before {
		if t.punct && t.s != "-" || prepositions[t.lower()] {
			return false
		}
	}
	return true
}

// genderCue gives the gender that an honorific before a mention or a
// noun in its apposition shows: Mr Blair; Malgorzata Kujda, Jarek's
// younger sister.
func genderCue(body string, m corpus.Mention) byte {
	if g := honorificBefore(body, m.Start); g != 0 {
		return g
	}
	if m.End+2 > len(body) || body[m.End:m.End+2] != ", " {
		return 0
	}
	for _, t := range tokens(body, m.End+2, min(len(body), m.End+50)) {
		if t.punct {
			break
		}
		if g := genderNouns[t.lower()]; g != 0 {
			return g
		}
	}
	return 0
}

// honorificBefore gives the gender of an honorific just before p.
func honorificBefore(body string, p int) byte {
	lo := max(0, p-6)
	w := strings.Fields(body[lo:p])
	if len(w) == 0 || p-lo < 3 || body[p-1] != ' ' {
		return 0
	}
	return honorifics[strings.ToLower(strings.TrimSuffix(w[len(w)-1], "."))]
}

// sentenceStart finds where the sentence holding position p begins, not
// before lo.
func sentenceStart(text string, lo, p int) int {
	for i := p - 1; i > lo; i-- {
		c := text[i]
		if (c == ' ' || c == '\n') && i > lo+1 {
			e := text[i-1]
			if e == '.' || e == '?' || e == '!' {
				w := lastWord(text, lo, i-1)
				if _, abbr := honorifics[strings.ToLower(w)]; abbr || len(w) == 1 {
					continue
				}
				return i + 1
			}
			if e == '"' || e == '\'' || e == 0x9d || e == 0x99 { // " ' ” ’
				if i > lo+2 && strings.ContainsAny(text[i-2:i-1], ".?!") {
					return i + 1
				}
			}
		}
	}
	return lo
}

func lastWord(text string, lo, i int) string {
	j := i
	for j > lo && text[j-1] != ' ' && text[j-1] != '\n' {
		j--
	}
	return text[j:i]
}

// attribute runs the explicit, title, pronoun and organisation rules on
// the words after and before quote k.
func (d *doc) attribute(s span, k int) attribution {
	body := d.a.Body
	d.quoted = body[s.start:s.end]
	hi, _ := paragraphEnd(body, s.after)
	if k+1 < len(d.spans) && d.spans[k+1].open < hi {
		hi = d.spans[k+1].open
	}
	hi = min(hi, s.after+200)
	if at, ok := d.after(s, tokens(body, s.after, hi)); ok {
		return at
	}
	lo := s.paraStart
	if k > 0 && d.spans[k-1].after > lo {
		lo = d.spans[k-1].after
	}
	lo = max(lo, s.open-300)
	before := tokens(body, sentenceStart(body, lo, s.open), s.open)
	if at, ok := d.before(s, before); ok {
		return at
	}
	return attribution{}
}

// after tries "…," X said / "…," said X / "…," according to X.
func (d *doc) after(s span, ts []tok) (attribution, bool) {
	text := strings.TrimRight(d.a.Body[s.start:s.end], " ")
	for len(ts) > 0 && ts[0].punct && strings.Contains(",—–-", ts[0].s) {
		ts = ts[1:]
	}
	if len(ts) == 0 || ts[0].punct || conjunctions[ts[0].lower()] {
		return attribution{}, false // the sentence goes on or ends: no attribution here
	}
	// After the quote comes a name (perhaps after its title: chief
	// executive James Skinner), a pronoun, a determiner or the verb; a
	// common noun means the quote modifies it (his "Nazi" comment to…).
	if !opensAttribution(ts) {
		return attribution{}, false
	}
	// After a quoted full sentence a new sentence may begin; only a verb
	// close by makes it the attribution ("…." Hailey later recalled).
	window := 14
	if strings.HasSuffix(text, ".") {
		window = 5
	}
	if len(ts) >= 3 && ts[0].lower() == "according" && ts[1].lower() == "to" {
		subj := phrase(ts[2:])
		at := d.resolve(subj, s.open, false)
		at.cue, at.cued, at.end = "according to", true, subj[len(subj)-1].end
		return at, true
	}
	// "…," said X (never "told X": that X is a listener; never a base
	// form: his "Nazi" comment)
	if v := verbAt(ts, 0); v >= 0 && !tellVerbs[ts[v].lower()] && inflected(ts[v].lower()) {
		cue, rest := cueFrom(ts, 0, v)
		subj := phrase(rest)
		if n := len(subj); n > 0 && n < len(rest) && rest[n].s == ":" {
			return attribution{}, false
		}
		if len(subj) == 0 {
			return attribution{}, false
		}
		at := d.resolve(subj, s.open, false)
		at.end = subj[len(subj)-1].end
		// said his wife, Sheila: the apposition names the speaker.
		if n := len(subj); n < len(rest)-1 && rest[n].s == "," && rest[n+1].capitalised() && !subj[0].capitalised() {
			name := phrase(rest[n+1:])
			if named := d.resolve(name, s.open, false); named.speaker != "" {
				at, at.end = named, name[len(name)-1].end
			} else if len(name) == 1 {
				at = attribution{speaker: name[0].s, kind: corpus.SpeakerPerson, route: RouteExplicit, end: name[0].end}
			}
		}
		at.cue, at.cued = cue, true
		return at, true
	}
	// "…," X said
	for v := 1; v < len(ts) && v <= window; v++ {
		if ts[v].punct && !(ts[v].s == "," || ts[v].s == "'" || ts[v].s == "’") {
			break
		}
		if !isSpeech(ts, v) {
			continue
		}
		a := v
		for a > 0 && (auxiliaries[ts[a-1].lower()] || adverbs[ts[a-1].lower()]) {
			a--
		}
		if a == 0 || passives[ts[v-1].lower()] {
			return attribution{}, false
		}
		subj := trimPunct(ts[:a])
		if len(subj) == 0 {
			return attribution{}, false
		}
		cue, rest := cueFrom(ts, a, v)
		if len(rest) > 0 && rest[0].s == ":" {
			return attribution{}, false // X said: introduces the next quote
		}
		at := d.resolve(subj, s.open, true)
		at.cue, at.cued, at.end = cue, true, ts[v].end
		if len(rest) > 0 && len(cue) > len(ts[v].s) {
			at.end = rest[0].start
		}
		return at, true
	}
	return attribution{}, false
}

// before tries X said: "…" / X told the BBC "…" / according to X, "…"
// and the label format Name: "…".
func (d *doc) before(s span, ts []tok) (attribution, bool) {
	if len(ts) == 0 {
		return attribution{}, false
	}
	// Name: "…" at the start of a paragraph: a match report's voices.
	if n := len(ts); n >= 2 && n <= 9 && ts[n-1].s == ":" && lineStart(d.a.Body, s.paraStart, ts[0].start) {
		label := trimPunct(ts[:n-1])
		for len(label) > 0 && label[0].punct {
			label = label[1:]
		}
		if len(label) > 0 && label[len(label)-1].capitalised() && !hasVerb(label) {
			at := d.resolve(label, s.open, true)
			if at.speaker != "" {
				at.label, at.cue, at.route = true, "", RouteExplicit
				return at, true
			}
		}
	}
	short := !sentenceLike(d.a.Body[s.start:s.end])
	for v := len(ts) - 1; v >= 0; v-- {
		w := ts[v].lower()
		if w == "according" && v+1 < len(ts) && ts[v+1].lower() == "to" {
			subj := phrase(ts[v+2:])
			if len(subj) == 0 {
				return attribution{}, false
			}
			at := d.resolve(subj, subj[0].start, false)
			at.cue, at.cued = "according to", true
			return at, true
		}
		if !isSpeech(ts, v) || ts[v].capitalised() && v > 0 {
			continue
		}
		if short && breaks(ts[v+1:]) {
			return attribution{}, false // the verb governs another clause
		}
		a := v
		for a > 0 && (auxiliaries[ts[a-1].lower()] || adverbs[ts[a-1].lower()]) {
			a--
		}
		subj := subjectBefore(ts[:a])
		if len(subj) == 0 {
			return attribution{}, false
		}
		cue, _ := cueFrom(ts, a, v)
		at := d.resolve(subj, subj[0].start, true)
		at.cue, at.cued = cue, true
		return at, true
	}
	return attribution{}, false
}

// isSpeech reports whether ts[v] is a speech verb used as one: not
// passive (is described as), not an infinitive or negated (not
// apologise), not a demand (calling for).
func isSpeech(ts []tok, v int) bool {
	w := ts[v].lower()
	if !speechVerbs[w] {
		return false
	}
	if v > 0 {
		if p := ts[v-1].lower(); passives[p] || p == "to" || p == "not" || p == "never" {
			return false
		}
	}
	if strings.HasPrefix(w, "call") && v+1 < len(ts) && (ts[v+1].lower() == "for" || ts[v+1].lower() == "on") {
		return false
	}
	return true
}

// breaks reports whether a clause that a speech verb cannot reach
// through stands between it and the quote.
func breaks(ts []tok) bool {
	for _, t := range ts {
		if clauseBreaks[t.lower()] {
			return true
		}
	}
	return false
}

func hasVerb(ts []tok) bool {
	for i := range ts {
		if speechVerbs[ts[i].lower()] {
			return true
		}
	}
	return false
}

// subjectBefore is the subject of a verb whose preceding words are ts:
// back to a conjunction, a clause word or the sentence's start, past an
// apposition (", counsel for the petitioners,") and a relative clause
// (", who edits the magazine,").
func subjectBefore(ts []tok) []tok {
	ts = withoutRelatives(ts)
	var out []tok
	seg := len(ts) // where the words after the last comma seen begin
	from := len(ts)
	for i := len(ts) - 1; i >= 0 && len(ts)-i <= 40; i-- {
		t := ts[i]
		w := t.lower()
		if !t.punct && !t.capitalised() && (conjunctions[w] || subordinators[w]) {
			break
		}
		if t.punct && strings.Contains(";:()", t.s) {
			break
		}
		if t.s != "," {
			from = i
			continue
		}
		words := ts[from:seg]
		out = append(words, out...)
		if from < seg && opensSubject(words[0]) {
			return trimPunct(out)
		}
		seg, from = i, i // an apposition: the name is before it
	}
	return trimPunct(append(ts[from:seg:seg], out...))
}

// withoutRelatives drops relative clauses set off by commas (", who
// was forced to apologise last year,"): their words are not the subject.
func withoutRelatives(ts []tok) []tok {
	var out []tok
	for i := 0; i < len(ts); i++ {
		if ts[i].s == "," && i+1 < len(ts) && relatives[ts[i+1].lower()] {
			j := i + 2
			for j < len(ts) && ts[j].s != "," {
				j++
			}
			if j < len(ts) {
				out = append(out, ts[i]) // keep one comma
				i = j
				continue
			}
		}
		out = append(out, ts[i])
	}
	return out
}

// opensSubject reports whether a word can begin a subject phrase that
// stands on its own (a name or a pronoun), not an apposition.
func opensSubject(t tok) bool {
	w := t.lower()
	_, pron := subjectPronouns[w]
	return t.capitalised() || pron
}

// lineStart reports whether only a dash or spaces stand between a line's
// start and p.
func lineStart(body string, ps, p int) bool {
	for p > ps && strings.ContainsRune(" \t-–—•*", rune(body[p-1])) {
		p--
	}
	return p == ps || body[p-1] == '\n'
}

// opensAttribution reports whether the words after a quote can begin
// its attribution.
func opensAttribution(ts []tok) bool {
	w := ts[0].lower()
	if ts[0].capitalised() || subjectStarts[w] || w == "according" || verbAt(ts, 0) >= 0 && inflected(ts[verbAt(ts, 0)].lower()) {
		return true
	}
	for i, t := range ts {
		if i == 4 || t.punct || prepositions[t.lower()] || subjectStarts[t.lower()] || speechVerbs[t.lower()] {
			return false
		}
		if t.capitalised() {
			return true // a title before a name
		}
	}
	return false
}

// inflected reports whether a verb form can stand after its quote with
// the subject after it: said, added, says; not comment or tell.
func inflected(w string) bool {
	return w == "said" || w == "told" || w == "wrote" || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s")
}

// verbAt returns the index of a speech verb at i, after auxiliaries.
func verbAt(ts []tok, i int) int {
	for i < len(ts) && auxiliaries[ts[i].lower()] {
		i++
	}
	if i < len(ts) && speechVerbs[ts[i].lower()] {
		return i
	}
	return -1
}

// cueFrom builds the cue from the auxiliaries at a, the verb at v and,
// for tell verbs and channels, the listener or channel after it; it
// returns the tokens after the cue.
func cueFrom(ts []tok, a, v int) (string, []tok) {
	words := []string{}
	for _, t := range ts[a : v+1] {
		if !adverbs[t.lower()] {
			words = append(words, t.s)
		}
	}
	j := v + 1
	if tellVerbs[ts[v].lower()] {
		k := j
		for k < len(ts) && k-j < 7 && !ts[k].punct && !stops[ts[k].lower()] {
			k++
		}
		if k > j && !(ts[j].lower() == "the" && k == j+1) {
			for _, t := range ts[j:k] {
				words = append(words, t.s)
			}
			j = k
		}
	}
	if j+2 < len(ts) && (ts[j].lower() == "in" || ts[j].lower() == "on") {
		k := j + 1
		for k < len(ts) && k-j < 5 && !ts[k].punct && !channels[ts[k].lower()] {
			k++
		}
		if k < len(ts) && channels[ts[k].lower()] {
			for _, t := range ts[j : k+1] {
				words = append(words, t.s)
			}
			j = k + 1
		}
	}
	return strings.Join(words, " "), ts[j:]
}

// phrase is the noun phrase at the start of ts: up to punctuation that
// ends it (an apposition's comma included), at most 8 words.
func phrase(ts []tok) []tok {
	n := 0
	for n < len(ts) && n < 8 && !(ts[n].punct && ts[n].s != "'" && ts[n].s != "’" && ts[n].s != "-") {
		n++
	}
	return ts[:n]
}

func trimPunct(ts []tok) []tok {
	for len(ts) > 0 && ts[len(ts)-1].punct {
		ts = ts[:len(ts)-1]
	}
	return ts
}
