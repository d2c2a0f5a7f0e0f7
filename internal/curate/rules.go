// Package curate holds the entity curation rules of an entities file and
// applies them to articles: merge one name into another, alias spellings
// to a canonical name, retype, hide, and split a name by a context word.
//
// Rules run after entity extraction, at ingest and again over an existing
// index (Reapply), so that a correction made once lasts through later
// re-ingests. Quote speakers go through the same rules as the entities, so
// that speaker: and person: keep naming the same canonical names.
package curate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Rule kinds.
const (
	KindMerge  = "merge"
	KindAlias  = "alias"
	KindRetype = "retype"
	KindHide   = "hide"
	KindSplit  = "split"
)

// Types are the entity types a rule may name.
var Types = []string{"PER", "ORG", "LOC", "MISC"}

// Rule is one curation rule; exactly one of Merge, Alias, Retype, Hide and
// Split is set, and names its kind.
type Rule struct {
	// Merge is a name that becomes Into, for entities of Type only
	// (required: "Labour" the party and "Labour" the place are apart).
	Merge string `yaml:"merge,omitempty" json:"merge,omitempty"`
	Into  string `yaml:"into,omitempty" json:"into,omitempty"`
	// Alias lists spellings that become Name, of any type unless Type is
	// set.
	Alias []string `yaml:"alias,omitempty" json:"alias,omitempty"`
	Name  string   `yaml:"name,omitempty" json:"name,omitempty"`
	// Retype gives entities so named the type To.
	Retype string `yaml:"retype,omitempty" json:"retype,omitempty"`
	To     string `yaml:"to,omitempty" json:"to,omitempty"`
	// Hide drops entities so named.
	Hide string `yaml:"hide,omitempty" json:"hide,omitempty"`
	// Split renames or retypes entities so named by the first of When
	// whose word the article's title or body holds; without one they
	// stay as they are.
	Split string `yaml:"split,omitempty" json:"split,omitempty"`
	When  []Case `yaml:"when,omitempty" json:"when,omitempty"`
	// Type limits the rule to entities of one type; "" for any type.
	Type string `yaml:"type,omitempty" json:"type,omitempty"`

	// Line is where the rule starts in its file (0 when it was not read
	// from one), for errors and the audit.
	Line int `yaml:"-" json:"line,omitempty"`

	words []*regexp.Regexp // When's words, compiled by Check
}

// Case is one branch of a split: when the article holds Word (a whole
// word, whatever its case), the entity takes Name and Type (each kept
// when empty).
type Case struct {
	Word string `yaml:"word" json:"word"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	Type string `yaml:"type,omitempty" json:"type,omitempty"`
}

// Kind is the rule's kind (KindMerge, …), or "" when none is set.
func (r *Rule) Kind() string {
	var kinds []string
	if r.Merge != "" {
		kinds = append(kinds, KindMerge)
	}
	if len(r.Alias) > 0 {
		kinds = append(kinds, KindAlias)
	}
	if r.Retype != "" {
		kinds = append(kinds, KindRetype)
	}
	if r.Hide != "" {
		kinds = append(kinds, KindHide)
	}
	if r.Split != "" {
		kinds = append(kinds, KindSplit)
	}
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

// String describes the rule in a line, for reports.
func (r *Rule) String() string {
	typ := ""
	if r.Type != "" {
		typ = " " + r.Type
	}
	switch r.Kind() {
	case KindMerge:
		return fmt.Sprintf("merge%s %q into %q", typ, r.Merge, r.Into)
	case KindAlias:
		return fmt.Sprintf("alias%s %q to %q", typ, r.Alias, r.Name)
	case KindRetype:
		return fmt.Sprintf("retype%s %q to %s", typ, r.Retype, r.To)
	case KindHide:
		return fmt.Sprintf("hide%s %q", typ, r.Hide)
	case KindSplit:
		var cases []string
		for _, c := range r.When {
			cases = append(cases, fmt.Sprintf("%q→%s", c.Word, strings.TrimSpace(c.Name+" "+c.Type)))
		}
		return fmt.Sprintf("split%s %q by %s", typ, r.Split, strings.Join(cases, ", "))
	}
	return "invalid rule"
}

// Check reports what is wrong with the rule, and readies it for use.
func (r *Rule) Check() error {
	kind := r.Kind()
	if kind == "" {
		return fmt.Errorf("a rule needs exactly one of merge, alias, retype, hide and split")
	}
	if err := checkType("type", r.Type); err != nil {
		return err
	}
	blank := func(key, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s: %s is empty", kind, key)
		}
		return nil
	}
	unused := map[string]bool{
		"into": r.Into != "", "name": r.Name != "", "to": r.To != "", "when": len(r.When) > 0,
	}
	used := func(keys ...string) error {
		for k, set := range unused {
			if set && !slices.Contains(keys, k) {
				return fmt.Errorf("%s: %s does not go with %s", kind, k, kind)
			}
		}
		return nil
	}
	switch kind {
	case KindMerge:
		if r.Type == "" {
			return fmt.Errorf("merge: type is required (one of %s)", strings.Join(Types, ", "))
		}
		if err := blank("into", r.Into); err != nil {
			return err
		}
		return used("into")
	case KindAlias:
		for _, a := range r.Alias {
			if err := blank("an alias", a); err != nil {
				return err
			}
		}
		if err := blank("name", r.Name); err != nil {
			return err
		}
		return used("name")
	case KindRetype:
		if r.To == "" {
			return fmt.Errorf("retype: to is required (one of %s)", strings.Join(Types, ", "))
		}
		if err := checkType("to", r.To); err != nil {
			return err
		}
		return used("to")
	case KindHide:
		return used()
	case KindSplit:
		if len(r.When) == 0 {
			return fmt.Errorf("split: when is required (a list of word, name, type)")
		}
		r.words = r.words[:0]
		for _, c := range r.When {
			if err := blank("a when's word", c.Word); err != nil {
				return err
			}
			if c.Name == "" && c.Type == "" {
				return fmt.Errorf("split: when %q needs a name or a type", c.Word)
			}
			if err := checkType("type", c.Type); err != nil {
				return err
			}
			r.words = append(r.words, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(strings.TrimSpace(c.Word))+`\b`))
		}
		return used("when")
	}
	return nil
}

func checkType(key, t string) error {
	if t == "" || slices.Contains(Types, t) {
		return nil
	}
	return fmt.Errorf("%s %q is not an entity type (one of %s)", key, t, strings.Join(Types, ", "))
}
