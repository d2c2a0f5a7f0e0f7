package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/server"
)

// Hostile HTTP: parameters, headers, bodies, routes and slow clients
// against the server as `folio serve` runs it (server.Serve with its
// http.Server limits), each answered with the right 4xx and nothing of
// Folio's insides.

const hostileToken = "hostile-token"

// serveReal runs server.Serve, limits and timeouts included, on a loopback
// port until the test ends.
func serveReal(t *testing.T, tune func(*config.Config)) string {
	t.Helper()
	base, _ := serveIndex(t, foliotest.NewIndex(t, "bundled"), tune)
	return base
}

// serveIndex is serveReal on a given index; its log is kept for the test.
func serveIndex(t *testing.T, ix *index.Index, tune func(*config.Config)) (string, *logBuffer) {
	t.Helper()
	cfg := config.Default()
	cfg.Server.AdminToken = hostileToken
	if tune != nil {
		tune(cfg)
	}
	logs := &logBuffer{}
	srv, err := server.New(ix, cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), logs
}

// logBuffer holds a server's JSON log lines, written by the server while
// the test reads them.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines are the log lines so far, decoded.
func (l *logBuffer) lines() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// leak matches what must never reach a client: a Go stack or panic, a
// source file, a path of the build machine or Folio's Go identifiers.
var leak = regexp.MustCompile(`goroutine \d|panic|\.go:\d|/work/|/root/|/home/|/tmp/|runtime\.|github\.com/folio-search|index_meta|\*index\.|bleve`)

type exchange struct {
	status int
	header http.Header
	body   string
}

// send makes one request and checks that the answer leaks nothing and
// that an error is the JSON error body of the API.
func send(t *testing.T, method, url string, header map[string]string, body io.Reader) exchange {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %.120s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	x := exchange{resp.StatusCode, resp.Header, string(b)}
	if m := leak.FindString(x.body); m != "" {
		t.Errorf("%s %.120s: %d answer holds %q: %.300s", method, url, x.status, m, x.body)
	}
	if x.status >= 500 {
		t.Errorf("%s %.120s: %d %.300s", method, url, x.status, x.body)
	}
	// The static file server answers its own plain 404; everything else
	// speaks the API's JSON.
	if x.status >= 400 && x.status != 431 && method != "HEAD" && !strings.Contains(url, "/static/") {
		var e errorBody
		if json.Unmarshal(b, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Errorf("%s %.120s: %d error is not the API's JSON: %.300s", method, url, x.status, x.body)
		}
	}
	return x
}

