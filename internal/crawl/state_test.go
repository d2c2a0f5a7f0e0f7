package crawl

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A line cut by a kill is ignored; every whole line before it is kept,
// the last of a URL winning, and reopening compacts the log.
func TestStateSurvivesATornLine(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenState(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	if err := st.Put(Record{URL: "https://x.example/a", ETag: `"1"`, Seen: now}, Record{URL: "https://x.example/b", Hash: "h", Tags: []string{"t"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(Record{URL: "https://x.example/a", ETag: `"2"`, Seen: now}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	path := filepath.Join(dir, StateFile)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"url":"https://x.example/c","etag":"`)
	f.Close()

	st, err = OpenState(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, okA := st.Get("https://x.example/a")
	b, okB := st.Get("https://x.example/b")
	_, okC := st.Get("https://x.example/c")
	if !okA || a.ETag != `"2"` || !a.Seen.Equal(now) || !okB || b.Hash != "h" || len(b.Tags) != 1 || okC || st.Len() != 2 {
		t.Errorf("a %+v (%v), b %+v (%v), c %v, %d records", a, okA, b, okB, okC, st.Len())
	}
	data, _ := os.ReadFile(path)
	if lines := len(splitLines(data)); lines != 2 {
		t.Errorf("the reopened log has %d lines, want 2 after compaction:\n%s", lines, data)
	}
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, b[start:i])
			start = i + 1
		}
	}
	return out
}
