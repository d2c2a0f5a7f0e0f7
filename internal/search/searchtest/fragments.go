package searchtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/search"
)

// marked lists the text of each span of f.
func marked(f search.Fragment) []string {
	var out []string
	for _, s := range f.Spans {
		out = append(out, f.Text[s.Start:s.End])
	}
	return out
}

// bodyMarks lists the marked text of all of a hit's body fragments.
func bodyMarks(h search.Hit) []string {
	var out []string
	for _, f := range h.Fragments {
		out = append(out, marked(f)...)
	}
	return out
}

// fragments checks the marks: a phrase is one span over the whole
// phrase, terms are marked word by word, a field query marks that field
// alone, and a hit without a match in its body leads with its start.
func (s *suite) fragments(t *testing.T) {
	hit := func(t *testing.T, q, id string, fragments int) search.Hit {
		t.Helper()
		req := search.Request{Query: parse(t, q), Fragments: fragments}
		for _, h := range s.all(t, describe(q, req), req).Hits {
			if h.ID == id {
				return h
			}
		}
		t.Fatalf("%s: no hit %s", describe(q, req), id)
		return search.Hit{}
	}
	// each checks that the marks are exactly the texts of want (folded),
	// each at least once.
	each := func(t *testing.T, what string, got []string, want ...string) {
		t.Helper()
		for _, m := range got {
			if !slices.Contains(want, fold(m)) {
				t.Errorf("%s: marked %q, want only %q (marks %q)", what, m, want, got)
			}
		}
		for _, w := range want {
			if !slices.ContainsFunc(got, func(m string) bool { return fold(m) == w }) {
				t.Errorf("%s: %q not marked (marks %q)", what, w, got)
			}
		}
	}
	t.Run("phrase_is_one_span", func(t *testing.T) {
		for _, q := range []string{`"not a poor man"`, "“Not a poor man”"} {
			h := hit(t, q, "a01", 3)
			// The body has ‘not a poor man’ in curly quotes: the mark
			// holds the words, not the quotes.
			each(t, q+" a01 body", bodyMarks(h), "not a poor man")
			each(t, q+" a01 title", marked(h.Title))
		}
	})
	t.Run("phrase_in_curly_quotes_and_apostrophes", func(t *testing.T) {
		h := hit(t, `"gift of god"`, "a02", 3)
		each(t, "gift of god a02 body", bodyMarks(h), "gift of god")
		h = hit(t, `"gift of god"`, "a05", 3)
		each(t, "gift of god a05 title", marked(h.Title), "gift of god")
		// a01's body has a curly apostrophe: "family’s buildings".
		h = hit(t, `"family's buildings"`, "a01", 3)
		each(t, "family's buildings a01 body", bodyMarks(h), "family's buildings")
	})
	t.Run("terms_word_by_word", func(t *testing.T) {
		h := hit(t, "offshore companies", "a01", 3)
		each(t, "offshore companies a01 body", bodyMarks(h), "offshore", "companies")
		// Stemmed terms mark the words as written.
		h = hit(t, "building", "a01", 3)
		each(t, "building a01 title", marked(h.Title), "buildings")
		each(t, "building a01 body", bodyMarks(h), "buildings")
	})
	t.Run("phrase_and_terms_together", func(t *testing.T) {
		// In a02's body the term baku lies inside the phrase, and nations
		// comes after it: marks are one per place, in text order.
		q := `nations baku "officials in baku"`
		h := hit(t, q, "a02", 3)
		each(t, q+" a02 body", bodyMarks(h), "officials in baku", "nations")
		each(t, q+" a02 title", marked(h.Title), "baku")
	})
	t.Run("title_field_marks_title_only", func(t *testing.T) {
		h := hit(t, "title:buildings", "a01", 3)
		each(t, "title:buildings a01 title", marked(h.Title), "buildings")
		each(t, "title:buildings a01 body", bodyMarks(h))
	})
	t.Run("body_field_marks_body_only", func(t *testing.T) {
		h := hit(t, "body:aliyev", "a05", 3)
		each(t, "body:aliyev a05 title", marked(h.Title))
		each(t, "body:aliyev a05 body", bodyMarks(h), "aliyev")
	})
	t.Run("excluded_words_unmarked", func(t *testing.T) {
		h := hit(t, "aliyev -crash -baku", "a01", 3)
		each(t, "a01 body", bodyMarks(h), "aliyev")
	})
	t.Run("no_body_match_leads_with_start", func(t *testing.T) {
		h := hit(t, "title:crash", "a03", 3)
		a := s.fx.article("a03")
		if len(h.Fragments) == 0 {
			t.Fatal("title:crash a03: no fragment")
		}
		if f := h.Fragments[0]; len(f.Spans) > 0 || !strings.HasPrefix(a.Body, strings.TrimSuffix(f.Text, "…")) {
			t.Errorf("title:crash a03: first fragment %q (marks %q), want the body's start %q", f.Text, marked(f), a.Body)
		}
		each(t, "title:crash a03 title", marked(h.Title), "crash")
	})
	t.Run("none_asked", func(t *testing.T) {
		if h := hit(t, "aliyev", "a01", 0); len(h.Fragments) > 0 {
			t.Errorf("aliyev with Fragments 0: %d fragments", len(h.Fragments))
		}
	})
	t.Run("prefix", func(t *testing.T) {
		if !s.caps.Prefix {
			t.Skip("no prefix queries")
		}
		h := hit(t, "corrupt*", "a08", 3)
		each(t, "corrupt* a08 body", bodyMarks(h), "corrupted")
	})
	t.Run("fuzzy", func(t *testing.T) {
		if !s.caps.Fuzzy {
			t.Skip("no fuzzy queries")
		}
		h := hit(t, "aliev~1", "a02", 3)
		each(t, "aliev~1 a02 body", bodyMarks(h), "aliyev")
	})
	t.Run("slop_marks_each_word", func(t *testing.T) {
		if !s.caps.Slop {
			t.Skip("no phrase slop")
		}
		h := hit(t, `"shot down plane"~3`, "a03", 3)
		each(t, "slop a03 body", bodyMarks(h), "shot", "down", "plane")
	})
}
