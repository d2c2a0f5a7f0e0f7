package index

import (
	"context"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

func parsed(t *testing.T, q string) query.Node {
	t.Helper()
	n, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// aliyevIndex is an index of articles naming Ilham Aliyev (three), his
// father Heydar (one) and Nikol Pashinyan (one).
func aliyevIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	err = ix.WriteBatch(context.Background(), []corpus.Article{
		personArticle("a1", "President Ilham Aliyev met reporters in Baku.", "Ilham Aliyev"),
		personArticle("a2", "Ilham Aliyev spoke of the peace talks with Nikol Pashinyan.", "Ilham Aliyev", "Nikol Pashinyan"),
		personArticle("a3", "A decree signed by Ilham Aliyev came into force.", "Ilham Aliyev"),
		personArticle("a4", "Heydar Aliyev ruled Azerbaijan until 2003.", "Heydar Aliyev"),
		personArticle("a5", "Baku hosted the climate talks.", "Mukhtar Babayev"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestEntityFilterVariants checks that a person filter typed in another
// spelling, script or with another alphabet's letters finds the canonical
// person's articles, and says which person it matched.
func TestEntityFilterVariants(t *testing.T) {
	ix := aliyevIndex(t)
	want := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Ilham Aliyev"}}}).Total
	if want == 0 {
		t.Fatal("no article of Ilham Aliyev")
	}
	for _, typed := range []string{"Ilham Aliyev", "Ilham Aliev", "Ilham Əliyev", "Ильхам Алиев", "ilham  ALIYEV", "İlham Əliyev"} {
		for _, req := range []search.Request{
			{Filters: map[string][]string{"person": {typed}}},
			{Query: parsed(t, `person:"`+typed+`"`)},
		} {
			res := run(t, ix, req)
			if res.Total != want {
				t.Errorf("%q: %d articles, want %d", typed, res.Total, want)
			}
			if !slices.Contains(res.Matched["person"], "Ilham Aliyev") {
				t.Errorf("%q: matched %v, want Ilham Aliyev among them", typed, res.Matched)
			}
		}
	}
	// A surname alone stands for every person of that name.
	res := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Алиев"}}})
	slices.Sort(res.Matched["person"])
	if res.Total != want+1 || !slices.Equal(res.Matched["person"], []string{"Heydar Aliyev", "Ilham Aliyev"}) {
		t.Errorf("Алиев: %d articles, matched %v; want %d, Heydar and Ilham Aliyev", res.Total, res.Matched, want+1)
	}
	// An exclusion matches the variants too, and reports nothing.
	all := run(t, ix, search.Request{}).Total
	res = run(t, ix, search.Request{Query: parsed(t, `-person:"Ilham Aliev"`)})
	if res.Total != all-want || len(res.Matched) != 0 {
		t.Errorf("-person: %d articles, matched %v; want %d and none", res.Total, res.Matched, all-want)
	}
	// Without an entity filter, nothing is matched.
	if res := run(t, ix, search.Request{Query: query.Term{Text: "baku"}}); res.Matched != nil {
		t.Errorf("no filter: matched %v", res.Matched)
	}
}

// TestPhraseStaysExactWithVariantSuggestion checks that a quoted phrase
// spelling a known name otherwise finds nothing, and that did-you-mean
// offers the known spelling with its count.
func TestPhraseStaysExactWithVariantSuggestion(t *testing.T) {
	ix := aliyevIndex(t)
	exact := run(t, ix, search.Request{Query: parsed(t, `"Ilham Aliyev"`)})
	if exact.Total == 0 {
		t.Fatal(`no "Ilham Aliyev"`)
	}
	res := run(t, ix, search.Request{Query: parsed(t, `"Ilham Aliev"`)})
	if res.Total != 0 {
		t.Errorf(`"Ilham Aliev": %d hits, want 0 (a phrase is exact)`, res.Total)
	}
	if res.DidYouMean != `"ilham aliyev"` || res.DidYouMeanTotal != exact.Total {
		t.Errorf(`"Ilham Aliev": did you mean %q (%d), want "\"ilham aliyev\"" (%d)`, res.DidYouMean, res.DidYouMeanTotal, exact.Total)
	}
	// A word in another script is offered as the known surname.
	res = run(t, ix, search.Request{Query: parsed(t, `Алиев`)})
	if res.DidYouMean != "aliyev" || res.DidYouMeanTotal == 0 {
		t.Errorf("Алиев: did you mean %q (%d), want aliyev", res.DidYouMean, res.DidYouMeanTotal)
	}
	// The phrase as the index writes it is offered nothing.
	if exact.DidYouMean != "" {
		t.Errorf(`"Ilham Aliyev": did you mean %q`, exact.DidYouMean)
	}
}

// TestUnknownFilterValueSuggestsNearestName checks a filter value that
// names no entity, even by its variants: nothing matches, and the nearest
// known name is offered with its count.
func TestUnknownFilterValueSuggestsNearestName(t *testing.T) {
	ix := aliyevIndex(t)
	want := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Ilham Aliyev"}}}).Total
	res := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Ilhan Alyev"}}})
	if res.Total != 0 {
		t.Errorf("Ilhan Alyev: %d articles, want 0", res.Total)
	}
	if got := res.DidYouMeanFilters["person"]; !slices.Equal(got, []string{"Ilham Aliyev"}) || res.DidYouMeanTotal != want {
		t.Errorf("Ilhan Alyev: suggested %v (%d), want [Ilham Aliyev] (%d)", res.DidYouMeanFilters, res.DidYouMeanTotal, want)
	}
	res = run(t, ix, search.Request{Query: parsed(t, `person:"Ilhan Alyev"`)})
	if res.DidYouMean != `person:"Ilham Aliyev"` || res.DidYouMeanFilters != nil || res.DidYouMeanTotal != want {
		t.Errorf("person:\"Ilhan Alyev\": did you mean %q %v (%d)", res.DidYouMean, res.DidYouMeanFilters, res.DidYouMeanTotal)
	}
}

// TestVariantSpellingsInCorpusMeet checks that two spellings of one name,
// both canonical in the index, are both found by either.
func TestVariantSpellingsInCorpusMeet(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	arts := seqOf(
		personArticle("a1", "Nikol Pashinyan spoke.", "Nikol Pashinyan"),
		personArticle("a2", "Nikol Pashinian spoke.", "Nikol Pashinian"),
		personArticle("a3", "Serzh Sargsyan spoke.", "Serzh Sargsyan"),
	)
	var batch []corpus.Article
	for a := range arts {
		batch = append(batch, a)
	}
	if err := ix.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	res := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Nikol Paşinyan"}}})
	if res.Total != 2 {
		t.Errorf("Nikol Paşinyan: %d articles, want 2", res.Total)
	}
	slices.Sort(res.Matched["person"])
	if !slices.Equal(res.Matched["person"], []string{"Nikol Pashinian", "Nikol Pashinyan"}) {
		t.Errorf("matched %v", res.Matched)
	}
	// Indexing a new spelling is seen by the next search.
	if err := ix.WriteBatch(ctx, []corpus.Article{personArticle("a4", "Nikol Paşinyan spoke.", "Nikol Paşinyan")}); err != nil {
		t.Fatal(err)
	}
	if res := run(t, ix, search.Request{Filters: map[string][]string{"person": {"Pashinyan"}}}); res.Total != 3 {
		t.Errorf("Pashinyan after a new spelling: %d articles, want 3", res.Total)
	}
	// A spelling no article holds any longer is not matched.
	if err := ix.Delete(ctx, "a2"); err != nil {
		t.Fatal(err)
	}
	res = run(t, ix, search.Request{Filters: map[string][]string{"person": {"Nikol Pashinian"}}})
	slices.Sort(res.Matched["person"])
	if res.Total != 2 || !slices.Equal(res.Matched["person"], []string{"Nikol Pashinyan", "Nikol Paşinyan"}) {
		t.Errorf("after deleting a2: %d articles, matched %v; want 2, Nikol Pashinyan and Nikol Paşinyan", res.Total, res.Matched)
	}
}
