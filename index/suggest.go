package index

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/vellum"
	lev "github.com/blevesearch/vellum/levenshtein"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Suggestions come from a table of the index's vocabulary, kept in memory:
// the words of titles and bodies and the names of people, organisations
// and places, each with the number of articles that have it, under a
// finite-state transducer of their lower-cased keys. Reading the term
// dictionaries of every segment at each keystroke would cost a scan of
// every word starting with "s" for "s"; the table answers a prefix with a
// range of the FST and a typo with a Levenshtein automaton run over it.
// It is rebuilt from the dictionaries when the index has changed, at most
// every suggestRefresh, in the background: suggestions may lag writes by
// that much. Titles are looked up in the index itself, in the postings of
// the typed words, over a bounded number of articles.

// Index suggests.
var _ search.Suggester = (*Index)(nil)

// suggestRefresh is how often, at most, the table is read again when the
// index has changed (a variable for tests).
var suggestRefresh = 10 * time.Second

const (
	// suggestMaxTerms caps the words kept, most frequent first; the
	// benchmark's Reuters replicas have 69,692, at any number of copies.
	suggestMaxTerms = 300_000
	// suggestMaxScan bounds the FST keys a prefix or typo visits.
	suggestMaxScan = 4000
	// suggestTitleDocs bounds the articles read for title suggestions.
	suggestTitleDocs = 16
	// suggestMaxKeyLen leaves out keys no one types (long numbers, URLs).
	suggestMaxKeyLen = 64
	// suggestMaxFuzzyLen bounds the text a typo is looked for in: the
	// automaton of 100 letters takes milliseconds to build, and a name
	// typed that far is found by its prefix.
	suggestMaxFuzzyLen = 32
	defaultSuggestions = 8
	// suggestShortLen and suggestShortKeep: the matches of prefixes up to
	// this many bytes are kept ready, this many of each.
	suggestShortLen  = 2
	suggestShortKeep = 60
)

// suggestEntry is a word or an entity name of the table.
type suggestEntry struct {
	key   string // what typing matches: lower-cased and folded
	text  string // what is shown
	facet string // "" for a word; the entity's facet otherwise
	count int
	alias bool // key is a later word of the name ("aliyev" of "ilham aliyev")
}

// suggestTable is the vocabulary of one state of the index.
type suggestTable struct {
	snap    *scorch.IndexSnapshot // the snapshot it was read from, for identity only
	built   time.Time
	entries []suggestEntry // by key; entries of one key are adjacent
	fst     *vellum.FST    // key → index of its first entry
	// short holds the best matches of every prefix of one or two bytes,
	// names and words apart: those prefixes start thousands of keys.
	short map[shortKey][]suggestMatch
}

// shortKey is a short prefix, for names or for words.
type shortKey struct {
	prefix string
	names  bool
}

// suggester holds the current table and rebuilds it.
type suggester struct {
	mu       sync.Mutex // serialises builds
	table    atomic.Pointer[suggestTable]
	building atomic.Bool
}

// levBuilder makes Levenshtein automata of one edit; it is made once.
var levBuilder = sync.OnceValues(func() (*lev.LevenshteinAutomatonBuilder, error) {
	return lev.NewLevenshteinAutomatonBuilder(1, true)
})

