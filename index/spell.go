package index

import (
	"context"

	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Typos: a bare term that matches nothing in the index is retried as a
// fuzzy match, and the most frequent word of the index within the same edit
// distance is offered as a correction.

// correction is what spellcheck did to a query.
type correction struct {
	node       query.Node // the query with unmatched terms made fuzzy
	fuzzy      bool       // some term was made fuzzy
	didYouMean query.Node // the query with the best corrections, or nil
}

// spellcheck rewrites the positive terms of n that match nothing. The
// corrections it looks up are charged to exp, as the fuzzy words they are.
func (ix *Index) spellcheck(ctx context.Context, r bindex.IndexReader, exp *expansions, n query.Node) (correction, error) {
	s := speller{ix: ix, ctx: ctx, r: r, exp: exp}
	fuzzyNode := s.rewrite(n, false)
	c := correction{node: fuzzyNode, fuzzy: s.fuzzy}
	if s.suggested {
		c.didYouMean = s.suggest(n)
	}
	return c, s.err
}

type speller struct {
	ix        *Index
	ctx       context.Context
	r         bindex.IndexReader
	exp       *expansions
	fuzzy     bool
	suggested bool
	memo      map[string]string // word → best correction ("" for none)
	err       error
}

// rewrite returns n with every unmatched positive term made fuzzy.
func (s *speller) rewrite(n query.Node, negated bool) query.Node {
	switch n := n.(type) {
	case query.And:
		return query.And{Nodes: s.rewriteAll(n.Nodes, negated)}
	case query.Or:
		return query.Or{Nodes: s.rewriteAll(n.Nodes, negated)}
	case query.Not:
		return query.Not{Node: s.rewrite(n.Node, !negated)}
	case query.Term:
		if negated || s.err != nil || !s.unmatched(n) {
			return n
		}
		d := search.TypoDistance(n.Text)
		if d == 0 {
			return n
		}
		s.fuzzy = true
		if s.correct(n.Text) != "" {
			s.suggested = true
		}
		return query.Fuzzy{Field: n.Field, Text: n.Text, Distance: d, Pos: n.Pos}
	}
	return n
}

func (s *speller) rewriteAll(nodes []query.Node, negated bool) []query.Node {
	out := make([]query.Node, len(nodes))
	for i, c := range nodes {
		out[i] = s.rewrite(c, negated)
	}
	return out
}

// suggest returns n with each unmatched term replaced by its correction.
func (s *speller) suggest(n query.Node) query.Node {
	switch n := n.(type) {
	case query.And:
		out := query.And{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = s.suggest(c)
		}
		return out
	case query.Or:
		out := query.Or{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = s.suggest(c)
		}
		return out
	case query.Term:
		if w, ok := s.memo[n.Text]; ok && w != "" {
			n.Text = w
		}
		return n
	}
	return n
}

// unmatched reports whether a single-word term occurs in none of the
// fields it searches.
func (s *speller) unmatched(t query.Term) bool {
	stemmed, _, err := textFields(t.Field)
	if err != nil {
		return false
	}
	tokens := s.ix.analyze(s.ix.text, t.Text)
	if len(tokens) != 1 || len(s.ix.analyze(s.ix.exact, t.Text)) != 1 {
		return false // stop words and multi-token words are left alone
	}
	for _, f := range stemmed {
		n, err := stemDocCount(s.ctx, s.r, f, tokens[0])
		if err != nil {
			s.err = err
			return false
		}
		if n > 0 {
			return false
		}
	}
	return true
}

// correct returns the most frequent indexed word within the word's fuzzy
// distance, or "".
func (s *speller) correct(word string) string {
	if w, ok := s.memo[word]; ok {
		return w
	}
	if s.memo == nil {
		s.memo = map[string]string{}
	}
	counts := map[string]uint64{}
	dist := map[string]uint8{}
	for _, f := range []string{fTitleExact, fBodyExact} {
		err := s.exp.fuzzy(f, word, search.TypoDistance(word), func(e *bindex.DictEntry) {
			counts[e.Term] += e.Count
			dist[e.Term] = e.EditDistance
		})
		if err != nil {
			s.err = err
			return ""
		}
	}
	best := ""
	for w, c := range counts {
		if w == word {
			continue
		}
		if best == "" || c > counts[best] || c == counts[best] && (dist[w] < dist[best] || dist[w] == dist[best] && w < best) {
			best = w
		}
	}
	s.memo[word] = best
	return best
}
