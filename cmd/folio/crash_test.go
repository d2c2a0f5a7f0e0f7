package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
)

// Crash safety, tested on the real binary: SIGKILL at many points of an
// ingest and of serve's first build, and SIGTERM with requests in flight.

// envInt reads a size knob of these tests, so that a full-size run is one
// environment variable away: FOLIO_CRASH_ARTICLES=20000 FOLIO_CRASH_KILLS=30.
func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// genCorpus is a generated JSON Lines corpus, with what an ingest of it in
// batches of batchSize leaves behind at every batch boundary.
type genCorpus struct {
	path     string
	records  int        // lines written
	batches  [][]string // the IDs of each batch's valid records, in order
	distinct int        // distinct articles in the whole corpus
	last     map[string]string
}

var words = strings.Fields(`harbour minister said the of and a to in port grain shipment
	council vote river bridge election budget court ruling strike union talks coast storm
	market price index bank rate loan export import tariff wheat coffee sugar oil gas power
	city mayor police report inquiry hospital school railway airport ferry tunnel tower`)

// writeCorpus writes n records to dir/news.jsonl: mostly new articles with
// IDs, and among them broken JSON, invalid dates (both rejected), later
// versions of earlier IDs, and ID-less articles whose text repeats (one
// article each): an exact total must count none of these twice.
func writeCorpus(t *testing.T, dir string, n, batchSize, bodyWords int) *genCorpus {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	text := func(k int) string {
		var b strings.Builder
		for i := range k {
			b.WriteString(words[rng.IntN(len(words))])
			if i%12 == 11 {
				b.WriteString(". ")
			} else {
				b.WriteByte(' ')
			}
		}
		return strings.TrimSpace(b.String())
	}
	c := &genCorpus{path: filepath.Join(dir, "news.jsonl"), records: n, last: map[string]string{}}
	var buf bytes.Buffer
	var ids []string
	enc := json.NewEncoder(&buf)
	for i := range n {
		rec := map[string]any{"id": fmt.Sprintf("art-%05d", i), "title": fmt.Sprintf("Report %d: %s", i, text(6)),
			"body": text(bodyWords), "date": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
			"tags": []string{"crash", fmt.Sprintf("group%d", i%7)}}
		switch {
		case i%50 == 49:
			buf.WriteString(`{"id": "broken", "title": "cut off` + "\n")
			continue
		case i%40 == 39:
			rec["date"] = "yesterday"
		case i%30 == 29:
			rec["id"] = fmt.Sprintf("art-%05d", i-25) // a later version wins
		case i%35 == 34:
			delete(rec, "id")
			rec["title"] = fmt.Sprintf("Wire summary %d", (i/35)%4)
			rec["body"] = "The wire summary repeats."
		}
		enc.Encode(rec)
		if rec["date"] == "yesterday" {
			continue
		}
		id, _ := rec["id"].(string)
		if id == "" {
			id = corpus.StableID(rec["title"].(string), rec["body"].(string))
		}
		ids = append(ids, id)
		c.last[id] = rec["title"].(string)
	}
	if err := os.WriteFile(c.path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += batchSize {
		batch := ids[start:min(start+batchSize, len(ids))]
		c.batches = append(c.batches, batch)
		for _, id := range batch {
			seen[id] = true
		}
	}
	c.distinct = len(seen)
	return c
}

// wholeBatches opens the index in dir (the process that wrote it is dead)
// and checks that it holds whole batches: every article in it belongs to
// a batch all of whose articles are in it (batches are written two at a
// time, so not necessarily the first ones), and nothing of before was
// lost. It returns the articles it holds.
func (c *genCorpus) wholeBatches(t *testing.T, dir string, before map[string]bool) map[string]bool {
	t.Helper()
	held := map[string]bool{}
	if !index.Exists(dir) {
		if len(before) > 0 {
			t.Fatalf("the index in %s is gone", dir)
		}
		return held
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("the index does not open: %v", err)
	}
	defer ix.Close()
	for _, b := range c.batches {
		for _, id := range b {
			if _, err := ix.Article(context.Background(), id); err == nil {
				held[id] = true
			}
		}
	}
	if n, err := ix.Count(context.Background()); err != nil || n != uint64(len(held)) {
		t.Fatalf("the index counts %d articles (%v), the corpus's IDs find %d", n, err, len(held))
	}
	covered := map[string]bool{}
	for id := range before {
		if !held[id] {
			t.Fatalf("article %s was in the index before and is gone", id)
		}
		covered[id] = true
	}
	for _, b := range c.batches {
		whole := true
		for _, id := range b {
			whole = whole && held[id]
		}
		if whole {
			for _, id := range b {
				covered[id] = true
			}
		}
	}
	for id := range held {
		if !covered[id] {
			t.Fatalf("article %s is in the index, but no batch that holds it is whole", id)
		}
	}
	return held
}

// cliTotal is what `folio search --json ""` says the index holds.
func cliTotal(t *testing.T, work, data string) int {
	t.Helper()
	if !index.Exists(filepath.Join(data, "index")) {
		return 0 // killed before the index was created; search refuses a data dir without one
	}
	stdout, stderr, code := folio(t, work, "search", "--data-dir", data, "--json", "--size", "1", "")
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(stdout), &res); code != 0 || err != nil {
		t.Fatalf("folio search after the kill: exit %d, %v\n%s", code, err, stderr)
	}
	return res.Total
}