func TestHostileParameters(t *testing.T) {
	base := serveReal(t, nil)
	long := strings.Repeat("é", 1000) // 1,000 characters, 2,000 bytes: within search.max_query_len
	cases := []struct {
		query string
		want  int
		code  string // the error code for a 400
	}{
		{"q=aliyev&size=100", 200, ""},
		{"q=aliyev&size=101", 400, "bad_parameter"},
		{"q=aliyev&size=99999999999999999999999", 400, "bad_parameter"},
		{"q=aliyev&size=-1", 400, "bad_parameter"},
		{"q=aliyev&size=0x10", 400, "bad_parameter"},
		{"q=aliyev&size=1e3", 400, "bad_parameter"},
		{"q=aliyev&size=%2B5", 200, ""},
		{"q=aliyev&size=%205", 400, "bad_parameter"},
		{"q=aliyev&page=100", 200, ""},
		{"q=aliyev&page=101", 400, "bad_parameter"},
		{"q=aliyev&page=-9223372036854775808", 400, "bad_parameter"},
		{"q=aliyev&page=NaN", 400, "bad_parameter"},
		{"q=aliyev&facet_size=200", 200, ""},
		{"q=aliyev&facet_size=201", 400, "bad_parameter"},
		{"q=aliyev&facet_size=-1", 400, "bad_parameter"},
		{"q=aliyev&facet_size=9223372036854775807", 400, "bad_parameter"},
		{"q=aliyev&size=5&size=abc", 200, ""}, // the first of repeated values counts
		{"q=aliyev&q=%22", 200, ""},
		{"q=aliyev&sort=date&sort=bogus", 200, ""},
		{"q=%FF%FE", 400, "bad_query"},
		{"q=%C3%28", 400, "bad_query"},
		{"q=a%00b", 200, ""},
		{"q=%00", 200, ""},
		{"q=" + long, 200, ""},
		{"q=" + long + "x", 400, "query_too_long"},
		{"q=aliyev&tag=%FF", 400, "bad_parameter"},
		{"q=aliyev&tag=%00", 200, ""},
		{"q=aliyev&tag=" + strings.Repeat("t", 5000), 200, ""},
		{"q=aliyev&person=%20", 400, "bad_parameter"},
		{"q=aliyev&sort=%FF", 400, "bad_parameter"},
		{"q=aliyev&from=%FF", 400, "bad_parameter"},
		{"q=aliyev&from=0000", 400, "bad_parameter"},
		{"q=aliyev&from=9999-12-31", 200, ""},
		{"q=aliyev&to=-2024", 400, "bad_parameter"},
		{"q=aliyev&from=2024-02-30", 400, "bad_parameter"},
		{"q=aliyev&after=" + strings.Repeat("A", 4000), 400, "bad_request"},
		{"q=aliyev&after=...", 400, "bad_request"},
		{"q=aliyev&after=%FF.%FF.%FF", 400, "bad_request"},
		{"q=aliyev&unknown=1&" + strings.Repeat("x=1&", 500), 200, ""},
		{"q=%3Cscript%3Ealert(1)%3C/script%3E", 200, ""},
		{"q=aliyev&size=1;DROP%20TABLE", 200, ""}, // net/url drops a pair with a semicolon
		// A broken percent-encoding is a 400; Echo's QueryParams would drop
		// the pair and search for everything.
		{"q=%%%", 400, "bad_parameter"},
		{"q=%zz", 400, "bad_parameter"},
		{"q=aliyev&tag=50%", 400, "bad_parameter"},
		{"q=aliyev&%zz=1", 400, "bad_parameter"},
		{"q=50%25", 200, ""},
	}
	for _, c := range cases {
		for _, route := range []string{"/api/search?", "/api/export?format=jsonl&"} {
			if route != "/api/search?" && (strings.Contains(c.query, "size=") || strings.Contains(c.query, "page=")) {
				continue // an export has neither size nor page
			}
			x := send(t, "GET", base+route+c.query, nil, nil)
			want, code := c.want, c.code
			if x.status != want {
				t.Errorf("GET %s%.100s: %d, want %d: %.200s", route, c.query, x.status, want, x.body)
				continue
			}
			if code != "" && !strings.Contains(x.body, `"code":"`+code+`"`) {
				t.Errorf("GET %s%.100s: %s, want code %s", route, c.query, x.body, code)
			}
		}
	}
}

