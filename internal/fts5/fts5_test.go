package fts5

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
)

func date(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}

var sample = []corpus.Article{
	{ID: "a1", Title: "Cocoa prices rise", Body: "Showers continued in the Bahia cocoa zone. Farmers sold cocoa.",
		Date: date("1987-02-26"), Tags: []string{"cocoa"},
		Entities: []corpus.Entity{{Type: "LOC", Name: "Bahia"}, {Type: "ORG", Name: "Comissaria Smith"}}},
	{ID: "a2", Title: "Oil output", Body: "Saudi Arabia said oil output would fall. Cocoa was not mentioned, only oil prices.",
		Date: date("1987-03-02"), Tags: []string{"crude", "ship"},
		Entities: []corpus.Entity{{Type: "LOC", Name: "Saudi Arabia"}, {Type: "PER", Name: "Hisham Nazer"}}},
	{ID: "a3", Title: "Buildings in London", Body: "He was not a poor man when he became president. Buildings cost money.",
		Date: date("1988-03-05"), Tags: []string{"Ilham Aliyev"},
		Entities: []corpus.Entity{{Type: "PER", Name: "Ilham Aliyev"}, {Type: "LOC", Name: "London"}, {Type: "MISC", Name: "Azerbaijani"}}},
	{ID: "a4", Title: "No date", Body: "An undated note about cocoa and oil."},
}

// needFTS5 skips a test in a build whose SQLite lacks FTS5 (no
// -tags sqlite_fts5, or no cgo); CI builds with the tag.
func needFTS5(t testing.TB) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
}

func open(t *testing.T) *DB {
	t.Helper()
	needFTS5(t)
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Put(context.Background(), sample...); err != nil {
		t.Fatal(err)
	}
	return db
}

