package server_test

import (
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/search"
)

// syntaxCorpus is a small newsroom archive in which each row of the query
// language has articles that must and must not match.
const syntaxCorpus = `{"id": "quake", "date": "2023-02-06", "title": "Earthquake strikes Turkey", "body": "A powerful earthquake struck southern Turkey at dawn. Rescuers searched collapsed buildings.", "tags": ["Turkey", "Disaster"]}
{"id": "flood", "date": "2024-03-15", "title": "Floods in Baku", "body": "Heavy rain flooded the streets of Baku. The corruption inquiry into drainage contracts continues.", "tags": ["Azerbaijan"]}
{"id": "plane", "date": "2024-12-25", "title": "Plane crash near Aktau", "body": "The airliner was shot down over the Caspian, officials said, before it crashed near Aktau.", "tags": ["Azerbaijan", "Aviation"]}
{"id": "trial", "date": "2024-06-15", "title": "Corrupt officials on trial", "body": "Prosecutors said the officials were corrupted by bribes. President Aliyev did not comment.", "tags": ["Azerbaijan", "Corruption"]}
{"id": "summit", "date": "2024-11-12", "title": "COP29 summit opens", "body": "Delegates gathered in Baku for the climate summit. Aliyev called oil a gift of God.", "tags": ["COP29", "Azerbaijan"]}
{"id": "old", "date": "1999-07-01", "title": "Pipeline signed", "body": "An oil pipeline deal was signed in Baku, linking the Caspian to Turkey.", "tags": ["Energy"]}
{"id": "undated", "title": "Editorial on the plane", "body": "An editorial: who shot the plane down? Nobody answers.", "tags": ["Opinion"]}
`

func syntaxServer(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "syntax.jsonl")
	if err := os.WriteFile(path, []byte(syntaxCorpus), 0o644); err != nil {
		t.Fatal(err)
	}
	return foliotest.NewServer(t, path).URL
}

func ids(res searchResult) string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestQuerySyntaxRows runs one or more cases per row of the README's query
// table against a real index over HTTP.
func TestQuerySyntaxRows(t *testing.T) {
	base := syntaxServer(t)
	cases := []struct {
		row, q, want string
	}{
		{"AND", "baku oil", "old summit"},
		{"AND, stemmed", "crashes", "plane"},
		{"phrase", `"shot down over the caspian"`, "plane"},
		{"phrase, curly quotes", "“gift of god”", "summit"},
		{"phrase, unstemmed", `"corrupt officials"`, "trial"},
		{"phrase, no stemming", `"corrupts officials"`, ""},
		{"phrase slop", `"shot plane"~3`, "undated"},
		{"phrase slop 1", `"shot plane"~1`, "undated"},
		{"phrase slop, order free", `"down shot"~2`, "plane"},
		{"phrase slop too small", `"down shot"~1`, ""},
		{"phrase without slop", `"shot plane"`, ""},
		{"date beyond the index", "date:<1000", ""},
		{"date beyond the index, after", "date:>=2300", ""},
		{"OR", "earthquake OR pipeline", "old quake"},
		{"OR with pipe", "earthquake | pipeline", "old quake"},
		{"OR binds tighter than AND", "baku earthquake OR pipeline", "old"},
		{"parentheses", "(earthquake OR flooded) turkey", "quake"},
		{"exclusion", "baku -oil", "flood"},
		{"phrase exclusion", `plane -"shot down over"`, "undated"},
		{"tag filter", "tag:COP29", "summit"},
		{"tag filter, any case, quoted", `tag:"cop29"`, "summit"},
		{"tag exclusion", "baku -tag:Energy", "flood summit"},
		{"title field", "title:plane", "plane undated"},
		{"title field phrase", `title:"plane crash"`, "plane"},
		{"body field", "body:earthquake", "quake"},
		{"date year", "date:2024", "flood plane summit trial"},
		{"date month", "date:2024-12", "plane"},
		{"date range", "date:2024-03..2024-06-15", "flood trial"},
		{"date open range", "date:..2000", "old"},
		{"date >=", "date:>=2024-11", "plane summit"},
		{"date <", "date:<2024", "old quake"},
		{"prefix", "corrupt*", "flood trial"},
		{"fuzzy", "aliev~1", "summit trial"},
		{"everything", "", "flood old plane quake summit trial undated"},
	}
	for _, c := range cases {
		var res searchResult
		get(t, base, searchPath(c.q, "size", "100"), 200, &res)
		if got := ids(res); got != c.want {
			t.Errorf("%s: %q matched [%s], want [%s]", c.row, c.q, got, c.want)
		}
	}
}

func TestFiltersParametersCombine(t *testing.T) {
	base := syntaxServer(t)
	cases := []struct {
		params []string
		want   string
	}{
		{[]string{"tag", "Azerbaijan"}, "flood plane summit trial"},
		{[]string{"tag", "Azerbaijan", "tag", "Aviation"}, "plane"},
		{[]string{"tag", "azerbaijan", "from", "2024-06", "to", "2024-11"}, "summit trial"},
		{[]string{"from", "2024-12-25", "to", "2024-12-25"}, "plane"},
		{[]string{"q", "baku", "tag", "Energy"}, "old"},
	}
	for _, c := range cases {
		v := url.Values{}
		for i := 0; i < len(c.params); i += 2 {
			v.Add(c.params[i], c.params[i+1])
		}
		var res searchResult
		get(t, base, "/api/search?"+v.Encode(), 200, &res)
		if got := ids(res); got != c.want {
			t.Errorf("%v: [%s], want [%s]", c.params, got, c.want)
		}
	}
}

