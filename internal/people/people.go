// Package people links the people of articles across a corpus, a step
// of ingest that any engine can run: it needs of the engine only a Store,
// the person facet's values and the articles that hold one.
//
// Across the corpus, a person named by surname alone is the person of that
// surname named in full elsewhere, when the corpus names only one, or one
// far more often than the others: an article's "Erdogan" and another's
// "Recep Tayyip Erdogan" are one facet value, and "Blair" is Tony Blair in
// an archive that names Cherie Blair a few times. (Within an article the
// extractor links a later surname to the full name already.) A surname
// that two people named in full share about as often ("Aliyev": Ilham and
// Heydar) stays as written. The outcome does not
// depend on the order articles arrive in: when a batch names a surname's
// person in full, or a second person of that surname, the articles
// written before are linked or unlinked again (Relink).
package people

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/folio-search/folio/corpus"
)

// A Store is what linking needs of an engine's index.
type Store interface {
	// People yields the values of the person facet, as written, with
	// the number of articles that hold each.
	People(ctx context.Context) iter.Seq2[Person, error]
	// WithPerson calls f with every article whose person facet holds name.
	WithPerson(ctx context.Context, name string, f func(*corpus.Article)) error
	// Articles calls f with each article of ids that the index holds.
	Articles(ctx context.Context, ids []string, f func(*corpus.Article)) error
	// WriteBatch upserts articles, passing them through Link.
	WriteBatch(ctx context.Context, articles []corpus.Article) error
}

// Person is a value of the person facet and how many articles hold it.
type Person struct {
	Name     string
	Articles int
}

// A surname stands for the full name that holds at least dominantShare
// of the articles naming someone of that surname in full, and at least
// minDominant of them when it has rivals.
const (
	dominantShare = 0.75
	minDominant   = 3
)

// A Linker holds the full names of the people in an index by surname. Its
// zero value is ready; it reads the names of an index once, at the first
// Link. One Linker serves one index.
type Linker struct {
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

// surnameOf is the lower-cased last word of a name of two words or more,
// or "".
func surnameOf(name string) string {
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}

// soleName is a one-word person name, or "".
func soleName(e *corpus.Entity) string {
	if e.Type != "PER" || strings.Contains(e.Name, " ") {
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
	if len(names) == 1 && p.first[surname] == 0 || bestN >= minDominant && float64(bestN) >= dominantShare*float64(total) {
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
	for person, err := range st.People(ctx) {
		if err != nil {
			return fmt.Errorf("read the index's people: %w", err)
		}
		if strings.Contains(person.Name, " ") {
			p.add(person.Name, max(person.Articles, 1))
		} else {
			p.soles[strings.ToLower(person.Name)] = true
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
	s := surnameOf(name)
	if s == "" {
		return
	}
	f := strings.ToLower(name[:strings.IndexByte(name, ' ')])
	beforeS, beforeF := p.resolve(s), p.resolve(f)
	if p.full[s] == nil {
		p.full[s] = map[string]int{}
	}
	p.full[s][name] += articles
	p.first[f] += articles
	p.noteChange(s, beforeS)
	p.noteChange(f, beforeF)
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
	for i := range articles {
		for _, e := range articles[i].Entities {
			if e.Type == "PER" {
				p.add(e.Name, 1)
			}
		}
	}
	for i := range articles {
		a := &articles[i]
		cloned := false
		for k := 0; k < len(a.Entities); k++ {
			s := soleName(&a.Entities[k])
			if s == "" {
				continue
			}
			key := strings.ToLower(s)
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
			if renamePerson(a, k, full) {
				k-- // joined to the full name's entity and removed
			}
		}
	}
	return nil
}

// renamePerson gives a's k-th entity the name full. If a has an entity of
// that name already, the k-th joins it and is removed, and renamePerson
// reports true.
func renamePerson(a *corpus.Article, k int, full string) bool {
	for j := range a.Entities {
		if j != k && a.Entities[j].Type == "PER" && a.Entities[j].Name == full {
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
	seen := map[string]bool{}
	redo := func(a *corpus.Article, again func(*corpus.Article) bool) {
		if !seen[a.ID] && again(a) {
			seen[a.ID] = true
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
				if e.Type == "PER" && e.Name != c.now && surnameOf(e.Name) == surname {
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
			if err := st.WithPerson(ctx, c.linkedBefore, func(a *corpus.Article) { redo(a, unlink) }); err != nil {
				return err
			}
		}
		if c.now == "" {
			continue
		}
		// Articles with the surname alone are linked when written again.
		err := st.WithPerson(ctx, surname, func(a *corpus.Article) {
			redo(a, func(a *corpus.Article) bool {
				for k := range a.Entities {
					if strings.EqualFold(soleName(&a.Entities[k]), surname) {
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
	for lo := 0; lo < len(fix); lo += 500 {
		if err := st.WriteBatch(ctx, fix[lo:min(lo+500, len(fix))]); err != nil {
			return fmt.Errorf("relink people: %w", err)
		}
	}
	return nil
}

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
