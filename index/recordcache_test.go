package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/folio-search/folio/corpus"
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

// TestPackedArticleIsTheArticle: packing a decoded article keeps every
// value (quotes and names that are the body's words, and those that are
// not), puts its strings in one allocation, and leaves quotes read from
// the body as slices of the packed body.
func TestPackedArticleIsTheArticle(t *testing.T) {
	date := time.Date(1987, 3, 2, 0, 0, 0, 0, time.UTC)
	body := `Ilham Aliyev said "the pipeline is ready" in Baku. BP agreed.`
	quote := strings.Index(body, "the pipeline")
	a := &corpus.Article{
		Title: "Pipeline \"ready\"", URL: "https://example.com/a", Author: "R. Writer", Date: &date,
		Dateline: "BAKU", Tags: []string{"energy", "crude"}, Body: body, Source: "s.jsonl", Section: "World",
		Entities: []corpus.Entity{
			{Type: "PER", Name: "Ilham Aliyev", Mentions: []corpus.Mention{{Start: 0, End: 12}}},
			{Type: "ORG", Name: "British Petroleum", Mentions: []corpus.Mention{{Start: 51, End: 53}, {Start: 0, End: 5}}},
			{Type: "LOC", Name: "Baku", Mentions: []corpus.Mention{{Start: 45, End: 49}}},
		},
		Quotes: []corpus.Quote{
			{Text: "the pipeline is ready", Speaker: "Ilham Aliyev", SpeakerKind: corpus.SpeakerPerson, Cue: "said", Route: "explicit", Start: quote, End: quote + len("the pipeline is ready")},
			{Text: "ready", SpeakerKind: corpus.SpeakerUnknown, Start: 10, End: 15, InTitle: true},
			{Text: "not at its offsets", SpeakerKind: corpus.SpeakerUnknown, Start: 0, End: 5},
		},
	}
	want, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	// A fresh copy of every string, as a decoder makes them.
	var decoded corpus.Article
	if err := json.Unmarshal(want, &decoded); err != nil {
		t.Fatal(err)
	}
	p := packArticle(&decoded)
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("packed article\n%s\nwant\n%s", got, want)
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(p.Body)))
	inBlock := func(s string) bool {
		at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return s == "" || base <= at && at < base+uintptr(len(p.Body)+1024)
	}
	for _, s := range []string{p.Title, p.URL, p.Author, p.Dateline, p.Source, p.Section, p.Tags[1], p.Entities[1].Name, p.Quotes[2].Text, p.Quotes[0].Cue} {
		if !inBlock(s) {
			t.Errorf("%q is not in the packed article's one block of text", s)
		}
	}
	if unsafe.StringData(p.Quotes[0].Text) != unsafe.StringData(p.Body[quote:]) {
		t.Error("a quote at its offsets is not a slice of the packed body")
	}
	if unsafe.StringData(p.Entities[0].Name) != unsafe.StringData(p.Body) {
		t.Error("a name at its first mention is not a slice of the packed body")
	}
	first := p.Entities[0].Mentions
	if m := p.Entities[1].Mentions; cap(first) != len(first) || cap(m) != len(m) ||
		unsafe.Pointer(&m[0]) != unsafe.Add(unsafe.Pointer(&first[0]), unsafe.Sizeof(first[0])) {
		t.Error("the entities' mentions are not one list, each capped at its length")
	}
}
