package index

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
)

// An article comes back from its stored form as it went in, entity names
// left out where the body spells them at the first mention and kept where
// it does not.
func TestStoredArticleRoundTrip(t *testing.T) {
	body := `Ilham Aliyev met <Acme Corp> in Baku. "We agree," Aliyev said.`
	date := time.Date(2024, 12, 29, 8, 15, 0, 0, time.UTC)
	a := &corpus.Article{
		ID: "a1", Title: "Aliyev & <Acme>", Body: body, URL: "https://news.example/a1",
		Author: "By A. Writer", Date: &date, Dateline: "BAKU, Dec 29", Tags: []string{"politics"},
		Source: "example", Section: "world",
		Entities: []corpus.Entity{
			{Type: "PER", Name: "Ilham Aliyev", Mentions: []corpus.Mention{{Start: 0, End: 12}, {Start: 52, End: 58}}},
			{Type: "ORG", Name: "Acme Corp", Mentions: []corpus.Mention{{Start: 18, End: 27}}},
			{Type: "PER", Name: "Heydar Aliyev", Mentions: []corpus.Mention{{Start: 52, End: 58}}}, // linked: not the text
			{Type: "LOC", Name: "Baku", Mentions: []corpus.Mention{}},                              // no mention
			{Type: "MISC", Name: "", Mentions: []corpus.Mention{{Start: 3, End: 3}}},               // empty
			{Type: "LOC", Name: "Gone", Mentions: []corpus.Mention{{Start: 60, End: 900}}},         // past the body
		},
		Quotes: []corpus.Quote{
			{Text: "We agree,", Speaker: "Ilham Aliyev", SpeakerKind: corpus.SpeakerPerson, Cue: "said", Route: "explicit", Start: 37, End: 46},
			{Text: "not in the body", Start: 0, End: 3},
		},
	}
	stored, err := encodeArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeArticle(a.ID, stored)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
	}
	title, err := storedTitle(stored)
	if err != nil || title != a.Title {
		t.Errorf("storedTitle = %q, %v; want %q", title, err, a.Title)
	}

	// Names that the body spells at the first mention are not stored.
	var s storedArticle
	if err := readStored(stored, func(r io.Reader) error { return json.NewDecoder(r).Decode(&s) }); err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, e := range s.Entities {
		if e.Name != nil {
			named = append(named, *e.Name)
		}
	}
	if want := []string{"Heydar Aliyev", "Baku", "Gone"}; !reflect.DeepEqual(named, want) {
		t.Errorf("stored names %q, want %q", named, want)
	}
}

// A record stored without the dictionary it was written with is reported
// damaged, not read as something else. (One of under 128 bytes is written
// without matches, the dictionary's or its own, and reads the same either
// way.)
func TestStoredArticleNeedsItsDictionary(t *testing.T) {
	a := storedArticle{Title: "The company said", Body: "the company said in a statement that it expected a net loss for the year, a spokesman for the company said on Thursday in London"}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	js, _ := json.Marshal(a)
	w.Write(js)
	w.Close()
	plain := buf.String()
	stored, err := compressStored(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) >= len(plain) {
		t.Errorf("with the dictionary %d bytes, without %d", len(stored), len(plain))
	}
	// The dictionary's text is matched from the first byte: a stream that
	// needs it cannot be inflated without it.
	var out bytes.Buffer
	if _, err := out.ReadFrom(flate.NewReader(bytes.NewReader([]byte(stored)))); err == nil && json.Valid(out.Bytes()) {
		t.Errorf("inflated without the dictionary: %q", out.String())
	}
}

// On Reuters the dictionary saves what its comment says: stored articles
// at most 53% of their JSON, against 58% without it.
func TestStoredDictionaryCompressesNews(t *testing.T) {
	articles := firstReuters(t, 2000)
	var raw, with, without int
	var buf bytes.Buffer
	plain, _ := flate.NewWriter(&buf, flate.BestSpeed)
	for i := range articles {
		js, err := json.Marshal(storedArticle{Title: articles[i].Title, Body: articles[i].Body})
		if err != nil {
			t.Fatal(err)
		}
		raw += len(js)
		stored, err := compressStored(storedArticle{Title: articles[i].Title, Body: articles[i].Body})
		if err != nil {
			t.Fatal(err)
		}
		with += len(stored)
		buf.Reset()
		plain.Reset(&buf)
		plain.Write(js)
		plain.Close()
		without += buf.Len()
	}
	t.Logf("%d articles, %d bytes of JSON: %d with the dictionary (%.1f%%), %d without (%.1f%%)",
		len(articles), raw, with, 100*float64(with)/float64(raw), without, 100*float64(without)/float64(raw))
	if float64(with) > 0.53*float64(raw) || with >= without {
		t.Errorf("stored with the dictionary: %d of %d bytes; without: %d", with, raw, without)
	}
}

// A quote record keeps everything but the normalised texts, which are
// made again from the quotes' texts when it is read.
func TestQuoteRecordRoundTrip(t *testing.T) {
	date := time.Date(2024, 12, 29, 0, 0, 0, 0, time.UTC)
	rec := &quoteRecord{Seen: []quoteSeen{
		{Article: "a1", Title: "T", URL: "https://news.example/a1", Date: &date, Tags: []string{"x"},
			Text: "We’re Agreed, <all> of us", Speaker: "Ilham Aliyev", Kind: corpus.SpeakerPerson, Cue: "said", Start: 3, End: 9},
		{Article: "a2", Text: "we're agreed all of us", InTitle: true},
	}}
	for i := range rec.Seen {
		rec.Seen[i].Norm = quoteKey(rec.Seen[i].Text)
	}
	stored, err := compressStored(rec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeRecord(stored)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, rec)
	}
	if got.Seen[0].Norm != "were agreed all of us" || got.Seen[0].Norm != got.Seen[1].Norm {
		t.Errorf("norms %q, %q", got.Seen[0].Norm, got.Seen[1].Norm)
	}
	if _, err := decodeRecord("not deflate"); err == nil {
		t.Error("a damaged record was read")
	}
}
