package searchtest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
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

// spelling is a filter value typed otherwise than the corpus writes it,
// and the canonical names it must match.
type spelling struct {
	rule, facet, typed string
	canonical          []string
}

// spellings hold one case or more of each script and rule of
// internal/names, on the names corpus.
var spellings = []spelling{
	{"latin_diacritics", "person", "Jose Manuel Barroso", []string{"José Manuel Barroso"}},
	{"latin_diacritics_dropped_in_query", "person", "Recep Tayyip Erdogan", []string{"Recep Tayyip Erdoğan"}},
	{"latin_diacritics_surname_alone", "person", "Erdogan", []string{"Recep Tayyip Erdoğan"}},
	{"azerbaijani_schwa", "person", "Ilham Əliyev", []string{"Ilham Aliyev"}},
	{"turkish_dotted_capital_i", "person", "İlham Əliyev", []string{"Ilham Aliyev"}},
	{"turkish_cedilla_breve_umlaut", "person", "Mevlüt Çavuşoğlu", []string{"Mevlut Cavusoglu"}},
	{"turkish_dotless_i", "person", "Binali Yıldırım", []string{"Binali Yildirim"}},
	{"turkish_s_cedilla_meets_both_spellings", "person", "Nikol Paşinyan", []string{"Nikol Pashinian", "Nikol Pashinyan"}},
	{"cyrillic", "person", "Ильхам Алиев", []string{"Ilham Aliyev"}},
	{"cyrillic_surname_alone", "person", "Алиев", []string{"Heydar Aliyev", "Ilham Aliyev"}},
	{"cyrillic_ey", "person", "Сергей Лавров", []string{"Sergei Lavrov"}},
	{"cyrillic_ukrainian", "person", "Володимир Зеленський", []string{"Volodymyr Zelenskyy"}},
	{"cyrillic_place", "place", "Баку", []string{"Baku"}},
	{"ev_for_yev", "person", "Ilham Aliev", []string{"Ilham Aliyev"}},
	{"iev_for_yev", "person", "Mukhtar Babaiev", []string{"Mukhtar Babayev"}},
	{"ian_for_yan", "person", "Nikol Pashinian", []string{"Nikol Pashinian", "Nikol Pashinyan"}},
	{"yan_surname_alone", "person", "pashinyan", []string{"Nikol Pashinian", "Nikol Pashinyan"}},
	{"off_for_ov", "person", "Mikhail Smirnoff", []string{"Mikhail Smirnov"}},
	{"case_and_spaces", "person", "ilham  ALIYEV", []string{"Ilham Aliyev"}},
	{"org_legal_form", "org", "Rolls-Royce PLC", []string{"Rolls-Royce"}},
}

// nameSpellings checks every spelling as a filter parameter, in the
// query and excluded; then the suggestions, when the engine makes them;
// then that writes change what a spelling matches.
func (s *suite) nameSpellings(t *testing.T) {
	holds := func(f facet.Facet, names []string) func(a *corpus.Article) bool {
		return func(a *corpus.Article) bool {
			return slices.ContainsFunc(f.Values(a), func(v string) bool { return slices.Contains(names, v) })
		}
	}
	for _, sp := range spellings {
		t.Run(sp.rule, func(t *testing.T) {
			f, _ := facet.ByName(sp.facet)
			want := s.fx.where(holds(f, sp.canonical))
			if len(want) == 0 {
				t.Fatalf("the corpus names no %v", sp.canonical)
			}
			for _, req := range []search.Request{
				{Filters: map[string][]string{sp.facet: {sp.typed}}},
				{Query: query.Filter{Field: sp.facet, Value: sp.typed}},
			} {
				what := describe(query.Format(req.Query), req)
				res := s.all(t, what, req)
				sameHits(t, what, res, want)
				if got := slices.Sorted(slices.Values(res.Matched[sp.facet])); !slices.Equal(got, sp.canonical) || len(res.Matched) != 1 {
					t.Errorf("%s: matched %v, want %s %v", what, res.Matched, sp.facet, sp.canonical)
				}
			}
			req := search.Request{Query: query.Not{Node: query.Filter{Field: sp.facet, Value: sp.typed}}}
			what := describe(query.Format(req.Query), req)
			res := s.all(t, what, req)
			sameHits(t, what, res, s.fx.where(func(a *corpus.Article) bool { return !holds(f, sp.canonical)(a) }))
			if len(res.Matched) != 0 {
				t.Errorf("%s: matched %v, want none", what, res.Matched)
			}
		})
	}
	t.Run("no_entity_filter_matches_no_one", func(t *testing.T) {
		req := search.Request{Query: query.Term{Text: "baku"}}
		if res := s.search(t, "baku", req); len(res.Matched) != 0 {
			t.Errorf("baku: matched %v, want none", res.Matched)
		}
	})
	t.Run("Suggestions", s.variantSuggestions)
	t.Run("Writes", s.spellingWrites)
}

