package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code != 0 || !strings.Contains(stdout, "searched for harbour") || !strings.Contains(stdout, "[harbour]") {
		t.Errorf("misspelled search: exit %d:\n%s", code, stdout)
	}
	if _, stderr, code := folio(t, dir, "search", "--data-dir", "data", "--sort", "size", "harbour"); code == 0 || !strings.Contains(stderr, "--sort") {
		t.Errorf("bad sort: exit %d, %s", code, stderr)
	}
}