// Suggest completes req.Text from the index's words, entity names and
// titles.
func (ix *Index) Suggest(ctx context.Context, req search.SuggestRequest) ([]search.Suggestion, error) {
	size := req.Size
	if size <= 0 {
		size = defaultSuggestions
	}
	text := facet.Key(req.Text)
	if text == "" {
		return []search.Suggestion{}, nil
	}
	complete := strings.HasSuffix(req.Text, " ") // the last word is finished
	t, err := ix.suggestions(ctx)
	if err != nil {
		return nil, err
	}
	words := strings.Fields(text)
	last := words[len(words)-1]
	head := strings.Join(words[:len(words)-1], " ")

	var out []search.Suggestion
	keep := 3 * size
	// Words complete the last word typed, after the ones before it.
	wordMatches, err := t.match(ctx, last, complete, false, keep)
	if err != nil {
		return nil, err
	}
	var expansions []string // the likeliest words meant, for titles
	for _, m := range wordMatches {
		e := &t.entries[m.i]
		q := strings.TrimSpace(head + " " + e.text)
		out = append(out, search.Suggestion{
			Kind: search.SuggestTerm, Text: q, Query: q, Count: e.count, Fuzzy: m.fuzzy, Score: m.score,
		})
		expansions = append(expansions, e.key)
	}
	// Names match the whole text, from the start of any of their words;
	// after a space, the next word of the name is still to come.
	nameText := text
	if complete {
		nameText += " "
	}
	nameMatches, err := t.match(ctx, nameText, false, true, keep)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range nameMatches {
		e := &t.entries[m.i]
		if seen[e.facet+"\x00"+e.text] {
			continue // the name matched by its start and by a later word
		}
		seen[e.facet+"\x00"+e.text] = true
		f, _ := facet.ByName(e.facet)
		out = append(out, search.Suggestion{
			Kind: search.SuggestEntity, Text: e.text, Query: query.Format(query.Filter{Field: e.facet, Value: e.text}),
			Facet: e.facet, Type: f.EntityType, Count: e.count, Fuzzy: m.fuzzy, Score: m.score,
		})
	}
	titles, err := ix.suggestTitles(ctx, words, complete, expansions)
	if err != nil {
		return nil, err
	}
	out = append(out, titles...)
	return pickSuggestions(out, size), nil
}

// pickSuggestions returns the best n, at most half of them of one kind
// while other kinds have candidates left.
func pickSuggestions(all []search.Suggestion, n int) []search.Suggestion {
	slices.SortStableFunc(all, func(a, b search.Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Text, b.Text)
	})
	out := make([]search.Suggestion, 0, n)
	taken := make([]bool, len(all))
	perKind := map[string]int{}
	maxKind := (n + 1) / 2
	for i, s := range all {
		if len(out) == n {
			break
		}
		if perKind[s.Kind] < maxKind {
			out, taken[i] = append(out, s), true
			perKind[s.Kind]++
		}
	}
	for i, s := range all {
		if len(out) == n {
			break
		}
		if !taken[i] {
			out = append(out, s)
		}
	}
	return out
}

// stopWord reports whether the search analyzer drops word.
func (ix *Index) stopWord(word string) bool { return len(ix.analyze(ix.text, word)) == 0 }

// suggestMatch is an entry that typed text matched, and its score.
type suggestMatch struct {
	i     int
	score float64
	fuzzy bool
}

// match finds the entries whose key starts with text, or, for text of
// five characters or more (up to suggestMaxFuzzyLen bytes) when fewer
// than keep keys start with it, starts with the same letter and then
// something within one edit of it: names or words, as names asks.
// complete asks for whole keys only. It returns the keep best, best first.
//
// The score is popularity weighed by match quality: log2(2 + articles),
// times 1.2 for the whole key, 0.6 for a typo, 0.8 for a name matched by
// a later word, and 1.25 for a name, which says more than a word as
// frequent.
func (t *suggestTable) match(ctx context.Context, text string, complete, names bool, keep int) ([]suggestMatch, error) {
	if t.fst == nil || text == "" {
		return nil, nil
	}
	keep = min(keep, suggestShortKeep)
	if !complete && len(text) <= suggestShortLen {
		short := t.short[shortKey{text, names}]
		return short[:min(len(short), keep)], nil
	}
	var top []suggestMatch // best first, at most keep
	add := func(m suggestMatch) { top = addTop(top, m, keep) }
	seen := map[uint64]bool{}
	visit := func(it *vellum.FSTIterator, err error) error {
		for n := 0; err == nil && n < suggestMaxScan; n++ {
			key, first := it.Current()
			if !seen[first] {
				seen[first] = true
				exact := bytes.HasPrefix(key, []byte(text))
				whole := len(key) == len(text) || !exact && utf8.RuneCount(key) <= utf8.RuneCountInString(text)+1
				if !complete || whole {
					q := 1.0
					switch {
					case exact && len(key) == len(text):
						q = 1.2
					case !exact:
						q = 0.6
					}
					for i := int(first); i < len(t.entries) && t.entries[i].key == string(key); i++ {
						e := &t.entries[i]
						if (e.facet != "") != names {
							continue
						}
						add(suggestMatch{i: i, score: e.score(q), fuzzy: !exact})
					}
				}
			}
			if n%256 == 255 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("suggest: %w", err)
				}
			}
			err = it.Next()
		}
		if err != nil && err != vellum.ErrIteratorDone {
			return fmt.Errorf("suggest: %w", err)
		}
		return nil
	}
	end := append([]byte(text), 0xff)
	if err := visit(t.fst.Iterator([]byte(text), end)); err != nil {
		return nil, err
	}
	// One typo, once the text has five letters, and only while the text
	// as typed leaves room: a full list of exact matches says it is right.
	if utf8.RuneCountInString(text) >= 5 && len(text) <= suggestMaxFuzzyLen && len(top) < keep {
		builder, err := levBuilder()
		if err != nil {
			return nil, err
		}
		dfa, err := builder.BuildDfa(text, 1)
		if err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
		// A typo is looked for after the first letter, which people get
		// right: "presid" should not offer "residential".
		first := []byte{text[0]}
		var end []byte
		if text[0] < 0xff {
			end = []byte{text[0] + 1}
		}
		if err := visit(t.fst.Search(prefixAutomaton{dfa}, first, end)); err != nil {
			return nil, err
		}
	}
	return top, nil
}

