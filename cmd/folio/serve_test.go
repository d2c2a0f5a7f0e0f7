package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeOnBusyPort: a port in use is a plain error, every time, before
// any index is built or opened (a warm-up left running on a closed index
// used to panic now and then).
func TestServeOnBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	for i := range 10 {
		cmd := exec.Command(folioBin, "serve", "--addr", ln.Addr().String(), "--data-dir", "data")
		cmd.Dir = dir
		cmd.Env = cleanEnv()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() == 0 {
			t.Fatalf("run %d: serve on a busy port: %v\n%s", i, err, stderr.String())
		}
		out := stderr.String()
		if !strings.Contains(out, "address already in use") || strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
			t.Errorf("run %d: exit %d, stderr:\n%s", i, ee.ExitCode(), out)
		}
		if strings.Contains(out, "building one") {
			t.Errorf("run %d: built an index before finding the port busy:\n%s", i, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("serve on a busy port created the data dir: %v", err)
	}
}

// TestServeShutsDownWithRequestsInFlight: SIGTERM while an export streams
// to a client that never reads and a slow search runs; the process exits
// 0 within the grace period (server.shutdown_timeout) and a margin.
func TestServeShutsDownWithRequestsInFlight(t *testing.T) {
	const reuters = "../../../shared/corpora/reuters21578/reuters21578.jsonl"
	if _, err := os.Stat(reuters); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	abs, _ := filepath.Abs(reuters)
	dir := t.TempDir()
	if _, stderr, code := folio(t, dir, "ingest", "--data-dir", "data", "--ner=false", abs); code != 0 {
		t.Fatalf("ingest: exit %d\n%s", code, stderr)
	}

	const grace = 2 * time.Second
	addr := freeAddr(t)
	cmd := exec.Command(folioBin, "serve", "--addr", addr, "--data-dir", "data")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "FOLIO_SERVER_SHUTDOWN_TIMEOUT="+grace.String(),
		"FOLIO_SERVER_EXPORT_STALL_TIMEOUT=1m", "FOLIO_SEARCH_TIMEOUT=1m")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never answered: %v\n%s", err, stderr.String())
		}
	}

	// An export to a client that never reads (a small receive buffer:
	// the server blocks once its own buffer is full).
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var err error
		rc.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/export?format=jsonl HTTP/1.1\r\nHost: folio\r\n\r\n")
	// A search that runs for seconds (and, before the index heeded its
	// context, past any deadline).
	searched := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/api/search?" + url.Values{"q": {`"the the the the the the the"~100`}}.Encode())
		if err != nil {
			searched <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		searched <- fmt.Sprintf("%d %s", resp.StatusCode, b)
	}()
	time.Sleep(time.Second)

	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(start)
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM\n%s", err, stderr.String())
		}
		if limit := grace + 5*time.Second; took > limit {
			t.Errorf("serve took %v to exit, want at most %v", took, limit)
		}
		t.Logf("exited after %v", took.Round(time.Millisecond))
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still running 30s after SIGTERM\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	t.Logf("the search in flight: %.120s", <-searched)
}