// tail is the end of a command's stderr: its summary, not every rejected
// record.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-4):], "\n")
}

// killed reports whether a waited-for process died of SIGKILL.
func killed(cmd *exec.Cmd) bool {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// waitFor polls until path exists, or gives up after d.
func waitFor(path string, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Microsecond) {
		if _, err := os.Stat(path); err == nil {
			return true
		}
	}
	return false
}

func TestIngestKilledResumesExactly(t *testing.T) {
	const batch = 100
	articles := envInt(t, "FOLIO_CRASH_ARTICLES", 1500)
	kills := envInt(t, "FOLIO_CRASH_KILLS", 12)
	work := t.TempDir()
	c := writeCorpus(t, work, articles, batch, 120)
	data := filepath.Join(work, "data")
	dir := filepath.Join(data, "index")
	ingest := func(data string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(folioBin, "ingest", "--data-dir", data, "--batch-size", strconv.Itoa(batch), "--ner=false", c.path)
		cmd.Dir, cmd.Env = work, cleanEnv()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &stderr
	}
	complete := func(t *testing.T, data string) {
		t.Helper()
		_, stderr, code := folio(t, work, "ingest", "--data-dir", data, "--batch-size", strconv.Itoa(batch), "--ner=false", c.path)
		if code != 2 || !strings.Contains(stderr, fmt.Sprintf("the index holds %d", c.distinct)) {
			t.Fatalf("resumed ingest: exit %d, want 2 (rejected records) and %d articles:\n%s", code, c.distinct, tail(stderr))
		}
	}

	// Killed the moment anything appears in the data dir, while Folio is
	// creating the index: what is left must open or be no index at all,
	// and the next run must complete it.
	t.Run("while creating the index", func(t *testing.T) {
		data := filepath.Join(work, "created")
		dir := filepath.Join(data, "index")
		for range 3 {
			cmd, stderr := ingest(data)
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
				if entries, _ := os.ReadDir(data); len(entries) > 0 {
					break
				}
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			if !killed(cmd) {
				t.Fatalf("ingest finished before the kill:\n%s", stderr)
			}
			entries, _ := os.ReadDir(data)
			var left []string
			for _, e := range entries {
				left = append(left, e.Name())
			}
			t.Logf("killed with %v in the data dir", left)
			if !index.Exists(dir) {
				continue
			}
			if ix, err := index.Open(dir); err != nil {
				t.Errorf("the index does not open: %v", err)
			} else {
				ix.Close()
			}
		}
		complete(t, data)
	})

	// How long one whole ingest takes here, into an index of its own; the
	// kills are spread over that time.
	start := time.Now()
	_, stderr, code := folio(t, work, "ingest", "--data-dir", filepath.Join(work, "calibration"), "--batch-size", strconv.Itoa(batch), "--ner=false", c.path)
	full := time.Since(start)
	if code != 2 || !strings.Contains(stderr, fmt.Sprintf("the index holds %d", c.distinct)) {
		t.Fatalf("uninterrupted ingest: exit %d, want 2 (rejected records) and %d articles:\n%s", code, c.distinct, tail(stderr))
	}
	t.Logf("%d records, %d distinct valid articles in %d batches; an uninterrupted ingest takes %v", c.records, c.distinct, len(c.batches), full.Round(time.Millisecond))

	// The kills come at times spread over the run.
	held, landed := map[string]bool{}, 0
	var points []string
	for k := 0; landed < kills && k < 3*kills; k++ {
		cmd, stderr := ingest(data)
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		at := full * time.Duration(2*landed+1) / time.Duration(2*kills)
		began := time.Now()
		select {
		case <-time.After(at):
		case <-exited:
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		if !killed(cmd) {
			// It finished first: this machine is faster now than at
			// calibration. Later kills land in a re-ingest of a whole index.
			full = time.Since(began) * 9 / 10
			t.Logf("ingest finished before the kill at %v:\n%s", at, tail(stderr.String()))
			continue
		}
		landed++
		held = c.wholeBatches(t, dir, held)
		if total := cliTotal(t, work, data); total != len(held) {
			t.Fatalf("folio search says %d articles, the index holds %d", total, len(held))
		}
		points = append(points, fmt.Sprintf("%v→%d", time.Since(began).Round(time.Millisecond), len(held)))
	}
	t.Logf("kills (time after start → articles in the index): %s", strings.Join(points, ", "))
	if landed < kills {
		t.Fatalf("only %d of %d kills landed before the ingest finished", landed, kills)
	}

	// The same ingest again completes it: nothing lost, nothing doubled, and
	// of two versions of an ID the later one is kept.
	complete(t, data)
	if held = c.wholeBatches(t, dir, held); len(held) != c.distinct {
		t.Fatalf("after the resumed ingest: %d of %d articles", len(held), c.distinct)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for id, title := range c.last {
		a, err := ix.Article(context.Background(), id)
		if err != nil || a.Title != title {
			t.Fatalf("article %s: %v, title %q, want the last version's %q", id, err, a.Title, title)
		}
	}
}

// startServe starts `folio serve` on a free loopback port with the given
// environment (on top of a clean one) and returns it with its address.
func startServe(t *testing.T, work string, env ...string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(folioBin, "serve", "--addr", addr)
	cmd.Dir = work
	cmd.Env = append(cleanEnv(), env...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, addr, stderr
}

// healthy waits until the server at addr answers /healthz and returns
// the article count it reports.
func healthy(t *testing.T, addr string, within time.Duration, stderr *syncBuffer) int {
	t.Helper()
	var last error
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			last = err
			continue
		}
		var h struct{ Articles int }
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if resp.StatusCode == 200 && err == nil {
			return h.Articles
		}
		last = fmt.Errorf("status %d, %v", resp.StatusCode, err)
	}
	t.Fatalf("serve never became healthy: %v\n%s", last, stderr)
	return 0
}

// stop sends sig and waits for the process, failing unless it exits 0
// within d.
func stop(t *testing.T, cmd *exec.Cmd, sig os.Signal, d time.Duration, stderr *syncBuffer) {
	t.Helper()
	cmd.Process.Signal(sig)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after %v\n%s", err, sig, stderr)
		}
	case <-time.After(d):
		cmd.Process.Kill()
		t.Fatalf("serve did not stop within %v of %v\n%s", d, sig, stderr)
	}
}