// score is the entry's score for a match of quality q (see match).
func (e *suggestEntry) score(q float64) float64 {
	s := q * math.Log2(2+float64(e.count))
	if e.alias {
		s *= 0.8
	}
	if e.facet != "" {
		s *= 1.25
	}
	return s
}

// addTop inserts m into top, best first, keeping at most keep.
func addTop(top []suggestMatch, m suggestMatch, keep int) []suggestMatch {
	if len(top) == keep && m.score <= top[keep-1].score {
		return top
	}
	i, _ := slices.BinarySearchFunc(top, m.score, func(a suggestMatch, s float64) int { return cmp.Compare(s, a.score) })
	for i < len(top) && top[i].score == m.score {
		i++ // equal scores keep the order they came in (by key)
	}
	top = slices.Insert(top, i, m)
	if len(top) > keep {
		top = top[:keep]
	}
	return top
}

// prefixAutomaton matches every key that has a prefix the inner automaton
// matches: once the inner one matches, it stays in an accepting sink.
type prefixAutomaton struct{ inner vellum.Automaton }

const prefixSink = -1

func (a prefixAutomaton) Start() int { return a.inner.Start() }
func (a prefixAutomaton) IsMatch(s int) bool {
	return s == prefixSink || a.inner.IsMatch(s)
}
func (a prefixAutomaton) CanMatch(s int) bool {
	return s == prefixSink || a.inner.CanMatch(s)
}
func (a prefixAutomaton) WillAlwaysMatch(s int) bool { return s == prefixSink }
func (a prefixAutomaton) Accept(s int, b byte) int {
	if s == prefixSink || a.inner.IsMatch(s) {
		return prefixSink
	}
	return a.inner.Accept(s, b)
}

// suggestions returns the table for the index as it is, building it if
// there is none and refreshing it in the background if it is stale.
func (ix *Index) suggestions(ctx context.Context) (*suggestTable, error) {
	if t := ix.suggest.table.Load(); t != nil {
		if time.Since(t.built) >= suggestRefresh && ix.suggest.building.CompareAndSwap(false, true) {
			go func() {
				defer ix.suggest.building.Store(false)
				if _, err := ix.buildSuggestions(context.WithoutCancel(ctx), false); err != nil {
					return // the old table serves until a build succeeds
				}
			}()
		}
		return t, nil
	}
	return ix.buildSuggestions(ctx, true)
}

