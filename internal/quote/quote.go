// Package quote finds the direct quotes of an article and who said them.
//
// Extraction scans the body's quote marks in one pass (every style,
// nested, split and multi-paragraph quotes, apostrophes told apart).
// Attribution is a sieve from precise to loose: explicit patterns around
// a speech verb ("…," X said; X told the BBC: "…"; according to X),
// then titles and pronouns resolved to the article's person mentions,
// organisations named by description, and continuation of the previous
// quote's speaker. When no rule holds the speaker stays unknown: the
// sieve never guesses. Speakers are the canonical names of the article's
// entities, so they match the person and organisation facets.
package quote

import (
	"strings"

	"github.com/folio-search/folio/corpus"
)

// Routes by which a speaker was found.
const (
	RouteExplicit     = "explicit"
	RouteTitle        = "title"
	RoutePronoun      = "pronoun"
	RouteContinuation = "continuation"
	RouteOrganisation = "organisation"
)

// Extract returns the direct quotes of a.Body, in order, attributed to
// speakers among a.Entities. Quoted titles, names and scare quotes (short
// spans that no speech cue presents as someone's words) are left out.
// Without entities, a name at the cue is the speaker as written.
func Extract(a *corpus.Article) []corpus.Quote {
	spans := scan(a.Body)
	if len(spans) == 0 {
		return nil
	}
	d := newDoc(a, spans)
	var out []corpus.Quote
	var prev *attribution // the last kept quote's attribution
	prevEnd := -1         // where the last kept quote's attribution ends
	for k, s := range spans {
		var at attribution
		switch {
		case s.split && prev != nil && prevEnd >= spans[k-1].start:
			at = *prev
			at.route = RouteContinuation
			at.end = s.after
		default:
			at = d.attribute(s, k)
			if !at.cued && !at.label && sentenceLike(a.Body[s.start:s.end]) {
				at = d.continuation(s, prev, prevEnd)
			}
		}
		if !at.cued && !at.label && !at.continued && !sentenceLike(a.Body[s.start:s.end]) {
			continue // a title, name or scare quote
		}
		q := corpus.Quote{Text: a.Body[s.start:s.end], Speaker: at.speaker, SpeakerKind: at.kind, Cue: at.cue,
			Route: at.route, Start: s.start, End: s.end}
		if q.Speaker == "" {
			q.SpeakerKind, q.Route = corpus.SpeakerUnknown, ""
		}
		out = append(out, q)
		if at.entity > 0 && at.kind == corpus.SpeakerPerson {
			d.speakers = append(d.speakers, mention{start: s.start, end: s.start, entity: at.entity - 1, salient: true})
		}
		at.end = max(at.end, s.after)
		prev, prevEnd = &at, at.end
	}
	return out
}

// All returns an article's quotes: the body's (Extract), then the
// headline's (ExtractTitle, InTitle set). A headline often repeats a
// quote of the body; the quote index keeps one appearance per article,
// the body's, whose offsets lead to the passage.
func All(a *corpus.Article) []corpus.Quote {
	out := Extract(a)
	for _, q := range ExtractTitle(a) {
		q.InTitle = true
		out = append(out, q)
	}
	return out
}

// ExtractTitle returns the quotes of a headline ('We will win,' says X).
// Their Start and End are byte offsets into a.Title, not the body: a
// headline quote is a record of the title. Headlines drop speech verbs
// more often than bodies, so every quoted clause of three words or more
// counts; speakers come from the headline's own cue when it has one.
func ExtractTitle(a *corpus.Article) []corpus.Quote {
	spans := scan(a.Title)
	if len(spans) == 0 {
		return nil
	}
	t := &corpus.Article{Title: a.Title, Body: a.Title, Entities: titleEntities(a)}
	d := newDoc(t, spans)
	var out []corpus.Quote
	for k, s := range spans {
		at := d.attribute(s, k)
		if !at.cued && len(strings.Fields(a.Title[s.start:s.end])) < 3 {
			continue
		}
		q := corpus.Quote{Text: a.Title[s.start:s.end], Speaker: at.speaker, SpeakerKind: at.kind, Cue: at.cue,
			Route: at.route, Start: s.start, End: s.end}
		if q.Speaker == "" {
			q.SpeakerKind, q.Route = corpus.SpeakerUnknown, ""
		}
		out = append(out, q)
	}
	return out
}

// titleEntities finds the article's entities in its title by name, so a
// headline's speaker gets the same canonical name as in the body.
func titleEntities(a *corpus.Article) []corpus.Entity {
	var out []corpus.Entity
	for _, e := range a.Entities {
		// the name, or a person's surname (Blair for Tony Blair)
		for _, form := range []string{e.Name, e.Name[strings.LastIndexByte(e.Name, ' ')+1:]} {
			if e.Type != "PER" && form != e.Name {
				break
			}
			if i := strings.Index(a.Title, form); i >= 0 {
				out = append(out, corpus.Entity{Type: e.Type, Name: e.Name, Mentions: []corpus.Mention{{Start: i, End: i + len(form)}}})
				break
			}
		}
	}
	return out
}

// sentenceLike reports whether quoted words read as speech on their own,
// without a cue: a clause of several words, or one that ends as clauses
// do inside quote marks. Titles and names rarely end in punctuation.
func sentenceLike(text string) bool {
	n := len(strings.Fields(text))
	t := strings.TrimRight(text, " ")
	if t == "" {
		return false
	}
	last := t[len(t)-1]
	punct := last == '.' || last == ',' || last == '?' || last == '!' || strings.HasSuffix(t, "…")
	return n >= 4 && punct
}
