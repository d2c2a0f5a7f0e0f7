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

// Scores are one engine's figures for one query, or its means.
type Scores struct {
	P      float64  `json:"p_at_10"`
	NDCG   float64  `json:"ndcg_at_10"`
	Hits   int      `json:"hits,omitempty"` // results returned, at most K
	Top    []string `json:"top,omitempty"`  // IDs returned, best first
	Judged []bool   `json:"relevant,omitempty"`
}

// QueryResult is one query's figures for every engine.
type QueryResult struct {
	Query    string            `json:"query"`
	Tags     []string          `json:"tags"`
	Relevant int               `json:"relevant_in_corpus"`
	Engines  map[string]Scores `json:"engines"`
}

// Report is a whole evaluation. Difference is the first engine's mean
// minus the second's (Folio minus the reference when run by folio eval),
// and Paired says how much of it is more than noise.
type Report struct {
	K          int               `json:"k"`
	Documents  int               `json:"documents"`
	Engines    []string          `json:"engines"`
	Mean       map[string]Scores `json:"mean"`
	Difference *Scores           `json:"difference,omitempty"`
	Paired     *Paired           `json:"paired,omitempty"`
	Queries    []QueryResult     `json:"queries"`
}

// Paired compares the first two engines query by query: on how many
// queries the first has the higher, equal or lower nDCG, and the two-sided
// p-values of a paired sign-flip randomisation test of the mean
// differences (the chance of a difference at least this large if the two
// engines were interchangeable on every query).
type Paired struct {
	Better int     `json:"better"`
	Equal  int     `json:"equal"`
	Worse  int     `json:"worse"`
	PP     float64 `json:"p_value_p_at_10"`
	PNDCG  float64 `json:"p_value_ndcg_at_10"`
}

// Named is an engine under the name the report gives it.
type Named struct {
	Name   string
	Engine search.Engine
}

// Evaluate runs every query through every engine the way the API does
// (parsed by internal/query, ranked by relevance) and scores the top k.
func Evaluate(ctx context.Context, j *Judgments, qs []Query, k int, engines ...Named) (*Report, error) {
	if err := j.Check(qs); err != nil {
		return nil, err
	}
	r := &Report{K: k, Documents: j.Docs(), Mean: map[string]Scores{}}
	for _, e := range engines {
		r.Engines = append(r.Engines, e.Name)
	}
	for _, q := range qs {
		qr := QueryResult{Query: q.Text, Tags: q.Tags, Relevant: j.NumRelevant(q), Engines: map[string]Scores{}}
		for _, e := range engines {
			ids, err := top(ctx, e.Engine, q.Text, k)
			if err != nil {
				return nil, fmt.Errorf("%s: query %q: %w", e.Name, q.Text, err)
			}
			if len(ids) > k {
				ids = ids[:k]
			}
			judged := make([]bool, len(ids))
			for i, id := range ids {
				judged[i] = j.Relevant(q, id)
			}
			qr.Engines[e.Name] = Scores{
				P: PrecisionAt(judged, k), NDCG: NDCGAt(judged, qr.Relevant, k),
				Hits: len(ids), Top: ids, Judged: judged,
			}
		}
		r.Queries = append(r.Queries, qr)
	}
	for _, name := range r.Engines {
		var m Scores
		for _, qr := range r.Queries {
			m.P += qr.Engines[name].P
			m.NDCG += qr.Engines[name].NDCG
		}
		m.P /= float64(len(r.Queries))
		m.NDCG /= float64(len(r.Queries))
		r.Mean[name] = m
	}
	if len(r.Engines) >= 2 {
		a, b := r.Mean[r.Engines[0]], r.Mean[r.Engines[1]]
		r.Difference = &Scores{P: a.P - b.P, NDCG: a.NDCG - b.NDCG}
		r.Paired = r.paired(r.Engines[0], r.Engines[1])
	}
	return r, nil
}

// top is the IDs of the best k articles for q, best first.
func top(ctx context.Context, e search.Engine, q string, k int) ([]string, error) {
	node, err := query.Parse(q)
	if err != nil {
		return nil, err
	}
	res, err := e.Search(ctx, search.Request{Query: node, Size: k})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (r *Report) paired(a, b string) *Paired {
	p := &Paired{}
	dp := make([]float64, len(r.Queries))
	dn := make([]float64, len(r.Queries))
	for i, qr := range r.Queries {
		x, y := qr.Engines[a], qr.Engines[b]
		dp[i], dn[i] = x.P-y.P, x.NDCG-y.NDCG
		switch {
		case math.Abs(dn[i]) < 1e-12:
			p.Equal++
		case dn[i] > 0:
			p.Better++
		default:
			p.Worse++
		}
	}
	p.PP, p.PNDCG = signFlipP(dp), signFlipP(dn)
	return p
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

// WriteText writes a per-query table, then the means and the difference.
// Each engine's column shows P@k, nDCG@k and, as a picture of the top k,
// one character per rank: # relevant, . not, blank where nothing was
// returned.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "query\ttags\trelevant")
	for _, e := range r.Engines {
		fmt.Fprintf(tw, "\t%s P@%d\tnDCG@%d\ttop %d", e, r.K, r.K, r.K)
	}
	if r.Difference != nil {
		fmt.Fprintf(tw, "\tΔ nDCG")
	}
	fmt.Fprintln(tw)
	for _, qr := range r.Queries {
		fmt.Fprintf(tw, "%s\t%s\t%d", qr.Query, strings.Join(qr.Tags, ","), qr.Relevant)
		for _, e := range r.Engines {
			s := qr.Engines[e]
			fmt.Fprintf(tw, "\t%.2f\t%.3f\t%s", s.P, s.NDCG, picture(s.Judged, r.K))
		}
		if r.Difference != nil {
			a, b := qr.Engines[r.Engines[0]], qr.Engines[r.Engines[1]]
			fmt.Fprintf(tw, "\t%+.3f", a.NDCG-b.NDCG)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d queries, %d documents\n", len(r.Queries), r.Documents)
	for _, e := range r.Engines {
		m := r.Mean[e]
		fmt.Fprintf(w, "%-8s mean P@%d %.3f  mean nDCG@%d %.3f\n", e, r.K, m.P, r.K, m.NDCG)
	}
	if d := r.Difference; d != nil {
		p := r.Paired
		fmt.Fprintf(w, "%s − %s: P@%d %+.3f (p=%.2f)  nDCG@%d %+.3f (p=%.2f); nDCG per query: %d better, %d equal, %d worse\n",
			r.Engines[0], r.Engines[1], r.K, d.P, p.PP, r.K, d.NDCG, p.PNDCG, p.Better, p.Equal, p.Worse)
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
