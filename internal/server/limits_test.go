package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
)

// The limits on the cost of one request, against all of Reuters-21578:
// the search deadline, health, client aborts and exports apart from
// searches.

const reutersPath = "../../../shared/corpora/reuters21578/reuters21578.jsonl"

var (
	reutersOnce sync.Once
	reutersDir  string
	reutersIx   *index.Index
	reutersErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if reutersIx != nil {
		reutersIx.Close()
		os.RemoveAll(reutersDir)
	}
	os.Exit(code)
}

// reutersIndex is all of Reuters-21578, without entities (they cost time
// and these tests need volume), built once for the package's tests. The
// tests that use it only read it.
func reutersIndex(t *testing.T) *index.Index {
	t.Helper()
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	reutersOnce.Do(func() {
		if reutersDir, reutersErr = os.MkdirTemp("", "folio-reuters"); reutersErr != nil {
			return
		}
		reutersIx, _, reutersErr = index.Create(context.Background(), reutersDir+"/index", corpus.ReadFile(reutersPath), index.IngestOptions{})
	})
	if reutersErr != nil {
		t.Fatal(reutersErr)
	}
	return reutersIx
}

// runaway is a query that runs for about a second on Reuters and, before
// the index learned to heed its context, did not stop at the deadline.
const runaway = `"the the the the the the"~100`

func TestSearchDeadline(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), func(c *config.Config) { c.Search.Timeout = time.Millisecond })
	for _, path := range []string{
		searchPath("oil OR trade OR said", "facet_size", "200"),
		"/api/export?format=csv&q=oil",
		searchPath(runaway),
	} {
		start := time.Now()
		x := fetch(t, base+path, nil)
		took := time.Since(start)
		if x.status != 503 || !strings.Contains(x.body, `"code":"timeout"`) || x.header.Get("Retry-After") == "" || x.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s with search.timeout 1ms: %d, Retry-After %q, Cache-Control %q: %.200s",
				path, x.status, x.header.Get("Retry-After"), x.header.Get("Cache-Control"), x.body)
		}
		if took > 2*time.Second {
			t.Errorf("%s: answered after %v, want soon after the 1ms deadline", path, took)
		}
		t.Logf("%s: %d after %v", path, x.status, took.Round(time.Millisecond))
	}
}

func TestHealthSaysSearchesFail(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), func(c *config.Config) { c.Search.Timeout = time.Millisecond })
	if x := fetch(t, base+"/healthz", nil); x.status != 200 {
		t.Fatalf("healthz before any search: %d %s", x.status, x.body)
	}
	for range 8 {
		fetch(t, base+searchPath("oil OR trade OR said"), nil)
	}
	x := fetch(t, base+"/healthz", nil)
	if x.status != 503 || !strings.Contains(x.body, `"status":"unavailable"`) || !strings.Contains(x.body, "searches failed or timed out") {
		t.Errorf("healthz after 8 searches past their deadline: %d %s", x.status, x.body)
	}
}

// TestClientAbortIsNoFault: a client that goes away during a search is
// logged as 499, with no fault.
func TestClientAbortIsNoFault(t *testing.T) {
	base, logs := serveIndex(t, reutersIndex(t), func(c *config.Config) { c.Search.Timeout = time.Minute })
	// A page of 100 hits on common words, prefixes and a fuzzy word, with
	// ten snippets each and every facet: an honest search that takes
	// 40–55 ms on Reuters, cut off by its client after 10 ms.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	path := searchPath("said OR market OR prices OR oil OR trade OR year OR company OR compan* OR pri* OR petroleum~2", "size", "100", "snippets", "10", "facet_size", "200")
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the search answered %d within 10ms", resp.StatusCode)
	}
	var line map[string]any
	for deadline := time.Now().Add(30 * time.Second); line == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, l := range logs.lines() {
			if l["msg"] == "request" && l["route"] == "/api/search" {
				line = l
			}
		}
	}
	if line == nil || line["status"] != float64(499) {
		t.Errorf("request log of the aborted search: %v, want status 499", line)
	}
	for _, l := range logs.lines() {
		if l["level"] == "ERROR" {
			t.Errorf("an aborted search is logged as a fault: %v", l)
		}
	}
}

// stalledExport asks for an export of all of Reuters on a connection with
// a small receive buffer, and never reads.
func stalledExport(t *testing.T, base string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var err error
		rc.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET /api/export?format=jsonl HTTP/1.1\r\nHost: folio\r\n\r\n")
	return conn
}

// TestStalledExportsDoNotBlockSearches: more clients that never read an
// export than there are export and search slots; searches still answer
// at once, and further exports are refused with the exports' limit.
func TestStalledExportsDoNotBlockSearches(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), func(c *config.Config) {
		c.Server.MaxConcurrentSearches = 2
		c.Server.MaxConcurrentExports = 2
		c.Server.SearchQueueTimeout = 300 * time.Millisecond
		c.Server.ExportStallTimeout = time.Minute
	})
	for range 4 {
		stalledExport(t, base)
	}
	time.Sleep(time.Second) // the stalled exports fill their buffers and block
	x := fetch(t, base+"/api/export?format=csv&q=coffee", nil)
	if x.status != 503 || !strings.Contains(x.body, "max_concurrent_exports") || x.header.Get("Retry-After") == "" {
		t.Errorf("an export while stalled ones hold the slots: %d %.200s", x.status, x.body)
	}
	var slowest time.Duration
	for i := range 10 {
		start := time.Now()
		x := fetch(t, base+searchPath("oil OR coffee", "size", "20"), nil)
		took := time.Since(start)
		if x.status != 200 || took > time.Second {
			t.Errorf("search %d while 4 exports stall: %d after %v: %.200s", i, x.status, took, x.body)
		}
		slowest = max(slowest, took)
	}
	t.Logf("the slowest of 10 searches while 4 exports stall: %v", slowest.Round(time.Millisecond))
}