// buildSuggestions reads the table from the index unless it is unchanged
// since the last build; first is set for a caller with no table at all,
// who waits for it.
func (ix *Index) buildSuggestions(ctx context.Context, first bool) (*suggestTable, error) {
	ix.suggest.mu.Lock()
	defer ix.suggest.mu.Unlock()
	old := ix.suggest.table.Load()
	if first && old != nil {
		return old, nil // built while this caller waited
	}
	snap, err := ix.snapshot()
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	defer snap.Close()
	if old != nil && old.snap == snap {
		t := *old
		t.built = time.Now()
		ix.suggest.table.Store(&t)
		return &t, nil
	}
	t := &suggestTable{snap: snap, built: time.Now()}
	// Words: the unstemmed forms people type, counted in title or body.
	counts := map[string]int{}
	for _, field := range []string{fTitleExact, fBodyExact} {
		err := visitDict(ctx, snap, field, func(term string, n int) {
			if len(term) <= suggestMaxKeyLen {
				counts[term] = max(counts[term], n)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	words := make([]suggestEntry, 0, len(counts))
	for w, n := range counts {
		if !ix.stopWord(w) {
			words = append(words, suggestEntry{key: w, text: w, count: n})
		}
	}
	if len(words) > suggestMaxTerms {
		slices.SortFunc(words, func(a, b suggestEntry) int { return cmp.Compare(b.count, a.count) })
		words = words[:suggestMaxTerms]
	}
	t.entries = words
	// Names: the forms of one key are one entity, shown in its most
	// frequent form and counted over all of them.
	for _, f := range facet.All {
		if f.EntityType == "" {
			continue
		}
		type name struct {
			text      string
			best, all int
		}
		names := map[string]*name{}
		err := visitDict(ctx, snap, f.Field, func(term string, n int) {
			key := facet.Key(term)
			if key == "" || len(key) > suggestMaxKeyLen {
				return
			}
			e := names[key]
			if e == nil {
				e = &name{}
				names[key] = e
			}
			e.all += n
			if n > e.best {
				e.text, e.best = term, n
			}
		})
		if err != nil {
			return nil, err
		}
		for key, e := range names {
			t.entries = append(t.entries, suggestEntry{key: key, text: e.text, facet: f.Name, count: e.all})
			for i := 1; i < len(key); i++ {
				if key[i-1] == ' ' {
					t.entries = append(t.entries, suggestEntry{key: key[i:], text: e.text, facet: f.Name, count: e.all, alias: true})
				}
			}
		}
	}
	slices.SortFunc(t.entries, func(a, b suggestEntry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(b.count, a.count)
	})
	packEntries(t.entries)
	t.short = map[shortKey][]suggestMatch{}
	for i := range t.entries {
		e := &t.entries[i]
		for n := 1; n <= min(suggestShortLen, len(e.key)); n++ {
			q := 1.0
			if n == len(e.key) {
				q = 1.2
			}
			k := shortKey{e.key[:n], e.facet != ""}
			t.short[k] = addTop(t.short[k], suggestMatch{i: i, score: e.score(q)}, suggestShortKeep)
		}
	}
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, err
	}
	for i, e := range t.entries {
		if i > 0 && t.entries[i-1].key == e.key {
			continue
		}
		if err := b.Insert([]byte(e.key), uint64(i)); err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return nil, err
	}
	if t.fst, err = vellum.Load(buf.Bytes()); err != nil {
		return nil, err
	}
	ix.suggest.table.Store(t)
	return t, nil
}

// packEntries moves the keys and texts of entries into one allocation: a
// table holds some 100,000 of them, otherwise one object each (two for a
// name) for the garbage collector to mark while searches wait.
func packEntries(entries []suggestEntry) {
	size := 0
	for _, e := range entries {
		size += len(e.key)
		if e.text != e.key {
			size += len(e.text)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, e := range entries {
		b.WriteString(e.key)
		if e.text != e.key {
			b.WriteString(e.text)
		}
	}
	text := b.String()
	for i := range entries {
		e := &entries[i]
		same := e.text == e.key
		e.key, text = text[:len(e.key)], text[len(e.key):]
		if same {
			e.text = e.key
		} else {
			e.text, text = text[:len(e.text)], text[len(e.text):]
		}
	}
}

// visitDict calls f with each word of field and the number of documents
// that hold it: the marked stems of a text field, which sort after every
// word, end the walk.
func visitDict(ctx context.Context, snap *scorch.IndexSnapshot, field string, f func(term string, n int)) error {
	dict, err := snap.FieldDict(field)
	if err != nil {
		return err
	}
	defer dict.Close()
	for n := 0; ; n++ {
		e, err := dict.Next()
		if err != nil {
			return err
		}
		if e == nil || isStem(e.Term) {
			return nil
		}
		f(e.Term, int(e.Count))
		if n%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("suggest: %w", err)
			}
		}
	}
}

// suggestTitles finds articles whose title has the typed words, the last
// one as a prefix (or one of expansions, the words it likely completes
// to). It reads the postings of one word, newest segments first, and at
// most suggestTitleDocs stored articles. Titles shared by several
// articles (a story sent again) are one suggestion, counted.
func (ix *Index) suggestTitles(ctx context.Context, words []string, complete bool, expansions []string) ([]search.Suggestion, error) {
	if len(strings.Join(words, " ")) < 3 {
		return nil, nil // a letter or two says too little about a title
	}
	tokens := ix.analyze(ix.exact, strings.Join(words, " "))
	if len(tokens) == 0 {
		return nil, nil
	}
	whole := tokens
	var prefix string
	if !complete {
		whole, prefix = tokens[:len(tokens)-1], tokens[len(tokens)-1]
	}
	expansions = expansions[:min(len(expansions), 3)]
	snap, err := ix.snapshot()
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	defer snap.Close()
	// The postings walked: the rarest whole word's, or else those of the
	// words the prefix likely completes to.
	drivers := expansions
	if len(whole) > 0 {
		rarest, fewest := "", uint64(math.MaxUint64)
		for _, w := range whole {
			tfr, err := snap.TermFieldReader(ctx, []byte(w), fTitleExact, false, false, false)
			if err != nil {
				return nil, err
			}
			n := tfr.Count()
			tfr.Close()
			if n < fewest {
				rarest, fewest = w, n
			}
		}
		if fewest == 0 {
			return nil, nil
		}
		drivers = []string{rarest}
	}
	if len(drivers) == 0 {
		return nil, nil
	}
	typed := strings.Join(tokens, " ")
	byTitle := map[string]*search.Suggestion{}
	var out []*search.Suggestion
	segs, offsets := segmentsOf(snap)
	read := 0
	for si := len(segs) - 1; si >= 0 && read < suggestTitleDocs; si-- {
		seg := segs[si]
		dict, err := seg.Segment().Dictionary(fTitleExact)
		if err != nil {
			return nil, err
		}
		for _, term := range drivers {
			pl, err := dict.PostingsList([]byte(term), seg.Deleted(), nil)
			if err != nil {
				return nil, err
			}
			it := pl.Iterator(false, false, false, nil)
			for read < suggestTitleDocs {
				p, err := it.Next()
				if err != nil {
					return nil, err
				}
				if p == nil {
					break
				}
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("suggest: %w", err)
				}
				read++
				var stored string
				err = seg.VisitDocument(p.Number(), func(field string, _ byte, value []byte, _ []uint64) bool {
					if field == fStored {
						stored = string(value)
						return false
					}
					return true
				})
				if err != nil {
					return nil, err
				}
				title, err := storedTitle(stored)
				if err != nil {
					return nil, err
				}
				quality, ok := titleMatch(ix.analyze(ix.exact, title), whole, prefix, expansions, typed)
				if !ok {
					continue
				}
				if s := byTitle[title]; s != nil {
					s.Count++
					continue
				}
				id, err := snap.ExternalID(globalID(offsets[si] + p.Number()))
				if err != nil {
					return nil, err
				}
				s := &search.Suggestion{Kind: search.SuggestTitle, Text: title, Query: title, Count: 1,
					ArticleID: id, Score: quality}
				byTitle[title] = s
				out = append(out, s)
			}
		}
	}
	res := make([]search.Suggestion, 0, len(out))
	for _, s := range out {
		s.Score *= math.Log2(2 + float64(s.Count))
		res = append(res, *s)
	}
	return res, nil
}

// titleMatch reports whether a title's words hold every whole word typed
// and a word starting with prefix (or equal to one of expansions), and how
// well: a title that starts with the typed words ranks first.
func titleMatch(title, whole []string, prefix string, expansions []string, typed string) (float64, bool) {
	for _, w := range whole {
		if !slices.Contains(title, w) {
			return 0, false
		}
	}
	if prefix != "" && !slices.ContainsFunc(title, func(t string) bool {
		return strings.HasPrefix(t, prefix) || slices.Contains(expansions, t)
	}) {
		return 0, false
	}
	joined := strings.Join(title, " ")
	switch {
	case strings.HasPrefix(joined, typed):
		return 1.1, true
	case strings.Contains(joined, typed):
		return 0.9, true
	}
	return 0.7, true
}

// globalID is the internal ID of a global document number.
func globalID(n uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, n)
}

// snapshot opens a reader of the articles' index as scorch's snapshot,
// for the work that reads segments directly; the caller closes it.
func (ix *Index) snapshot() (*scorch.IndexSnapshot, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	switch {
	case !ok:
		r.Close()
		return nil, fmt.Errorf("unexpected index reader %T", r)
	case snap == nil: // a closed index has no snapshot
		return nil, bleve.ErrorIndexClosed
	}
	return snap, nil
}
