package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/server"
)

func init() {
	// The page and its files are text; JSON Lines are checked line by line
	// against the schema of one line.
	for _, mime := range []string{"text/html", "text/css", "text/javascript", "image/svg+xml",
		"application/atom+xml", "application/graphml+xml"} {
		openapi3filter.RegisterBodyDecoder(mime, openapi3filter.PlainBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", ndjsonDecoder)
}

// ndjsonDecoder checks every line of a JSON Lines body against the
// schema of one line, and hands the last line on to be checked again.
func ndjsonDecoder(body io.Reader, _ http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 16<<20)
	var last any
	for n := 1; sc.Scan(); n++ {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		last = v
	}
	if last == nil {
		return nil, fmt.Errorf("no lines")
	}
	return last, sc.Err()
}

// apiCall is one request of the description's test and the status it
// must get.
type apiCall struct {
	method, path string
	token        string // admin or metrics bearer token
	ctype, body  string
	status       int
}

// TestOpenAPIDescribesEveryRoute checks the description served at
// /openapi.json: it is valid OpenAPI 3.1, every route the server registers
// has its path and method in it, and the real answers of every route
// (statuses, headers, bodies and error bodies) match it.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	cfg := config.Default()
	cfg.Server.AdminToken = "admin-secret"
	cfg.Server.AdminMaxFailures = 3
	cfg.Server.MaxBodyBytes = 4 << 10
	cfg.Server.MetricsAllow = []string{"192.0.2.1"} // not the test's loopback
	cfg.Server.MetricsToken = "metrics-secret"
	ix := foliotest.NewIndex(t, "bundled")
	// The sample has no quotes the extractor finds: add one, with its lineage.
	if err := ix.Put(
		quoteArticle("q1", "2023-05-01", "Mara Quill said: ", "“", "The harbour will stay open", "”", " on Monday.", "Mara Quill", "said", "ports"),
		quoteArticle("q2", "2023-05-02", "The mayor repeated: ", "«", "The harbour will stay open", "»", "", "Mara Quill", "said", "ports"),
	); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ix, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetEnrich(foliotest.Enrich(t))
	rules, err := curate.Open(filepath.Join(t.TempDir(), "entities.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetCuration(rules)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	resp, err := http.Get(ts.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ctx := context.Background()
	page, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(html), `href="/openapi.json"`) {
		t.Error("the page's footer does not link /openapi.json")
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json is version %s", doc.OpenAPI)
	}
	doc.Servers = openapi3.Servers{{URL: ts.URL}}
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	// Every registered route is described (a HEAD by its GET).
	routes := map[string]bool{} // "GET /api/articles/{id}"
	for _, r := range srv.Routes() {
		path := specPath(r.Path)
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		routes[method+" "+path] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s %s is not in openapi.json (as %s %s)", r.Method, r.Path, method, path)
		}
	}
	// And nothing is described that the server does not answer.
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !routes[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which the server does not answer", method, path)
			}
		}
	}
	// The facet filters described are the facet table's.
	for _, f := range facet.All {
		if doc.Components.Parameters["filter_"+f.Name] == nil {
			t.Errorf("facet %s has no filter parameter in openapi.json", f.Name)
		}
	}

	var res searchResult
	get(t, ts.URL, searchPath(`"not a poor man"`), 200, &res)
	id := res.Hits[0].ID
	var quotes quotesResult
	get(t, ts.URL, "/api/quotes?q=harbour", 200, &quotes)
	if len(quotes.Hits) == 0 {
		t.Fatal("no quote to check")
	}
	upload := `{"id":"oa-1","title":"Coffee prices rise","body":"Coffee prices rose in Brazil.","date":"2024-03-01T00:00:00Z","tags":["coffee"]}` + "\n" +
		"not json\n"
	big := strings.Repeat(`{"title":"Filler","body":"`+strings.Repeat("x", 500)+`"}`+"\n", 20)
	calls := []apiCall{
		{method: "GET", path: searchPath(`"not a poor man"`), status: 200},
		{method: "GET", path: searchPath("aliyev", "sort", "-date", "size", "2", "facets", "tag,date", "tag", "Ilham Aliyev"), status: 200},
		{method: "GET", path: searchPath("zzzzqqq"), status: 200},
		{method: "GET", path: searchPath("aliyev", "facets", "none", "snippets", "0"), status: 200},
		{method: "HEAD", path: searchPath("aliyev"), status: 200},
		{method: "GET", path: searchPath(`"unterminated`), status: 400},
		{method: "GET", path: searchPath("aliyev", "size", "1000"), status: 400},
		{method: "GET", path: searchPath("aliyev", "after", "garbage"), status: 400},
		{method: "GET", path: searchPath(strings.Repeat("x", 1001)), status: 400},
		{method: "GET", path: "/api/search?q=%zz", status: 400},
		{method: "GET", path: "/api/quotes?q=harbour", status: 200},
		{method: "GET", path: "/api/quotes?q=harbour&speaker=Mara+Quill&size=1", status: 200},
		{method: "GET", path: "/api/quotes?q=&facets=speaker,date&sort=-date", status: 200},
		{method: "GET", path: "/api/quotes?q=(poor", status: 400},
		{method: "GET", path: "/api/export?format=csv&q=aliyev", status: 200},
		{method: "GET", path: "/api/export?format=jsonl&q=aliyev", status: 200},
		{method: "HEAD", path: "/api/export?format=jsonl&q=aliyev", status: 200},
		{method: "GET", path: "/api/export?format=xml&q=aliyev", status: 400},
		{method: "GET", path: "/api/entities/related?type=person&name=Ilham+Aliev&min_count=1&slice=year", status: 200},
		{method: "GET", path: "/api/entities/related?type=person&name=Ilham+Aliyev&min_count=1&format=csv", status: 200},
		{method: "GET", path: "/api/entities/related?type=person&name=Ilham+Aliyev&min_count=1&format=graphml", status: 200},
		{method: "HEAD", path: "/api/entities/related?type=person&name=Ilham+Aliyev", status: 200},
		{method: "GET", path: "/api/entities/related?type=person&name=Nobody+Atall", status: 404},
		{method: "GET", path: "/api/entities/related?type=tag&name=x", status: 400},
		{method: "GET", path: "/api/facets", status: 200},
		{method: "GET", path: suggestPath("aliy"), status: 200},
		{method: "GET", path: suggestPath("", "size", "3"), status: 200},
		{method: "HEAD", path: suggestPath("aliy"), status: 200},
		{method: "GET", path: suggestPath(strings.Repeat("x", 101)), status: 400},
		{method: "GET", path: suggestPath("aliy", "size", "21"), status: 400},
		{method: "GET", path: "/api/feed.atom?q=aliyev", status: 200},
		{method: "GET", path: "/api/feed.atom?q=zzzzqqq&sort=relevance&page=2&snippets=0", status: 200},
		{method: "HEAD", path: "/api/feed.atom?person=Ilham+Aliyev", status: 200},
		{method: "GET", path: "/api/feed.atom?q=%22unterminated", status: 400},
		{method: "GET", path: "/api/quotes/feed.atom?speaker=Mara+Quill", status: 200},
		{method: "HEAD", path: "/api/quotes/feed.atom?q=harbour", status: 200},
		{method: "GET", path: "/api/quotes/feed.atom?q=(poor", status: 400},
		{method: "GET", path: "/widget.js", status: 200},
		{method: "HEAD", path: "/widget.js", status: 200},
		{method: "GET", path: "/api/articles/" + id, status: 200},
		{method: "GET", path: "/api/articles/q1", status: 200},
		{method: "GET", path: "/api/articles/no-such-article", status: 404},
		{method: "GET", path: "/healthz", status: 200},
		{method: "GET", path: "/metrics", status: 404},
		{method: "GET", path: "/metrics", token: "metrics-secret", status: 200},
		{method: "GET", path: "/openapi.json", status: 200},
		{method: "GET", path: "/", status: 200},
		{method: "GET", path: "/articles/" + id, status: 200},
		{method: "GET", path: "/static/app.js", status: 200},
		{method: "GET", path: "/static/style.css", status: 200},
		{method: "GET", path: "/static/no-such-file.js", status: 404},
		{method: "GET", path: "/api/sources", token: "admin-secret", status: 200},
		{method: "POST", path: "/api/ingest", token: "admin-secret", ctype: "application/x-ndjson", body: upload, status: 200},
		{method: "POST", path: "/api/ingest", token: "admin-secret", ctype: "text/plain", body: upload, status: 415},
		{method: "POST", path: "/api/ingest", token: "admin-secret", ctype: "application/x-ndjson", body: big, status: 413},
		{method: "GET", path: "/api/entities/rules/audit", token: "admin-secret", status: 200},
		{method: "POST", path: "/api/entities/rules", token: "admin-secret", ctype: "application/json",
			body: `{"split": "Baku", "type": "LOC", "when": [{"word": "airline", "type": "ORG"}]}`, status: 201},
		{method: "POST", path: "/api/entities/rules", token: "admin-secret", ctype: "application/json", body: `{"retype": "Baku"}`, status: 400},
		{method: "POST", path: "/api/entities/rules", token: "admin-secret", ctype: "text/plain", body: `{"hide": "x"}`, status: 415},
		{method: "POST", path: "/api/entities/rules", token: "admin-secret", ctype: "application/json", body: `{"hide": "` + strings.Repeat("x", 5000) + `"}`, status: 413},
		{method: "GET", path: "/api/entities/rules/audit", token: "admin-secret", status: 200},
		{method: "DELETE", path: "/api/articles/oa-1", token: "admin-secret", status: 204},
		{method: "DELETE", path: "/api/articles/oa-1", token: "admin-secret", status: 404},
		// Wrong tokens last: after three, the address is refused a minute.
		{method: "GET", path: "/api/sources", status: 401},
		{method: "POST", path: "/api/ingest", token: "wrong", ctype: "application/x-ndjson", body: upload, status: 401},
		{method: "DELETE", path: "/api/articles/" + id, token: "wrong", status: 401},
		{method: "DELETE", path: "/api/articles/" + id, token: "admin-secret", status: 429},
	}
	exercised := map[string]bool{}
	for _, c := range calls {
		exercised[checkCall(t, ctx, router, ts.URL, c)] = true
	}
	for r := range routes {
		if !exercised[r] {
			t.Errorf("no real answer of %s is checked against openapi.json", r)
		}
	}
}

