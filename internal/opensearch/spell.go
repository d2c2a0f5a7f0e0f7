package opensearch

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Typos, as in the Bleve engine: a bare word that matches nothing is
// retried as a fuzzy match, and the most frequent indexed word within the
// same edit distance is offered as a correction. The search itself counts
// each such word's matches over the whole index (a global aggregation,
// wordCounts), so that a query without typos costs no more requests; for
// a word that matched nothing, the term suggester lists the words near it
// in the exact fields with their document frequencies (corrections), and
// the search runs again with the word made fuzzy.

// wordsAgg names the aggregation of wordCounts.
const wordsAgg = "folio_words"

// wordCounts is the aggregation that counts the articles of the whole
// index matching each of words, in order.
func wordCounts(words []query.Term) (obj, error) {
	var filters []any
	for _, w := range words {
		var c compiler
		q, err := c.compile(w, false)
		if err != nil {
			return nil, err
		}
		filters = append(filters, q)
	}
	return obj{"global": obj{}, "aggs": obj{"words": obj{"filters": obj{"filters": filters}}}}, nil
}

// suggestAnswer is the part of the term suggester's answer Folio reads.
type suggestAnswer struct {
	Suggest map[string][]struct {
		Options []struct {
			Text string `json:"text"`
			Freq int    `json:"freq"`
		} `json:"options"`
	} `json:"suggest"`
}

// corrections maps each of words, which match nothing, to the most
// frequent indexed word within its edit distance, or "" for none.
func (e *Engine) corrections(ctx context.Context, words []query.Term) (map[query.Term]string, error) {
	suggest := obj{}
	for i, w := range words {
		for _, f := range []string{fTitle, fBody} {
			suggest[fmt.Sprintf("w%d%s", i, f)] = obj{"text": w.Text, "term": obj{
				"field": f + exact, "suggest_mode": "always", "max_edits": search.TypoDistance(w.Text),
				"prefix_length": 0, "min_word_length": 1, "size": 20, "shard_size": 50, "sort": "frequency",
			}}
		}
	}
	var got suggestAnswer
	if err := e.do(ctx, http.MethodPost, e.searchPath(), obj{"size": 0, "suggest": suggest}, &got); err != nil {
		return nil, err
	}
	fix := map[query.Term]string{}
	for i, w := range words {
		word, d := strings.ToLower(w.Text), search.TypoDistance(w.Text)
		freq := map[string]int{}
		for _, f := range []string{fTitle, fBody} {
			for _, s := range got.Suggest[fmt.Sprintf("w%d%s", i, f)] {
				for _, o := range s.Options {
					if o.Text != word && levenshtein(word, o.Text) <= d {
						freq[o.Text] += o.Freq
					}
				}
			}
		}
		best := ""
		for t, c := range freq {
			if best == "" || c > freq[best] || c == freq[best] && (levenshtein(word, t) < levenshtein(word, best) ||
				levenshtein(word, t) == levenshtein(word, best) && t < best) {
				best = t
			}
		}
		fix[w] = best
	}
	return fix, nil
}

// didYouMean is n with the corrections of fix, or "" when it has none.
func didYouMean(n query.Node, fix map[query.Term]string) string {
	for _, f := range fix {
		if f != "" {
			return query.Format(rewrite(n, false, fix, false))
		}
	}
	return ""
}

// candidates appends to out the positive bare words of n long enough to
// be corrected, each once. A word of other than letters and digits (AT&T)
// may analyse into several tokens, and is left alone.
func candidates(n query.Node, negated bool, out []query.Term) []query.Term {
	switch n := n.(type) {
	case query.And:
		for _, c := range n.Nodes {
			out = candidates(c, negated, out)
		}
	case query.Or:
		for _, c := range n.Nodes {
			out = candidates(c, negated, out)
		}
	case query.Not:
		out = candidates(n.Node, !negated, out)
	case query.Term:
		plain := !strings.ContainsFunc(n.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		// A quote's words are not corrected, as in Bleve.
		if negated || !plain || search.TypoDistance(n.Text) == 0 || n.Field == "quote" {
			return out
		}
		for _, t := range out {
			if t.Field == n.Field && t.Text == n.Text {
				return out
			}
		}
		out = append(out, query.Term{Field: n.Field, Text: n.Text})
	}
	return out
}

// rewrite returns n with each positive word of fix made fuzzy, or with
// fuzzy false replaced by its correction where it has one.
func rewrite(n query.Node, negated bool, fix map[query.Term]string, fuzzy bool) query.Node {
	switch n := n.(type) {
	case query.And:
		out := query.And{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = rewrite(c, negated, fix, fuzzy)
		}
		return out
	case query.Or:
		out := query.Or{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = rewrite(c, negated, fix, fuzzy)
		}
		return out
	case query.Not:
		return query.Not{Node: rewrite(n.Node, !negated, fix, fuzzy)}
	case query.Term:
		best, ok := fix[query.Term{Field: n.Field, Text: n.Text}]
		switch {
		case negated || !ok:
		case fuzzy:
			return query.Fuzzy{Field: n.Field, Text: n.Text, Distance: search.TypoDistance(n.Text), Pos: n.Pos}
		case best != "":
			n.Text = best
		}
		return n
	}
	return n
}

// levenshtein is the edit distance of a and b in runes: insertions,
// deletions, substitutions and swaps of neighbours, as Bleve's fuzzy
// matching and the fuzzy query count them.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
