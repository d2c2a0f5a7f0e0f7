package curate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/folio-search/folio/corpus"
)

// Set is the rules of an entities file, in file order: each rule sees
// what the rules before it made of an article.
type Set struct {
	Rules []Rule
}

// Counts is what one rule changed.
type Counts struct {
	Articles int `json:"articles"` // articles with anything changed
	Entities int `json:"entities"` // entities renamed, retyped or hidden
	Quotes   int `json:"quotes"`   // quote speakers renamed or cleared
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Articles += o.Articles
	c.Entities += o.Entities
	c.Quotes += o.Quotes
}

// Apply runs the rules over the article's entities and quote speakers and
// returns what each rule changed in it, by rule (nil when nothing).
func (s *Set) Apply(a *corpus.Article) []Counts {
	if s == nil || len(s.Rules) == 0 || (len(a.Entities) == 0 && len(a.Quotes) == 0) {
		return nil
	}
	var counts []Counts
	var text string // title and body, for splits; joined once
	for i := range s.Rules {
		r := &s.Rules[i]
		if r.Kind() == KindSplit && text == "" {
			text = a.Title + "\n" + a.Body
		}
		var c Counts
		changed := false
		kept := a.Entities[:0]
		for _, e := range a.Entities {
			typ, name, hide, ok := r.rewrite(e.Type, e.Name, text)
			if ok {
				c.Entities++
				changed = true
			}
			if hide {
				continue
			}
			e.Type, e.Name = typ, name
			kept = append(kept, e)
		}
		a.Entities = combine(kept)
		for j := range a.Quotes {
			q := &a.Quotes[j]
			typ := speakerType(q.SpeakerKind)
			if typ == "" || q.Speaker == "" {
				continue
			}
			typ, name, hide, ok := r.rewrite(typ, q.Speaker, text)
			if !ok {
				continue
			}
			c.Quotes++
			changed = true
			switch {
			case hide || typ == "LOC" || typ == "MISC":
				// Not someone who speaks: the quote's speaker is unknown.
				q.Speaker, q.SpeakerKind = "", corpus.SpeakerUnknown
			case typ == "PER":
				q.Speaker, q.SpeakerKind = name, corpus.SpeakerPerson
			default:
				q.Speaker, q.SpeakerKind = name, corpus.SpeakerOrg
			}
		}
		if changed {
			if counts == nil {
				counts = make([]Counts, len(s.Rules))
			}
			c.Articles = 1
			counts[i] = c
		}
	}
	return counts
}

// rewrite is what the rule makes of one entity: its type and name, or
// hide; ok reports whether the rule applies to it at all.
func (r *Rule) rewrite(typ, name, text string) (newType, newName string, hide, ok bool) {
	if r.Type != "" && r.Type != typ {
		return typ, name, false, false
	}
	same := func(n string) bool { return strings.EqualFold(strings.Join(strings.Fields(n), " "), name) }
	switch r.Kind() {
	case KindMerge:
		if same(r.Merge) && name != r.Into {
			return typ, r.Into, false, true
		}
	case KindAlias:
		if slices.ContainsFunc(r.Alias, same) && name != r.Name {
			return typ, r.Name, false, true
		}
	case KindRetype:
		if same(r.Retype) && typ != r.To {
			return r.To, name, false, true
		}
	case KindHide:
		if same(r.Hide) {
			return typ, name, true, true
		}
	case KindSplit:
		if !same(r.Split) {
			break
		}
		for k, c := range r.When {
			if !r.words[k].MatchString(text) {
				continue
			}
			newType, newName = cmp.Or(c.Type, typ), cmp.Or(c.Name, name)
			return newType, newName, false, newType != typ || newName != name
		}
	}
	return typ, name, false, false
}

// speakerType is the entity type of a quote's speaker kind, or "" when
// the speaker is unknown.
func speakerType(kind string) string {
	switch kind {
	case corpus.SpeakerPerson:
		return "PER"
	case corpus.SpeakerOrg:
		return "ORG"
	}
	return ""
}

// combine joins entities that a rule made one (same type and name) into
// the first of them, with their mentions in order, as the index stores
// them.
func combine(es []corpus.Entity) []corpus.Entity {
	type key struct{ typ, name string }
	at := make(map[key]int, len(es))
	out := es[:0]
	for _, e := range es {
		k := key{e.Type, e.Name}
		if i, ok := at[k]; ok {
			out[i].Mentions = append(out[i].Mentions, e.Mentions...)
			slices.SortFunc(out[i].Mentions, func(a, b corpus.Mention) int { return cmp.Compare(a.Start, b.Start) })
			out[i].Mentions = slices.Compact(out[i].Mentions)
			continue
		}
		at[k] = len(out)
		out = append(out, e)
	}
	return out
}
