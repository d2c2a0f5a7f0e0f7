package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// Folio's phrase searcher must find exactly the articles Bleve's finds, on
// real news text: phrases cut from the articles themselves, common words
// ("said it"), a repeated word, and phrases that occur nowhere. Bleve's
// searcher reads one position per location, so it runs on an index of
// unpacked positions; Folio's runs on that one and on a packed one.
func TestPhraseSearcherAgreesWithBleve(t *testing.T) {
	articles := firstReuters(t, 3000)
	plain, packed := unpackedAndPacked(t, articles) // more than one segment to walk
	ix := plain

	phrases := [][]string{{"said", "it"}, {"mln", "dlrs"}, {"the", "company", "said"},
		{"in", "the", "first", "quarter"}, {"that", "that"}, {"no", "such", "phrase", "here"}}
	for i := 7; i < len(articles); i += 97 {
		words := ix.analyze(ix.exact, articles[i].Body)
		if len(words) > 20 {
			n := 2 + i%3
			phrases = append(phrases, words[10:10+n])
		}
	}
	ids := func(q bq.Query, on ...*Index) []string {
		ix := ix
		if len(on) > 0 {
			ix = on[0]
		}
		req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
		res, err := ix.bleve.SearchInContext(ix.withBM25Stats(context.Background()), req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			if h.Score <= 0 {
				t.Errorf("%v: hit %s scored %v", q, h.ID, h.Score)
			}
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	matched := 0
	for _, words := range phrases {
		want := ids(bleve.NewPhraseQuery(words, fBodyExact))
		got := ids(&exactPhraseQuery{field: fBodyExact, words: words})
		if !slices.Equal(got, want) {
			t.Errorf("%q: Folio found %d articles, Bleve %d", strings.Join(words, " "), len(got), len(want))
		}
		if got := ids(&exactPhraseQuery{field: fBodyExact, words: words}, packed); !slices.Equal(got, want) {
			t.Errorf("%q: Folio found %d articles in packed positions, Bleve %d", strings.Join(words, " "), len(got), len(want))
		}
		if len(want) > 0 {
			matched++
		}
		// Inside a conjunction the searcher is advanced, not stepped.
		and := func(q bq.Query) bq.Query {
			tq := bleve.NewTermQuery("oil")
			tq.SetField(fBody)
			return bleve.NewConjunctionQuery(tq, q)
		}
		want = ids(and(bleve.NewPhraseQuery(words, fBodyExact)))
		got = ids(and(&exactPhraseQuery{field: fBodyExact, words: words}))
		if !slices.Equal(got, want) {
			t.Errorf("oil AND %q: Folio found %d articles, Bleve %d", strings.Join(words, " "), len(got), len(want))
		}
		if got := ids(and(&exactPhraseQuery{field: fBodyExact, words: words}), packed); !slices.Equal(got, want) {
			t.Errorf("oil AND %q: Folio found %d articles in packed positions, Bleve %d", strings.Join(words, " "), len(got), len(want))
		}
	}
	if matched < len(phrases)/2 {
		t.Errorf("only %d of %d phrases matched anything: the test is not testing", matched, len(phrases))
	}
}
