// Package linking links the entities of articles across a corpus, a step
// of ingest that any engine can run: it needs of the engine only a Store,
// an entity facet's values and the articles that hold one.
//
// A person named by surname alone is the person of that surname named in
// full elsewhere, when the corpus names only one, or one far more often
// than the others: an article's "Erdogan" and another's "Recep Tayyip
// Erdogan" are one facet value, and "Blair" is Tony Blair in an archive
// that names Cherie Blair a few times. (Within an article the extractor
// links a later surname to the full name already.) A surname that two
// people named in full share about as often ("Aliyev": Ilham and Heydar)
// stays as written. An organisation named by its initials alone ("NHS")
// is, the same way, the organisation of the corpus whose name has those
// initials ("National Health Service"), when its name in full is in a few
// articles and most of those that name one of those initials in full. The outcome does not
// depend on the order articles arrive in: when a batch names a surname's
// person in full, or a second person of that surname, the articles
// written before are linked or unlinked again (Relink).
package linking

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
)

// A Store is what linking needs of an engine's index.
type Store interface {
	// Names yields the values of the facet of entity type typ, as
	// written, with the number of articles that hold each.
	Names(ctx context.Context, typ string) iter.Seq2[Name, error]
	// WithName calls f with every article whose facet of entity type typ
	// holds name.
	WithName(ctx context.Context, typ, name string, f func(*corpus.Article)) error
	// Articles calls f with each article of ids that the index holds.
	Articles(ctx context.Context, ids []string, f func(*corpus.Article)) error
	// WriteBatch upserts articles, passing them through Link.
	WriteBatch(ctx context.Context, articles []corpus.Article) error
}

// Name is a value of an entity facet and how many articles hold it.
type Name struct {
	Name     string
	Articles int
}

// A key (surname, initials) stands for the full name that holds at least dominantShare
// of the articles naming someone of that surname in full, and at least
// minDominant of them when it has rivals.
const (
	dominantShare = 0.75
	minDominant   = 3
)

// A Linker holds the full names of the people (or organisations) in an
// index by surname (or initials). Its zero value links people; with Type
// "ORG" it links organisations. It reads the names of an index once, at
// the first Link. One Linker serves one index and one type.
type Linker struct {
	Type string // "PER" (or "") or "ORG"

	mu     sync.Mutex
	loaded bool
	full   map[string]map[string]int // lower-cased surname -> full names -> articles
	first  map[string]int            // lower-cased first words of full names -> articles
	// changed holds the surnames whose full name changed since the last
	// relink, with the full name they had (or "").
	changed map[string]string
	// Only surnames that some article gives alone (soles) or that some
	// article was linked from need articles relinked. The articles linked
	// by this process are listed (linkedIDs); of an index opened again,
	// only the surnames that may have been (linkedBefore).
	soles, linkedBefore map[string]bool
	linkedIDs           map[string][]string
	linkedTo            map[string]map[string]bool // surname -> full names it was linked to
}

// typ is the entity type the Linker links.
func (p *Linker) typ() string {
	if p.Type == "" {
		return "PER"
	}
	return p.Type
}

// keyOf is the lower-cased key a full name is found by, a person's surname
// or an organisation's initials, and for a person the lower-cased first
// word; key is "" for a name of one word.
func (p *Linker) keyOf(name string) (key, first string) {
	i := strings.IndexByte(name, ' ')
	if i < 0 {
		return "", ""
	}
	if p.typ() == "ORG" {
		return strings.ToLower(initials(name)), ""
	}
	return strings.ToLower(name[strings.LastIndexByte(name, ' ')+1:]), strings.ToLower(name[:i])
}

// initials are the capitals an organisation's name is abbreviated to: the
// first letter of each word but the little ones, and a word in capitals
// whole ("UK Independence Party" is UKIP), or "" when they would be fewer
// than two letters.
func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		switch {
		case littleWords[strings.ToLower(w)]:
		case isCapitals(w):
			b.WriteString(strings.ReplaceAll(w, ".", ""))
		default:
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) {
				return "" // a name in lower case is no name of initials
			}
			b.WriteRune(r)
		}
	}
	if b.Len() < 2 {
		return ""
	}
	return b.String()
}

var littleWords = map[string]bool{"of": true, "and": true, "the": true, "for": true, "de": true, "&": true}

// isCapitals reports a word of two or more letters, all capitals.
func isCapitals(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r != '.':
			return false
		}
	}
	return letters >= 2
}

// soleName is the key an entity of one word stands on: a person's
// surname, an organisation's initials (2 to 6 capitals), or "".
func (p *Linker) soleName(e *corpus.Entity) string {
	if e.Type != p.typ() || strings.Contains(e.Name, " ") {
		return ""
	}
	if p.typ() == "ORG" && (!isCapitals(e.Name) || strings.Contains(e.Name, ".") || len(e.Name) > 6) {
		return ""
	}
	return e.Name
}

