package index

import (
	"context"
	"slices"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// TestFilterPastGoneName: a one-word name that no article holds any
// longer (rewritten to the full name) does not hide the full names whose
// surname it is, as it would not on a cluster, whose tables hold only
// names held.
func TestFilterPastGoneName(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	filter := search.Request{Filters: map[string][]string{"person": {"Reagan"}}}
	if err := ix.WriteBatch(ctx, []corpus.Article{personArticle("x", "Reagan spoke.", "Reagan")}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, filter)
	if err != nil || res.Total != 1 || !slices.Equal(res.Matched["person"], []string{"Reagan"}) {
		t.Fatalf("person=Reagan: %v, %+v; want x, matched Reagan", err, res)
	}
	if err := ix.WriteBatch(ctx, []corpus.Article{
		personArticle("x", "Ronald Reagan spoke.", "Ronald Reagan"),
		personArticle("y", "Nancy Reagan spoke.", "Nancy Reagan"),
	}); err != nil {
		t.Fatal(err)
	}
	res, err = ix.Search(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(res.Matched["person"])
	if res.Total != 2 || !slices.Equal(res.Matched["person"], []string{"Nancy Reagan", "Ronald Reagan"}) {
		t.Errorf("person=Reagan after the rewrite: %d articles, matched %v; want 2, Nancy and Ronald Reagan", res.Total, res.Matched)
	}
}
