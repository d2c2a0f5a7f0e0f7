package fts5

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
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
		Date: date("1987-02-26"), Tags: []string{"cocoa"}, Author: "Ann Reporter", Source: "reuters",
		Entities: []corpus.Entity{{Type: "LOC", Name: "Bahia"}, {Type: "ORG", Name: "Comissaria Smith"}}},
	{ID: "a2", Title: "Oil output", Body: "Saudi Arabia said oil output would fall. Cocoa was not mentioned, only oil prices.",
		Date: date("1987-03-02"), Tags: []string{"crude", "ship"}, Source: "reuters",
		Entities: []corpus.Entity{{Type: "LOC", Name: "Saudi Arabia"}, {Type: "PER", Name: "Hisham Nazer"}}},
	{ID: "a3", Title: "Buildings in London", Body: "He was not a poor man when he became president. Buildings cost money.",
		Date: date("1988-03-05"), Tags: []string{"Ilham Aliyev"}, Source: "wire",
		Entities: []corpus.Entity{{Type: "PER", Name: "Ilham Aliyev"}, {Type: "LOC", Name: "London"}, {Type: "MISC", Name: "Azerbaijani"},
			{Type: "ORG", Name: "General Motors"}}},
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

// open is a real index in a temporary directory holding sample, used
// through the search.Engine interface.
func open(t *testing.T) search.Engine {
	t.Helper()
	needFTS5(t)
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.WriteBatch(context.Background(), slices.Clone(sample)); err != nil {
		t.Fatal(err)
	}
	return db
}