// syncBuffer is a bytes.Buffer a child process writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeBuildKilledStartsOver kills `folio serve` while it builds its
// first index (in index.building, renamed into place when complete): no
// half-built index may be taken for a whole one, and the next serve builds
// from scratch and serves every article.
func TestServeBuildKilledStartsOver(t *testing.T) {
	work := t.TempDir()
	c := writeCorpus(t, work, 1000, 100, 120)
	data := filepath.Join(work, "data")
	env := []string{"FOLIO_DATA_DIR=" + data, "FOLIO_CORPUS_PATHS=" + c.path, "FOLIO_NER_ENABLED=false", "FOLIO_INGEST_BATCH_SIZE=100"}
	building := filepath.Join(data, "index.building")
	var points []string
	for _, after := range []time.Duration{0, 300 * time.Millisecond, 800 * time.Millisecond} {
		cmd, _, stderr := startServe(t, work, env...)
		if !waitFor(filepath.Join(building, "index_meta.json"), 20*time.Second) {
			t.Fatalf("serve never started building:\n%s", stderr)
		}
		time.Sleep(after)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if !killed(cmd) {
			t.Fatalf("serve ended before the kill:\n%s", stderr)
		}
		// The build is renamed into place whole before serve says so: an
		// index in data/index must hold every article, or it was half built.
		if index.Exists(filepath.Join(data, "index")) {
			if n := articlesIn(t, filepath.Join(data, "index")); n != c.distinct {
				t.Fatalf("killed %v into the build, a half-built index of %d articles (of %d) stands in data/index", after, n, c.distinct)
			}
			t.Logf("the build had finished %v after it began; no more kills", after)
			break
		}
		points = append(points, after.String())
	}
	if len(points) == 0 {
		t.Fatal("no kill landed during the build")
	}
	t.Logf("serve killed during its first build at %s after index.building appeared", strings.Join(points, ", "))
	cmd, addr, stderr := startServe(t, work, env...)
	if n := healthy(t, addr, 60*time.Second, stderr); n != c.distinct {
		t.Fatalf("serve after the kills holds %d articles, want %d\n%s", n, c.distinct, stderr)
	}
	if len(points) == 3 && !strings.Contains(stderr.String(), "building one from") {
		t.Errorf("serve did not rebuild from scratch:\n%s", stderr)
	}
	if _, err := os.Stat(building); !os.IsNotExist(err) {
		t.Errorf("index.building left behind: %v", err)
	}
	stop(t, cmd, syscall.SIGTERM, 15*time.Second, stderr)
}

