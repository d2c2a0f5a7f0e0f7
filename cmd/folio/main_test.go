package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/fts5"
)

// folioBin is the folio binary built once for the tests that run it as a
// real process.
var folioBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "folio-bin")
	if err != nil {
		panic(err)
	}
	folioBin = filepath.Join(dir, "folio")
	build := []string{"build", "-o", folioBin}
	if fts5.Available() == nil {
		build = append(build, "-tags", "sqlite_fts5") // as this test binary was built, for folio eval
	}
	if out, err := exec.Command("go", append(build, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building folio: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	stopCluster()
	os.RemoveAll(dir)
	os.Exit(code)
}

// folio runs the binary in dir with a clean FOLIO_* environment.
func folio(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return folioEnv(t, dir, nil, args...)
}

// folioEnv runs the binary in dir with a clean FOLIO_* environment plus env.
func folioEnv(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(folioBin, args...)
	cmd.Dir, cmd.Env = dir, append(cleanEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FOLIO_") {
			env = append(env, kv)
		}
	}
	return env
}

func TestIngestReportsBadRecordsAndExitsNonZero(t *testing.T) {
	dir := t.TempDir()
	input := `{"id": "a", "title": "Harbour opens", "body": "The new harbour opened."}
{"id": "b", "title": "Broken", "body": "missing brace"
{"id": "c", "date": "not a date", "title": "Bad date", "body": "x"}
{"id": "d", "title": "Harbour closes", "body": "The old harbour closed."}
{"id": "` + strings.Repeat("e", 300) + `", "title": "Harbour id", "body": "An id over the limit."}
`
	os.WriteFile(filepath.Join(dir, "news.jsonl"), []byte(input), 0o644)
	_, stderr, code := folio(t, dir, "ingest", "--data-dir", "data", "news.jsonl", "missing.jsonl")
	if code != 2 {
		t.Errorf("exit code %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"news.jsonl:2: invalid JSON", `news.jsonl:3: invalid date "not a date"`,
		`news.jsonl:5: field "id" is 300 bytes, over the limit of 256`, "missing.jsonl", "indexed 2 articles"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	stdout, stderr, code := folio(t, dir, "search", "--data-dir", "data", "--json", "harbour")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, stderr)
	}
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Total != 2 {
		t.Errorf("search --json: %v, %s", err, stdout)
	}
	stdout, _, _ = folio(t, dir, "search", "--data-dir", "data", "harbour")
	if !strings.Contains(stdout, "2 articles") || !strings.Contains(stdout, "[harbour]") {
		t.Errorf("search text output:\n%s", stdout)
	}
	_, stderr, code = folio(t, dir, "search", "--data-dir", "data", `"open`)
	if code == 0 || !strings.Contains(stderr, "quote") {
		t.Errorf("bad query: exit %d, stderr %q", code, stderr)
	}
	// A mistyped data dir is an error, and no empty index is left there.
	_, stderr, code = folio(t, dir, "search", "--data-dir", "dta", "harbour")
	if code == 0 || !strings.Contains(stderr, "no index in dta") {
		t.Errorf("search of a missing index: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "dta")); !os.IsNotExist(err) {
		t.Errorf("search created %s: %v", filepath.Join(dir, "dta"), err)
	}
}

func TestServeBuildsIndexFromBundledCorpus(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(folioBin, "serve", "--addr", addr)
	cmd.Dir = dir // no config.yaml and no data dir here: a fresh machine
	cmd.Env = append(cleanEnv(), "FOLIO_DATA_DIR="+filepath.Join(dir, "data"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	var resp *http.Response
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, stderr.String())
	}
	resp.Body.Close()
	resp, err = http.Get("http://" + addr + `/api/search?q=%22not+a+poor+man%22`)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int
		Hits  []struct{ Title string }
	}
	json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if res.Total != 1 || !strings.Contains(res.Hits[0].Title, "London") {
		t.Errorf("search answer: %+v", res)
	}
	// SIGTERM shuts the server down cleanly.
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop on interrupt")
	}
	if !strings.Contains(stderr.String(), "building one from [bundled]") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