// resolve is the full name the corpus gives surname, when it gives one or
// one dominates, or "". A word that also opens full names ("Michael",
// "David") may be a first name: those count as rivals.
func (p *Linker) resolve(surname string) string {
	names := p.full[surname]
	if len(names) == 0 {
		return ""
	}
	best, bestN, total := "", 0, p.first[surname]
	for n, c := range names {
		total += c
		if c > bestN || c == bestN && n < best {
			best, bestN = n, c
		}
	}
	// A surname named in full once is enough; initials, which chance
	// gives to many names, need the name in full at least minDominant
	// times ("NHS" is not the one "Norfolk High School" of an archive).
	single := len(names) == 1 && p.first[surname] == 0 && p.typ() == "PER"
	if single || bestN >= minDominant && float64(bestN) >= dominantShare*float64(total) {
		return best
	}
	return ""
}

// load reads the full names of the people already in the index, once.
func (p *Linker) load(ctx context.Context, st Store) error {
	if p.loaded {
		return nil
	}
	p.full, p.first, p.changed = map[string]map[string]int{}, map[string]int{}, map[string]string{}
	p.soles, p.linkedBefore, p.linkedIDs = map[string]bool{}, map[string]bool{}, map[string][]string{}
	p.linkedTo = map[string]map[string]bool{}
	for n, err := range st.Names(ctx, p.typ()) {
		if err != nil {
			return fmt.Errorf("read the index's %s names: %w", p.typ(), err)
		}
		if strings.Contains(n.Name, " ") {
			p.add(n.Name, max(n.Articles, 1))
		} else if s := p.soleName(&corpus.Entity{Type: p.typ(), Name: n.Name}); s != "" {
			p.soles[strings.ToLower(s)] = true
		}
	}
	// Which articles were linked before is not recorded; any surname with
	// one full name may have been.
	for s := range p.full {
		p.linkedBefore[s] = p.resolve(s) != ""
	}
	p.loaded = true
	return nil
}

// add counts articles naming a full name, noting its surname if that
// changes what the surname resolves to.
func (p *Linker) add(name string, articles int) {
	s, f := p.keyOf(name)
	if s == "" {
		return
	}
	beforeS, beforeF := p.resolve(s), p.resolve(f)
	if p.full[s] == nil {
		p.full[s] = map[string]int{}
	}
	p.full[s][name] += articles
	p.noteChange(s, beforeS)
	if f != "" {
		p.first[f] += articles
		p.noteChange(f, beforeF)
	}
}

// noteChange records that surname resolved to before until now, if that
// changed.
func (p *Linker) noteChange(surname, before string) {
	if _, noted := p.changed[surname]; !noted && p.loaded && p.resolve(surname) != before {
		p.changed[surname] = before
	}
}

// Link learns the full names of articles and names each person given by
// surname alone in full where the corpus allows. An engine calls it on
// every batch it writes, before writing it; it is safe for concurrent use.
func (p *Linker) Link(ctx context.Context, st Store, articles []corpus.Article) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.load(ctx, st); err != nil {
		return err
	}
	if ctx.Value(relinking{}) == nil {
		for i := range articles {
			for _, e := range articles[i].Entities {
				if e.Type == p.typ() {
					p.add(e.Name, 1)
				}
			}
		}
	}
	for i := range articles {
		a := &articles[i]
		cloned := false
		for k := 0; k < len(a.Entities); k++ {
			s := p.soleName(&a.Entities[k])
			if s == "" {
				continue
			}
			key := strings.ToLower(s)
			if full := p.namedHere(a, key); full != "" {
				// The article names the one it means in full: no count
				// decides, so no order of writes can undo it.
				if !cloned {
					a.Entities, cloned = slices.Clone(a.Entities), true
				}
				if rename(a, k, full) {
					k--
				}
				continue
			}
			full := p.resolve(key)
			if full == "" {
				p.soles[key] = true
				continue
			}
			p.linkedIDs[key] = append(p.linkedIDs[key], a.ID)
			if p.linkedTo[key] == nil {
				p.linkedTo[key] = map[string]bool{}
			}
			p.linkedTo[key][full] = true
			if !cloned { // the caller's articles may share their entities
				a.Entities, cloned = slices.Clone(a.Entities), true
			}
			if rename(a, k, full) {
				k-- // joined to the full name's entity and removed
			}
		}
	}
	return nil
}

// namedHere is the one full name of key (a surname, initials) that a
// names, or "" when it names none or several.
func (p *Linker) namedHere(a *corpus.Article, key string) string {
	found := ""
	for _, e := range a.Entities {
		if e.Type != p.typ() {
			continue
		}
		if k, _ := p.keyOf(e.Name); k == key && e.Name != found {
			if found != "" {
				return ""
			}
			found = e.Name
		}
	}
	return found
}

