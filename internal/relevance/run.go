package relevance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Depth is how many results of each engine are judged for average
// precision; P@k and nDCG@k read the first k of them.
const Depth = 1000

// Scores are one engine's figures for one query, or its means.
type Scores struct {
	P      float64  `json:"p_at_10"`
	NDCG   float64  `json:"ndcg_at_10"`
	AP     float64  `json:"map"`            // average precision over Depth results; its mean is MAP
	Hits   int      `json:"hits,omitempty"` // results returned, at most K
	Top    []string `json:"top,omitempty"`  // IDs returned, best first, at most K
	Judged []bool   `json:"relevant,omitempty"`
}

// QueryResult is one query's figures for every engine.
type QueryResult struct {
	Query    string            `json:"query"`
	Tags     []string          `json:"tags"`
	Relevant int               `json:"relevant_in_corpus"`
	Engines  map[string]Scores `json:"engines"`
}

// Report is a whole evaluation. Paired holds the comparisons asked for
// (Compare), each saying how much of a difference is more than noise.
type Report struct {
	K         int               `json:"k"`
	Depth     int               `json:"depth"`
	Documents int               `json:"documents"`
	Engines   []string          `json:"engines"`
	Mean      map[string]Scores `json:"mean"`
	Paired    []Paired          `json:"paired,omitempty"`
	// CrossValidated says how the cross-validated engine's figures were
	// made, when one was added (CrossValidate).
	CrossValidated *CrossValidation `json:"cross_validated,omitempty"`
	Queries        []QueryResult    `json:"queries"`
}

// Paired compares two engines query by query: A's means minus B's, on how
// many queries A has the higher, equal or lower nDCG, and the two-sided
// p-values of a paired sign-flip randomisation test of each mean
// difference (the chance of a difference at least this large if the two
// engines were interchangeable on every query).
type Paired struct {
	A      string  `json:"a"`
	B      string  `json:"b"`
	DP     float64 `json:"difference_p_at_10"`
	DNDCG  float64 `json:"difference_ndcg_at_10"`
	DAP    float64 `json:"difference_map"`
	Better int     `json:"better"`
	Equal  int     `json:"equal"`
	Worse  int     `json:"worse"`
	PP     float64 `json:"p_value_p_at_10"`
	PNDCG  float64 `json:"p_value_ndcg_at_10"`
	PAP    float64 `json:"p_value_map"`
}

// Named is an engine under the name the report gives it.
type Named struct {
	Name   string
	Engine search.Engine
}

// Evaluate runs every query through every engine the way the API does
// (parsed by internal/query, ranked by relevance), scores the top k and
// the average precision of the first Depth results.
func Evaluate(ctx context.Context, j *Judgments, qs []Query, k int, engines ...Named) (*Report, error) {
	if err := j.Check(qs); err != nil {
		return nil, err
	}
	r := &Report{K: k, Depth: max(k, Depth), Documents: j.Docs(), Mean: map[string]Scores{}}
	for _, e := range engines {
		r.Engines = append(r.Engines, e.Name)
	}
	for _, q := range qs {
		qr := QueryResult{Query: q.Text, Tags: q.Tags, Relevant: j.NumRelevant(q), Engines: map[string]Scores{}}
		for _, e := range engines {
			ids, err := top(ctx, e.Engine, q.Text, r.Depth)
			if err != nil {
				return nil, fmt.Errorf("%s: query %q: %w", e.Name, q.Text, err)
			}
			judged := make([]bool, len(ids))
			for i, id := range ids {
				judged[i] = j.Relevant(q, id)
			}
			n := min(k, len(ids))
			qr.Engines[e.Name] = Scores{
				P: PrecisionAt(judged, k), NDCG: NDCGAt(judged, qr.Relevant, k), AP: AveragePrecision(judged, qr.Relevant),
				Hits: n, Top: ids[:n], Judged: judged[:n],
			}
		}
		r.Queries = append(r.Queries, qr)
	}
	for _, name := range r.Engines {
		r.mean(name)
	}
	return r, nil
}

// mean sets the means of engine name over the queries.
func (r *Report) mean(name string) {
	var m Scores
	for _, qr := range r.Queries {
		s := qr.Engines[name]
		m.P += s.P
		m.NDCG += s.NDCG
		m.AP += s.AP
	}
	n := float64(len(r.Queries))
	r.Mean[name] = Scores{P: m.P / n, NDCG: m.NDCG / n, AP: m.AP / n}
}

