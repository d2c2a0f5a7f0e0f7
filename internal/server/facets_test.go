package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/foliotest"
)

// newsroomRec is one record of the newsroom fixture as the file holds it.
type newsroomRec struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Author string   `json:"author,omitempty"`
	Source string   `json:"source,omitempty"`
	Date   string   `json:"date"`
	Tags   []string `json:"tags"`
	Body   string   `json:"body"`
}

// newsroom writes a small archive with authors and sources (some articles
// have no author, two no source) as newsroom.jsonl and returns its path.
func newsroom(t *testing.T) string {
	t.Helper()
	authors := []string{"Anna Berg", "Ben Cole", "Anna Berg", "", "Chloé Dumas", "Ben Cole", "Anna Berg", "", "Chloé Dumas", "Anna Berg", "Ben Cole", ""}
	sources := []string{"harbour-gazette", "coast-weekly", "harbour-gazette", "Radio Nord", "", "coast-weekly", "harbour-gazette", "harbour-gazette", "Radio Nord", "coast-weekly", "", "harbour-gazette"}
	var b strings.Builder
	for i := range authors {
		tags := []string{"Shipping"}
		if i%3 == 0 {
			tags = append(tags, "Weather")
		}
		line, _ := json.Marshal(newsroomRec{
			ID: fmt.Sprintf("nr-%02d", i+1), Title: fmt.Sprintf("Harbour report %d", i+1),
			Author: authors[i], Source: sources[i], Date: fmt.Sprintf("2024-%02d-10", i%4+1), Tags: tags,
			Body: fmt.Sprintf("The harbour report number %d covers ships, cranes and the weather.", i+1),
		})
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "newsroom.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readNewsroom reads the records back from the file, as the tests' truth.
// A record without a source gets the file's name, as the readers give it.
func readNewsroom(t *testing.T, path string) map[string]newsroomRec {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := map[string]newsroomRec{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r newsroomRec
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.Source == "" {
			r.Source = strings.TrimSuffix(filepath.Base(path), ".jsonl")
		}
		recs[r.ID] = r
	}
	return recs
}

// idsWhere lists the ids of the records that keep holds, sorted and joined
// as ids does.
func idsWhere(recs map[string]newsroomRec, keep func(newsroomRec) bool) string {
	var out []string
	for id, r := range recs {
		if keep(r) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestAuthorAndSourceFacetsCountTheFile: the author and source facets
// count what the input file holds, and hits carry both as strings, the
// author omitted when the article has none.
func TestAuthorAndSourceFacetsCountTheFile(t *testing.T) {
	path := newsroom(t)
	recs := readNewsroom(t, path)
	ts := foliotest.NewServer(t, path)

	wantAuthors, wantSources := map[string]int{}, map[string]int{}
	for _, r := range recs {
		if r.Author != "" {
			wantAuthors[r.Author]++
		}
		wantSources[r.Source]++
	}
	var res searchResult
	get(t, ts.URL, "/api/search?facet_size=100&size=100", 200, &res)
	if res.Total != len(recs) {
		t.Fatalf("total %d, want %d", res.Total, len(recs))
	}
	for name, want := range map[string]map[string]int{"author": wantAuthors, "source": wantSources} {
		got := map[string]int{}
		for _, v := range res.Facets[name] {
			got[v.Value] = v.Count
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s facet %v, file %v", name, got, want)
		}
	}

	// The hits' JSON, read loosely so the types show.
	resp, err := http.Get(ts.URL + "/api/search?size=100")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ Hits []map[string]any }
	err = json.NewDecoder(resp.Body).Decode(&raw)
	resp.Body.Close()
	if err != nil || len(raw.Hits) != len(recs) {
		t.Fatalf("decoding hits: %v, %d hits", err, len(raw.Hits))
	}
	for _, h := range raw.Hits {
		r := recs[h["id"].(string)]
		if author, ok := h["author"]; r.Author == "" && ok {
			t.Errorf("hit %s has author %#v, want none", r.ID, author)
		} else if r.Author != "" && author != r.Author {
			t.Errorf("hit %s: author %#v, want the string %q", r.ID, author, r.Author)
		}
		if h["source"] != r.Source {
			t.Errorf("hit %s: source %#v, want the string %q", r.ID, h["source"], r.Source)
		}
	}
}

// TestAuthorAndSourceFilters: author= and source= parameters and author:
// and source: in q select the articles the file says, alone and combined
// with other filters.
func TestAuthorAndSourceFilters(t *testing.T) {
	path := newsroom(t)
	recs := readNewsroom(t, path)
	base := foliotest.NewServer(t, path).URL
	weather := func(r newsroomRec) bool { return slices.Contains(r.Tags, "Weather") }
	cases := []struct {
		params []string
		keep   func(newsroomRec) bool
	}{
		{[]string{"author", "Anna Berg"}, func(r newsroomRec) bool { return r.Author == "Anna Berg" }},
		{[]string{"author", "Chloé Dumas"}, func(r newsroomRec) bool { return r.Author == "Chloé Dumas" }},
		{[]string{"source", "coast-weekly"}, func(r newsroomRec) bool { return r.Source == "coast-weekly" }},
		{[]string{"source", "newsroom"}, func(r newsroomRec) bool { return r.Source == "newsroom" }},
		{[]string{"author", "Anna Berg", "source", "harbour-gazette"}, func(r newsroomRec) bool {
			return r.Author == "Anna Berg" && r.Source == "harbour-gazette"
		}},
		{[]string{"author", "Anna Berg", "tag", "Weather"}, func(r newsroomRec) bool { return r.Author == "Anna Berg" && weather(r) }},
		{[]string{"source", "harbour-gazette", "from", "2024-02", "to", "2024-03"}, func(r newsroomRec) bool {
			return r.Source == "harbour-gazette" && r.Date >= "2024-02" && r.Date < "2024-04"
		}},
		{[]string{"q", `author:"Anna Berg"`}, func(r newsroomRec) bool { return r.Author == "Anna Berg" }},
		{[]string{"q", `author:"ben cole" cranes`}, func(r newsroomRec) bool { return r.Author == "Ben Cole" }},
		{[]string{"q", "source:coast-weekly", "author", "Anna Berg"}, func(r newsroomRec) bool {
			return r.Source == "coast-weekly" && r.Author == "Anna Berg"
		}},
		{[]string{"q", `harbour -source:harbour-gazette`, "tag", "Weather"}, func(r newsroomRec) bool {
			return r.Source != "harbour-gazette" && weather(r)
		}},
		{[]string{"q", `source:"Radio Nord" OR author:"Chloé Dumas"`}, func(r newsroomRec) bool {
			return r.Source == "Radio Nord" || r.Author == "Chloé Dumas"
		}},
		{[]string{"author", "Nobody"}, func(newsroomRec) bool { return false }},
	}
	for _, c := range cases {
		v := url.Values{"size": {"100"}}
		for i := 0; i < len(c.params); i += 2 {
			v.Add(c.params[i], c.params[i+1])
		}
		want := idsWhere(recs, c.keep)
		if want == "" && c.params[1] != "Nobody" {
			t.Fatalf("%v: the fixture has no article for this case", c.params)
		}
		var res searchResult
		get(t, base, "/api/search?"+v.Encode(), 200, &res)
		if got := ids(res); got != want {
			t.Errorf("%v: [%s], want [%s]", c.params, got, want)
		}
	}
}

// TestExportCarriesAuthorAndSource: the CSV has the documented columns in
// order with each article's author and source, and JSON Lines carries
// both.
func TestExportCarriesAuthorAndSource(t *testing.T) {
	path := newsroom(t)
	recs := readNewsroom(t, path)
	base := foliotest.NewServer(t, path).URL

	resp, err := http.Get(base + "/api/export?format=csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(rows) != len(recs)+1 {
		t.Fatalf("csv: %v, status %d, %d rows for %d articles", err, resp.StatusCode, len(rows), len(recs))
	}
	want := "id,date,title,url,tags,person,org,place,author,source,section,score,body"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("CSV header %s, want %s", got, want)
	}
	col := columnsOf(t, rows[0])
	for _, row := range rows[1:] {
		r, ok := recs[row[col["id"]]]
		if !ok || row[col["author"]] != r.Author || row[col["source"]] != r.Source || row[col["tags"]] != strings.Join(r.Tags, "; ") {
			t.Errorf("csv row %q: author %q source %q tags %q, file %+v", row[col["id"]], row[col["author"]], row[col["source"]], row[col["tags"]], r)
		}
	}

	resp, err = http.Get(base + "/api/export?format=jsonl&author=" + url.QueryEscape("Anna Berg"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if n := len(strings.Fields(idsWhere(recs, func(r newsroomRec) bool { return r.Author == "Anna Berg" }))); len(lines) != n {
		t.Fatalf("jsonl has %d lines, the file has %d articles by Anna Berg", len(lines), n)
	}
	for _, line := range lines {
		var got struct{ ID, Author, Source string }
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		if r := recs[got.ID]; got.Author != "Anna Berg" || got.Source != r.Source {
			t.Errorf("jsonl %s: author %q source %q, file %q %q", got.ID, got.Author, got.Source, r.Author, r.Source)
		}
	}
}

// TestFacetsEndpointListsTheTable: GET /api/facets lists every row of the
// facet table, in order, then the date histogram.
func TestFacetsEndpointListsTheTable(t *testing.T) {
	ts := foliotest.NewServer(t, "bundled")
	type row struct {
		Name, Kind, Label, Singular, Entity string
		HitKey                              string `json:"hit_key"`
		Single                              bool
		Prefixes                            []string
	}
	var got struct{ Facets []row }
	get(t, ts.URL, "/api/facets", 200, &got)
	if len(got.Facets) != len(facet.All)+1 {
		t.Fatalf("%d facets listed, the table has %d rows and date", len(got.Facets), len(facet.All))
	}
	for i, f := range facet.All {
		g := got.Facets[i]
		if g.Name != f.Name || g.Kind != "terms" || g.Label != f.Label || g.Singular != f.Singular ||
			g.HitKey != f.HitKey || g.Single != f.Single || g.Entity != f.EntityType || !slices.Contains(g.Prefixes, f.Name+":") {
			t.Errorf("facet %d is %+v, the table's row %+v", i, g, f)
		}
		for _, alias := range f.Aliases {
			if !slices.Contains(g.Prefixes, alias+":") {
				t.Errorf("facet %s lacks the prefix %s:", f.Name, alias)
			}
		}
	}
	for _, name := range []string{"author", "source"} {
		if i := slices.IndexFunc(got.Facets, func(g row) bool { return g.Name == name }); i < 0 || !got.Facets[i].Single {
			t.Errorf("facet %s is not listed as a single-valued facet", name)
		}
	}
	if d := got.Facets[len(got.Facets)-1]; d.Name != facet.Date || d.Kind != "date" {
		t.Errorf("last facet %+v, want the date histogram", d)
	}
}

// TestTitleAndSnippetsAreEscaped: the engine gives plain text; the server
// escapes it and adds only <mark>.
func TestTitleAndSnippetsAreEscaped(t *testing.T) {
	title := `Tom & Jerry's "<b>bold</b>" <script>alert(1)</script> plan`
	bodyText := `The plan quoted <script>alert("x")</script> & <b>bold</b> words, 'single' and "double" quotes.`
	line, _ := json.Marshal(map[string]any{"id": "esc", "title": title, "body": bodyText, "date": "2024-05-01"})
	path := filepath.Join(t.TempDir(), "escape.jsonl")
	if err := os.WriteFile(path, append(line, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := foliotest.NewServer(t, path)
	var res searchResult
	get(t, ts.URL, searchPath("bold"), 200, &res)
	if res.Total != 1 || len(res.Hits[0].Snippets) == 0 {
		t.Fatalf("search: %+v", res)
	}
	h := res.Hits[0]
	if h.Title != title {
		t.Errorf("title %q, want the plain %q", h.Title, title)
	}
	check := func(what, got string, plain string) {
		t.Helper()
		if !strings.Contains(got, "<mark>bold</mark>") {
			t.Errorf("%s %q does not mark bold", what, got)
		}
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
		if strings.ContainsAny(rest, `<>"'`) {
			t.Errorf("%s %q holds markup or quotes besides <mark>", what, got)
		}
		if !strings.Contains(plain, html.UnescapeString(rest)) {
			t.Errorf("%s %q is not the escaped text of %q", what, got, plain)
		}
	}
	check("title_html", h.TitleHTML, title)
	if html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.TitleHTML)) != title {
		t.Errorf("title_html %q is not the whole title", h.TitleHTML)
	}
	for _, s := range h.Snippets {
		check("snippet", s, bodyText)
	}
}
