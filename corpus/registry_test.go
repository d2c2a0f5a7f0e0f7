package corpus

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// withFormat registers a format for one test and removes it afterwards,
// so that the other tests (and the fuzzers) see the built-in formats only.
func withFormat(t *testing.T, name string, match func(string, []byte) bool, read func(string, io.Reader, func(Article, error) bool)) {
	t.Helper()
	formatsMu.Lock()
	saved := slices.Clone(formats)
	formatsMu.Unlock()
	RegisterFormat(name, match, read)
	t.Cleanup(func() {
		formatsMu.Lock()
		formats = saved
		formatsMu.Unlock()
	})
}

// A registered format is detected after JSON Lines, read through Read and
// ReadPaths (directories included, by name), and named in the error for
// a file in no format.
func TestRegisteredFormat(t *testing.T) {
	withFormat(t, "shout",
		func(name string, head []byte) bool {
			return strings.HasSuffix(name, ".shout") || bytes.HasPrefix(head, []byte("SHOUT "))
		},
		func(name string, r io.Reader, yield func(Article, error) bool) {
			data, _ := io.ReadAll(r)
			for i, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				if !strings.HasPrefix(l, "SHOUT ") {
					if !yield(Article{}, recordError(name, i+1, "not a shout")) {
						return
					}
					continue
				}
				title := strings.TrimPrefix(l, "SHOUT ")
				if !yield(Article{ID: title, Title: title, Tags: []string{}}, nil) {
					return
				}
			}
		})

	if f, err := Detect("x", []byte("SHOUT hello\n")); err != nil || f != "shout" {
		t.Fatalf("Detect = %q, %v; want shout", f, err)
	}
	if f, err := Detect("x.shout", []byte(`{"title": "t"}`)); err != nil || f != FormatJSONL {
		t.Fatalf("Detect of JSON in a .shout file = %q, %v; want JSON Lines first", f, err)
	}
	_, err := Detect("junk.bin", []byte("\x00\x01"))
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "expected JSON Lines, a tag-page text dump or shout") {
		t.Fatalf("unknown format error = %v; want it to list the formats", err)
	}

	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.shout", "SHOUT one\nwhisper\nSHOUT two\n")
	write("b.jsonl", `{"id": "j", "title": "json"}`+"\n")
	write("c.bin", "SHOUT not taken: no known extension\n")
	var titles, errs []string
	for a, err := range ReadPaths([]string{dir}) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		titles = append(titles, a.Title)
	}
	if want := []string{"one", "two", "json"}; !slices.Equal(titles, want) {
		t.Fatalf("titles %q, want %q", titles, want)
	}
	if len(errs) != 1 || errs[0] != filepath.Join(dir, "a.shout")+":2: not a shout" {
		t.Fatalf("errors %q, want the one bad line", errs)
	}
}
