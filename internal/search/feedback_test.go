package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Two copies of a story share a key however their white space runs;
// stories that differ in a word, in where words break, or in where the
// title ends do not.
func TestCopyKey(t *testing.T) {
	same := [][2][2]string{
		{{"Oil rises", "Crude rose 2 pct."}, {"  Oil\trises ", "Crude\n\nrose  2 pct.\n"}},
		{{"", ""}, {" ", "\n\t"}},
	}
	for _, c := range same {
		if CopyKey(c[0][0], c[0][1]) != CopyKey(c[1][0], c[1][1]) {
			t.Errorf("%q and %q have different keys", c[0], c[1])
		}
	}
	differ := [][2][2]string{
		{{"Oil rises", "Crude rose 2 pct."}, {"Oil rises", "Crude rose 3 pct."}},
		{{"Oil rises", "ab c"}, {"Oil rises", "a bc"}},
		{{"a", "b c"}, {"a b", "c"}},
		{{"", "a"}, {"a", ""}},
	}
	for _, c := range differ {
		if CopyKey(c[0][0], c[0][1]) == CopyKey(c[1][0], c[1][1]) {
			t.Errorf("%q and %q share a key", c[0], c[1])
		}
	}
}

// FeedbackTerms merges the articles' sorted counts; it must pick the words
// a plain reading of RM3 does, with the same weights to the last bit: each
// word's weight summed over the articles in their order, only words of two
// articles or more, asked words and numbers left out, the rarest first.
func TestFeedbackTermsAsCounted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocabulary := make([]string, 60)
	for i := range vocabulary {
		vocabulary[i] = fmt.Sprintf("%s%c%c%c", StemMarkRunes, 'a'+i%26, 'a'+i/26, 'x')
	}
	vocabulary = append(vocabulary, "12", "1987", "ab", "\U0010FFFFoil") // numbers, short words
	picked := 0
	for round := range 200 {
		var docs []FeedbackDoc
		var maps []map[string]int
		for range 2 + rng.IntN(5) {
			tf := map[string]int{}
			for range rng.IntN(40) {
				tf[vocabulary[rng.IntN(len(vocabulary))]] += 1 + rng.IntN(3)
			}
			maps = append(maps, tf)
			counts := CountTerms(tf)
			for _, w := range vocabulary {
				if want := tf[w]; counts.Count(w) != want && worthFeedback(w) {
					t.Fatalf("round %d: Count(%q) = %d, want %d", round, w, counts.Count(w), want)
				}
			}
			docs = append(docs, FeedbackDoc{Score: rng.Float64() * 10, Terms: counts})
		}
		asked := func(t string) bool { return t == vocabulary[0] || t == vocabulary[7] }
		df := func(terms []string) (map[string]int, error) {
			out := map[string]int{}
			for _, t := range terms {
				out[t] = 1 + int(t[len(t)-2])*int(t[len(t)-3])%500 // some over maxShare's 400
			}
			return out, nil
		}
		got, err := FeedbackTerms(docs, 10, 0.4, asked, df, 1000)
		if err != nil {
			t.Fatal(err)
		}
		want := countedFeedbackTerms(maps, docs, 10, 0.4, asked, df, 1000)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: merged\n%v\ncounted\n%v", round, got, want)
		}
		if len(got) >= 2 {
			picked++
		}
	}
	if picked < 100 {
		t.Fatalf("only %d of 200 rounds picked two words or more", picked)
	}
}

// countedFeedbackTerms is FeedbackTerms read plainly, with maps.
func countedFeedbackTerms(maps []map[string]int, docs []FeedbackDoc, n int, maxShare float64, asked func(string) bool, docFreqs func([]string) (map[string]int, error), total int) []FeedbackTerm {
	scores := 0.0
	for _, d := range docs {
		scores += d.Score
	}
	weight, in := map[string]float64{}, map[string]int{}
	for i, tf := range maps {
		length := 0
		for _, f := range tf {
			length += f
		}
		if length == 0 {
			continue
		}
		for t, f := range tf {
			if asked(t) || !worthFeedback(t) {
				continue
			}
			weight[t] += docs[i].Score / scores / float64(length) * float64(f)
			in[t]++
		}
	}
	var cands []FeedbackTerm
	for t, w := range weight {
		if in[t] >= 2 {
			cands = append(cands, FeedbackTerm{t, w})
		}
	}
	byWeight(cands)
	cands = cands[:min(len(cands), 2*n)]
	terms := make([]string, len(cands))
	for i, c := range cands {
		terms[i] = c.Term
	}
	df, _ := docFreqs(terms)
	var kept []FeedbackTerm
	for _, c := range cands {
		f := float64(df[c.Term])
		if f <= maxShare*float64(total) {
			kept = append(kept, FeedbackTerm{c.Term, c.Weight * math.Log(1+(float64(total)-f+0.5)/(f+0.5))})
		}
	}
	byWeight(kept)
	kept = kept[:min(len(kept), n)]
	if len(kept) == 0 {
		return nil
	}
	top := kept[0].Weight
	for i := range kept {
		kept[i].Weight /= top
	}
	return kept
}