// top is the IDs of the best k articles for q, best first.
func top(ctx context.Context, e search.Engine, q string, k int) ([]string, error) {
	node, err := query.Parse(q)
	if err != nil {
		return nil, err
	}
	res, err := e.Search(ctx, search.Request{Query: node, Size: k, Facets: []string{}})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Compare adds the paired comparison of engine a against engine b.
func (r *Report) Compare(a, b string) (*Paired, error) {
	if _, ok := r.Mean[a]; !ok {
		return nil, fmt.Errorf("no engine %q in the report", a)
	}
	if _, ok := r.Mean[b]; !ok {
		return nil, fmt.Errorf("no engine %q in the report", b)
	}
	p := Paired{A: a, B: b}
	dp := make([]float64, len(r.Queries))
	dn := make([]float64, len(r.Queries))
	da := make([]float64, len(r.Queries))
	for i, qr := range r.Queries {
		x, y := qr.Engines[a], qr.Engines[b]
		dp[i], dn[i], da[i] = x.P-y.P, x.NDCG-y.NDCG, x.AP-y.AP
		switch {
		case math.Abs(dn[i]) < 1e-12:
			p.Equal++
		case dn[i] > 0:
			p.Better++
		default:
			p.Worse++
		}
	}
	ma, mb := r.Mean[a], r.Mean[b]
	p.DP, p.DNDCG, p.DAP = ma.P-mb.P, ma.NDCG-mb.NDCG, ma.AP-mb.AP
	p.PP, p.PNDCG, p.PAP = signFlipP(dp), signFlipP(dn), signFlipP(da)
	r.Paired = append(r.Paired, p)
	return &r.Paired[len(r.Paired)-1], nil
}

// CrossValidation records a k-fold cross-validation: the queries are
// dealt into Folds folds (the i-th query of the set into fold i mod
// Folds); for each fold the candidate with the best mean nDCG@k on the
// other folds is chosen (Chosen, by fold), and its figures on the fold's
// own queries, which took no part in the choice, are the engine's. So the
// figure estimates how the tuning does on queries it has not seen.
type CrossValidation struct {
	Engine     string   `json:"engine"`
	Folds      int      `json:"folds"`
	Candidates []string `json:"candidates"`
	Chosen     []string `json:"chosen"`
}

// CrossValidate adds the engine name to r, made by k-fold cross-validation
// over the candidate engines of grid, a report over the same queries.
func (r *Report) CrossValidate(name string, grid *Report, folds int) error {
	if len(grid.Queries) != len(r.Queries) || folds < 2 || folds > len(r.Queries) {
		return fmt.Errorf("cross-validation: %d queries, %d in the grid, %d folds", len(r.Queries), len(grid.Queries), folds)
	}
	cv := &CrossValidation{Engine: name, Folds: folds, Candidates: grid.Engines}
	for f := range folds {
		best, bestScore := "", math.Inf(-1)
		for _, cand := range grid.Engines {
			sum := 0.0
			for i, qr := range grid.Queries {
				if i%folds != f {
					sum += qr.Engines[cand].NDCG
				}
			}
			if sum > bestScore+1e-9 {
				best, bestScore = cand, sum
			}
		}
		cv.Chosen = append(cv.Chosen, best)
		for i := range r.Queries {
			if i%folds == f {
				if grid.Queries[i].Query != r.Queries[i].Query {
					return fmt.Errorf("cross-validation: query %d is %q in the grid, %q here", i, grid.Queries[i].Query, r.Queries[i].Query)
				}
				r.Queries[i].Engines[name] = grid.Queries[i].Engines[best]
			}
		}
	}
	r.Engines = append(r.Engines, name)
	r.mean(name)
	r.CrossValidated = cv
	return nil
}

// signFlipP is the two-sided p-value of the paired randomisation test: under
// the null hypothesis each per-query difference is as likely to have the
// other sign. The seed is fixed so that a report is reproducible.
func signFlipP(d []float64) float64 {
	const rounds = 20000
	observed := 0.0
	for _, x := range d {
		observed += x
	}
	observed = math.Abs(observed)
	rng := rand.New(rand.NewPCG(1, 2))
	extreme := 0
	for range rounds {
		sum := 0.0
		for _, x := range d {
			if rng.IntN(2) == 0 {
				sum += x
			} else {
				sum -= x
			}
		}
		if math.Abs(sum) >= observed-1e-9 {
			extreme++
		}
	}
	return float64(extreme+1) / float64(rounds+1)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes a per-query table, then the means and the paired
// comparisons. Each engine's column shows P@k, nDCG@k, average precision
// and, as a picture of the top k, one character per rank: # relevant,
// . not, blank where nothing was returned.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "query\ttags\trelevant")
	for _, e := range r.Engines {
		fmt.Fprintf(tw, "\t%s P@%d\tnDCG@%d\tAP\ttop %d", e, r.K, r.K, r.K)
	}
	fmt.Fprintln(tw)
	for _, qr := range r.Queries {
		fmt.Fprintf(tw, "%s\t%s\t%d", qr.Query, strings.Join(qr.Tags, ","), qr.Relevant)
		for _, e := range r.Engines {
			s := qr.Engines[e]
			fmt.Fprintf(tw, "\t%.2f\t%.3f\t%.3f\t%s", s.P, s.NDCG, s.AP, picture(s.Judged, r.K))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d queries, %d documents; AP over the first %d results\n", len(r.Queries), r.Documents, r.Depth)
	for _, e := range r.Engines {
		m := r.Mean[e]
		fmt.Fprintf(w, "%-12s mean P@%d %.3f  mean nDCG@%d %.3f  MAP %.3f\n", e, r.K, m.P, r.K, m.NDCG, m.AP)
	}
	if cv := r.CrossValidated; cv != nil {
		fmt.Fprintf(w, "%s: %d-fold cross-validation over %d candidates; chosen by fold: %s\n",
			cv.Engine, cv.Folds, len(cv.Candidates), strings.Join(cv.Chosen, ", "))
	}
	for _, p := range r.Paired {
		fmt.Fprintf(w, "%s − %s: P@%d %+.3f (p=%.3f)  nDCG@%d %+.3f (p=%.3f)  MAP %+.3f (p=%.3f); nDCG per query: %d better, %d equal, %d worse\n",
			p.A, p.B, r.K, p.DP, p.PP, r.K, p.DNDCG, p.PNDCG, p.DAP, p.PAP, p.Better, p.Equal, p.Worse)
	}
	return nil
}

func picture(judged []bool, k int) string {
	b := []byte(strings.Repeat(" ", k))
	for i, rel := range judged {
		if i == k {
			break
		}
		if rel {
			b[i] = '#'
		} else {
			b[i] = '.'
		}
	}
	return "[" + string(b) + "]"
}
