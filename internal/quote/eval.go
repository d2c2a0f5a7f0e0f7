package quote

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/textnorm"
)

// Gold is one annotated quote of an evaluation file (JSON Lines).
type Gold struct {
	Article string  `json:"article"`
	Quote   string  `json:"quote"`
	Speaker *string `json:"speaker"`
	Cue     *string `json:"cue"`
}

// Figures score quote detection and attribution.
type Figures struct {
	Gold      int `json:"gold"`      // annotated quotes (overall only)
	Predicted int `json:"predicted"` // quotes found
	Matched   int `json:"matched"`   // found quotes that match an annotated one
	// Named is the matched quotes whose annotation names a speaker;
	// Right is those given that speaker.
	Named int `json:"named"`
	Right int `json:"right"`
	// Pairs is the found quotes whose text and speaker (or its absence)
	// both match.
	Pairs           int     `json:"pairs"`
	QuotePrecision  float64 `json:"quote_precision"`
	QuoteRecall     float64 `json:"quote_recall,omitempty"`
	SpeakerAccuracy float64 `json:"speaker_accuracy"`
	PairPrecision   float64 `json:"pair_precision"`
	PairRecall      float64 `json:"pair_recall,omitempty"`
	PairF1          float64 `json:"pair_f1,omitempty"`
}

// Report is an evaluation: overall, by attribution route (recall by
// route is undefined, as the annotation has no routes), and the errors.
type Report struct {
	Articles int `json:"articles"`
	// Spans is every top-level quoted span the marks give; Dropped is
	// those left out as titles, names or scare quotes, and DroppedQuotes
	// the annotated quotes among them: how the filter fares.
	Spans         int                 `json:"spans"`
	Dropped       int                 `json:"dropped"`
	DroppedQuotes int                 `json:"dropped_quotes"`
	Overall       Figures             `json:"overall"`
	ByRoute       map[string]*Figures `json:"by_route"`
	Errors        []string            `json:"errors,omitempty"`
}

// ReadGold reads an evaluation file.
func ReadGold(path string) ([]Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Gold
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g Gold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		out = append(out, g)
	}
	return out, sc.Err()
}

// normal is a quote's text for matching: marks folded, white space
// collapsed and trimmed.
func normal(s string) string { return strings.Join(strings.Fields(textnorm.Fold(s)), " ") }

// Evaluate scores extract on the annotated articles. Every article named
// in gold, and every one in ids, is scored (an article of ids with no
// gold line expects no quotes).
func Evaluate(articles map[string]*corpus.Article, ids []string, gold []Gold, extract func(*corpus.Article) []corpus.Quote) (*Report, error) {
	byArticle := map[string][]Gold{}
	for _, g := range gold {
		if _, ok := byArticle[g.Article]; !ok {
			ids = append(ids, g.Article)
		}
		byArticle[g.Article] = append(byArticle[g.Article], g)
	}
	seen := map[string]bool{}
	r := &Report{ByRoute: map[string]*Figures{}}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		a, ok := articles[id]
		if !ok {
			return nil, fmt.Errorf("article %s is not in the corpus", id)
		}
		r.Articles++
		gs := byArticle[id]
		r.Overall.Gold += len(gs)
		used := make([]bool, len(gs))
		spans := scan(a.Body)
		found := extract(a)
		r.Spans += len(spans)
		r.Dropped += len(spans) - len(found)
		kept := map[int]bool{}
		for _, q := range found {
			kept[q.Start] = true
		}
		for _, sp := range spans {
			if kept[sp.start] {
				continue
			}
			for _, g := range gs {
				if normal(g.Quote) == normal(a.Body[sp.start:sp.end]) {
					r.DroppedQuotes++
					break
				}
			}
		}
		for _, q := range found {
			f := r.ByRoute[q.Route]
			if f == nil {
				f = &Figures{}
				r.ByRoute[q.Route] = f
			}
			r.Overall.Predicted++
			f.Predicted++
			k := -1
			for i, g := range gs {
				if !used[i] && normal(g.Quote) == normal(q.Text) {
					k = i
					break
				}
			}
			if k < 0 {
				r.Errors = append(r.Errors, fmt.Sprintf("%s: not a quote: %q (%s, %s)", id, q.Text, q.Speaker, q.Route))
				continue
			}
			used[k] = true
			g := gs[k]
			want := ""
			if g.Speaker != nil {
				want = *g.Speaker
			}
			for _, f := range []*Figures{&r.Overall, f} {
				f.Matched++
				if want != "" {
					f.Named++
					if q.Speaker == want {
						f.Right++
					}
				}
				if q.Speaker == want {
					f.Pairs++
				}
			}
			if q.Speaker != want {
				r.Errors = append(r.Errors, fmt.Sprintf("%s: speaker %q, want %q (%s, cue %q): %.60q", id, q.Speaker, want, q.Route, q.Cue, q.Text))
			}
		}
		for i, g := range gs {
			if !used[i] {
				r.Errors = append(r.Errors, fmt.Sprintf("%s: missed: %.70q", id, g.Quote))
			}
		}
	}
	r.Overall.ratios(true)
	for _, f := range r.ByRoute {
		f.ratios(false)
	}
	return r, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (f *Figures) ratios(recall bool) {
	f.QuotePrecision = ratio(f.Matched, f.Predicted)
	f.SpeakerAccuracy = ratio(f.Right, f.Named)
	f.PairPrecision = ratio(f.Pairs, f.Predicted)
	if recall {
		f.QuoteRecall = ratio(f.Matched, f.Gold)
		f.PairRecall = ratio(f.Pairs, f.Gold)
		if p, r := f.PairPrecision, f.PairRecall; p+r > 0 {
			f.PairF1 = 2 * p * r / (p + r)
		}
	}
}

// WriteTable prints the report for people.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "%d articles, %d annotated quotes; %d quoted spans, %d left out as not quotes (%d of them annotated)\n\n",
		r.Articles, r.Overall.Gold, r.Spans, r.Dropped, r.DroppedQuotes)
	fmt.Fprintf(w, "%-13s %5s %7s %7s %7s %7s %7s %7s %7s\n", "route", "found", "quoteP", "quoteR", "speaker", "pairP", "pairR", "pairF1", "named")
	row := func(name string, f *Figures, all bool) {
		if all {
			fmt.Fprintf(w, "%-13s %5d %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7d\n", name, f.Predicted, f.QuotePrecision, f.QuoteRecall,
				f.SpeakerAccuracy, f.PairPrecision, f.PairRecall, f.PairF1, f.Named)
			return
		}
		fmt.Fprintf(w, "%-13s %5d %7.3f %7s %7.3f %7.3f %7s %7s %7d\n", name, f.Predicted, f.QuotePrecision, "-",
			f.SpeakerAccuracy, f.PairPrecision, "-", "-", f.Named)
	}
	row("all", &r.Overall, true)
	routes := make([]string, 0, len(r.ByRoute))
	for k := range r.ByRoute {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	for _, k := range routes {
		name := k
		if name == "" {
			name = "(unknown)"
		}
		row(name, r.ByRoute[k], false)
	}
}
