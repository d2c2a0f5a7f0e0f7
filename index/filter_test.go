package index

import (
	"context"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
)

// An organisation filter finds a firm with or without its legal form:
// entity names leave it out, and an older index may hold it.
func TestOrgFilterReadsLegalForms(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	org := func(id, name string) corpus.Article {
		return corpus.Article{ID: id, Title: id, Body: name + " said sales rose.",
			Entities: []corpus.Entity{{Type: "ORG", Name: name, Mentions: []corpus.Mention{{Start: 0, End: len(name)}}}}}
	}
	if _, err := ix.Ingest(context.Background(), seqOf(org("gm", "General Motors"), org("acme", "Acme Corp"), org("ford", "Ford Motor Company")), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for value, want := range map[string][]string{
		"General Motors Corp": {"gm"}, "general motors": {"gm"}, "General Motors Corp.": {"gm"},
		"Acme Corp": {"acme"}, "Ford Motor Company": {"ford"},
		// Negative: the short form does not find a name stored whole, nor
		// a full word's removal another firm.
		"Acme": nil, "Ford Motor": nil, "General": nil,
	} {
		res, err := ix.Search(context.Background(), Request{Filters: map[string][]string{"org": {value}}, Size: 10, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("org=%q: %v, want %v", value, got, want)
		}
	}
}
