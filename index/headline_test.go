package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
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

// The index marks the articles without a body, so a search tells the
// flashes among its hits without reading their stored records; an index
// written before the mark (schema unmarkedSchemaVersion) opens, tells them
// from the records, and ranks exactly alike.
func TestFlashesMarked(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	articles := searchtest.Flashes()
	if err := ix.Put(articles...); err != nil {
		t.Fatal(err)
	}
	if !ix.flashesMarked {
		t.Fatal("a new index does not mark its flashes")
	}
	ctx := context.Background()
	n, _ := query.Parse("consumer credit")
	q, _, _, err := ix.bleveQuery(ctx, search.Request{Query: n}, false, DefaultRanking)
	if err != nil {
		t.Fatal(err)
	}
	col := &hitCollector{ranked: true, n: len(articles), flashes: true}
	sr := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(q, bleve.NewMatchAllQuery()), len(articles), 0, false)
	if _, err := ix.bleve.SearchInContext(col.install(ctx), sr); err != nil {
		t.Fatal(err)
	}
	if len(col.hits) != len(articles) {
		t.Fatalf("%d hits of %d articles", len(col.hits), len(articles))
	}
	bodyless := map[string]bool{}
	for _, a := range articles {
		bodyless[a.ID] = a.Body == ""
	}
	flashes := 0
	for _, h := range col.hits {
		flash, ok := h.Fields[fIsFlash].(bool)
		if !ok || flash != bodyless[h.ID] {
			t.Errorf("%s: marked %v (known %v), has no body %v", h.ID, flash, ok, bodyless[h.ID])
		}
		if flash {
			flashes++
		}
	}
	if flashes == 0 {
		t.Fatal("no flash among the articles")
	}

	marked := flashRanking(t, ix, "consumer credit")
	if err := ix.bleve.SetInternal([]byte(schemaKey), []byte(unmarkedSchemaVersion)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	older, err := Open(dir)
	if err != nil {
		t.Fatalf("an index of schema %s is refused: %v", unmarkedSchemaVersion, err)
	}
	defer older.Close()
	if older.flashesMarked {
		t.Fatal("an older index is taken as marking its flashes")
	}
	if unmarked := flashRanking(t, older, "consumer credit"); !slices.Equal(marked, unmarked) {
		t.Errorf("ranked %v by the marks, %v by the records", marked, unmarked)
	}
}

// flashRanking is the IDs and scores of a query's first ten hits.
func flashRanking(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	n, _ := query.Parse(text)
	res, err := ix.Search(context.Background(), search.Request{Query: n, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s %.9f", h.ID, h.Score))
	}
	if len(out) == 0 || !strings.HasPrefix(out[0], "flash ") {
		t.Fatalf("%q: the flash does not rank first: %v", text, out)
	}
	return out
}
