package searchtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Flashes is the corpus of the tests of a flash's headline standing for
// its body, shared by the engines: a flash (a headline, no body) that
// says what "consumer credit" asks, eight stories on other subjects that
// mention consumer credit once, and twenty on the weather.
func Flashes() []corpus.Article {
	arts := []corpus.Article{{ID: "flash", Title: "U.S. consumer credit rose 536 mln dlrs in January, revised from 144 mln in December"}}
	for i, topic := range []string{"harvest", "shipping", "mining", "steel", "tourism", "fishing", "textiles", "timber"} {
		arts = append(arts, corpus.Article{ID: fmt.Sprintf("story %d", i), Title: "Credit for " + topic,
			Body: "Consumer credit, " + strings.Repeat(topic+" ", 30)})
	}
	for i := range 20 {
		arts = append(arts, corpus.Article{ID: fmt.Sprintf("other %d", i), Title: "Weather", Body: "Rain is expected on the coast."})
	}
	return arts
}

// CheckFlashes checks an engine holding Flashes: with feedback, the flash
// ranks first for "consumer credit", the stories follow, and a page of
// two by cursor walks the same list. It returns the hits.
func CheckFlashes(t *testing.T, e search.Engine) []string {
	t.Helper()
	n, err := query.Parse("consumer credit")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(req search.Request) ([]string, string) {
		t.Helper()
		res, err := e.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out, res.Next
	}
	got, _ := ids(search.Request{Query: n, Size: 20, Facets: []string{}})
	if len(got) != 9 || got[0] != "flash" || !slices.Equal(slices.Sorted(slices.Values(got[1:])), []string{
		"story 0", "story 1", "story 2", "story 3", "story 4", "story 5", "story 6", "story 7"}) {
		t.Errorf("consumer credit: %v, want the flash first, then the eight stories", got)
	}
	var paged []string
	after := ""
	for range 10 {
		page, next := ids(search.Request{Query: n, Size: 2, After: after, Facets: []string{}})
		paged = append(paged, page...)
		if after = next; after == "" {
			break
		}
	}
	if !slices.Equal(paged, got) {
		t.Errorf("paged by 2: %v, want %v", paged, got)
	}
	return got
}
