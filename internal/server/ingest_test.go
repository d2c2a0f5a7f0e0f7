package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/server"
)

// The admin ingest over a real server (server.Serve, with the
// http.Server's timeouts) against clients that trickle, stall, go away or
// send too much: whatever the answer says was indexed is exactly what the
// index holds, in whole batches.

// ingestBatch is the batch size of these tests: small, so that an upload
// of a few dozen records spans several batches.
const ingestBatch = 10

// ingestServer is serveReal with the index and the server's JSON log at
// hand, read_timeout short (a search's) and batches of ingestBatch.
type ingestServer struct {
	addr    string
	ix      *index.Index
	log     *logBuffer
	bundled int // articles in the index before any upload
}

func serveIngest(t *testing.T, tune func(*config.Config)) *ingestServer {
	t.Helper()
	cfg := config.Default()
	cfg.Server.AdminToken = hostileToken
	cfg.Server.ReadTimeout = 300 * time.Millisecond
	cfg.Ingest.BatchSize = ingestBatch
	if tune != nil {
		tune(cfg)
	}
	s := &ingestServer{ix: foliotest.NewIndex(t, "bundled"), log: &logBuffer{}}
	n, err := s.ix.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.bundled = int(n)
	srv, err := server.New(s.ix, cfg, slog.New(slog.NewJSONHandler(s.log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

// records is a body of records: line i holds the record "up-i", or junk
// where junk(i) says so.
type records struct {
	lines []string
	ids   []string // per line; "" for junk
}

func newRecords(n int, junk func(i int) bool) *records {
	u := &records{}
	for i := 1; i <= n; i++ {
		if junk != nil && junk(i) {
			u.lines = append(u.lines, fmt.Sprintf("junk line %d\n", i))
			u.ids = append(u.ids, "")
			continue
		}
		id := fmt.Sprintf("up-%d", i)
		u.lines = append(u.lines, fmt.Sprintf(`{"id": %q, "title": "Upload %d", "body": "Record %d of the upload."}`+"\n", id, i, i))
		u.ids = append(u.ids, id)
	}
	return u
}

// open starts a POST /api/ingest on a raw connection, announcing size
// bytes of body, and writes nothing of the body.
func (s *ingestServer) open(t *testing.T, size int) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /api/ingest HTTP/1.1\r\nHost: folio\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n", hostileToken, size)
	return conn
}

// cutAnswer is the answer to an upload cut short.
type cutAnswer struct {
	Error struct {
		Code               string
		Message            string
		Indexed            *int
		IndexedThroughLine *int `json:"indexed_through_line"`
	}
	Rejected      []struct{ Line int }
	RejectedTotal int `json:"rejected_total"`
}

func readCut(t *testing.T, r io.Reader, wantStatus int, wantCode string) cutAnswer {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(r), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return parseCut(t, resp.StatusCode, b, wantStatus, wantCode)
}

func parseCut(t *testing.T, status int, body []byte, wantStatus int, wantCode string) cutAnswer {
	t.Helper()
	var a cutAnswer
	if err := json.Unmarshal(body, &a); err != nil || status != wantStatus || a.Error.Code != wantCode ||
		a.Error.Indexed == nil || a.Error.IndexedThroughLine == nil {
		t.Fatalf("answer %d %s: want %d %s with indexed and indexed_through_line", status, body, wantStatus, wantCode)
	}
	return a
}

// agree checks that the index holds the bundled articles and exactly the
// records of lines 1..through of u, which are indexed articles in all,
// and that this is whole batches.
func (s *ingestServer) agree(t *testing.T, u *records, indexed, through int) {
	t.Helper()
	if through > len(u.ids) {
		t.Fatalf("indexed through line %d of %d", through, len(u.ids))
	}
	want := 0
	for _, id := range u.ids[:through] {
		if id != "" {
			want++
		}
	}
	if indexed != want || indexed%ingestBatch != 0 {
		t.Errorf("%d indexed through line %d, which holds %d records: want whole batches of %d, all of them", indexed, through, want, ingestBatch)
	}
	if n, err := s.ix.Count(context.Background()); err != nil || int(n) != s.bundled+indexed {
		t.Errorf("the index holds %d articles (%v), want %d bundled + %d", n, err, s.bundled, indexed)
	}
	for i, id := range u.ids {
		if id == "" {
			continue
		}
		_, err := s.ix.Article(context.Background(), id)
		if in := err == nil; in != (i < through) {
			t.Errorf("line %d (%s): in the index %v, but the answer says lines 1..%d", i+1, id, in, through)
		}
	}
}

// rejectedOf checks the rejected records an answer lists: the junk lines
// up to through.
func rejectedOf(t *testing.T, u *records, a cutAnswer, through int) {
	t.Helper()
	var want []int
	for i, id := range u.ids[:through] {
		if id == "" {
			want = append(want, i+1)
		}
	}
	var got []int
	for _, r := range a.Rejected {
		got = append(got, r.Line)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || a.RejectedTotal != len(want) {
		t.Errorf("rejected lines %v (total %d), want %v", got, a.RejectedTotal, want)
	}
}

// logged waits for the server's record of a cut upload.
func (s *ingestServer) logged(t *testing.T) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for line := range strings.Lines(s.log.String()) {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "ingest cut short" {
				return rec
			}
		}
	}
	t.Fatalf("no log of the cut upload:\n%s", s.log.String())
	return nil
}

// TestIngestSlowUploadSaysWhatWasIndexed trickles records, a junk line
// among them now and then, past server.ingest_timeout: the answer is 408
// with how far the ingest got, and the index holds exactly that. The
// route's timeout is the upload's, not server.read_timeout's 300 ms.
func TestIngestSlowUploadSaysWhatWasIndexed(t *testing.T) {
	const timeout = 2 * time.Second
	s := serveIngest(t, func(c *config.Config) { c.Server.IngestTimeout = timeout })
	u := newRecords(1000, func(i int) bool { return i%7 == 3 })
	conn := s.open(t, 1<<20)
	began := time.Now()
	go func() {
		for _, l := range u.lines {
			if _, err := io.WriteString(conn, l); err != nil {
				return // the server has answered and closed
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	a := readCut(t, conn, http.StatusRequestTimeout, "upload_timeout")
	if d := time.Since(began); d < timeout-200*time.Millisecond || d > timeout+10*time.Second {
		t.Errorf("answered after %v, want about server.ingest_timeout (%v)", d, timeout)
	}
	n, through := *a.Error.Indexed, *a.Error.IndexedThroughLine
	if n == 0 || !strings.Contains(a.Error.Message, fmt.Sprintf("lines 1..%d were indexed", through)) {
		t.Errorf("answer %+v: want some batches indexed, and the lines said", a.Error)
	}
	s.agree(t, u, n, through)
	rejectedOf(t, u, a, through)
	t.Logf("%d records indexed through line %d in %v", n, through, time.Since(began).Round(time.Millisecond))
}

// TestIngestStalledClient sends 26 lines and then nothing: the two whole
// batches are indexed, the five records after them are not, and the
// answer says so exactly.
func TestIngestStalledClient(t *testing.T) {
	s := serveIngest(t, func(c *config.Config) { c.Server.IngestTimeout = time.Second })
	u := newRecords(26, func(i int) bool { return i == 3 })
	conn := s.open(t, 1<<20)
	io.WriteString(conn, strings.Join(u.lines, ""))
	a := readCut(t, conn, http.StatusRequestTimeout, "upload_timeout")
	if *a.Error.Indexed != 20 || *a.Error.IndexedThroughLine != 21 {
		t.Errorf("answer %+v: want 20 indexed, through line 21", a.Error)
	}
	s.agree(t, u, *a.Error.Indexed, *a.Error.IndexedThroughLine)
	rejectedOf(t, u, a, *a.Error.IndexedThroughLine)
	if rec := s.logged(t); rec["code"] != "upload_timeout" || !strings.HasPrefix(fmt.Sprint(rec["client"]), "127.0.0.1:") {
		t.Errorf("log %v: want the code and the client's address", rec)
	}
}

// TestIngestClientGoesAway sends 35 records and hangs up once three
// batches are in the index: the half batch after them is not written, and
// the server logs what was.
func TestIngestClientGoesAway(t *testing.T) {
	s := serveIngest(t, nil)
	u := newRecords(35, nil)
	conn := s.open(t, 1<<20)
	io.WriteString(conn, strings.Join(u.lines, ""))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n, _ := s.ix.Count(context.Background()); int(n) == s.bundled+30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the three batches sent were not indexed")
		}
	}
	conn.Close()
	rec := s.logged(t)
	indexed, _ := rec["indexed"].(float64)
	through, _ := rec["indexed_through_line"].(float64)
	if rec["code"] != "upload_incomplete" || indexed != 30 || through != 30 || !strings.HasPrefix(fmt.Sprint(rec["client"]), "127.0.0.1:") {
		t.Errorf("log %v: want upload_incomplete, 30 indexed through line 30, and the client's address", rec)
	}
	s.agree(t, u, 30, 30)
}

// TestIngestOverMaxBodyBytes: an upload over server.max_body_bytes is
// 413; the whole batches before the cut are indexed and the answer says
// which.
func TestIngestOverMaxBodyBytes(t *testing.T) {
	const maxBody = 64 << 10
	s := serveIngest(t, func(c *config.Config) { c.Server.MaxBodyBytes = maxBody })
	u := newRecords(2000, func(i int) bool { return i == 42 })
	body := strings.Join(u.lines, "")
	if len(body) < 2*maxBody {
		t.Fatalf("a body of %d bytes", len(body))
	}
	x := send(t, "POST", "http://"+s.addr+"/api/ingest",
		map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}, strings.NewReader(body))
	a := parseCut(t, x.status, []byte(x.body), http.StatusRequestEntityTooLarge, "body_too_large")
	n, through := *a.Error.Indexed, *a.Error.IndexedThroughLine
	if n == 0 || !strings.Contains(a.Error.Message, "max_body_bytes") {
		t.Errorf("answer %+v", a.Error)
	}
	s.agree(t, u, n, through)
	rejectedOf(t, u, a, through)
}

// TestIngestJunkAnswerIsSmall posts 10 MB of junk lines: the answer lists
// the first 1,000 and counts them all, and the server's heap stays small.
func TestIngestJunkAnswerIsSmall(t *testing.T) {
	// Time enough to read it all, whichever timeout applies; the
	// collector at Go's pace, so that the heap's peak is what the ingest
	// holds, not garbage a memory budget lets pile up.
	s := serveIngest(t, func(c *config.Config) { c.Server.ReadTimeout, c.Server.MemoryMiB = time.Minute, 0 })
	const junk = "junk\n"
	lines := (10 << 20) / len(junk)
	body := io.MultiReader(strings.NewReader(`{"id": "first", "title": "First", "body": "b"}`+"\n"),
		io.LimitReader(&repeat{s: junk}, int64(lines*len(junk))),
		strings.NewReader(`{"id": "last", "title": "Last", "body": "b"}`+"\n"))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
	}()
	x := send(t, "POST", "http://"+s.addr+"/api/ingest",
		map[string]string{"Authorization": "Bearer " + hostileToken, "Content-Type": "application/x-ndjson"}, body)
	close(stop)
	<-sampled

	var out struct {
		Indexed       int
		Rejected      []struct{ Line int }
		RejectedTotal int `json:"rejected_total"`
	}
	if err := json.Unmarshal([]byte(x.body), &out); err != nil || x.status != 200 {
		t.Fatalf("answer %d of %d bytes: %v %.200s", x.status, len(x.body), err, x.body)
	}
	if out.Indexed != 2 || len(out.Rejected) != 1000 || out.Rejected[0].Line != 2 || out.Rejected[999].Line != 1001 || out.RejectedTotal != lines {
		t.Errorf("indexed %d, %d rejected listed from line %d, total %d: want 2, 1000 from line 2, %d",
			out.Indexed, len(out.Rejected), out.Rejected[0].Line, out.RejectedTotal, lines)
	}
	if len(x.body) > 200<<10 {
		t.Errorf("an answer of %d bytes", len(x.body))
	}
	grew := int64(peak) - int64(base)
	t.Logf("%d junk lines: an answer of %d bytes; heap peak %d MB over %d MB before", lines, len(x.body), grew>>20, base>>20)
	if grew > 128<<20 {
		t.Errorf("the heap grew by %d MB for 10 MB of junk", grew>>20)
	}
}

// repeat is an io.Reader of s over and over.
type repeat struct {
	s   string
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}
