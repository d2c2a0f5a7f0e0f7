package searchtest

import (
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// nameVariants checks that person filters typed in other spellings,
// scripts and alphabets find the corpus's canonical person, as a
// parameter and in the query, and that the answer names that person.
func (s *suite) nameVariants(t *testing.T) {
	if !s.caps.NameVariants {
		t.Skip("engine does not match name variants")
	}
	for _, tc := range []struct{ typed, canonical string }{
		{"Ilham Aliev", "Ilham Aliyev"},      // -ev/-yev
		{"Ilham Əliyev", "Ilham Aliyev"},     // Azerbaijani schwa
		{"Ильхам Алиев", "Ilham Aliyev"},     // Cyrillic
		{"Алиев", "Ilham Aliyev"},            // a surname alone
		{"Владимир Путин", "Vladimir Putin"}, // Cyrillic
	} {
		want := s.fx.where(func(a *corpus.Article) bool {
			return slices.ContainsFunc(a.Entities, func(e corpus.Entity) bool { return e.Type == "PER" && e.Name == tc.canonical })
		})
		if len(want) == 0 {
			t.Fatalf("the corpus names no %s", tc.canonical)
		}
		for _, req := range []search.Request{
			{Filters: map[string][]string{"person": {tc.typed}}},
			{Query: query.Filter{Field: "person", Value: tc.typed}},
		} {
			what := describe("", req)
			res := s.search(t, what, req)
			if !slices.Equal(res.Matched["person"], []string{tc.canonical}) {
				t.Errorf("%s: matched %v, want [%s]", what, res.Matched, tc.canonical)
			}
			sameHits(t, what, s.all(t, what, req), want)
		}
		// An exclusion excludes the variants too, and names no one.
		req := search.Request{Query: query.Not{Node: query.Filter{Field: "person", Value: tc.typed}}}
		what := describe("", req)
		others := s.fx.where(func(a *corpus.Article) bool {
			return !slices.ContainsFunc(a.Entities, func(e corpus.Entity) bool { return e.Type == "PER" && e.Name == tc.canonical })
		})
		sameHits(t, what, s.all(t, what, req), others)
		if res := s.search(t, what, req); len(res.Matched) != 0 {
			t.Errorf("%s: matched %v, want none", what, res.Matched)
		}
	}
}
