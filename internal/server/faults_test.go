package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

// The smaller faults of a public server: HEAD, encoded ids, the bearer
// scheme's case, throttled admin failures, CSV formulas, /metrics and
// Cache-Control.

func TestHeadOnEveryGetRoute(t *testing.T) {
	base := serveReal(t, nil)
	var res searchResult
	get(t, base, searchPath("aliyev"), 200, &res)
	for _, path := range []string{
		"/api/search?q=aliyev", "/api/export?format=csv&q=aliyev", "/api/export?format=jsonl",
		"/api/articles/" + res.Hits[0].ID, "/healthz", "/metrics", "/", "/articles/" + res.Hits[0].ID, "/static/app.js",
	} {
		x := send(t, "HEAD", base+path, nil, nil)
		if x.status != 200 || x.body != "" || x.header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: %d, type %q, body %.100q", path, x.status, x.header.Get("Content-Type"), x.body)
		}
	}
	if x := send(t, "HEAD", base+"/api/articles/nope", nil, nil); x.status != 404 || x.body != "" {
		t.Errorf("HEAD of a missing article: %d %q", x.status, x.body)
	}
}

// encodeURIComponent encodes as the page's JavaScript does: everything but
// A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestArticleIDsWithAnyCharacters(t *testing.T) {
	base := serveReal(t, nil)
	ids := []string{"a/b", "50%", "x-y", "with space", "café", "what?", "hash#tag", "a+b", "../up", "日本/記事"}
	var upload strings.Builder
	for i, id := range ids {
		b, _ := json.Marshal(map[string]string{"id": id, "title": fmt.Sprintf("Odd id %d", i), "body": "An article with an odd id."})
		upload.Write(append(b, '\n'))
	}
	auth := map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}
	if x := send(t, "POST", base+"/api/ingest", auth, strings.NewReader(upload.String())); x.status != 200 || !strings.Contains(x.body, fmt.Sprintf(`"indexed":%d`, len(ids))) {
		t.Fatalf("ingest: %d %s", x.status, x.body)
	}
	for _, id := range ids {
		paths := []string{encodeURIComponent(id), url.PathEscape(id)}
		if strings.Contains(id, "-") {
			paths = append(paths, strings.ReplaceAll(encodeURIComponent(id), "-", "%2D"))
		}
		for _, p := range paths {
			var a struct{ ID string }
			get(t, base, "/api/articles/"+p, 200, &a)
			if a.ID != id {
				t.Errorf("GET /api/articles/%s: id %q, want %q", p, a.ID, id)
			}
			if x := send(t, "HEAD", base+"/api/articles/"+p, nil, nil); x.status != 200 {
				t.Errorf("HEAD /api/articles/%s: %d", p, x.status)
			}
		}
	}
	for _, id := range ids {
		p := encodeURIComponent(id)
		if x := send(t, "DELETE", base+"/api/articles/"+p, map[string]string{"Authorization": "Bearer " + hostileToken}, nil); x.status != 204 {
			t.Errorf("DELETE /api/articles/%s: %d %s", p, x.status, x.body)
		}
		if x := send(t, "GET", base+"/api/articles/"+p, nil, nil); x.status != 404 {
			t.Errorf("GET /api/articles/%s after delete: %d", p, x.status)
		}
	}
}

func TestBearerSchemeInAnyCase(t *testing.T) {
	base := serveReal(t, nil)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		// Authorized, the delete of a missing article is a 404.
		if x := send(t, "DELETE", base+"/api/articles/nope", map[string]string{"Authorization": scheme + " " + hostileToken}, nil); x.status != 404 {
			t.Errorf("Authorization: %s <token>: %d, want 404", scheme, x.status)
		}
	}
}

