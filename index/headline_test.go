package index

import (
	"context"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// A flash (a headline, no body) that says what the query asks ranks
// first once its headline counts as its body (searchtest.CheckFlashes);
// without the rule it ranks below the stories that only mention it. The
// order of the rest, and a search without feedback, are unchanged.
func TestHeadlineBody(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Put(searchtest.Flashes()...); err != nil {
		t.Fatal(err)
	}
	searchtest.CheckFlashes(t, ix)
	rank := func(r Ranking, noExpand bool) ([]string, int) {
		t.Helper()
		n, _ := query.Parse("consumer credit")
		res, err := ix.WithRanking(r).Search(context.Background(), search.Request{Query: n, Size: 10, NoExpand: noExpand})
		if err != nil {
			t.Fatal(err)
		}
		ids := hitIDs(res)
		return ids, slices.Index(ids, "flash")
	}
	on := DefaultRanking
	off := on
	off.HeadlineBody = false
	withOff, atOff := rank(off, false)
	withOn, atOn := rank(on, false)
	if atOn < 0 || atOff < 0 || atOn >= atOff {
		t.Errorf("the flash ranks %d with its headline as its body, %d without: want higher with (%v, %v)", atOn+1, atOff+1, withOn, withOff)
	}
	if rest := slices.DeleteFunc(slices.Clone(withOn), func(id string) bool { return id == "flash" }); !slices.Equal(rest, slices.DeleteFunc(slices.Clone(withOff), func(id string) bool { return id == "flash" })) {
		t.Errorf("the other stories moved: %v, was %v", withOn, withOff)
	}
	a, _ := rank(on, true)
	b, _ := rank(off, true)
	if !slices.Equal(a, b) {
		t.Errorf("without feedback the order changed: %v, was %v", a, b)
	}
}

// headlineOf tells a flash from a story by the stored record alone,
// whatever else the record holds.
func TestStoredHeadline(t *testing.T) {
	for _, a := range []corpus.Article{
		{ID: "flash", Title: "Consumer credit rose", Tags: []string{"x"}, Source: "wire"},
		{ID: "story", Title: "Consumer credit rose", Body: "It rose.", Source: "wire"},
		{ID: "untitled", Body: "It rose."},
		{ID: "empty"},
		{ID: "escapes", Title: `"Quoted" \\ back\\slash, tab\t, é and \u2028`, Body: "b"},
		{ID: "escaped flash", Title: `ends with a quote "`},
	} {
		stored, err := encodeArticle(&a)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := inflateStored(stored)
		if err != nil {
			t.Fatal(err)
		}
		title, hasBody, err := headlineOf(rec)
		if err != nil {
			t.Fatal(err)
		}
		if title != a.Title || hasBody != (a.Body != "") {
			t.Errorf("%s: title %q, body %v; want %q, %v", a.ID, title, hasBody, a.Title, a.Body != "")
		}
	}
	if _, err := inflateStored("not deflated"); err == nil {
		t.Error("a damaged record inflated without an error")
	}
	if _, _, err := headlineOf([]byte(`{"t":"unterminated`)); err == nil {
		t.Error("a cut record read without an error")
	}
}