func TestHostileRoutesAndMethods(t *testing.T) {
	base := serveReal(t, nil)
	cases := []struct {
		method, path string
		want         int
	}{
		{"GET", "/nope", 404},
		{"GET", "/api/nope", 404},
		{"GET", "/api/search/extra", 404},
		{"GET", "/api/articles/", 404},
		{"GET", "/api/articles/nope", 404},
		{"GET", "/api/articles/%00", 404},
		{"GET", "/api/articles/..%2F..%2Fgo.mod", 404},
		{"GET", "/static/..%2F..%2Fgo.mod", 404},
		{"GET", "/static/../../go.mod", 404},
		{"GET", "/static/nope.js", 404},
		{"POST", "/api/search", 405},
		{"PUT", "/api/articles/x", 405},
		{"DELETE", "/api/search", 405},
		{"PATCH", "/healthz", 405},
		{"TRACE", "/", 405},
		{"GET", "/api/ingest", 405},
		{"POST", "/api/ingest", 401},
		{"DELETE", "/api/articles/nope", 401},
	}
	for _, c := range cases {
		x := send(t, c.method, base+c.path, nil, nil)
		if x.status != c.want {
			t.Errorf("%s %s: %d, want %d: %.200s", c.method, c.path, x.status, c.want, x.body)
		}
		if strings.Contains(x.body, "module github.com") {
			t.Errorf("%s %s: served a source file", c.method, c.path)
		}
	}
	// Tokens that are almost right are all refused.
	for _, auth := range []string{"Bearer", "Bearer ", "Bearer  " + hostileToken, "Basic " + hostileToken, hostileToken, "Bearer " + strings.ToUpper(hostileToken)} {
		x := send(t, "POST", base+"/api/ingest", map[string]string{"Authorization": auth, "Content-Type": "application/x-ndjson"}, strings.NewReader(`{"title": "x"}`))
		if x.status != 401 {
			t.Errorf("Authorization %q: %d, want 401", auth, x.status)
		}
	}
}

// TestHostileHeadersAndBodies checks the size limits: a header block over
// server.max_header_bytes gets 431, an upload over server.max_body_bytes
// gets 413 (with the records before the cut indexed), and a request with
// headers just under the limit is served.
func TestHostileHeadersAndBodies(t *testing.T) {
	const maxBody = 64 << 10
	base := serveReal(t, func(c *config.Config) { c.Server.MaxBodyBytes = maxBody })
	headerLimit := config.Default().Server.MaxHeaderBytes

	if x := send(t, "GET", base+"/healthz", map[string]string{"X-Padding": strings.Repeat("p", headerLimit-1024)}, nil); x.status != 200 {
		t.Errorf("headers under server.max_header_bytes: %d", x.status)
	}
	for _, n := range []int{2 * headerLimit, 64 * headerLimit} {
		if x := send(t, "GET", base+"/healthz", map[string]string{"X-Padding": strings.Repeat("p", n)}, nil); x.status != 431 {
			t.Errorf("%d bytes of header: %d, want 431", n, x.status)
		}
		many := map[string]string{}
		for i := range n / 100 {
			many[fmt.Sprintf("X-H%d", i)] = strings.Repeat("v", 90)
		}
		if x := send(t, "GET", base+"/healthz", many, nil); x.status != 431 {
			t.Errorf("%d headers: %d, want 431", len(many), x.status)
		}
	}
	// A URL longer than the header limit: the request line counts.
	if x := send(t, "GET", base+"/api/search?q="+strings.Repeat("a", 2*headerLimit), nil, nil); x.status != 431 && x.status != 414 {
		t.Errorf("URL of %d bytes: %d, want 431 or 414", 2*headerLimit, x.status)
	}

	var body strings.Builder
	for i := 0; body.Len() < 2*maxBody; i++ {
		fmt.Fprintf(&body, `{"id": "big-%d", "title": "Upload %d", "body": "%s"}`+"\n", i, i, strings.Repeat("words ", 50))
	}
	auth := map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}
	x := send(t, "POST", base+"/api/ingest", auth, strings.NewReader(body.String()))
	if x.status != 413 || !strings.Contains(x.body, "max_body_bytes") {
		t.Errorf("upload of %d bytes over a limit of %d: %d %s", body.Len(), maxBody, x.status, x.body)
	}
	// The same as a stream of unknown length (chunked).
	x = send(t, "POST", base+"/api/ingest", auth, io.MultiReader(strings.NewReader(body.String())))
	if x.status != 413 {
		t.Errorf("chunked upload over the limit: %d %s", x.status, x.body)
	}
	var h struct{ Articles int }
	if x := send(t, "GET", base+"/healthz", nil, nil); json.Unmarshal([]byte(x.body), &h) != nil || h.Articles != 6 {
		t.Errorf("after the refused uploads: %s (the batch cut is not indexed)", x.body)
	}
	if x := send(t, "POST", base+"/api/ingest", auth, strings.NewReader(`{"id": "small", "title": "Small", "body": "fits"}`)); x.status != 200 {
		t.Errorf("an upload within the limit: %d %s", x.status, x.body)
	}
	if x := send(t, "POST", base+"/api/ingest", map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "text/plain"}, strings.NewReader(`{}`)); x.status != 415 {
		t.Errorf("wrong content type: %d", x.status)
	}
	// Hostile records are per-record errors of a 200 answer.
	hostileBody := "\ufeff{\"id\": \"h1\", \"title\": \"BOM first\", \"body\": \"b\"}\n{\"title\": \"\x00\"}\n\xff\xfe\n{\"id\": 5}\n[]\n{\"id\": \"h2\", \"title\": \"t\", \"body\": \"" + strings.Repeat("<div>", 2000) + "\"}\n"
	x = send(t, "POST", base+"/api/ingest", auth, strings.NewReader(hostileBody))
	var out struct {
		Indexed  int
		Rejected []struct{ Line int }
	}
	if json.Unmarshal([]byte(x.body), &out) != nil || x.status != 200 || out.Indexed != 2 || len(out.Rejected) != 4 {
		t.Errorf("hostile records: %d %s", x.status, x.body)
	}
}

