package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/search"
)

type searchResult struct {
	Query  string
	Total  int
	Hits   []apiHit
	Facets map[string][]search.FacetValue
	Next   *string
}

// apiHit is a hit of GET /api/search as DESIGN.md describes it.
type apiHit struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	TitleHTML string     `json:"title_html"`
	URL       string     `json:"url"`
	Date      *time.Time `json:"date"`
	Tags      []string   `json:"tags"`
	Person    []string   `json:"person"`
	Org       []string   `json:"org"`
	Place     []string   `json:"place"`
	Author    string     `json:"author"`
	Source    string     `json:"source"`
	Score     float64    `json:"score"`
	Snippets  []string   `json:"snippets"`
}

type errorBody struct {
	Error struct {
		Code     string
		Message  string
		Position *int
	}
}

// get fetches path from the server and decodes the JSON answer into out,
// failing the test unless the status is want.
func get(t *testing.T, base, path string, want int, out any) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if ct := resp.Header.Get("Content-Type"); out != nil && !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
}

func searchPath(q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Add(extra[i], extra[i+1])
	}
	return "/api/search?" + v.Encode()
}

func TestSearchSampleOverHTTP(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")

	var res searchResult
	get(t, ts.URL, searchPath(`"not a poor man"`), 200, &res)
	if res.Total != 1 || !strings.Contains(res.Hits[0].Title, "Buildings in London") {
		t.Fatalf("phrase search: total %d, hits %+v", res.Total, res.Hits)
	}
	if s := strings.Join(res.Hits[0].Snippets, " "); !strings.Contains(s, "<mark>not a poor man</mark>") {
		t.Errorf("snippets lack the phrase in one mark: %q", s)
	}
	// Curly quotes in the query work as well as straight ones.
	var curly searchResult
	get(t, ts.URL, searchPath("“not a poor man”"), 200, &curly)
	if curly.Total != 1 || curly.Hits[0].ID != res.Hits[0].ID {
		t.Errorf("curly-quoted phrase: %+v", curly)
	}

	var tagged searchResult
	get(t, ts.URL, searchPath("aliyev", "tag", "Ilham Aliyev", "size", "2"), 200, &tagged)
	if tagged.Total != 6 || len(tagged.Hits) != 2 || tagged.Next == nil {
		t.Errorf("tag filter: total %d, %d hits, next %v", tagged.Total, len(tagged.Hits), tagged.Next)
	}
	var none searchResult
	get(t, ts.URL, searchPath("aliyev", "tag", "No Such Tag"), 200, &none)
	if none.Total != 0 || none.Hits == nil {
		t.Errorf("unknown tag: total %d, hits %v (want 0 and [])", none.Total, none.Hits)
	}

	var excluded searchResult
	get(t, ts.URL, searchPath("aliyev -london"), 200, &excluded)
	var all searchResult
	get(t, ts.URL, searchPath("aliyev"), 200, &all)
	var london searchResult
	get(t, ts.URL, searchPath("aliyev london"), 200, &london)
	if london.Total == 0 || excluded.Total != all.Total-london.Total {
		t.Errorf("exclusion: aliyev %d, aliyev london %d, aliyev -london %d", all.Total, london.Total, excluded.Total)
	}

	// Everything, newest first, when the query is empty.
	var empty searchResult
	get(t, ts.URL, "/api/search", 200, &empty)
	if empty.Total != 6 {
		t.Errorf("empty query: total %d, want 6", empty.Total)
	}
}

