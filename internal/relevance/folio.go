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
// articles with 20 or 30 words at weights 0.5 to 1.2; and, with two
// thirds from three words and feedback from 5 articles and 30 words at
// 0.8, the title weighted 1.5 or 3 instead of 2, the proximity clause at
// 0.5 or none instead of 1. Duplicates are always demoted.
func Candidates() []Candidate {
	var out []Candidate
	for _, msm := range []struct {
		name  string
		from  int
		share float64
	}{{"all", 0, 0}, {"msm3", 3, 0.67}, {"msm4", 4, 0.75}} {
		out = append(out, Candidate{msm.name + "-nofb", index.Ranking{MSMFrom: msm.from, MSMShare: msm.share, Dedup: true}})
		// Field weights and proximity, around the feedback the folds chose.
		for _, w := range []struct {
			name         string
			title, proxi float64
		}{{"title1.5", 1.5, 0}, {"title3", 3, 0}, {"prox0.5", 0, 0.5}, {"prox-off", 0, -1}} {
			if msm.from == 3 {
				out = append(out, Candidate{fmt.Sprintf("%s-fb5.30-0.8-%s", msm.name, w.name), index.Ranking{
					MSMFrom: msm.from, MSMShare: msm.share, Dedup: true,
					FeedbackDocs: 5, FeedbackTerms: 30, FeedbackWeight: 0.8, TitleBoost: w.title, ProximityBoost: w.proxi,
				}})
			}
		}
		for _, docs := range []int{5, 10} {
			for _, terms := range []int{20, 30} {
				for _, w := range []float64{0.5, 0.8, 1.2} {
					out = append(out, Candidate{fmt.Sprintf("%s-fb%d.%d-%.1f", msm.name, docs, terms, w), index.Ranking{
						MSMFrom: msm.from, MSMShare: msm.share, Dedup: true,
						FeedbackDocs: docs, FeedbackTerms: terms, FeedbackWeight: w,
					}})
				}
			}
		}
	}
	return out
}
