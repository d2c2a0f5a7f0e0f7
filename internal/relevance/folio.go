package relevance

import (
	"context"
	"fmt"
	"iter"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/search"
)

// LoadCorpus reads every article of a corpus file. A malformed record is
// an error: the figures are only comparable over the whole corpus.
func LoadCorpus(path string) ([]corpus.Article, error) {
	var out []corpus.Article
	for a, err := range corpus.ReadFile(path) {
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	return out, nil
}

// OpenFolio opens the Folio index in dir, building it from articles first
// when dir holds none. Entities are not extracted: ranking reads only the
// title and body. An existing index must hold exactly the articles given,
// or the comparison would not be over the same documents.
func OpenFolio(ctx context.Context, dir string, articles []corpus.Article) (*index.Index, error) {
	if !index.Exists(dir) {
		ix, _, err := index.Create(ctx, dir, seq(articles), index.IngestOptions{BatchSize: 1000})
		return ix, err
	}
	ix, err := index.Open(dir)
	if err != nil {
		return nil, err
	}
	n, err := ix.Count(ctx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	if n != uint64(len(articles)) {
		ix.Close()
		return nil, fmt.Errorf("index %s holds %d articles, the corpus %d: use a fresh directory", dir, n, len(articles))
	}
	return ix, nil
}

func seq(articles []corpus.Article) iter.Seq2[corpus.Article, error] {
	return func(yield func(corpus.Article, error) bool) {
		for _, a := range articles {
			if !yield(a, nil) {
				return
			}
		}
	}
}

// WithoutExpansion is e asked as the API asks with expand=false: no
// pseudo-relevance feedback.
func WithoutExpansion(e search.Engine) search.Engine { return noExpand{e} }

type noExpand struct{ search.Engine }

func (e noExpand) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	req.NoExpand = true
	return e.Engine.Search(ctx, req)
}

// Candidate is one ranking the cross-validation may choose.
type Candidate struct {
	Name    string
	Ranking index.Ranking
}

// Candidates are the rankings tuned over by cross-validation:
// minimum-should-match off, from three words with two thirds, or from
// four with three quarters; feedback off, or from the top 5 or 10
// articles with 30 words at weights 0.5, 0.8 or 1.2, each with and
// without the articles it adds to a query that matched fewer than 100;
// and, around the default (two thirds from three words, feedback from 5
// articles at 0.8, adding articles), the title weighted 1.5 or 3 instead
// of 2, the proximity clause at 0.5 or none instead of 1, the adjacent
// pairs as phrases at 1, BM25's k1 at 0.9 or 1.5 and b at 0.5 or 0.9, and
// flashes scored on their headline alone. Duplicates are always demoted;
// a flash's headline stands for its body in every other candidate.
func Candidates() []Candidate {
	var out []Candidate
	for _, msm := range []struct {
		name  string
		from  int
		share float64
	}{{"all", 0, 0}, {"msm3", 3, 0.67}, {"msm4", 4, 0.75}} {
		base := index.Ranking{MSMFrom: msm.from, MSMShare: msm.share, Dedup: true, HeadlineBody: true}
		out = append(out, Candidate{msm.name + "-nofb", base})
		for _, docs := range []int{5, 10} {
			for _, w := range []float64{0.5, 0.8, 1.2} {
				for _, fill := range []int{0, 100} {
					r := base
					r.FeedbackDocs, r.FeedbackTerms, r.FeedbackWeight, r.FeedbackFill = docs, 30, w, fill
					name := fmt.Sprintf("%s-fb%d.30-%.1f", msm.name, docs, w)
					if fill > 0 {
						name += "-fill"
					}
					out = append(out, Candidate{name, r})
				}
			}
		}
	}
	// Field weights, proximity, BM25 and flashes around the default.
	for _, v := range []struct {
		name string
		set  func(*index.Ranking)
	}{
		{"title1.5", func(r *index.Ranking) { r.TitleBoost = 1.5 }},
		{"title3", func(r *index.Ranking) { r.TitleBoost = 3 }},
		{"prox0.5", func(r *index.Ranking) { r.ProximityBoost = 0.5 }},
		{"prox-off", func(r *index.Ranking) { r.ProximityBoost = -1 }},
		{"bigram1", func(r *index.Ranking) { r.BigramBoost = 1 }},
		{"k1-0.9", func(r *index.Ranking) { r.K1 = 0.9 }},
		{"k1-1.5", func(r *index.Ranking) { r.K1 = 1.5 }},
		{"b0.5", func(r *index.Ranking) { r.B = 0.5 }},
		{"b0.9", func(r *index.Ranking) { r.B = 0.9 }},
		{"headline-off", func(r *index.Ranking) { r.HeadlineBody = false }},
	} {
		r := index.DefaultRanking
		v.set(&r)
		out = append(out, Candidate{"msm3-fb5.30-0.8-fill-" + v.name, r})
	}
	return out
}
