package ner

import (
	"os"
	"strings"
	"testing"
)

// splitSeed splits the tag-page dump into (title, body) pairs.
func splitSeed(t testing.TB, path string) [][2]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	var out [][2]string
	for _, part := range strings.Split(string(b), "\n  • ")[1:] {
		lines := strings.SplitN(part, "\n", 2)
		title := strings.TrimSpace(lines[0])
		body := ""
		if len(lines) > 1 {
			body = lines[1]
			// The first non-empty line repeats the title.
			bl := strings.TrimLeft(body, "\n ")
			if strings.HasPrefix(bl, title) {
				body = bl[len(title):]
			}
		}
		out = append(out, [2]string{title, body})
	}
	return out
}
