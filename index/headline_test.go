package index

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

// A flash (a headline, no body) that says what the query asks ranks above
// full stories that only mention it once their headline counts as its
// body; without the rule it ranks below them. The order of the rest, and
// a search without feedback, are unchanged.
func TestHeadlineBody(t *testing.T) {
	ix := openTemp(t)
	topics := []string{"harvest", "shipping", "mining", "steel", "tourism", "fishing", "textiles", "timber"}
	arts := []corpus.Article{{ID: "flash", Title: "U.S. consumer credit rose 536 mln dlrs in January, revised from 144 mln in December"}}
	for i, topic := range topics {
		arts = append(arts, corpus.Article{ID: fmt.Sprintf("story %d", i), Title: "Credit for " + topic,
			Body: "Consumer credit, " + strings.Repeat(topic+" ", 30)})
	}
	for i := range 20 {
		arts = append(arts, corpus.Article{ID: fmt.Sprintf("other %d", i), Title: "Weather", Body: "Rain is expected on the coast."})
	}
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
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

// storedHeadline tells a flash from a story by the stored record alone,
// whatever else the record holds.
func TestStoredHeadline(t *testing.T) {
	for _, a := range []corpus.Article{
		{ID: "flash", Title: "Consumer credit rose", Tags: []string{"x"}, Source: "wire"},
		{ID: "story", Title: "Consumer credit rose", Body: "It rose.", Source: "wire"},
		{ID: "untitled", Body: "It rose."},
		{ID: "empty"},
	} {
		stored, err := encodeArticle(&a)
		if err != nil {
			t.Fatal(err)
		}
		title, hasBody, err := storedHeadline(a.ID, stored)
		if err != nil {
			t.Fatal(err)
		}
		if title != a.Title || hasBody != (a.Body != "") {
			t.Errorf("%s: title %q, body %v; want %q, %v", a.ID, title, hasBody, a.Title, a.Body != "")
		}
	}
	if _, _, err := storedHeadline("bad", "not deflated"); err == nil {
		t.Error("a damaged record read without an error")
	}
}