// rename gives a's k-th entity the name full. If a has an entity of that
// name and type already, the k-th joins it and is removed, and rename
// reports true.
func rename(a *corpus.Article, k int, full string) bool {
	for j := range a.Entities {
		if j != k && a.Entities[j].Type == a.Entities[k].Type && a.Entities[j].Name == full {
			a.Entities[j].Mentions = append(a.Entities[j].Mentions, a.Entities[k].Mentions...)
			slices.SortFunc(a.Entities[j].Mentions, func(x, y corpus.Mention) int { return x.Start - y.Start })
			a.Entities = slices.Delete(a.Entities, k, k+1)
			return true
		}
	}
	a.Entities[k].Name = full
	return false
}

// Relink rewrites the articles written before a batch changed what a
// surname stands for: those linked from the surname to a full name it no
// longer stands for go back to the surname as written, and those naming
// the person by surname alone are linked when the corpus now names one in
// full (st.WriteBatch links them). An engine calls it once an ingest's
// batches are written.
func (p *Linker) Relink(ctx context.Context, st Store) error {
	type change struct {
		now          string   // the full name the surname stands for now, or ""
		linked       []string // articles this process linked from the surname
		linkedBefore string   // what an earlier process may have linked it to
	}
	p.mu.Lock()
	changed := map[string]change{}
	for s, before := range p.changed {
		// Counts only grow, but a surname may stand for one full name, then
		// none, then another or the first again: links made meanwhile to
		// any name but the one it stands for now are to be undone.
		now := p.resolve(s)
		stale := false
		for n := range p.linkedTo[s] {
			stale = stale || n != now
		}
		delete(p.linkedTo, s)
		if now == before && !stale && (now == "" || !p.soles[s]) {
			continue // articles with the surname alone are linked already
		}
		c := change{now: now, linked: p.linkedIDs[s]}
		if p.linkedBefore[s] {
			c.linkedBefore = before
		}
		delete(p.linkedIDs, s)
		delete(p.linkedBefore, s)
		if now != "" && p.soles[s] || len(c.linked) > 0 || c.linkedBefore != "" {
			changed[s] = c
		}
	}
	p.changed = map[string]string{}
	p.mu.Unlock()
	var fix []corpus.Article
	at := map[string]int{} // article ID -> its place in fix
	redo := func(a *corpus.Article, again func(*corpus.Article) bool) {
		if i, ok := at[a.ID]; ok {
			again(&fix[i]) // an article may need undoing for two surnames
			return
		}
		if again(a) {
			at[a.ID] = len(fix)
			fix = append(fix, *a)
		}
	}
	for surname, c := range changed {
		// Back to the surname as written where a full name of it other
		// than the one it stands for now was only a link: none of its
		// mentions spells it out.
		unlink := func(a *corpus.Article) bool {
			undone := false
			for k := range a.Entities {
				e := &a.Entities[k]
				if key, _ := p.keyOf(e.Name); e.Type == p.typ() && e.Name != c.now && key == surname {
					if word := linkedSurname(a, e, surname); word != "" {
						e.Name, undone = word, true
					}
				}
			}
			return undone
		}
		if err := st.Articles(ctx, c.linked, func(a *corpus.Article) { redo(a, unlink) }); err != nil {
			return err
		}
		if c.linkedBefore != "" {
			if err := st.WithName(ctx, p.typ(), c.linkedBefore, func(a *corpus.Article) { redo(a, unlink) }); err != nil {
				return err
			}
		}
		if c.now == "" {
			continue
		}
		// Articles with the surname alone are linked when written again.
		err := st.WithName(ctx, p.typ(), surname, func(a *corpus.Article) {
			redo(a, func(a *corpus.Article) bool {
				for k := range a.Entities {
					if strings.EqualFold(p.soleName(&a.Entities[k]), surname) {
						return true
					}
				}
				return false
			})
		})
		if err != nil {
			return err
		}
	}
	// The articles written again were counted when first written, and
	// hold linked names now: counted again, they would tip other
	// surnames one way or the other depending on the order of the writes.
	ctx = context.WithValue(ctx, relinking{}, true)
	for lo := 0; lo < len(fix); lo += 500 {
		if err := st.WriteBatch(ctx, fix[lo:min(lo+500, len(fix))]); err != nil {
			return fmt.Errorf("relink people: %w", err)
		}
	}
	return nil
}

// relinking marks the context of Relink's writes, which Link does not
// count.
type relinking struct{}

// linkedSurname is the word every mention of e spells when e's name was
// linked from the surname alone, or "".
func linkedSurname(a *corpus.Article, e *corpus.Entity, surname string) string {
	word := ""
	for _, m := range e.Mentions {
		if m.Start < 0 || m.End > len(a.Body) || m.Start >= m.End {
			return ""
		}
		w := a.Body[m.Start:m.End]
		if !strings.EqualFold(w, surname) {
			return ""
		}
		word = w
	}
	return word
}
