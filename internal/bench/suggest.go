package bench

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"

	"github.com/folio-search/folio/corpus"
)

// Suggestions as typed: GET /api/suggest is measured on Folio alone (FTS5
// has no suggester), with what a search box sends while someone types a
// word, a name or the start of a title, one request per keystroke.

// ClassSuggest is the suggestion class; it is not one of Classes, which
// both engines answer.
const ClassSuggest = "s"

// suggestPath is the API's suggestion endpoint.
const suggestPath = "/api/suggest"

func init() { ClassNames[ClassSuggest] = "(s) suggest as typed" }

// suggestP99Limit is issue 21's target at 1,000,000 articles, in ms.
const suggestP99Limit = 10

// GenerateSuggest samples n keystroke texts with a fixed seed: every
// prefix of a title word, of an entity name (via ents, which may be nil)
// or of a title's first words, and now and then the whole word with two
// letters swapped, a typo the suggester must forgive.
func GenerateSuggest(src []corpus.Article, ents EntityLookup, n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	var out []string
	for len(out) < n {
		i := rng.IntN(len(src))
		a := &src[i]
		var target string
		switch rng.IntN(3) {
		case 0: // a word of the title
			var cand []string
			for _, w := range words(a.Title) {
				if searchable(w) {
					cand = append(cand, w.text)
				}
			}
			if len(cand) > 0 {
				target = cand[rng.IntN(len(cand))]
			}
		case 1: // an entity of the article
			if ents != nil {
				var names []string
				for _, ns := range ents(Replica(src, i).ID) {
					names = append(names, ns...)
				}
				if len(names) > 0 {
					target = names[rng.IntN(len(names))]
				}
			}
		default: // the first words of the title
			ws := strings.Fields(a.Title)
			target = strings.Join(ws[:min(len(ws), 3)], " ")
		}
		r := []rune(target)
		if len(r) < 2 {
			continue
		}
		for k := 1; k <= min(len(r), 24) && len(out) < n; k++ {
			out = append(out, string(r[:k]))
		}
		if len(r) >= 6 && rng.IntN(2) == 0 && len(out) < n {
			j := 2 + rng.IntN(len(r)-3)
			r[j], r[j+1] = r[j+1], r[j]
			out = append(out, string(r))
		}
	}
	return out
}

// suggestURL is a keystroke's URL on a server.
func suggestURL(info ServeInfo, text string) string {
	return info.Base + suggestPath + "?" + url.Values{"q": {text}}.Encode()
}

// suggestTarget checks issue 21's target on the one-client cell.
func suggestTarget(r *Report) (Target, bool) {
	c := r.cell(Folio, ClassSuggest, 1)
	if c == nil {
		return Target{}, false
	}
	return Target{"suggest as typed: p99, 1 client ≤ 10 ms (issue 21)", fmt.Sprintf("%.2f ms", c.P99), "≤ 10 ms", c.P99 <= suggestP99Limit}, true
}