func TestSortAndDateHistogram(t *testing.T) {
	base := syntaxServer(t)
	var res searchResult
	get(t, base, "/api/search?sort=-date&size=100", 200, &res)
	var order []string
	for _, h := range res.Hits {
		order = append(order, h.ID)
	}
	// Newest first; the undated article last.
	if strings.Join(order, " ") != "plane summit trial flood quake old undated" {
		t.Errorf("-date order: %v", order)
	}
	// Oldest first: an article of no known date counts as the oldest.
	get(t, base, "/api/search?sort=date&size=100", 200, &res)
	if len(res.Hits) < 2 || res.Hits[0].ID != "undated" || res.Hits[1].ID != "old" {
		t.Errorf("date order: %v", res.Hits)
	}
	// 1999–2024 spans many years: buckets are years, in order, with exact counts.
	if got := facetString(res.Facets["date"]); got != "1999:1 2023:1 2024:4" {
		t.Errorf("yearly histogram %s", got)
	}
	get(t, base, searchPath("date:2024"), 200, &res)
	if got := facetString(res.Facets["date"]); got != "2024-03:1 2024-06:1 2024-11:1 2024-12:1" {
		t.Errorf("monthly histogram %s", got)
	}
	get(t, base, searchPath("date:2024-12"), 200, &res)
	if got := facetString(res.Facets["date"]); got != "2024-12-25:1" {
		t.Errorf("daily histogram %s", got)
	}
	// facet_size bounds term facets.
	get(t, base, "/api/search?facet_size=1", 200, &res)
	if f := res.Facets["tag"]; len(f) != 1 || f[0].Value != "Azerbaijan" || f[0].Count != 4 {
		t.Errorf("tag facet with facet_size=1: %+v", f)
	}
}

func facetString(f []search.FacetValue) string {
	var parts []string
	for _, v := range f {
		parts = append(parts, fmt.Sprintf("%s:%d", v.Value, v.Count))
	}
	return strings.Join(parts, " ")
}

// hostileQueries are the fuzzer's committed findings and seeds, random
// strings over the language's special characters (quotes of every kind,
// brackets, operators, control characters, invalid UTF-8), and a few
// pathological shapes.
func hostileQueries() []string {
	var out []string
	files, _ := filepath.Glob("../query/testdata/fuzz/FuzzParse/*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// Go fuzz corpus files hold: go test fuzz v1 / string("…")
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "string(") {
				if q, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "string("), ")")); err == nil {
					out = append(out, q)
				}
			}
		}
	}
	pieces := []string{`"`, "“", "”", "„", "«", "»", "'", "’", "(", ")", "-", "--", ":", "~", "~9", "*", "|", "OR", "NOT", "AND",
		"tag:", "date:", "date:2024..", "date:>=", "title:", "person:", "\x00", "\x01", "\t", "\n", "\xff", "\xc3", "é", "—",
		"aliyev", "baku", " ", " ", " ", "..", "\u00a0", "<script>", "%", "&", "\\", "~1", "2024-13", "date:abc"}
	rng := rand.New(rand.NewSource(1))
	for len(out) < 1100 {
		var b strings.Builder
		for n := 1 + rng.Intn(12); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		out = append(out, b.String())
	}
	out = append(out,
		strings.Repeat("(", 5000)+"a"+strings.Repeat(")", 5000),
		strings.Repeat("-", 900),
		strings.Repeat(`"`, 999),
		strings.Repeat("a OR ", 199)+"a",
		strings.Repeat("x~2 ", 200),
		strings.Repeat("a* ", 300),
	)
	return out
}

func TestHostileQueriesNever500(t *testing.T) {
	base := syntaxServer(t)
	client := &http.Client{Timeout: 10 * time.Second}
	queries := hostileQueries()
	for _, q := range queries {
		resp, err := client.Get(base + "/api/search?" + url.Values{"q": {q}}.Encode())
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 && resp.StatusCode != 400 {
			// Only results or a 400 that says what is wrong.
			t.Errorf("query %q: status %d", q, resp.StatusCode)
		}
	}
	if len(queries) < 1000 {
		t.Fatalf("only %d hostile queries", len(queries))
	}
	// A megabyte of query text is refused before it is parsed.
	resp, err := client.Get(base + "/api/search?" + url.Values{"q": {strings.Repeat("word ", 200000)}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("1 MB query: status %d", resp.StatusCode)
	}
}

func TestFacetsAndSnippetsParameters(t *testing.T) {
	base := syntaxServer(t)
	var res searchResult
	get(t, base, searchPath("baku", "facets", "tag,date", "snippets", "1"), 200, &res)
	if len(res.Facets) != 2 || len(res.Facets["tag"]) == 0 || len(res.Facets["date"]) == 0 {
		t.Errorf("facets=tag,date gave %v", res.Facets)
	}
	for _, h := range res.Hits {
		if len(h.Snippets) != 1 {
			t.Errorf("snippets=1 gave %d for %s", len(h.Snippets), h.ID)
		}
	}
	var none searchResult
	get(t, base, searchPath("baku", "facets", "none", "snippets", "0"), 200, &none)
	if len(none.Facets) != 0 || none.Total != res.Total || len(none.Hits[0].Snippets) != 0 {
		t.Errorf("facets=none, snippets=0: facets %v, total %d, snippets %v", none.Facets, none.Total, none.Hits[0].Snippets)
	}
	var e errorBody
	get(t, base, searchPath("baku", "facets", "colour"), 400, &e)
	get(t, base, searchPath("baku", "snippets", "11"), 400, &e)
}
