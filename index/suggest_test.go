package index

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/vellum"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

func suggestTexts(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	got, err := ix.Suggest(context.Background(), search.SuggestRequest{Text: text, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range got {
		out = append(out, s.Kind+":"+s.Text)
	}
	return out
}

// TestSuggestFollowsWrites checks that words written after the table was
// built are suggested once it is refreshed.
func TestSuggestFollowsWrites(t *testing.T) {
	old := suggestRefresh
	suggestRefresh = 0
	t.Cleanup(func() { suggestRefresh = old })
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(corpus.Article{ID: "a", Title: "Harbour news", Body: "The harbour reopened."}); err != nil {
		t.Fatal(err)
	}
	if got := suggestTexts(t, ix, "zebr"); len(got) != 0 {
		t.Fatalf("zebr before any zebra: %q", got)
	}
	if err := ix.Put(corpus.Article{ID: "b", Title: "Zebras return", Body: "A zebra herd crossed the zebrafish farm."}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := strings.Join(suggestTexts(t, ix, "zebr"), "|")
		if strings.Contains(got, "term:zebra") && strings.Contains(got, "title:Zebras return") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("zebr after writing zebras: %q", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPrefixAutomaton checks the typo automaton on its own: keys that
// start within the distance of the text, and no others. ("resident" is
// one; the first letter is held by the range the FST is searched in.)
func TestPrefixAutomaton(t *testing.T) {
	builder, err := levBuilder()
	if err != nil {
		t.Fatal(err)
	}
	dfa, err := builder.BuildDfa("presid", 1)
	if err != nil {
		t.Fatal(err)
	}
	a := prefixAutomaton{dfa}
	run := func(key string) bool {
		s := a.Start()
		for i := 0; i < len(key); i++ {
			if !a.CanMatch(s) {
				return false
			}
			s = a.Accept(s, key[i])
		}
		return a.IsMatch(s)
	}
	for key, want := range map[string]bool{
		"president": true, "presidential": true, "presdent": true, "prseident": true, "preside": true,
		"pres": false, "present": false, "resident": true, "precedent": false, "p": false,
	} {
		if got := run(key); got != want {
			t.Errorf("%q: match %v, want %v", key, got, want)
		}
	}
	var _ vellum.Automaton = a
}

// TestSuggestionsAfterCloseAreAnError rebuilds the table of a closed index,
// as a background rebuild may when the index closes under it: an error,
// not a panic on the missing snapshot.
func TestSuggestionsAfterCloseAreAnError(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.buildSuggestions(context.Background(), false); !errors.Is(err, bleve.ErrorIndexClosed) {
		t.Errorf("suggestions of a closed index: %v, want bleve.ErrorIndexClosed", err)
	}
}