func parse(t *testing.T, q string) query.Node {
	t.Helper()
	n, err := query.Parse(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func ids(r *search.Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchRanksFiltersAndSorts(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	cases := []struct {
		q    string
		req  search.Request
		want []string // in order
	}{
		{"cocoa", search.Request{}, []string{"a1", "a4", "a2"}},                                   // title and body first, then the shorter body
		{"building", search.Request{}, []string{"a3"}},                                            // Porter: building = buildings
		{"oil cocoa", search.Request{}, []string{"a2", "a4"}},                                     // AND
		{`"not a poor man"`, search.Request{}, []string{"a3"}},                                    // phrase
		{`“poor not”`, search.Request{}, []string{}},                                              // curly quotes make a phrase; order matters
		{"cocoa", search.Request{Filters: map[string][]string{"tag": {"COCOA"}}}, []string{"a1"}}, // case-insensitive filter
		{"", search.Request{Filters: map[string][]string{"place": {"london"}}}, []string{"a3"}},
		{"", search.Request{Filters: map[string][]string{"person": {"azerbaijani"}}}, []string{}}, // MISC is not a facet
		{"", search.Request{Filters: map[string][]string{"source": {"Reuters"}}}, []string{"a2", "a1"}},
		{"", search.Request{Filters: map[string][]string{"tags": {"ship"}}}, []string{"a2"}}, // an alias
		{"", search.Request{Filters: map[string][]string{"author": {"ann  reporter"}}}, []string{"a1"}},
		{"", search.Request{Filters: map[string][]string{"org": {"General Motors Corp"}}}, []string{"a3"}}, // without its legal form
		{"", search.Request{Sort: search.ByDateDesc}, []string{"a3", "a2", "a1", "a4"}},                    // undated last
		{"", search.Request{}, []string{"a3", "a2", "a1", "a4"}},                                           // no text: newest first
		{"oil", search.Request{From: *date("1987-03-01"), To: *date("1987-04-01")}, []string{"a2"}},        // [From, To)
		{"cocoa", search.Request{Sort: search.ByDate}, []string{"a4", "a1", "a2"}},                         // undated first ascending
	}
	for _, c := range cases {
		c.req.Query = parse(t, c.q)
		res, err := e.Search(ctx, c.req)
		if err != nil {
			t.Fatalf("%q %+v: %v", c.q, c.req, err)
		}
		if got := ids(res); !slices.Equal(got, c.want) || res.Total != uint64(len(c.want)) {
			t.Errorf("%q %+v: got %v (total %d), want %v", c.q, c.req, got, res.Total, c.want)
		}
	}
	res, _ := e.Search(ctx, search.Request{Query: parse(t, "cocoa")})
	if res.Hits[0].Score <= res.Hits[1].Score || res.Hits[1].Score <= 0 {
		t.Errorf("scores not positive and descending: %+v", res.Hits)
	}
	if _, err := e.Search(ctx, search.Request{Filters: map[string][]string{"colour": {"red"}}}); !isBad(err, "") {
		t.Errorf("unknown filter: %v", err)
	}
}

func val(v string, n int) search.FacetValue { return search.FacetValue{Value: v, Count: n} }

func isBad(err error, code string) bool {
	var bad *search.BadRequestError
	return errors.As(err, &bad) && bad.Code == code
}

// The parts of Folio's query language FTS5 can express give Folio's
// answers; the others are refused as unsupported.
func TestQuerySyntax(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	for q, want := range map[string][]string{
		"cocoa OR buildings":        {"a3", "a1", "a4", "a2"},
		"cocoa -oil":                {"a1"},
		"-cocoa":                    {"a3"},
		"oil -(bahia OR undated)":   {"a2"},
		"(oil OR london) -saudi":    {"a3", "a4"},
		"cocoa -tag:cocoa":          {"a4", "a2"},
		"coc*":                      {"a1", "a4", "a2"},
		"title:cocoa":               {"a1"},
		"body:output":               {"a2"},
		"title:oil OR title:london": {"a2", "a3"},
		"cocoa tag:crude":           {"a2"},
		"cocoa date:1987-02":        {"a1"},
		"cocoa -date:1987":          {"a4"},
		`"oil output" prices`:       {"a2"},
		`NEAR(cocoa oil)`:           {}, // FTS5 syntax typed is text: the word "near" too
		`{title body}:cocoa`:        {}, // the word "title" and body:cocoa
		`'; DROP TABLE meta; x`:     {},
	} {
		res, err := e.Search(ctx, search.Request{Query: parse(t, q)})
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if got := ids(res); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
	for _, q := range []string{"aliev~1", `"poor man"~2`, "cocoa OR tag:crude", "oil OR -cocoa", "cocoa OR date:1987"} {
		if _, err := e.Search(ctx, search.Request{Query: parse(t, q)}); !isBad(err, "unsupported") {
			t.Errorf("%s: want an unsupported BadRequestError, got %v", q, err)
		}
	}
	if n, _ := e.Count(ctx); n != uint64(len(sample)) {
		t.Errorf("count %d after hostile queries", n)
	}
}

func TestFacetsFromTheTable(t *testing.T) {
	e := open(t)
	res, err := e.Search(context.Background(), search.Request{Query: parse(t, "cocoa")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]search.FacetValue{
		"tag":    {val("cocoa", 1), val("crude", 1), val("ship", 1)},
		"person": {val("Hisham Nazer", 1)},
		"org":    {val("Comissaria Smith", 1)},
		"place":  {val("Bahia", 1), val("Saudi Arabia", 1)},
		"author": {val("Ann Reporter", 1)},
		"source": {val("reuters", 2)},
		"date":   {val("1987-02", 1), val("1987-03", 1)}, // one year: by month
	}
	if len(res.Facets) != len(facet.Names) {
		t.Errorf("facets %v, want every one of %v", res.Facets, facet.Names)
	}
	for k, v := range want {
		if !slices.Equal(res.Facets[k], v) {
			t.Errorf("facet %s = %v, want %v", k, res.Facets[k], v)
		}
	}
	if res.Total != 3 {
		t.Errorf("total %d", res.Total)
	}
	res, _ = e.Search(context.Background(), search.Request{Query: parse(t, "oil"), From: *date("1987-03-01"), To: *date("1987-04-01"), Facets: []string{"date"}})
	if !slices.Equal(res.Facets["date"], []search.FacetValue{val("1987-03-02", 1)}) || len(res.Facets) != 1 {
		t.Errorf("one month should give days, and only the facet asked for: %v", res.Facets)
	}
	res, _ = e.Search(context.Background(), search.Request{FacetSize: 1, Facets: []string{"source"}})
	if !slices.Equal(res.Facets["source"], []search.FacetValue{val("reuters", 2)}) || res.Total != 4 {
		t.Errorf("facet size 1: %v, total %d", res.Facets, res.Total)
	}
	res, _ = e.Search(context.Background(), search.Request{Query: parse(t, "oil"), Facets: []string{}})
	if len(res.Facets) != 0 || res.Total != 2 {
		t.Errorf("no facets asked: %v, total %d", res.Facets, res.Total)
	}
}

func TestHitsCarryValuesAndFragments(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	if err := e.WriteBatch(ctx, []corpus.Article{{ID: "x", Title: "<b>Cocoa</b> & co", Body: "Prices of <cocoa>\n\n rose   & fell in the cocoa zone."}}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(ctx, search.Request{Query: parse(t, "cocoa zone"), Fragments: 3, WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	var x *search.Hit
	for i := range res.Hits {
		if res.Hits[i].ID == "x" {
			x = &res.Hits[i]
		}
	}
	if x == nil {
		t.Fatalf("x not found: %v", ids(res))
	}
	if got := x.Title.Mark("[", "]"); got != "<b>[Cocoa]</b> & co" {
		t.Errorf("title %q", got)
	}
	if len(x.Fragments) != 1 || x.Fragments[0].Mark("[", "]") != "Prices of <[cocoa]> rose & fell in the [cocoa] [zone]." {
		t.Errorf("fragments %+v", x.Fragments)
	}
	if x.Body == "" || !strings.HasPrefix(x.Body, "Prices of <cocoa>\n") {
		t.Errorf("body %q", x.Body)
	}
	res, _ = e.Search(ctx, search.Request{Query: parse(t, `"cocoa zone"`), Fragments: 1})
	for _, h := range res.Hits {
		if f := h.Fragments[0]; !strings.Contains(f.Mark("[", "]"), "[cocoa zone]") {
			t.Errorf("%s: the phrase is not one span: %q", h.ID, f.Mark("[", "]"))
		}
	}
	res, _ = e.Search(ctx, search.Request{Query: parse(t, "title:london"), Fragments: 1})
	if h := res.Hits[0]; h.ID != "a3" || !slices.Equal(h.Values["person"], []string{"Ilham Aliyev"}) || !slices.Equal(h.Values["org"], []string{"General Motors"}) ||
		!slices.Equal(h.Values["source"], []string{"wire"}) || h.Values["author"] != nil || h.Date.Year() != 1988 ||
		len(h.Fragments) != 1 || h.Fragments[0].Spans != nil || !strings.HasPrefix(h.Fragments[0].Text, "He was not a poor man") {
		t.Errorf("hit without a body match: %+v", h)
	}
	res, _ = e.Search(ctx, search.Request{Filters: map[string][]string{"tag": {"crude"}}, Fragments: 1})
	if h := res.Hits[0]; h.Title.Text != "Oil output" || h.Title.Spans != nil || len(h.Fragments) != 1 || h.Fragments[0].Text == "" || h.Body != "" {
		t.Errorf("hit without text query: %+v", h)
	}
	res, _ = e.Search(ctx, search.Request{Query: parse(t, "oil")})
	if len(res.Hits[0].Fragments) != 0 {
		t.Errorf("fragments not asked for: %+v", res.Hits[0].Fragments)
	}
}

func TestFragmentMarks(t *testing.T) {
	for in, want := range map[string]string{
		"a \x02b\x03  c\n\nd":     "a [b] c d",
		"  \x02x y\x03 ":          "[x y]",
		"stray \x03 and \x02 end": "stray and end", // an open mark never closed marks nothing
		"\x02\x03empty":           "empty",
	} {
		f := fragment(in, true)
		if got := f.Mark("[", "]"); got != want {
			t.Errorf("fragment(%q) = %q, want %q", in, got, want)
		}
		for _, s := range f.Spans {
			if s.Start < 0 || s.End > len(f.Text) || s.Start >= s.End {
				t.Errorf("fragment(%q): span %+v out of %q", in, s, f.Text)
			}
		}
	}
	if got := fragment("Title  with \x02two\x03", false).Mark("[", "]"); got != "Title  with [two]" {
		t.Errorf("title kept as written: %q", got)
	}
}

func TestPagesWithoutGapsOrRepeats(t *testing.T) {
	needFTS5(t)
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var batch []corpus.Article
	for i := range 23 {
		batch = append(batch, corpus.Article{ID: strings.Repeat("p", i+1), Title: "same", Body: "same words", Date: date("2001-01-01")})
	}
	if err := db.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{search.ByRelevance, search.ByDate, search.ByDateDesc} {
		seen := map[string]bool{}
		after := ""
		for page := 0; ; page++ {
			res, err := db.Search(ctx, search.Request{Query: parse(t, "same"), Sort: sort, Size: 5, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Errorf("%s: %s repeated", sort, h.ID)
				}
				seen[h.ID] = true
			}
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		if len(seen) != 23 {
			t.Errorf("%s: %d of 23 seen", sort, len(seen))
		}
		p3, err := db.Search(ctx, search.Request{Query: parse(t, "same"), Sort: sort, Size: 5, Page: 3})
		if err != nil {
			t.Fatal(err)
		}
		c3 := &search.Result{}
		for range 3 {
			if c3, err = db.Search(ctx, search.Request{Query: parse(t, "same"), Sort: sort, Size: 5, After: c3.Next}); err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(ids(p3), ids(c3)) || len(p3.Hits) != 5 {
			t.Errorf("%s: page 3 %v, third page by cursor %v", sort, ids(p3), ids(c3))
		}
	}
	for _, bad := range []string{"x", "o-1", "10", "o"} {
		if _, err := db.Search(ctx, search.Request{After: bad}); !isBad(err, "") {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
}

func TestUpsertDeleteAndArticle(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	a := sample[0]
	a.Body, a.Tags, a.Entities = "Now about coffee.", []string{"coffee"}, nil
	if err := e.WriteBatch(ctx, []corpus.Article{a}); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.Count(ctx); n != uint64(len(sample)) {
		t.Errorf("count %d after upsert, want %d", n, len(sample))
	}
	for q, want := range map[string]uint64{"coffee": 1, "bahia": 0} {
		if res, _ := e.Search(ctx, search.Request{Query: parse(t, q)}); res.Total != want {
			t.Errorf("%s: total %d, want %d", q, res.Total, want)
		}
	}
	if res, _ := e.Search(ctx, search.Request{Filters: map[string][]string{"tag": {"cocoa"}}}); res.Total != 0 {
		t.Errorf("old tag still found: %v", ids(res))
	}
	got, err := e.Article(ctx, "a3")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != sample[2].Title || got.Body != sample[2].Body || !got.Date.Equal(*sample[2].Date) || len(got.Entities) != 4 || got.Source != "wire" {
		t.Errorf("article %+v", got)
	}
	if err := e.Delete(ctx, "a3"); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx, "a3"); err != nil {
		t.Errorf("deleting an absent article: %v", err)
	}
	if _, err := e.Article(ctx, "a3"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleted article: %v", err)
	}
	for _, req := range []search.Request{{Query: parse(t, "buildings")}, {Filters: map[string][]string{"place": {"London"}}}} {
		if res, _ := e.Search(ctx, req); res.Total != 0 {
			t.Errorf("deleted article found: %v", ids(res))
		}
	}
	if n, _ := e.Count(ctx); n != uint64(len(sample)-1) {
		t.Errorf("count %d after delete", n)
	}
	// The last article's rowid is taken again by the next: nothing of the
	// deleted one may come with it.
	if err := e.WriteBatch(ctx, []corpus.Article{{ID: "x", Title: "t", Body: "b", Tags: []string{"gone"}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteBatch(ctx, []corpus.Article{{ID: "y", Title: "t", Body: "b"}}); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.Search(ctx, search.Request{Filters: map[string][]string{"tag": {"gone"}}}); res.Total != 0 {
		t.Errorf("a deleted article's tag is found: %v", ids(res))
	}
}

// The engine is an ingest.Writer: the ingest step feeds it in batches.
func TestIngestRun(t *testing.T) {
	needFTS5(t)
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seq := func(yield func(corpus.Article, error) bool) {
		for i := range 25 {
			if !yield(corpus.Article{ID: strings.Repeat("z", i+1), Title: "t", Body: "body text"}, nil) {
				return
			}
		}
		yield(corpus.Article{}, &corpus.RecordError{File: "f", Line: 26, Reason: "bad"})
	}
	ctx := context.Background()
	stats, err := ingest.Run(ctx, seq, db, ingest.Options{
		Size: 10, Enrich: func(a *corpus.Article) { a.Tags = []string{"seen"} }, OnError: func(error) {},
	})
	if err == nil {
		err = db.FinishIngest(ctx, true)
	}
	if err != nil {
		t.Fatal(err)
	}
	if stats.Indexed != 25 || stats.Rejected != 1 || stats.Bytes != 25*10 {
		t.Errorf("stats %+v", stats)
	}
	if res, _ := db.Search(ctx, search.Request{Filters: map[string][]string{"tag": {"seen"}}}); res.Total != 25 {
		t.Errorf("enriched %d", res.Total)
	}
}

// Articles come back whole, whether their stored form is short JSON or,
// with many entities, deflated.
func TestArticleRoundTrip(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	long := corpus.Article{ID: "long", Title: "Many names", Body: "A long list.", Date: date("2001-02-03"), Dateline: "PARIS",
		Author: "A. Writer", URL: "https://example.com/x", Tags: []string{"list"}}
	for i := range 60 {
		long.Entities = append(long.Entities, corpus.Entity{Type: "PER", Name: "Person " + strings.Repeat("x", i%7) + string(rune('A'+i%26)),
			Mentions: []corpus.Mention{{Start: i, End: i + 3}}})
	}
	if err := e.WriteBatch(ctx, []corpus.Article{long}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []corpus.Article{sample[1], long} {
		got, err := e.Article(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("article %s:\n got %+v\nwant %+v", want.ID, *got, want)
		}
	}
	if st, _ := stored(long); st[0] != 'z' {
		t.Errorf("a long stored article is not deflated: %.20q", st)
	}
}

// TestSearchDoesNotWaitOnAWrite holds the write lock, as a long batch
// does, and searches: a search's read transaction must not queue behind
// it (it once took the write lock itself and, under load, timed out).
func TestSearchDoesNotWaitOnAWrite(t *testing.T) {
	needFTS5(t)
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	if err := d.WriteBatch(ctx, sample); err != nil {
		t.Fatal(err)
	}
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE id = 'a1'`); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	res, err := d.Search(sctx, search.Request{Query: parse(t, "cocoa"), Size: 10})
	if err != nil {
		t.Fatalf("search while a write holds the lock: %v", err)
	}
	if res.Total != 3 {
		t.Errorf("search while a write holds the lock: %d hits, want the 3 committed", res.Total)
	}
}