func TestAdminFailuresAreThrottled(t *testing.T) {
	const max = 3
	wrong := map[string]string{"Authorization": "Bearer wrong"}
	right := map[string]string{"Authorization": "Bearer " + hostileToken}
	with := func(h map[string]string, xff string) map[string]string {
		out := map[string]string{"X-Forwarded-For": xff}
		for k, v := range h {
			out[k] = v
		}
		return out
	}

	// Behind a trusted proxy (the test's loopback address), the client is
	// the one X-Forwarded-For names.
	base, logs := serveIndex(t, foliotest.NewIndex(t, "bundled"), func(c *config.Config) {
		c.Server.AdminMaxFailures = max
		c.Server.TrustedProxies = []string{"127.0.0.1"}
	})
	for i := range max {
		if x := send(t, "DELETE", base+"/api/articles/nope", with(wrong, "203.0.113.5"), nil); x.status != 401 {
			t.Errorf("wrong token %d: %d, want 401", i+1, x.status)
		}
	}
	for _, h := range []map[string]string{with(wrong, "203.0.113.5"), with(right, "203.0.113.5")} {
		x := send(t, "DELETE", base+"/api/articles/nope", h, nil)
		if x.status != 429 || !strings.Contains(x.body, `"code":"too_many_requests"`) {
			t.Errorf("after %d wrong tokens: %d %s, want 429", max, x.status, x.body)
		}
		if n, err := strconv.Atoi(x.header.Get("Retry-After")); err != nil || n < 1 || n > 61 {
			t.Errorf("Retry-After %q, want at most a minute", x.header.Get("Retry-After"))
		}
	}
	if x := send(t, "DELETE", base+"/api/articles/nope", with(right, "203.0.113.6"), nil); x.status != 404 {
		t.Errorf("another client behind the proxy: %d, want 404", x.status)
	}
	seen := map[string]bool{}
	for _, l := range logs.lines() {
		if c, ok := l["client"].(string); ok && l["msg"] == "request" {
			seen[c] = true
		}
	}
	if !seen["203.0.113.5"] || !seen["203.0.113.6"] {
		t.Errorf("request logs name clients %v, want 203.0.113.5 and 203.0.113.6", seen)
	}

	// Without trusted proxies X-Forwarded-For is ignored: the address is
	// the connection's, whatever the header says.
	base, logs = serveIndex(t, foliotest.NewIndex(t, "bundled"), func(c *config.Config) { c.Server.AdminMaxFailures = max })
	for i := range max {
		send(t, "DELETE", base+"/api/articles/nope", with(wrong, fmt.Sprintf("198.51.100.%d", i)), nil)
	}
	if x := send(t, "DELETE", base+"/api/articles/nope", with(right, "198.51.100.99"), nil); x.status != 429 {
		t.Errorf("a forged X-Forwarded-For escaped the limit: %d", x.status)
	}
	for _, l := range logs.lines() {
		if l["msg"] == "request" && l["client"] != "127.0.0.1" {
			t.Errorf("client %v logged without a trusted proxy, want 127.0.0.1", l["client"])
		}
	}
}

func TestCSVExportNeutralisesFormulas(t *testing.T) {
	base := serveReal(t, nil)
	titles := []string{"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn", "Plain title"}
	var upload strings.Builder
	for i, title := range titles {
		b, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("f%d", i), "title": title, "body": "=1+2 zzformula", "tags": []string{"-tag"}})
		upload.Write(append(b, '\n'))
	}
	auth := map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}
	if x := send(t, "POST", base+"/api/ingest", auth, strings.NewReader(upload.String())); x.status != 200 {
		t.Fatalf("ingest: %d %s", x.status, x.body)
	}
	x := send(t, "GET", base+"/api/export?format=csv&sort=date&q=zzformula", nil, nil)
	rows, err := csv.NewReader(strings.NewReader(x.body)).ReadAll()
	if err != nil || len(rows) != len(titles)+1 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	col := columnsOf(t, rows[0])
	got := map[string]bool{}
	for _, r := range rows[1:] {
		got[r[col["title"]]] = true
		if body, tags := r[col["body"]], r[col["tags"]]; body != "'=1+2 zzformula" || tags != "'-tag" {
			t.Errorf("body %q, tags %q: want them neutralised", body, tags)
		}
	}
	for _, title := range titles {
		want := title
		if title != "Plain title" {
			want = "'" + title
		}
		if !got[want] {
			t.Errorf("no row with title %q in %v", want, got)
		}
	}
	// JSON Lines is data, not a spreadsheet: as it was.
	x = send(t, "GET", base+"/api/export?format=jsonl&sort=date&q=zzformula", nil, nil)
	if !strings.Contains(x.body, `"title":"=HYPERLINK(\"http://x\")"`) || !strings.Contains(x.body, `"body":"=1+2 zzformula"`) {
		t.Errorf("jsonl changed: %.300s", x.body)
	}
}

