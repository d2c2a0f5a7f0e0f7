package searchtest

import (
	"slices"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// A row is one case of the README's query syntax table: a query and the
// articles it must find, worked out by reading the corpus.
type row struct {
	name string // the subtest: the table's row, then the case
	q    string
	want []string
	// needs names the capability the row needs, if any.
	needs string
}

const (
	prefix = "Prefix"
	fuzzy  = "Fuzzy"
	slop   = "Slop"
	quotes = "Quotes"
	should = "ShouldMatch"
	// slopQuotes is a row that needs both.
	slopQuotes = "Slop and Capabilities.Quotes"
)

// has reports whether c holds the capability of that name.
func (c Capabilities) has(name string) bool {
	switch name {
	case prefix:
		return c.Prefix
	case fuzzy:
		return c.Fuzzy
	case slop:
		return c.Slop
	case quotes:
		return c.Quotes
	case should:
		return c.ShouldMatch
	case slopQuotes:
		return c.Slop && c.Quotes
	}
	return name == ""
}

// syntaxGroups names, for each group of rows (the start of a row's name),
// the first cell of the README's table that the group covers; a test
// checks that the table has no row the suite leaves out.
var syntaxGroups = map[string]string{
	"and":            "`aliyev occrp`",
	"msm":            "`aliyev baku london`, `+london aliyev occrp baku`",
	"phrase":         "`\"not a poor man\"`",
	"slop":           "`\"shot down plane\"~3`",
	"or":             "`a OR b`, `a \\| b`",
	"group":          "`( … )`",
	"not":            "`-word`, `-\"a phrase\"`, `-tag:sport`",
	"field":          "`title:crash`, `body:\"a phrase\"`",
	"filter":         "`tag:COP29` `person:\"Ilham Aliyev\"` `org:OCCRP` `place:Baku` `author:…` `source:…` `section:…`",
	"date":           "`date:2024`, `date:2024-03..2024-06-15`, `date:>=2024-06`, `date:<2024`",
	"prefix":         "`corrupt*`",
	"fuzzy":          "`aliev~1`, `aliev~`",
	"quote":          "`quote:\"poor man\"`, `speaker:\"Ilham Aliyev\"`",
	"stopwords":      "`the`, `to be or not to be`",
	"unknown_prefix": "", // the note under the table
}

// syntaxRows are the cases, one group per row of the README's table.
func (s *suite) syntaxRows() []row {
	fx := s.fx
	filter := func(name, v string) []string {
		f, _ := facet.ByName(name)
		return fx.where(func(a *corpus.Article) bool { return hasValue(f, a, v) })
	}
	// inDates lists the articles dated in [from, to), days as {y, m, d};
	// {} leaves a side open.
	inDates := func(from, to [3]int) []string {
		var f, t time.Time
		if from[0] != 0 {
			f = day(from[0], from[1], from[2])
		}
		if to[0] != 0 {
			t = day(to[0], to[1], to[2])
		}
		return fx.where(func(a *corpus.Article) bool { return dated(a, f, t) })
	}
	aliyev := []string{"a01", "a02", "a05"} // Aliyev(s) in a title or body
	return []row{
		// `aliyev occrp`: every term must match, terms are stemmed.
		{name: "and/both_terms", q: "aliyev occrp", want: []string{"a01"}},
		// From three plain words on, two thirds of them (rounded down, at
		// least two). a01 has aliyev and london, a02 and a05 aliyev and
		// baku; a07 london alone, a10 baku alone.
		{name: "msm/two_of_three", q: "aliyev baku london", want: []string{"a01", "a02", "a05"}, needs: should},
		// Two of four: a02 and a05 have gas and baku, a10 all four, a11
		// gas and pipeline; a06 and a12 only corruption.
		{name: "msm/two_of_four", q: "gas pipeline corruption baku", want: []string{"a02", "a05", "a10", "a11"}, needs: should},
		// +london must match, and two of the other three: a01 alone (a07
		// has london only).
		{name: "msm/required_word", q: "+london aliyev occrp baku", want: []string{"a01"}, needs: should},
		// Without the capability every word is required.
		{name: "msm/two_words_both", q: "aliyev london", want: []string{"a01"}},

		// Stop words alone are the phrase of their words, never everything.
		{name: "stopwords/one_word", q: "the", want: []string{"a01", "a02", "a03", "a04", "a06", "a07", "a08", "a09", "a10", "a12"}},
		{name: "stopwords/phrase", q: "of the", want: []string{"a04"}},
		{name: "stopwords/words_out_of_order", q: "the of", want: nil},
		{name: "stopwords/not_in_any_article", q: "to be or not to be", want: nil},
		{name: "stopwords/in_a_field", q: "title:the", want: nil},
		{name: "stopwords/a_pronoun", q: "he", want: []string{"a01", "a08"}},
		{name: "and/one_term", q: "aliyev", want: aliyev},
		{name: "and/stemmed_building_finds_buildings", q: "building", want: []string{"a01", "a07"}},
		{name: "and/stemmed_buildings_finds_building", q: "buildings london", want: []string{"a01", "a07"}},
		{name: "and/possessive_curly_apostrophe_in_text", q: "family's", want: []string{"a01"}},
		{name: "and/possessive_curly_apostrophe_in_query", q: "family’s", want: []string{"a01"}},
		{name: "and/case", q: "ALIYEV Occrp", want: []string{"a01"}},
		// a06 has maps in its title only, bribes in its body only.
		{name: "and/across_title_and_body", q: "maps bribes", want: []string{"a06"}},
		// `"not a poor man"`: exact phrase on the unstemmed text, any quote marks, any case.
		{name: "phrase/straight_quotes", q: `"not a poor man"`, want: []string{"a01"}},
		{name: "phrase/curly_quotes", q: "“not a poor man”", want: []string{"a01"}},
		{name: "phrase/low_quotes", q: "„not a poor man“", want: []string{"a01"}},
		{name: "phrase/guillemets", q: "«not a poor man»", want: []string{"a01"}},
		{name: "phrase/single_quotes", q: `'not a poor man'`, want: []string{"a01"}},
		{name: "phrase/curly_single_quotes", q: "‘not a poor man’", want: []string{"a01"}},
		{name: "phrase/any_case", q: `"NOT A Poor MAN"`, want: []string{"a01"}},
		// a08 has the words as "a poor man, not a rich one".
		{name: "phrase/words_out_of_order_no_match", q: `"poor not man"`, want: nil},
		// a07 has "building in London".
		{name: "phrase/unstemmed", q: `"buildings in london"`, want: []string{"a01"}},
		{name: "phrase/curly_apostrophe_in_text", q: `"family's buildings"`, want: []string{"a01"}},
		{name: "phrase/dash_in_text", q: `"pro-business"`, want: []string{"a07"}},
		{name: "phrase/dash_in_query", q: "\"pro–business\"", want: []string{"a07"}},
		// a01's title ends with London and its body starts with Ilham.
		{name: "phrase/not_across_title_and_body", q: `"london ilham"`, want: nil},
		{name: "phrase/curly_quotes_in_text", q: `"gift of god"`, want: []string{"a02", "a05"}},
		// `"shot down plane"~3`: the words within 3 positions of each other.
		// a03 has "shot down the plane"; a09 all three words, far apart.
		{name: "slop/within", q: `"shot down plane"~3`, want: []string{"a03"}, needs: slop},
		{name: "slop/exact_needs_adjacent", q: `"shot down plane"`, want: nil},
		{name: "slop/too_far", q: `"shot down plane"~0`, want: nil, needs: slop},
		// `a OR b`, `a | b`; OR binds tighter than AND.
		{name: "or/word", q: "baku OR aktau", want: []string{"a02", "a03", "a05", "a10"}},
		{name: "or/bar", q: "baku | aktau", want: []string{"a02", "a03", "a05", "a10"}},
		// a07 has London without Aliyev: (aliyev baku) OR london would find it.
		{name: "or/binds_tighter_than_and", q: "aliyev baku OR london", want: []string{"a01", "a02", "a05"}},
		// `( … )`: grouping.
		// Without the parentheses, aliyev AND (london OR aktau): a01 alone.
		{name: "group/and_inside_or", q: "(aliyev london) OR aktau", want: []string{"a01", "a03"}},
		{name: "group/or_inside_and", q: "(occrp OR pipeline) corruption", want: []string{"a06", "a10", "a12"}}, // corrupt and corruption share a stem
		// `-word`, `-"a phrase"`, `-tag:sport`: exclusion.
		{name: "not/word", q: "aliyev -occrp", want: []string{"a02", "a05"}},
		{name: "not/phrase", q: `aliyev -"not a poor man"`, want: []string{"a02", "a05"}},
		{name: "not/filter", q: "aliyev -tag:cop29", want: []string{"a01", "a05"}},
		{name: "not/alone", q: "-crash", want: without(fx.all(), "a03", "a08")},
		// `title:crash`, `body:"a phrase"`: a term or phrase in one field.
		{name: "field/any", q: "crash", want: []string{"a03", "a08"}},
		// a08 has the crash in its body only.
		{name: "field/title_term", q: "title:crash", want: []string{"a03"}},
		{name: "field/body_term", q: "body:aliyev", want: []string{"a02", "a05", "a01"}},
		{name: "field/title_phrase", q: `title:"gift of god"`, want: []string{"a05"}},
		{name: "field/body_phrase", q: `body:"gift of god"`, want: []string{"a02"}},
		// Filters on tags and entities, whatever the case.
		{name: "filter/tag", q: "tag:COP29", want: filter("tag", "COP29")},
		{name: "filter/tag_lower", q: "tag:cop29", want: filter("tag", "COP29")},
		{name: "filter/tags_alias", q: "tags:energy", want: filter("tag", "Energy")},
		{name: "filter/person", q: `person:"Ilham Aliyev"`, want: filter("person", "Ilham Aliyev")},
		{name: "filter/person_lower", q: `person:"ilham aliyev"`, want: filter("person", "Ilham Aliyev")},
		{name: "filter/org", q: "org:OCCRP", want: filter("org", "OCCRP")},
		{name: "filter/place", q: "place:baku", want: filter("place", "Baku")},
		{name: "filter/source", q: "source:Reuters", want: filter("source", "reuters")},
		{name: "filter/author", q: `author:"anna reed"`, want: filter("author", "Anna Reed")},
		{name: "filter/section", q: "section:world", want: filter("section", "World")},
		{name: "filter/apostrophe_and_accent", q: `author:"SEÁN O'NEILL"`, want: []string{"a07"}},
		{name: "filter/whole_value_only", q: "tag:cop", want: nil},
		{name: "filter/with_text", q: "gas source:reuters", want: []string{"a02", "a05", "a11"}},
		{name: "filter/two_values_all_hold", q: "tag:energy tag:corruption", want: []string{"a10"}},
		// Dates, inclusive at the precision written.
		{name: "date/year", q: "date:2024", want: inDates([3]int{2024, 1, 1}, [3]int{2025, 1, 1})},
		{name: "date/month_to_day", q: "date:2024-03..2024-06-15", want: inDates([3]int{2024, 3, 1}, [3]int{2024, 6, 16})},
		{name: "date/from_month", q: "date:>=2024-06", want: inDates([3]int{2024, 6, 1}, [3]int{})},
		{name: "date/before_year", q: "date:<2024", want: inDates([3]int{}, [3]int{2024, 1, 1})},
		{name: "date/with_text", q: "aliyev date:2024-06", want: []string{"a02", "a05"}},
		// `corrupt*`: prefix.
		{name: "prefix/word", q: "corrupt*", want: []string{"a06", "a08", "a10", "a12"}, needs: prefix},
		{name: "prefix/in_title", q: "title:corrupt*", want: []string{"a06", "a10", "a12"}, needs: prefix},
		// `aliev~1`, `aliev~`: fuzzy within 1 (or 2) edits.
		{name: "fuzzy/one_edit", q: "aliev~1", want: aliyev, needs: fuzzy},
		{name: "fuzzy/two_edits", q: "aliev~", want: aliyev, needs: fuzzy},
		{name: "fuzzy/too_far", q: "alev~1", want: nil, needs: fuzzy},
		// a01 and a08 quote a poor man; a08's crash is outside its quote.
		{name: "quote/phrase", q: `quote:"poor man"`, want: []string{"a01", "a08"}, needs: quotes},
		{name: "quote/not_outside_quotes", q: "quote:crash", want: nil, needs: quotes},
		{name: "quote/excluded", q: "quote:poor -quote:rich", want: []string{"a01"}, needs: quotes},
		{name: "quote/stemmed", q: "quote:gifts", want: []string{"a02"}, needs: quotes},
		// a08's body runs "poor man, not a rich one" as one sentence, but
		// it is two quotes: a phrase, even the sloppiest, stays in one
		// (a01's quote holds "not a poor man", within the slop).
		{name: "quote/phrase_in_one_quote", q: `quote:"poor man not a rich"`, want: nil, needs: quotes},
		{name: "quote/sloppy_phrase_in_one_quote", q: `quote:"man not"~100`, want: []string{"a01"}, needs: slopQuotes},
		{name: "quote/speaker", q: `speaker:"ilham aliyev"`, want: []string{"a01", "a02"}, needs: quotes},
		{name: "quote/speaker_whole_value_only", q: "speaker:aliyev", want: nil, needs: quotes},
		{name: "quote/speaker_and_words", q: `speaker:"Ilham Aliyev" quote:god`, want: []string{"a02"}, needs: quotes},
		{name: "quote/speaker_excluded", q: `quote:poor -speaker:"Ilham Aliyev"`, want: []string{"a08"}, needs: quotes},
		// An unknown `word:` prefix is just text.
		{name: "unknown_prefix/time", q: "10:30", want: []string{"a09"}},
	}
}

func without(ids []string, drop ...string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

// syntax runs every row, with all the facets, so that each row's facet
// counts are checked against the corpus too.
func (s *suite) syntax(t *testing.T) {
	for _, r := range s.syntaxRows() {
		t.Run(r.name, func(t *testing.T) {
			if !s.caps.has(r.needs) {
				t.Skipf("%q needs Capabilities.%s", r.q, r.needs)
			}
			n, err := query.Parse(r.q)
			if err != nil {
				t.Fatalf("parse %q: %v", r.q, err)
			}
			// Fragments, so that every row's spans are checked too. Without
			// feedback, the hits are exactly the query's matches: with it,
			// a query of several words that matches few may be followed by
			// articles holding some of them (TestFeedbackFill in index).
			req := search.Request{Query: n, Fragments: 2, NoExpand: true}
			res := s.all(t, describe(r.q, req), req)
			sameHits(t, describe(r.q, req), res, r.want)
		})
	}
}