// articlesIn opens the index in dir and counts its articles.
func articlesIn(t *testing.T, dir string) int {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("the index in %s does not open: %v", dir, err)
	}
	defer ix.Close()
	n, err := ix.Count(context.Background())
	if err != nil {
		t.Fatalf("counting the index in %s: %v", dir, err)
	}
	return int(n)
}

// TestServeShutsDownGracefully sends SIGTERM to `folio serve` while a big
// export is being read slowly and an admin ingest is still uploading: both
// complete, the process exits 0, and the index reopens holding the
// uploaded articles.
func TestServeShutsDownGracefully(t *testing.T) {
	// The export must outgrow what the kernel would buffer for it (the
	// server's send buffer grows up to tcp_wmem's maximum), about 6.5
	// bytes a word of body.
	buffered := 4 << 20
	if b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_wmem"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 3 {
			buffered, _ = strconv.Atoi(f[2])
		}
	}
	work := t.TempDir()
	c := writeCorpus(t, work, 2000, 500, max(400, (buffered+(2<<20))/2000*2/13))
	data := filepath.Join(work, "data")
	if _, stderr, code := folio(t, work, "ingest", "--data-dir", data, "--ner=false", c.path); code != 2 {
		t.Fatalf("ingest: exit %d\n%s", code, stderr)
	}
	const token = "graceful-token"
	cmd, addr, stderr := startServe(t, work, "FOLIO_DATA_DIR="+data, "FOLIO_NER_ENABLED=false", "FOLIO_SERVER_ADMIN_TOKEN="+token)
	if n := healthy(t, addr, 30*time.Second, stderr); n != c.distinct {
		t.Fatalf("serving %d articles, want %d", n, c.distinct)
	}

	// The export is read through a fixed receive buffer (no autotuning),
	// and not at all until after the signal, so the server is still
	// writing it when the signal comes. (Much smaller than the loopback's
	// MSS and TCP crawls: write_timeout would cut the answer.)
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, a)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetReadBuffer(64 << 10)
		}
		return conn, err
	}}}
	resp, err := client.Get("http://" + addr + "/api/export?format=jsonl&tag=crash")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	exportBody := bufio.NewReaderSize(resp.Body, 1024)
	first, err := exportBody.ReadString('\n')
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %d %v", resp.StatusCode, err)
	}

	// The upload sends half its records, waits for the signal, then the rest.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/ingest", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	type answer struct {
		code int
		body string
		err  error
	}
	uploaded := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			uploaded <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		uploaded <- answer{code: resp.StatusCode, body: string(b)}
	}()
	const uploads = 40
	record := func(i int) string {
		return fmt.Sprintf(`{"id": "late-%d", "title": "Uploaded during shutdown %d", "body": "The upload of record %d crossed the signal."}`+"\n", i, i, i)
	}
	for i := range uploads / 2 {
		io.WriteString(pw, record(i))
	}
	time.Sleep(200 * time.Millisecond)
	signalled := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	if strings.Contains(stderr.String(), `"route":"/api/export"`) {
		t.Error("the export was over before SIGTERM: the test needs a bigger one")
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// New connections are refused once shutdown has begun.
	refused := false
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && !refused; time.Sleep(20 * time.Millisecond) {
		if conn, err := net.Dial("tcp", addr); err != nil {
			refused = true
		} else {
			conn.Close()
		}
	}
	if !refused {
		t.Error("serve still accepts connections after SIGTERM")
	}
	for i := uploads / 2; i < uploads; i++ {
		io.WriteString(pw, record(i))
		time.Sleep(20 * time.Millisecond)
	}
	pw.Close()

	// The export comes in whole, slowly.
	lines, size := 1, len(first)
	if !strings.HasPrefix(first, `{"id":`) {
		t.Errorf("export's first line %q", first)
	}
	for {
		line, err := exportBody.ReadString('\n')
		if err == io.EOF && line == "" {
			break
		}
		if err != nil {
			t.Fatalf("export cut after %d lines, %v after SIGTERM: %v", lines, time.Since(signalled).Round(time.Millisecond), err)
		}
		lines++
		size += len(line)
	}
	if lines != c.distinct {
		t.Errorf("export: %d lines, want %d", lines, c.distinct)
	}
	a := <-uploaded
	if a.err != nil || a.code != 200 || !strings.Contains(a.body, fmt.Sprintf(`"indexed":%d`, uploads)) {
		t.Errorf("upload across the signal: %d %v %s", a.code, a.err, a.body)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v\n%s", err, stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not exit after SIGTERM\n%s", stderr)
	}
	t.Logf("export of %d articles (%.1f MB) and upload of %d finished %v after SIGTERM; serve exited 0", lines, float64(size)/1e6, uploads, time.Since(signalled).Round(time.Millisecond))

	ix, err := index.Open(filepath.Join(data, "index"))
	if err != nil {
		t.Fatalf("index after shutdown: %v", err)
	}
	defer ix.Close()
	if n, _ := ix.Count(context.Background()); n != uint64(c.distinct+uploads) {
		t.Errorf("index after shutdown holds %d articles, want %d", n, c.distinct+uploads)
	}
}