// TestStalledExportIsCutOff: a client that takes nothing for
// server.export_stall_timeout loses its export and its slot.
func TestStalledExportIsCutOff(t *testing.T) {
	const stall = 500 * time.Millisecond
	base, logs := serveIndex(t, reutersIndex(t), func(c *config.Config) {
		c.Server.MaxConcurrentExports = 1
		c.Server.SearchQueueTimeout = 100 * time.Millisecond
		c.Server.ExportStallTimeout = stall
	})
	start := time.Now()
	stalledExport(t, base)
	cut := false
	for !cut && time.Since(start) < 10*time.Second {
		time.Sleep(50 * time.Millisecond)
		for _, l := range logs.lines() {
			cut = cut || l["msg"] == "export cut off"
		}
	}
	if !cut {
		t.Fatalf("a client that read nothing for %v still holds its export after %v", stall, time.Since(start))
	}
	t.Logf("cut off after %v (stall timeout %v)", time.Since(start).Round(time.Millisecond), stall)
	if x := fetch(t, base+"/api/export?format=csv&q=coffee", nil); x.status != 200 || !strings.HasPrefix(x.body, "id,date,title") {
		t.Errorf("an export after the stalled one was cut: %d %.200s", x.status, x.body)
	}
}

// TestExportHasATotalDeadline: a client that reads, but slowly, loses its
// export at server.export_timeout, and sees the stream cut, not ended.
func TestExportHasATotalDeadline(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), func(c *config.Config) {
		c.Server.ExportTimeout = time.Second
		c.Server.ExportStallTimeout = 10 * time.Second
	})
	resp, err := http.Get(base + "/api/export?" + url.Values{"format": {"jsonl"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	r := bufio.NewReader(resp.Body)
	buf := make([]byte, 16<<10)
	read := 0
	for time.Since(start) < 30*time.Second {
		n, err := r.Read(buf)
		read += n
		if err == io.EOF {
			t.Fatalf("the export ended cleanly after %d bytes and %v, want it cut", read, time.Since(start))
		}
		if err != nil {
			break
		}
		time.Sleep(5 * time.Millisecond) // about 3 MB/s: the whole export would take several seconds
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("the export ran %v with server.export_timeout 1s", took)
	}
	t.Logf("cut after %d bytes", read)
}

// TestExpansionBudgetIsA400: search.max_expansions reaches the index; a
// query whose prefixes and fuzzy words expand past it is refused with a
// message, and one within it is answered.
func TestExpansionBudgetIsA400(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), func(c *config.Config) { c.Search.MaxExpansions = 500 })
	x := fetch(t, base+searchPath("co*"), nil)
	if x.status != 400 || !strings.Contains(x.body, `"code":"query_too_complex"`) {
		t.Errorf("co* (about 2,000 terms) with search.max_expansions 500: %d %.300s", x.status, x.body)
	}
	if x := fetch(t, base+searchPath("coffe~1"), nil); x.status != 200 {
		t.Errorf("coffe~1 within the budget: %d %.300s", x.status, x.body)
	}
	base, _ = serveIndex(t, reutersIndex(t), nil)
	if x := fetch(t, base+searchPath("co*"), nil); x.status != 200 {
		t.Errorf("co* with the default budget: %d %.300s", x.status, x.body)
	}
}

// TestRepeatedWordsWithSlopLeaveSearchesAnswering: eight clients sending
// the phrase of twenty repeated words with slop 100 over and over (once,
// eight of them held every search slot for good) leave other searches
// answering within a second, and each of theirs is answered too.
func TestRepeatedWordsWithSlopLeaveSearchesAnswering(t *testing.T) {
	base, _ := serveIndex(t, reutersIndex(t), nil)
	hostile := searchPath(`"` + strings.TrimSpace(strings.Repeat("the ", 20)) + `"~100`)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				x := fetch(t, base+hostile, nil)
				mu.Lock()
				statuses[x.status]++
				mu.Unlock()
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	var slowest time.Duration
	for _, q := range []string{"oil prices", "coffee", `"crude oil"`, "bank rates", "tag:grain wheat"} {
		for range 4 {
			start := time.Now()
			x := fetch(t, base+searchPath(q), nil)
			took := time.Since(start)
			slowest = max(slowest, took)
			if x.status != 200 || took > time.Second {
				t.Errorf("%s beside eight hostile clients: %d after %v", q, x.status, took.Round(time.Millisecond))
			}
		}
	}
	close(stop)
	wg.Wait()
	if statuses[200] == 0 || len(statuses) != 1 {
		t.Errorf("the hostile phrase was answered %v, want only 200s", statuses)
	}
	t.Logf("slowest of 20 searches beside eight hostile clients: %v; hostile answers %v", slowest.Round(time.Millisecond), statuses)
}
