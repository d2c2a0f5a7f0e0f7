package index

import (
	"bytes"
	"fmt"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/folio-search/folio/internal/search"
)

// A stored record is inflated once while kept and read the same as
// inflating it afresh; another record is another entry.
func TestInflatedRecordsKeepEachRecordOnce(t *testing.T) {
	stored, err := compressStored(storedArticle{Title: "Oil prices", Body: fmt.Sprint("Crude rose ", t.Name())})
	if err != nil {
		t.Fatal(err)
	}
	other, err := compressStored(storedArticle{Title: "Oil prices", Body: "Crude fell"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := inflateStored(stored)
	if err != nil {
		t.Fatal(err)
	}
	first, err := inflateCached(stored)
	if err != nil || !bytes.Equal(first.json, want) {
		t.Fatalf("cached record %q, %v; want %q", first.json, err, want)
	}
	body := fmt.Sprint("Crude rose ", t.Name())
	if first.article == nil || first.article.Title != "Oil prices" || first.article.Body != body {
		t.Fatalf("decoded article %+v", first.article)
	}
	if key := search.CopyKey("Oil prices", body); first.copyKey != key {
		t.Fatalf("copy key %q, want %q", first.copyKey, key)
	}
	again, err := inflateCached(stored)
	if err != nil || &again.json[0] != &first.json[0] {
		t.Fatalf("the second read inflated the record again (%v)", err)
	}
	rec, err := inflateCached(other)
	if err != nil || bytes.Equal(rec.json, first.json) || rec.copyKey == first.copyKey || !inflatedRecords.holds(other) {
		t.Fatalf("another record read as %q, %v", rec.json, err)
	}
	if _, err := inflateCached(stored[:len(stored)/2] + "\xff\xff"); err == nil {
		t.Fatal("a damaged record inflated without an error")
	}
}

// Two articles may share a record word for word (a wire's story filed
// twice, without a URL): each match reads the decoded article under its
// own ID, and what one search makes of it does not reach the other.
func TestSharedRecordKeepsEachMatchsID(t *testing.T) {
	stored, err := compressStored(storedArticle{Title: "Tin talks", Body: "The council met " + t.Name(), Tags: []string{"tin"}})
	if err != nil {
		t.Fatal(err)
	}
	first := &bsearch.DocumentMatch{ID: "a-1", Fields: map[string]any{fStored: stored}}
	second := &bsearch.DocumentMatch{ID: "a-2", Fields: map[string]any{fStored: stored}}
	a, err := matchArticle(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := matchArticle(second)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "a-1" || b.ID != "a-2" || a.Title != "Tin talks" || b.Title != a.Title {
		t.Fatalf("articles %q %q, %q %q", a.ID, a.Title, b.ID, b.Title)
	}
	a.Title = "changed by one search"
	if c, err := matchArticle(&bsearch.DocumentMatch{ID: "a-3", Fields: map[string]any{fStored: stored}}); err != nil || c.Title != "Tin talks" {
		t.Fatalf("a third match reads %+v, %v", c, err)
	}
}