// checkCall makes a call and checks its answer against the description;
// it returns the route described, as "METHOD /path".
func checkCall(t *testing.T, ctx context.Context, router routers.Router, base string, c apiCall) string {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	name := c.method + " " + c.path
	if resp.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d: %.300s", name, resp.StatusCode, c.status, got)
	}

	// A HEAD is checked as its GET, without a body.
	described, _ := http.NewRequest(c.method, base+c.path, nil)
	if c.method == http.MethodHead {
		described.Method = http.MethodGet
	}
	described.Header = req.Header
	route, params, err := router.FindRoute(described)
	if err != nil {
		t.Errorf("%s: not in openapi.json: %v", name, err)
		return ""
	}
	in := &openapi3filter.RequestValidationInput{Request: described, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if resp.StatusCode < 400 && c.body == "" {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%s: the request does not match openapi.json: %v", name, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(got)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: c.method == http.MethodHead},
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s: the answer (%d) does not match openapi.json: %v\n%.300s", name, resp.StatusCode, err, got)
	}
	return route.Method + " " + route.Path
}

// specPath turns an Echo route path into an OpenAPI one:
// /api/articles/:id → /api/articles/{id}, /static/* → /static/{file}.
func specPath(p string) string {
	p = regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(p, "{$1}")
	if strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "*") + "{file}"
	}
	return p
}