// Pseudo-relevance feedback names its words in expansion; expand=false
// turns it off, and either way the same articles match.
func TestExpansionOverHTTP(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	type answer struct {
		Total     int      `json:"total"`
		Expansion []string `json:"expansion"`
		Hits      []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	var on, off, byDate answer
	get(t, ts.URL, searchPath("aliyev", "size", "50"), 200, &on)
	get(t, ts.URL, searchPath("aliyev", "size", "50", "expand", "false"), 200, &off)
	get(t, ts.URL, searchPath("aliyev", "sort", "date"), 200, &byDate)
	if len(on.Expansion) == 0 || slices.Contains(on.Expansion, "aliyev") {
		t.Errorf("expansion %v: want words of the best matches other than the query's", on.Expansion)
	}
	if off.Expansion == nil || len(off.Expansion) != 0 || byDate.Expansion == nil || len(byDate.Expansion) != 0 {
		t.Errorf("expansion with expand=false %v, by date %v: want []", off.Expansion, byDate.Expansion)
	}
	ids := func(a answer) []string {
		var out []string
		for _, h := range a.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	if on.Total == 0 || on.Total != off.Total || !slices.Equal(ids(on), ids(off)) {
		t.Errorf("matches with feedback %d %v, without %d %v", on.Total, ids(on), off.Total, ids(off))
	}
	// search.expand: false turns it off where a request does not say.
	cfg := config.Default()
	cfg.Search.Expand = false
	quiet := foliotest.Serve(t, foliotest.NewIndex(t, "bundled"), cfg)
	var unsaid, asked answer
	get(t, quiet.URL, searchPath("aliyev"), 200, &unsaid)
	get(t, quiet.URL, searchPath("aliyev", "expand", "true"), 200, &asked)
	if len(unsaid.Expansion) != 0 || len(asked.Expansion) == 0 {
		t.Errorf("search.expand false: expansion %v by default, %v with expand=true", unsaid.Expansion, asked.Expansion)
	}
}

func TestBadRequestsGet400(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	cases := []struct {
		path, code string
		position   bool
	}{
		{searchPath(`"unterminated phrase`), "bad_query", true},
		{searchPath(`(aliyev`), "bad_query", true},
		{searchPath(`tag:`), "bad_query", true},
		{searchPath(strings.Repeat("x", 1001)), "query_too_long", true},
		{searchPath("aliyev", "size", "1000"), "bad_parameter", false},
		{searchPath("aliyev", "size", "ten"), "bad_parameter", false},
		{searchPath("aliyev", "page", "0"), "bad_parameter", false},
		{searchPath("aliyev", "sort", "popularity"), "bad_parameter", false},
		{searchPath("aliyev", "from", "last week"), "bad_parameter", false},
		{searchPath("aliyev", "from", "2024", "to", "2023"), "bad_parameter", false},
		{searchPath("aliyev", "after", "garbage"), "bad_request", false},
		{searchPath("a", "after", "garbage"), "bad_request", false},
		{searchPath("", "after", "garbage"), "bad_request", false},
		{searchPath("aliyev", "sort", "-date", "after", "garbage"), "bad_request", false},
		{"/api/quotes?q=poor&after=garbage", "bad_request", false},
		{"/api/quotes?q=poor&sort=date&after=garbage", "bad_request", false},
		{searchPath("aliyev", "tag", ""), "bad_parameter", false},
		{searchPath("aliyev", "expand", "no"), "bad_parameter", false},
	}
	for _, c := range cases {
		var e errorBody
		get(t, ts.URL, c.path, 400, &e)
		if e.Error.Code != c.code || e.Error.Message == "" || (e.Error.Position != nil) != c.position {
			t.Errorf("%s: error %+v, want code %s, position %v", c.path, e.Error, c.code, c.position)
		}
	}
}

func TestArticleHealthAndPage(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var res searchResult
	get(t, ts.URL, searchPath(`"not a poor man"`), 200, &res)
	var a corpus.Article
	get(t, ts.URL, "/api/articles/"+res.Hits[0].ID, 200, &a)
	if a.Title != res.Hits[0].Title || !strings.Contains(a.Body, "not a poor man") || len(a.Tags) != 1 {
		t.Errorf("article: %+v", a)
	}
	var e errorBody
	get(t, ts.URL, "/api/articles/nope", 404, &e)
	if e.Error.Code != "not_found" {
		t.Errorf("missing article: %+v", e)
	}
	var h struct {
		Status   string
		Articles int
	}
	get(t, ts.URL, "/healthz", 200, &h)
	if h.Status != "ok" || h.Articles != 6 {
		t.Errorf("healthz: %+v", h)
	}
	for _, p := range []string{"/", "/articles/" + a.ID, "/static/app.js", "/static/style.css"} {
		resp, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s: %d, CSP %q", p, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// TestReutersFacetsAndReingest checks ingest of all of Reuters-21578: tag
// and month counts in the API equal counts taken from the file directly,
// and a second ingest of the file leaves the total unchanged.
func TestReutersFacetsAndReingest(t *testing.T) {
	const path = "../../../shared/corpora/reuters21578/reuters21578.jsonl"
	if _, err := os.Stat(path); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	if testing.Short() {
		t.Skip("ingests 21,577 articles")
	}
	wantTags, wantMonths, lines := countReuters(t, path)

	ix := foliotest.NewIndex(t, path)
	ts := foliotest.Serve(t, ix, config.Default())

	var res searchResult
	get(t, ts.URL, "/api/search?facet_size=200", 200, &res)
	if res.Total != lines {
		t.Fatalf("total %d, want %d", res.Total, lines)
	}
	gotTags := map[string]int{}
	for _, f := range res.Facets["tag"] {
		gotTags[f.Value] = f.Count
	}
	if len(gotTags) != len(wantTags) {
		t.Errorf("%d tags in facet, %d in file", len(gotTags), len(wantTags))
	}
	for tag, n := range wantTags {
		if gotTags[tag] != n {
			t.Errorf("tag %s: facet %d, file %d", tag, gotTags[tag], n)
		}
	}
	gotMonths := map[string]int{}
	for _, f := range res.Facets["date"] {
		gotMonths[f.Value] = f.Count
	}
	if fmt.Sprint(gotMonths) != fmt.Sprint(wantMonths) {
		t.Errorf("date facet %v, file %v", gotMonths, wantMonths)
	}

	// Cursor paging through every hit of a broad query returns each id
	// exactly once, by relevance (many tied scores) and by date.
	for _, sortBy := range []string{"relevance", "date", "-date"} {
		seen := map[string]bool{}
		var first searchResult
		get(t, ts.URL, searchPath("oil OR trade", "size", "100", "sort", sortBy), 200, &first)
		page := first
		for pages := 0; ; pages++ {
			for _, h := range page.Hits {
				if seen[h.ID] {
					t.Fatalf("sort %s: %s returned twice", sortBy, h.ID)
				}
				seen[h.ID] = true
			}
			if page.Next == nil || pages > 1000 {
				break
			}
			page = searchResult{}
			get(t, ts.URL, searchPath("oil OR trade", "size", "100", "sort", sortBy, "after", *first.Next), 200, &page)
			first.Next = page.Next
		}
		if len(seen) != first.Total || first.Total < 1000 {
			t.Errorf("sort %s: paged through %d ids, total %d", sortBy, len(seen), first.Total)
		}
	}

	stats, err := ix.Ingest(context.Background(), corpus.ReadFile(path), index.IngestOptions{})
	if err != nil || stats.Indexed != lines {
		t.Fatalf("second ingest: %v, %+v", err, stats)
	}
	get(t, ts.URL, "/api/search?size=1", 200, &res)
	if res.Total != lines {
		t.Errorf("total after second ingest %d, want %d", res.Total, lines)
	}
}

// countReuters counts tags and months straight from the JSON file.
func countReuters(t *testing.T, path string) (tags, months map[string]int, lines int) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tags, months = map[string]int{}, map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rec struct {
			Date *string
			Tags []string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		lines++
		seen := map[string]bool{}
		for _, tag := range rec.Tags {
			if !seen[tag] {
				tags[tag]++
				seen[tag] = true
			}
		}
		if rec.Date != nil {
			months[(*rec.Date)[:7]]++
		}
	}
	return tags, months, lines
}

// TestBrokenLineIsReportedAndSkipped: one malformed record in the middle of
// a file is reported with its line, and every other record is searchable.
func TestBrokenLineIsReportedAndSkipped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "news.jsonl")
	var b strings.Builder
	for i := 1; i <= 9; i++ {
		if i == 5 {
			b.WriteString(`{"id": "n5", "title": "Broken", "body": "no closing brace"` + "\n")
			continue
		}
		fmt.Fprintf(&b, `{"id": "n%d", "date": "2024-0%d-01", "title": "Story %d", "body": "The harbour story number %d."}`+"\n", i, i, i, i)
	}
	os.WriteFile(path, []byte(b.String()), 0o644)

	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var errs []string
	stats, err := ix.Ingest(context.Background(), corpus.ReadFile(path), index.IngestOptions{
		OnError: func(err error) { errs = append(errs, err.Error()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Indexed != 8 || stats.Rejected != 1 || len(errs) != 1 || !strings.HasPrefix(errs[0], path+":5: invalid JSON") {
		t.Fatalf("stats %+v, errors %q", stats, errs)
	}
	ts := foliotest.Serve(t, ix, config.Default())
	var res searchResult
	get(t, ts.URL, searchPath("harbour"), 200, &res)
	if res.Total != 8 {
		t.Errorf("searchable records: %d, want 8", res.Total)
	}
}

// TestExportMatchesSearch streams a search as CSV and as JSON Lines and
// checks the rows against the API's hits.
func TestExportMatchesSearch(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var res searchResult
	get(t, ts.URL, searchPath("aliyev", "size", "100", "sort", "-date"), 200, &res)

	resp, err := http.Get(ts.URL + "/api/export?" + url.Values{"q": {"aliyev"}, "sort": {"-date"}, "format": {"csv"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %v, status %d, type %q", err, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(rows) != res.Total+1 || rows[0][0] != "id" {
		t.Fatalf("csv has %d rows for %d hits", len(rows), res.Total)
	}
	col := columnsOf(t, rows[0])
	for i, h := range res.Hits {
		r := rows[i+1]
		if r[col["id"]] != h.ID || r[col["title"]] != h.Title || !strings.Contains(r[col["body"]], "Aliyev") ||
			r[col["person"]] != strings.Join(h.Person, "; ") || r[col["source"]] != h.Source {
			t.Errorf("csv row %d = %q…, hit %s %q", i+1, r[:3], h.ID, h.Title)
		}
	}

	resp, err = http.Get(ts.URL + "/api/export?" + url.Values{"q": {"aliyev"}, "sort": {"-date"}, "format": {"jsonl"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != res.Total {
		t.Fatalf("jsonl has %d lines for %d hits", len(lines), res.Total)
	}
	for i, line := range lines {
		var rec struct{ ID, Title, Body string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.ID != res.Hits[i].ID || rec.Body == "" {
			t.Errorf("jsonl line %d: %v %+v", i, err, rec.ID)
		}
	}
	var e errorBody
	get(t, ts.URL, "/api/export?q=aliyev&format=xml", 400, &e)
	get(t, ts.URL, "/api/export?q=%22open&format=csv", 400, &e)
	if e.Error.Code != "bad_query" {
		t.Errorf("bad query in export: %+v", e)
	}
}

// columnsOf maps an export's CSV header to column numbers, failing the
// test unless it names the article's fields and every facet of the table.
func columnsOf(t *testing.T, header []string) map[string]int {
	t.Helper()
	col := map[string]int{}
	for i, name := range header {
		col[name] = i
	}
	want := []string{"id", "date", "title", "url", "score", "body"}
	for _, f := range facet.All {
		want = append(want, f.Column)
	}
	for _, name := range want {
		if _, ok := col[name]; !ok {
			t.Fatalf("CSV header %q lacks %q", header, name)
		}
	}
	return col
}

// TestEmptyFacetsAreEmptyLists: a facet with no value among the matches
// is [], like an empty date histogram, never null (the bundled articles
// have no author).
func TestEmptyFacetsAreEmptyLists(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var res struct {
		Total  int
		Facets map[string]json.RawMessage
	}
	get(t, ts.URL, searchPath("aliyev"), 200, &res)
	if res.Total == 0 {
		t.Fatal("no hits")
	}
	for _, name := range facet.Names {
		if v, ok := res.Facets[name]; !ok || string(v) == "null" {
			t.Errorf("facet %s = %s, want a list", name, v)
		}
	}
	if string(res.Facets["author"]) != "[]" {
		t.Errorf("author facet = %s, want []", res.Facets["author"])
	}
}

// TestExportHoldsOnlyMatches: a query of two words that matches few
// articles is followed, in the search, by articles holding one of them;
// the export lists only the matches.
func TestExportHoldsOnlyMatches(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	var res searchResult
	get(t, ts.URL, searchPath("aliyev baku", "size", "100"), 200, &res)
	if len(res.Hits) <= res.Total {
		t.Fatalf("%d hits for %d matches: the search added none, so the test proves nothing", len(res.Hits), res.Total)
	}
	resp, err := http.Get(ts.URL + "/api/export?" + url.Values{"q": {"aliyev baku"}, "format": {"jsonl"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != res.Total || resp.Header.Get("X-Total-Count") != fmt.Sprint(res.Total) {
		t.Fatalf("export of %d lines (X-Total-Count %s) for %d matches", len(lines), resp.Header.Get("X-Total-Count"), res.Total)
	}
	for i, line := range lines {
		var rec struct{ ID string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.ID != res.Hits[i].ID {
			t.Errorf("line %d: %v %q, want %s", i, err, rec.ID, res.Hits[i].ID)
		}
	}
}