func TestMetricsAreLimited(t *testing.T) {
	if x := fetch(t, serveReal(t, nil)+"/metrics", nil); x.status != 200 || !strings.Contains(x.body, "folio_index_articles") {
		t.Errorf("metrics from loopback by default: %d", x.status)
	}
	base := serveReal(t, func(c *config.Config) {
		c.Server.MetricsAllow = []string{"192.0.2.0/24"}
		c.Server.MetricsToken = "metrics-token"
	})
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer " + hostileToken}, {"X-Forwarded-For": "192.0.2.1"}} {
		if x := send(t, "GET", base+"/metrics", h, nil); x.status != 404 || strings.Contains(x.body, "folio_") {
			t.Errorf("metrics to a client outside metrics_allow (%v): %d", h, x.status)
		}
	}
	if x := fetch(t, base+"/metrics", map[string]string{"Authorization": "bearer metrics-token"}); x.status != 200 || !strings.Contains(x.body, "folio_index_articles") {
		t.Errorf("metrics with the token: %d", x.status)
	}
	// Behind a trusted proxy, the forwarded client is the one judged.
	base = serveReal(t, func(c *config.Config) { c.Server.TrustedProxies = []string{"127.0.0.0/8"} })
	if x := send(t, "GET", base+"/metrics", map[string]string{"X-Forwarded-For": "203.0.113.9"}, nil); x.status != 404 {
		t.Errorf("metrics to a public client through the proxy: %d", x.status)
	}
}

func TestCacheControl(t *testing.T) {
	base := serveReal(t, func(c *config.Config) { c.Search.CacheMaxAge = 45 * time.Second })
	cases := []struct {
		method, path string
		header       map[string]string
		want         string
	}{
		{"GET", "/api/search?q=aliyev", nil, "public, max-age=45"},
		{"GET", "/api/search?q=%22open", nil, "no-store"},
		{"GET", "/api/search?q=aliyev&size=0", nil, "no-store"},
		{"GET", "/api/nope", nil, "no-store"},
		{"DELETE", "/api/articles/nope", map[string]string{"Authorization": "Bearer " + hostileToken}, "no-store"},
		{"DELETE", "/api/articles/nope", nil, "no-store"},
		{"POST", "/api/ingest", map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}, "no-store"},
		{"GET", "/healthz", nil, "no-store"},
	}
	for _, c := range cases {
		if x := send(t, c.method, base+c.path, c.header, strings.NewReader("")); x.header.Get("Cache-Control") != c.want {
			t.Errorf("%s %s: %d, Cache-Control %q, want %q", c.method, c.path, x.status, x.header.Get("Cache-Control"), c.want)
		}
	}
	base = serveReal(t, func(c *config.Config) { c.Search.CacheMaxAge = 0 })
	if x := send(t, "GET", base+"/api/search?q=aliyev", nil, nil); x.header.Get("Cache-Control") != "no-store" {
		t.Errorf("search.cache_max_age 0: Cache-Control %q, want no-store", x.header.Get("Cache-Control"))
	}
}

// fetch GETs url with header; unlike send, it lets 5xx answers and the Go
// runtime's metric names through.
func fetch(t *testing.T, url string, header map[string]string) exchange {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return exchange{resp.StatusCode, resp.Header, string(b)}
}