// TestSlowClientsAreCut checks server.read_timeout against a client that
// sends its headers a byte at a time, and server.ingest_timeout against
// one that never finishes its upload.
func TestSlowClientsAreCut(t *testing.T) {
	const timeout = 500 * time.Millisecond
	base := serveReal(t, func(c *config.Config) { c.Server.ReadTimeout, c.Server.IngestTimeout = timeout, timeout })
	addr := strings.TrimPrefix(base, "http://")
	for name, start := range map[string]string{
		"headers": "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
		"body":    "POST /api/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + hostileToken + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n{\"title\": ",
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		io.WriteString(conn, start)
		cut := make(chan time.Duration, 1)
		go func() {
			io.Copy(io.Discard, bufio.NewReader(conn))
			cut <- time.Since(began)
		}()
		tick := time.NewTicker(50 * time.Millisecond)
	drip:
		for {
			select {
			case d := <-cut:
				if d < timeout/2 || d > timeout+5*time.Second {
					t.Errorf("slow %s: cut after %v, want about %v", name, d, timeout)
				}
				break drip
			case <-tick.C:
				if _, err := io.WriteString(conn, "x"); err != nil {
					continue // the server has closed its side; the reader will see it
				}
				if time.Since(began) > timeout+10*time.Second {
					t.Errorf("slow %s: still connected after %v", name, time.Since(began))
					break drip
				}
			}
		}
		tick.Stop()
		conn.Close()
	}
}

// TestSearchLimiterSheds checks the cap on concurrent searches: past
// server.max_concurrent_searches and its queue timeout, a search gets 503
// with Retry-After and says which limit it hit; the other routes, and the
// searches admitted, are served.
func TestSearchLimiterSheds(t *testing.T) {
	base := serveReal(t, func(c *config.Config) {
		c.Server.MaxConcurrentSearches = 1
		c.Server.SearchQueueTimeout = time.Nanosecond
	})
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			resp, err := http.Get(base + "/api/search?q=aliyev&size=100&facet_size=200")
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 503 && (resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), "max_concurrent_searches")) {
				t.Errorf("503 without Retry-After or the limit's name: %s", b)
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[200] == 0 || statuses[503] == 0 || statuses[200]+statuses[503] != 40 {
		t.Errorf("40 concurrent searches with one slot: %v, want some 200 and some 503", statuses)
	}
	if x := send(t, "GET", base+"/healthz", nil, nil); x.status != 200 {
		t.Errorf("healthz while searches are shed: %d", x.status)
	}
}
