package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSearchCommandFiltersByEveryFacet: folio search has a filter flag per
// facet of the facet table, runs the engine itself (no server), marks the
// matches in its text, and says when it searched a corrected spelling.
func TestSearchCommandFiltersByEveryFacet(t *testing.T) {
	dir := t.TempDir()
	input := `{"id": "a", "title": "Coffee harbour opens", "body": "The coffee harbour opened.", "author": "Ann Lee", "source": "wire", "tags": ["ports"]}
{"id": "b", "title": "Coffee harbour closes", "body": "The old coffee harbour closed.", "author": "Bo Chen", "source": "wire", "tags": ["ports"]}
{"id": "c", "title": "Coffee prices", "body": "Coffee prices rose at the harbour.", "author": "Ann Lee", "source": "daily", "tags": ["markets"]}
`
	os.WriteFile(filepath.Join(dir, "news.jsonl"), []byte(input), 0o644)
	if _, stderr, code := folio(t, dir, "ingest", "--ner=false", "--data-dir", "data", "news.jsonl"); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, stderr)
	}
	ids := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := folio(t, dir, append([]string{"search", "--data-dir", "data", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("search %q: exit %d: %s", args, code, stderr)
		}
		var res struct {
			Hits []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatalf("search %q: %v in %s", args, err, stdout)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--sort", "date", "harbour"}, "a b c"},
		{[]string{"--sort", "date", "--author", "ann lee", "harbour"}, "a c"},
		{[]string{"--sort", "date", "--source", "wire", "harbour"}, "a b"},
		{[]string{"--author", "Ann Lee", "--source", "daily", "harbour"}, "c"},
		{[]string{"--sort", "date", "--tag", "ports", "--author", "Bo Chen", "harbour"}, "b"},
	} {
		if got := ids(c.args...); got != c.want {
			t.Errorf("search %q = %q, want %q", c.args, got, c.want)
		}
	}
	stdout, _, code := folio(t, dir, "search", "--data-dir", "data", "harbor")
	if code != 0 || !strings.Contains(stdout, "Showing results for harbour: nothing matched harbor as typed") || !strings.Contains(stdout, "[harbour]") {
		t.Errorf("misspelled search: exit %d:\n%s", code, stdout)
	}
	if _, stderr, code := folio(t, dir, "search", "--data-dir", "data", "--sort", "size", "harbour"); code == 0 || !strings.Contains(stderr, "--sort") {
		t.Errorf("bad sort: exit %d, %s", code, stderr)
	}
}

// TestSearchWhileServing: folio search works while folio serve holds the
// index, by asking the server, and says so; its answer is the one a search
// of the index gives once serve has stopped. serve says it is building
// the index before it answers.
func TestSearchWhileServing(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	env := []string{"FOLIO_SERVER_ADDR=" + addr, "FOLIO_DATA_DIR=" + filepath.Join(dir, "data")}
	serve := exec.Command(folioBin, "serve")
	serve.Dir, serve.Env = dir, append(cleanEnv(), env...)
	var serveErr bytes.Buffer
	serve.Stderr = &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill()
	up := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !up; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			up = true
		}
	}
	if !up {
		t.Fatalf("serve never answered:\n%s", serveErr.String())
	}
	log := serveErr.String()
	building, built, serving := strings.Index(log, "building one from [bundled]…"), strings.Index(log, "built the index: 6 articles"), strings.Index(log, "Folio is serving")
	if building < 0 || built < building || serving < built {
		t.Errorf("serve did not say it was building, then built, then serving:\n%s", log)
	}

	stdout, stderr, code := folioEnv(t, dir, env, "search", "aliyevv")
	if code != 0 {
		t.Fatalf("search while serving: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "a running folio serve holds the index") || !strings.Contains(stderr, "asking it at http://"+addr) {
		t.Errorf("search did not say it asked the server: %q", stderr)
	}
	if !strings.Contains(stdout, "6 articles") || !strings.Contains(stdout, "Showing results for aliyev: nothing matched aliyevv as typed") ||
		!strings.Contains(stdout, "[Aliyev]") || strings.Contains(stdout, "<mark>") {
		t.Errorf("search while serving:\n%s", stdout)
	}
	// Feedback's words are shown, over HTTP as from the index.
	if stdout, stderr, code := folioEnv(t, dir, env, "search", "aliyev"); code != 0 || !strings.Contains(stdout, "Ranked also by words of the best matches: ") {
		t.Errorf("search aliyev while serving: exit %d, %s\n%s", code, stderr, stdout)
	}
	remoteJSON, stderr, code := folioEnv(t, dir, env, "search", "--json", "--size", "3", "--sort", "date", "--tag", "Ilham Aliyev", "aliyev")
	if code != 0 {
		t.Fatalf("search --json while serving: exit %d: %s", code, stderr)
	}
	// The server's 400 is the command's error.
	if _, stderr, code := folioEnv(t, dir, env, "search", "--size", "1000", "aliyev"); code == 0 || !strings.Contains(stderr, "size must be between 1 and 100") {
		t.Errorf("a size over the server's limit while serving: exit %d, %q", code, stderr)
	}

	serve.Process.Signal(os.Interrupt)
	serve.Wait()
	if stdout, stderr, code := folioEnv(t, dir, env, "search", "aliyev"); code != 0 || !strings.Contains(stdout, "Ranked also by words of the best matches: ") {
		t.Errorf("search aliyev from the index: exit %d, %s\n%s", code, stderr, stdout)
	}
	localJSON, stderr, code := folioEnv(t, dir, env, "search", "--json", "--size", "3", "--sort", "date", "--tag", "Ilham Aliyev", "aliyev")
	if code != 0 || !strings.Contains(stderr, "searching the index in") {
		t.Fatalf("search after serve stopped: exit %d: %s", code, stderr)
	}
	ids := func(out string) []string {
		var res struct {
			Total int
			Hits  []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return append(ids, strings.Repeat("+", res.Total))
	}
	if r, l := ids(remoteJSON), ids(localJSON); strings.Join(r, " ") != strings.Join(l, " ") || len(r) != 4 {
		t.Errorf("through serve %v, from the index %v", r, l)
	}
}

// TestSearchPrintMarksAddedHits: hits past the total (articles feedback
// added to a query that matched few) come after a line that says so.
func TestSearchPrintMarksAddedHits(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	textPage{query: "tea auction", total: 1, hits: []textHit{{id: "a", title: "Tea auction"}, {id: "b", title: "Tea estates"}}}.print()
	os.Stdout = stdout
	w.Close()
	out, _ := io.ReadAll(r)
	i, j, k := strings.Index(string(out), "Tea auction"), strings.Index(string(out), "With some of the words"), strings.Index(string(out), "Tea estates")
	if i < 0 || j < i || k < j {
		t.Errorf("output:\n%s\nwant the match, then the line, then the added hit", out)
	}
}