func ids(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchRanksFiltersAndCounts(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	cases := []struct {
		q    Query
		want []string // in order
	}{
		{Query{Text: "cocoa"}, []string{"a1", "a4", "a2"}},                                     // title and body first, then the shorter body
		{Query{Text: "building"}, []string{"a3"}},                                              // Porter: building = buildings
		{Query{Text: "oil cocoa"}, []string{"a2", "a4"}},                                       // AND
		{Query{Text: `"not a poor man"`}, []string{"a3"}},                                      // phrase
		{Query{Text: `“poor not”`}, nil},                                                       // curly quotes make a phrase; order matters
		{Query{Text: "cocoa", Filters: map[string][]string{"tag": {"COCOA"}}}, []string{"a1"}}, // case-insensitive filter
		{Query{Filters: map[string][]string{"place": {"london"}}}, []string{"a3"}},
		{Query{Filters: map[string][]string{"person": {"azerbaijani"}}}, nil},                    // MISC is not a facet
		{Query{Sort: "-date"}, []string{"a3", "a2", "a1", "a4"}},                                 // no text: newest first, undated last
		{Query{Text: "oil", From: *date("1987-03-01"), To: *date("1987-04-01")}, []string{"a2"}}, // [From, To)
		{Query{Text: "cocoa", Sort: "date"}, []string{"a4", "a1", "a2"}},                         // NULL dates sort first ascending
	}
	for _, c := range cases {
		res, err := db.Search(ctx, c.q)
		if err != nil {
			t.Fatalf("%+v: %v", c.q, err)
		}
		if got := ids(res); !slices.Equal(got, c.want) || res.Total != len(c.want) {
			t.Errorf("%+v: got %v (total %d), want %v", c.q, got, res.Total, c.want)
		}
	}
	res, _ := db.Search(ctx, Query{Text: "cocoa"})
	if res.Hits[0].Score <= res.Hits[1].Score || res.Hits[1].Score <= 0 {
		t.Errorf("scores not positive and descending: %+v", res.Hits)
	}
}

func TestUpsertReplaces(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	a := sample[0]
	a.Body, a.Tags, a.Entities = "Now about coffee.", []string{"coffee"}, nil
	if err := db.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Count(ctx); n != len(sample) {
		t.Errorf("count %d after upsert, want %d", n, len(sample))
	}
	for q, want := range map[string]int{"coffee": 1, "bahia": 0} {
		if res, _ := db.Search(ctx, Query{Text: q}); res.Total != want {
			t.Errorf("%s: total %d, want %d", q, res.Total, want)
		}
	}
	if res, _ := db.Search(ctx, Query{Filters: map[string][]string{"tag": {"cocoa"}}}); res.Total != 0 {
		t.Errorf("old tag still found: %v", ids(res))
	}
}

func TestFacets(t *testing.T) {
	db := open(t)
	f, err := db.Facets(context.Background(), Query{Text: "cocoa OR oil"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	// "cocoa OR oil" is three AND-ed words (OR is text): no article has "or".
	if f["total"][0].Count != 0 {
		t.Errorf("OR was read as an operator: %+v", f)
	}
	f, err = db.Facets(context.Background(), Query{Text: "cocoa"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]FacetValue{
		"total":  {{"", 3}},
		"tag":    {{"cocoa", 1}, {"crude", 1}, {"ship", 1}},
		"person": {{"Hisham Nazer", 1}},
		"org":    {{"Comissaria Smith", 1}},
		"place":  {{"Bahia", 1}, {"Saudi Arabia", 1}},
		"date":   {{"1987-02", 1}, {"1987-03", 1}}, // one year: by month
	}
	for k, v := range want {
		if !slices.Equal(f[k], v) {
			t.Errorf("facet %s = %v, want %v", k, f[k], v)
		}
	}
	f, _ = db.Facets(context.Background(), Query{Text: "oil", From: *date("1987-03-01"), To: *date("1987-04-01")}, 10)
	if !slices.Equal(f["date"], []FacetValue{{"1987-03-02", 1}}) {
		t.Errorf("one month should give days: %v", f["date"])
	}
}

func TestSnippetsAreEscapedAndMarked(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	if err := db.Put(ctx, corpus.Article{ID: "x", Title: "<b>Cocoa</b> & co", Body: "Prices of <cocoa> rose & fell."}); err != nil {
		t.Fatal(err)
	}
	s, err := db.Snippets(ctx, Query{Text: "cocoa"}, []string{"x", "a3"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 1 {
		t.Fatalf("snippets for non-matching article: %v", s)
	}
	if got := s["x"]; got.TitleHTML != "&lt;b&gt;<mark>Cocoa</mark>&lt;/b&gt; &amp; co" || !strings.Contains(got.Body, "&lt;<mark>cocoa</mark>&gt;") {
		t.Errorf("snippet %+v", got)
	}
}

func TestDocs(t *testing.T) {
	db := open(t)
	docs, err := db.Docs(context.Background(), []string{"a3", "missing", "a1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "a3" || docs[1].ID != "a1" {
		t.Fatalf("docs %+v", docs)
	}
	if !slices.Equal(docs[0].Person, []string{"Ilham Aliyev"}) || !slices.Equal(docs[0].Place, []string{"London"}) || docs[0].Date.Year() != 1988 {
		t.Errorf("doc %+v", docs[0])
	}
}

func TestIngestBatchesAndEnriches(t *testing.T) {
	needFTS5(t)
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seq := func(yield func(corpus.Article, error) bool) {
		for i := range 25 {
			a := corpus.Article{ID: strings.Repeat("z", i+1), Title: "t", Body: "body text"}
			if !yield(a, nil) {
				return
			}
		}
		yield(corpus.Article{}, &corpus.RecordError{File: "f", Line: 26, Reason: "bad"})
	}
	batches := 0
	stats, err := db.Ingest(context.Background(), seq, IngestOptions{
		BatchSize: 10,
		Enrich:    func(a *corpus.Article) { a.Tags = []string{"seen"} },
		OnBatch:   func(IngestStats) { batches++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Indexed != 25 || stats.Rejected != 1 || batches != 3 || stats.Bytes != 25*10 {
		t.Errorf("stats %+v, %d batches", stats, batches)
	}
	if res, _ := db.Search(context.Background(), Query{Filters: map[string][]string{"tag": {"seen"}}}); res.Total != 25 {
		t.Errorf("enriched %d", res.Total)
	}
}

func TestMatchExpr(t *testing.T) {
	for in, want := range map[string]string{
		"cocoa prices":            `"cocoa" AND "prices"`,
		`"not a poor man" aliyev`: `"not a poor man" AND "aliyev"`,
		"„not a  poor man“":       `"not a poor man"`,
		`a" OR "b`:                `"a" AND "OR" AND "b"`,
		"title:x NEAR(a b) -c d*": `"title:x" AND "NEAR(a" AND "b)" AND "-c" AND "d*"`,
		"   ":                     "",
		`"" * - ^ :`:              "",
		"nul\x00byte":             `"nul byte"`,
		`"unclosed phrase`:        `"unclosed phrase"`,
		"bad\xffutf8":             `"bad" AND "utf8"`,
	} {
		if got := MatchExpr(in); got != want {
			t.Errorf("MatchExpr(%q) = %s, want %s", in, got, want)
		}
	}
}

// Hostile input never becomes FTS5 syntax: SQLite accepts every
// expression, and operators in the input are searched as text.
func TestHostileQueriesAreText(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for _, q := range []string{
		`cocoa OR oil`, `cocoa NOT oil`, `NEAR(cocoa oil)`, `title:cocoa`, `{title body}:cocoa`,
		`cocoa*`, `^cocoa`, `(cocoa`, `cocoa)`, `"cocoa" + "oil"`, `'; DROP TABLE meta; --`,
		`"""`, "\x00", `cocoa"oil`, `\"cocoa\"`,
	} {
		if _, err := db.Search(ctx, Query{Text: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
		if _, err := db.Facets(ctx, Query{Text: q}, 5); err != nil {
			t.Errorf("facets %q: %v", q, err)
		}
	}
	// NOT is a word here: "cocoa NOT oil" needs all three words.
	if res, _ := db.Search(ctx, Query{Text: "cocoa NOT oil"}); res.Total != 1 || res.Hits[0].ID != "a2" {
		t.Errorf("cocoa NOT oil: %v", ids(res))
	}
	if n, _ := db.Count(ctx); n != len(sample) {
		t.Errorf("count %d", n)
	}
}
