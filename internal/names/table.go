package names

import "slices"

// A Table finds the canonical names a typed name stands for. It is built
// from a list of names (an index's values of one entity facet) and grows
// with Add; it is not safe for concurrent use with Add, and callers that
// add while others match hold a lock.
type Table struct {
	byKey     map[string][]string // Key → names
	bySurname map[string][]string // last word of Key → names of two words or more
	keys      []string            // every key, for Nearest
}

// NewTable indexes names by their keys.
func NewTable(names []string) *Table {
	t := &Table{byKey: map[string][]string{}, bySurname: map[string][]string{}}
	t.Add(names...)
	return t
}

// Add indexes more names.
func (t *Table) Add(names ...string) {
	for _, n := range names {
		w := Words(n)
		if len(w) == 0 {
			continue
		}
		k := join(w)
		if _, seen := t.byKey[k]; !seen {
			t.keys = append(t.keys, k)
		}
		t.byKey[k] = append(t.byKey[k], n)
		if len(w) > 1 {
			t.bySurname[w[len(w)-1]] = append(t.bySurname[w[len(w)-1]], n)
		}
	}
}

func join(words []string) string {
	n := len(words) - 1
	for _, w := range words {
		n += len(w)
	}
	b := make([]byte, 0, max(n, 0))
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	return string(b)
}

// Match returns the names that typed stands for: those with its key and,
// when there are none and typed is one word, those whose surname it is
// (Алиев is Ilham Aliyev, and every other Aliyev of the list). nil when
// nothing matches.
func (t *Table) Match(typed string) []string {
	w := Words(typed)
	if len(w) == 0 {
		return nil
	}
	if m := t.byKey[join(w)]; len(m) > 0 {
		return slices.Clone(m)
	}
	if len(w) == 1 {
		return slices.Clone(t.bySurname[w[0]])
	}
	return nil
}

// MatchLive is Match over the names that live keeps of those it is given.
// A table that only grows holds names no article holds any longer; such a
// key must not hide the names whose surname typed is, as it would in
// Match.
func (t *Table) MatchLive(typed string, live func(names []string) ([]string, error)) ([]string, error) {
	w := Words(typed)
	if len(w) == 0 {
		return nil, nil
	}
	if m, err := live(slices.Clone(t.byKey[join(w)])); err != nil || len(m) > 0 {
		return m, err
	}
	if len(w) == 1 {
		return live(slices.Clone(t.bySurname[w[0]]))
	}
	return nil, nil
}

// Nearest returns the names whose key is closest to typed's within a
// small edit distance (one edit for short names, two from eight letters),
// for a suggestion when Match finds nothing; nil when none is that near.
func (t *Table) Nearest(typed string) []string {
	k := Key(typed)
	if k == "" {
		return nil
	}
	limit := 1
	if len(k) >= 8 {
		limit = 2
	}
	best, bestD := []string(nil), limit+1
	for _, c := range t.keys {
		if d := len(c) - len(k); d > limit || -d > limit {
			continue
		}
		if d := distance(k, c, bestD+1); d < bestD {
			best, bestD = slices.Clone(t.byKey[c]), d
		} else if d == bestD && d <= limit {
			best = append(best, t.byKey[c]...)
		}
	}
	return best
}

// distance is the Levenshtein distance of ASCII keys a and b, or a value
// at least bound once it is sure to reach it.
func distance(a, b string, bound int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= bound {
			return bound
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
