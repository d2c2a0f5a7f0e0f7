package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/server"
)

func suggestPath(q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Add(extra[i], extra[i+1])
	}
	return "/api/suggest?" + v.Encode()
}

func findSuggestion(list []server.SuggestionJSON, kind, text string) *server.SuggestionJSON {
	for i := range list {
		if list[i].Kind == kind && list[i].Text == text {
			return &list[i]
		}
	}
	return nil
}

func TestSuggestOverHTTP(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")

	var res server.SuggestResponse
	get(t, ts.URL, suggestPath("aliy"), 200, &res)
	if res.Query != "aliy" || len(res.Suggestions) == 0 || len(res.Suggestions) > 8 {
		t.Fatalf("aliy: %+v", res)
	}
	// A name, with its facet, type and count, and the query that finds
	// exactly the articles counted.
	name := findSuggestion(res.Suggestions, "entity", "Ilham Aliyev")
	if name == nil || name.Facet != "person" || name.Type != "PER" || name.Query != `person:"Ilham Aliyev"` {
		t.Fatalf("aliy: no person Ilham Aliyev in %+v", res.Suggestions)
	}
	var found searchResult
	get(t, ts.URL, searchPath(name.Query, "facets", "none"), 200, &found)
	if found.Total != name.Count || name.Count == 0 {
		t.Errorf("Ilham Aliyev counted %d, but %s finds %d", name.Count, name.Query, found.Total)
	}
	// A frequent word completing the prefix, counted as a search finds it.
	word := findSuggestion(res.Suggestions, "term", "aliyev")
	if word == nil {
		t.Fatalf("aliy: no word aliyev in %+v", res.Suggestions)
	}
	get(t, ts.URL, searchPath("aliyev", "facets", "none"), 200, &found)
	if found.Total != word.Count {
		t.Errorf("aliyev counted %d, but a search finds %d", word.Count, found.Total)
	}
	// Best first: more articles and a better match score higher.
	for i := 1; i < len(res.Suggestions); i++ {
		if res.Suggestions[i].Score > res.Suggestions[i-1].Score && res.Suggestions[i].Kind == res.Suggestions[i-1].Kind {
			t.Errorf("suggestion %d (%+v) outscores the one before it", i, res.Suggestions[i])
		}
	}

	// The words before the last stay; names match the whole text.
	get(t, ts.URL, suggestPath("ilham al"), 200, &res)
	if s := res.Suggestions[0]; s.Kind != "entity" || s.Text != "Ilham Aliyev" {
		t.Errorf("ilham al: first suggestion %+v, want the person Ilham Aliyev", s)
	}
	if findSuggestion(res.Suggestions, "term", "ilham aliyev") == nil {
		t.Errorf("ilham al: no completion ilham aliyev in %+v", res.Suggestions)
	}
	// After a space the word is whole, and a name goes on.
	get(t, ts.URL, suggestPath("ilham "), 200, &res)
	if findSuggestion(res.Suggestions, "entity", "Ilham Aliyev") == nil || findSuggestion(res.Suggestions, "term", "ilham") == nil {
		t.Errorf("\"ilham \": want the word ilham and the name Ilham Aliyev in %+v", res.Suggestions)
	}
	for _, s := range res.Suggestions {
		if s.Kind == "term" && s.Text != "ilham" && !s.Fuzzy {
			t.Errorf("\"ilham \": %q completes a finished word", s.Text)
		}
	}

	// Titles: an article whose title holds the words.
	get(t, ts.URL, suggestPath("president ilham"), 200, &res)
	title := findSuggestion(res.Suggestions, "title", "President Ilham Aliyev was interviewed by Azerbaijan Television")
	if title == nil || title.ID == "" {
		t.Fatalf("president ilham: no title in %+v", res.Suggestions)
	}
	get(t, ts.URL, "/api/articles/"+url.PathEscape(title.ID), 200, nil)

	// Typos are forgiven from the fifth character on, never in the first.
	get(t, ts.URL, suggestPath("azerbajan"), 200, &res)
	if s := findSuggestion(res.Suggestions, "entity", "Azerbaijan"); s == nil || !s.Fuzzy {
		t.Errorf("azerbajan: want the place Azerbaijan, marked fuzzy, in %+v", res.Suggestions)
	}
	get(t, ts.URL, suggestPath("ilhan"), 200, &res)
	if findSuggestion(res.Suggestions, "term", "ilham") == nil {
		t.Errorf("ilhan: want ilham in %+v", res.Suggestions)
	}
	get(t, ts.URL, suggestPath("ilha"), 200, &res)
	for _, s := range res.Suggestions {
		if s.Fuzzy {
			t.Errorf("ilha: a typo was allowed in four characters: %+v", s)
		}
	}
	get(t, ts.URL, suggestPath("presid"), 200, &res)
	if s := findSuggestion(res.Suggestions, "term", "residential"); s != nil {
		t.Errorf("presid: offered %+v, a typo in the first letter", s)
	}

	// A stop word alone completes to nothing but what starts with it.
	get(t, ts.URL, suggestPath("the "), 200, &res)
	if s := findSuggestion(res.Suggestions, "term", "the"); s != nil {
		t.Errorf("the: a stop word offered: %+v", s)
	}
	get(t, ts.URL, suggestPath("aliy", "size", "2"), 200, &res)
	if len(res.Suggestions) != 2 {
		t.Errorf("size=2 gave %d suggestions", len(res.Suggestions))
	}
	get(t, ts.URL, suggestPath(""), 200, &res)
	if res.Suggestions == nil || len(res.Suggestions) != 0 {
		t.Errorf("empty q: %+v, want []", res.Suggestions)
	}
}

func TestSuggestBadInput(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	for _, c := range []struct{ path, code string }{
		{suggestPath(strings.Repeat("a", 101)), "query_too_long"},
		{"/api/suggest?q=%ff", "bad_query"},
		{"/api/suggest?q=%zz", "bad_parameter"},
		{suggestPath("aliy", "size", "0"), "bad_parameter"},
		{suggestPath("aliy", "size", "21"), "bad_parameter"},
		{suggestPath("aliy", "size", "x"), "bad_parameter"},
	} {
		var e errorBody
		get(t, ts.URL, c.path, 400, &e)
		if e.Error.Code != c.code || e.Error.Message == "" {
			t.Errorf("%s: error %+v, want code %s", c.path, e.Error, c.code)
		}
	}
	// Odd but valid text is bounded work and an ordinary answer.
	for _, q := range []string{"\x00\x01<script>", strings.Repeat("é", 100), strings.Repeat("a ", 50), "*?~\"(", "ﬁnance"} {
		var res server.SuggestResponse
		get(t, ts.URL, suggestPath(q), 200, &res)
		if res.Suggestions == nil {
			t.Errorf("%q: suggestions null", q)
		}
	}
}

// onlyEngine hides every interface of an engine but search.Engine: an
// engine without suggestions or quotes.
type onlyEngine struct{ search.Engine }

func TestSuggestWithoutSuggester(t *testing.T) {
	srv, err := server.New(onlyEngine{foliotest.NewIndex(t, "bundled")}, config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{suggestPath("aliy"), "/api/quotes/feed.atom?speaker=x"} {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusNotImplemented || !strings.Contains(rec.Body.String(), `"not_implemented"`) {
			t.Errorf("%s: %d %s, want 501 not_implemented", path, rec.Code, rec.Body)
		}
	}
}
