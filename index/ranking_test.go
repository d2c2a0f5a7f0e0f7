package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

func TestRequired(t *testing.T) {
	r := Ranking{MSMFrom: 3, MSMShare: 0.67}
	for n, want := range map[int]int{0: 0, 1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 4, 9: 6} {
		if got := r.required(n); got != want {
			t.Errorf("required(%d) = %d, want %d", n, got, want)
		}
	}
	if got := (Ranking{}).required(7); got != 7 {
		t.Errorf("without minimum-should-match required(7) = %d", got)
	}
}

// ids searches ix with the ranking r and returns the IDs found, sorted.
func ids(t *testing.T, e search.Engine, text string) []string {
	t.Helper()
	n, err := query.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(context.Background(), search.Request{Query: n, Size: 100, Facets: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	if uint64(len(out)) != res.Total {
		t.Fatalf("%q: %d hits of %d", text, len(out), res.Total)
	}
	slices.Sort(out)
	return out
}

// A long query needs only most of its words; a short one, +words,
// phrases and exclusions all of theirs.
func TestMinimumShouldMatch(t *testing.T) {
	ix := openTemp(t)
	// Each article holds the words of its ID: "abc" holds alpha, beta and
	// gamma.
	words := map[byte]string{'a': "alpha", 'b': "beta", 'c': "gamma", 'd': "delta", 'e': "epsilon"}
	var articles []corpus.Article
	for _, id := range []string{"a", "ab", "abc", "abcd", "bcd", "cd", "acde", "e"} {
		body := "Story"
		for i := range len(id) {
			body += " " + words[id[i]]
		}
		articles = append(articles, corpus.Article{ID: id, Title: "News " + id, Body: body + "."})
	}
	if err := ix.Put(articles...); err != nil {
		t.Fatal(err)
	}
	msm := ix.WithRanking(Ranking{MSMFrom: 3, MSMShare: 0.67})
	all := ix.WithRanking(Ranking{})
	for _, c := range []struct {
		q         string
		msm, prev []string
	}{
		{"alpha beta", []string{"ab", "abc", "abcd"}, []string{"ab", "abc", "abcd"}},
		// Three words: two of them.
		{"alpha beta gamma", []string{"ab", "abc", "abcd", "acde", "bcd"}, []string{"abc", "abcd"}},
		// +alpha must match; two of the other three.
		{"+alpha beta gamma delta", []string{"abc", "abcd", "acde"}, []string{"abcd"}},
		// A phrase counts as required; two words are not enough for a share.
		{`"alpha beta" gamma delta`, []string{"abcd"}, []string{"abcd"}},
		// An exclusion stays an exclusion.
		{"alpha beta gamma -delta", []string{"ab", "abc"}, []string{"abc"}},
		// Five words: three of them.
		{"alpha beta gamma delta epsilon", []string{"abc", "abcd", "acde", "bcd"}, nil},
	} {
		if got := ids(t, msm, c.q); !slices.Equal(got, c.msm) {
			t.Errorf("%q with minimum-should-match: %v, want %v", c.q, got, c.msm)
		}
		if got := ids(t, all, c.q); !slices.Equal(got, c.prev) {
			t.Errorf("%q, every word required: %v, want %v", c.q, got, c.prev)
		}
	}
	// Articles holding more of the words rank first.
	n, _ := query.Parse("alpha beta gamma delta")
	res, err := msm.Search(context.Background(), search.Request{Query: n, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Hits[0].ID != "abcd" {
		t.Errorf("first hit %s, want abcd (all four words)", res.Hits[0].ID)
	}
}

// Feedback reranks the matches by the words of the best of them, says
// which, and never changes what matches.
func TestFeedback(t *testing.T) {
	ix := openTemp(t)
	var articles []corpus.Article
	// Three stories name the subject with its other words (quota,
	// output); "coffee 9" mentions coffee once among unrelated words.
	for i := range 3 {
		articles = append(articles, corpus.Article{ID: fmt.Sprintf("coffee %d", i), Title: "Coffee quota talks",
			Body: "Coffee producers discussed the export quota and output cuts. Coffee quota output."})
	}
	articles = append(articles, corpus.Article{ID: "coffee 9", Title: "Harbour news",
		Body: "The harbour opened a new pier; a coffee shop opened beside it, and fishermen sold their catch."})
	articles = append(articles, corpus.Article{ID: "quota", Title: "Fishing quota", Body: "The fishing quota and output were set."})
	for i := range 20 {
		articles = append(articles, corpus.Article{ID: fmt.Sprintf("other %d", i), Title: "Weather", Body: "Rain is expected on the coast."})
	}
	if err := ix.Put(articles...); err != nil {
		t.Fatal(err)
	}
	fb := ix.WithRanking(Ranking{FeedbackDocs: 3, FeedbackTerms: 5, FeedbackWeight: 1})
	n, _ := query.Parse("coffee")
	res, err := fb.Search(context.Background(), search.Request{Query: n, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Expansion, "quota") || !slices.Contains(res.Expansion, "output") || slices.Contains(res.Expansion, "coffe") {
		t.Errorf("expansion %v, want quota and output and not the query's word", res.Expansion)
	}
	if res.Total != 4 {
		t.Errorf("%d matches, want the 4 with coffee", res.Total)
	}
	off, err := fb.Search(context.Background(), search.Request{Query: n, Size: 10, NoExpand: true})
	if err != nil {
		t.Fatal(err)
	}
	if off.Expansion != nil || off.Total != res.Total {
		t.Errorf("expand off: expansion %v, %d matches", off.Expansion, off.Total)
	}
	byDate, err := fb.Search(context.Background(), search.Request{Query: n, Size: 10, Sort: search.ByDate})
	if err != nil {
		t.Fatal(err)
	}
	if byDate.Expansion != nil {
		t.Errorf("a sort by date ranks nothing, yet expansion %v", byDate.Expansion)
	}
	// With feedback the passing mention ranks last, with a higher score
	// margin under the on-subject stories than without.
	if last := res.Hits[len(res.Hits)-1]; last.ID != "coffee 9" {
		t.Errorf("last hit %s, want coffee 9", last.ID)
	}
	gap := func(r *search.Result) float64 { return r.Hits[len(r.Hits)-2].Score / r.Hits[len(r.Hits)-1].Score }
	if gap(res) <= gap(off) {
		t.Errorf("feedback did not widen the gap: %.3f with, %.3f without", gap(res), gap(off))
	}
}
