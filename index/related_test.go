package index

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// relatedIndex: Aliyev appears with Pashinyan in four articles of 2023
// and 2024, with Putin in one; Putin appears in many articles without
// him; Baku is where Aliyev is, London where he is not.
func relatedIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	var batch []corpus.Article
	add := func(id string, year int, people []string, places ...string) {
		a := personArticle(id, "Text of "+id+".", people...)
		d := time.Date(year, time.March, 1, 0, 0, 0, 0, time.UTC)
		a.Date = &d
		for _, p := range places {
			a.Entities = append(a.Entities, corpus.Entity{Type: "LOC", Name: p})
		}
		batch = append(batch, a)
	}
	for i := range 4 {
		add(fmt.Sprintf("ap%d", i), 2023+i%2, []string{"Ilham Aliyev", "Nikol Pashinyan"}, "Baku")
	}
	add("aput", 2024, []string{"Ilham Aliyev", "Vladimir Putin"}, "Baku")
	for i := range 10 {
		add(fmt.Sprintf("p%d", i), 2024, []string{"Vladimir Putin"}, "London")
	}
	add("alone", 2024, []string{"Ilham Aliyev"}, "London")
	if err := ix.WriteBatch(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestRelatedRanksByAssociation(t *testing.T) {
	ix := relatedIndex(t)
	res, err := ix.Related(context.Background(), search.RelatedRequest{Facet: "person", Name: "Ilham Aliev", MinCount: 1, Slice: search.SliceYear})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Names) != 1 || res.Names[0] != "Ilham Aliyev" || res.Articles != 6 || res.Total != 16 {
		t.Fatalf("names %v, articles %d of %d; want [Ilham Aliyev], 6 of 16", res.Names, res.Articles, res.Total)
	}
	people := res.Related["person"]
	if len(people) != 2 || people[0].Name != "Nikol Pashinyan" || people[0].Count != 4 || people[0].Articles != 4 {
		t.Fatalf("people %+v; want Nikol Pashinyan (4 of 4) first", people)
	}
	// Putin meets Aliyev once and is named in 11 articles: less often
	// than chance has them meet, so he scores 0.
	if people[1].Name != "Vladimir Putin" || people[1].Score != 0 || people[1].PMI >= 0 {
		t.Errorf("Putin: %+v; want score 0 and a negative PMI", people[1])
	}
	if places := res.Related["place"]; len(places) == 0 || places[0].Name != "Baku" || places[0].Count != 5 {
		t.Errorf("places %+v; want Baku (5) first", places)
	}
	if len(res.Slices) != 2 || res.Slices[0].Period != "2023" || res.Slices[0].Articles != 2 || res.Slices[1].Articles != 4 {
		t.Fatalf("slices %+v; want 2023 (2 articles) and 2024 (4)", res.Slices)
	}
	if p := res.Slices[0].Related["person"]; len(p) != 1 || p[0].Name != "Nikol Pashinyan" || p[0].Count != 2 {
		t.Errorf("2023 people %+v", p)
	}

	// The minimum count drops the single meeting; a search narrows the
	// articles.
	res, err = ix.Related(context.Background(), search.RelatedRequest{Facet: "person", Name: "Ilham Aliyev",
		Search: search.Request{Filters: map[string][]string{"place": {"Baku"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 5 || res.Articles != 5 || len(res.Related["person"]) != 1 || len(res.Slices) != 0 {
		t.Errorf("in Baku: %d of %d, people %+v, %d slices", res.Articles, res.Total, res.Related["person"], len(res.Slices))
	}
	// A name that names nobody is no entity, and no error.
	res, err = ix.Related(context.Background(), search.RelatedRequest{Facet: "person", Name: "Nobody Atall"})
	if err != nil || len(res.Names) != 0 || res.Articles != 0 {
		t.Errorf("nobody: %+v, %v", res, err)
	}
	if _, err := ix.Related(context.Background(), search.RelatedRequest{Facet: "tag", Name: "x"}); err == nil {
		t.Error("tag is not an entity facet, but no error")
	}
}
