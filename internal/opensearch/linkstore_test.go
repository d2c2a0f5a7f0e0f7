package opensearch

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
)

// named is an article whose body names each entity once, given as
// "TYPE:Name".
func named(id string, entities ...string) corpus.Article {
	a := corpus.Article{ID: id, Title: id}
	for _, te := range entities {
		typ, name, _ := strings.Cut(te, ":")
		start := len(a.Body)
		a.Body += name + " spoke. "
		a.Entities = append(a.Entities, corpus.Entity{Type: typ, Name: name, Mentions: []corpus.Mention{{Start: start, End: start + len(name)}}})
	}
	return a
}

// TestLinkingAcrossArticles writes articles one batch at a time, as an
// ingest does, and checks that a surname or initials alone end as the
// one person or organisation the cluster names in full, as on Bleve.
func TestLinkingAcrossArticles(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ctx := context.Background()
	batches := [][]corpus.Article{
		{named("a1", "PER:Erdogan"), named("n1", "ORG:NHS")},
		{named("a2", "PER:Recep Tayyip Erdogan")},
		{named("b1", "PER:Aliyev"), named("b2", "PER:Ilham Aliyev"), named("b3", "PER:Heydar Aliyev")},
	}
	for i := range 3 {
		batches = append(batches, []corpus.Article{named(fmt.Sprint("n", i+2), "ORG:National Health Service")})
	}
	for _, b := range batches {
		if err := e.WriteBatch(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.FinishIngest(ctx, false); err != nil {
		t.Fatal(err)
	}
	with := func(typ, name string) []string {
		var ids []string
		if err := (linkStore{e}).WithName(ctx, typ, name, func(a *corpus.Article) { ids = append(ids, a.ID) }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	for _, c := range []struct {
		typ, name string
		want      []string
	}{
		{"PER", "Recep Tayyip Erdogan", []string{"a1", "a2"}},
		{"PER", "Erdogan", nil},
		{"PER", "Aliyev", []string{"b1"}}, // two Aliyevs: stays
		{"ORG", "National Health Service", []string{"n1", "n2", "n3", "n4"}},
		{"ORG", "nhs", nil},
	} {
		if got := with(c.typ, c.name); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.typ, c.name, got, c.want)
		}
	}
	// The linked article keeps its mention, under the full name.
	a1, err := e.Article(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if len(a1.Entities) != 1 || a1.Entities[0].Name != "Recep Tayyip Erdogan" || a1.Entities[0].Mentions[0] != (corpus.Mention{Start: 0, End: 7}) {
		t.Errorf("a1: %+v", a1.Entities)
	}
}