// variantSuggestions checks that a phrase stays exact and is offered the
// spelling the corpus knows, with that spelling's count, and that a
// filter value naming no one is offered the nearest name.
func (s *suite) variantSuggestions(t *testing.T) {
	if !s.caps.VariantSuggestions {
		t.Skip("engine does not suggest name variants")
	}
	// phrase lists the articles whose title or body holds the words.
	phrase := func(words string) []string {
		return s.fx.where(func(a *corpus.Article) bool {
			return slices.ContainsFunc([]string{a.Title, a.Body}, func(text string) bool {
				return strings.Contains(" "+strings.ToLower(strings.Map(letterOrSpace, text))+" ", " "+words+" ")
			})
		})
	}
	personFacet, _ := facet.ByName("person")
	person := func(name string) []string {
		return s.fx.where(func(a *corpus.Article) bool { return slices.Contains(personFacet.Values(a), name) })
	}
	for _, tc := range []struct {
		name, q  string
		filters  map[string][]string
		want     []string // the hits as typed
		suggest  string   // DidYouMean; "" for none
		sFilters map[string][]string
		sWant    []string // what the suggestion finds
	}{
		{name: "phrase_ev_for_yev", q: `"Ilham Aliev"`, suggest: `"ilham aliyev"`, sWant: phrase("ilham aliyev")},
		{name: "phrase_off_for_ov", q: `"Mikhail Smirnoff"`, suggest: `"mikhail smirnov"`, sWant: phrase("mikhail smirnov")},
		{name: "phrase_schwa", q: `"Ilham Əliyev"`, suggest: `"ilham aliyev"`, sWant: phrase("ilham aliyev")},
		{name: "phrase_as_written", q: `"Ilham Aliyev"`, want: phrase("ilham aliyev")},
		{name: "cyrillic_word", q: "Алиев", suggest: "aliyev", sWant: phrase("aliyev")},
		{name: "filter_parameter_naming_no_one", filters: map[string][]string{"person": {"Ilhan Alyev"}},
			sFilters: map[string][]string{"person": {"Ilham Aliyev"}}, sWant: person("Ilham Aliyev")},
		{name: "filter_in_query_naming_no_one", q: `person:"Ilhan Alyev"`, suggest: `person:"Ilham Aliyev"`, sWant: person("Ilham Aliyev")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := search.Request{Filters: tc.filters}
			if tc.q != "" {
				n, err := query.Parse(tc.q)
				if err != nil {
					t.Fatal(err)
				}
				req.Query = n
			}
			what := describe(tc.q, req)
			res := s.all(t, what, req)
			sameHits(t, what, res, tc.want)
			if tc.suggest == "" && tc.sFilters == nil {
				if res.DidYouMean != "" || res.DidYouMeanFilters != nil {
					t.Errorf("%s: did you mean %q %v, want nothing", what, res.DidYouMean, res.DidYouMeanFilters)
				}
				return
			}
			if res.DidYouMean != tc.suggest || !maps.EqualFunc(res.DidYouMeanFilters, tc.sFilters, slices.Equal) ||
				res.DidYouMeanTotal != uint64(len(tc.sWant)) {
				t.Errorf("%s: did you mean %q %v (%d), want %q %v (%d)", what, res.DidYouMean, res.DidYouMeanFilters,
					res.DidYouMeanTotal, tc.suggest, tc.sFilters, len(tc.sWant))
			}
			if len(tc.sWant) <= len(tc.want) {
				t.Fatalf("%s: the suggestion would find no more", what)
			}
		})
	}
}

func letterOrSpace(r rune) rune {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return r
	}
	return ' '
}

// spellingWrites checks that a spelling written later is matched by the
// next search, and that one no article holds any longer is not.
func (s *suite) spellingWrites(t *testing.T) {
	ctx := context.Background()
	a := corpus.Article{ID: "n20", URL: "https://example.org/n20", Title: "Visit to Tbilisi", Body: "Nikol Paşinyan arrived in Tbilisi.",
		Entities: []corpus.Entity{{Type: "PER", Name: "Nikol Paşinyan"}}}
	a.Entities[0].Mentions = []corpus.Mention{{Start: 0, End: len("Nikol Paşinyan")}}
	if err := s.e.WriteBatch(ctx, []corpus.Article{a}); err != nil {
		t.Fatal(err)
	}
	if err := s.e.FinishIngest(ctx, false); err != nil {
		t.Fatal(err)
	}
	s.fx.put(a)
	check := func(typed string, want []string, matched ...string) {
		t.Helper()
		req := search.Request{Filters: map[string][]string{"person": {typed}}}
		what := describe("", req)
		res := s.all(t, what, req)
		sameHits(t, what, res, want)
		if got := slices.Sorted(slices.Values(res.Matched["person"])); !slices.Equal(got, matched) {
			t.Errorf("%s: matched %v, want %v", what, got, matched)
		}
	}
	check("Pashinyan", []string{"n02", "n06", "n20"}, "Nikol Pashinian", "Nikol Pashinyan", "Nikol Paşinyan")
	if err := s.e.Delete(ctx, "n06"); err != nil {
		t.Fatal(err)
	}
	s.fx.remove("n06")
	check("Nikol Pashinian", []string{"n02", "n20"}, "Nikol Pashinyan", "Nikol Paşinyan")
}
