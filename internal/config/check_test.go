package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

func TestUnknownKeysWarn(t *testing.T) {
	root := projectRoot(t)
	writeConfig(t, `data_dir: data
serch:
  max_size: 10
server:
  addr: localhost:9999
  cors_origin: [https://a.example]
sources:
  - url: https://news.example/feed
    every: 1h
    evry: 2h
ner:
  aliases:
    - [Ilham Aliyev, Aliev]
`)
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"config.yaml:2: unknown key serch (ignored)",
		"config.yaml:6: unknown key server.cors_origin (ignored)",
		"config.yaml:10: unknown key sources[0].evry (ignored)",
	}
	if !slices.Equal(c.Warnings, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(c.Warnings, "\n"), strings.Join(want, "\n"))
	}
	if c.Server.Addr != "localhost:9999" || c.Sources[0].Every.Hours() != 1 {
		t.Errorf("known keys not read: %+v", c.Server.Addr)
	}

	// The project's own config.yaml has no unknown key.
	c, err = Load(filepath.Join(root, "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) > 0 {
		t.Errorf("config.yaml: %q", c.Warnings)
	}
}

func projectRoot(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestYAMLErrorsNameTheLine(t *testing.T) {
	cases := []struct{ yaml, line string }{
		{"data_dir: data\nserver:\n  addr: x\n read_timeout: 10s\nsearch:\n  max_size: 10\n", "[4:"},
		{"data_dir: data\nserver:\n  addr: x\n\tread_timeout: 10s\nsearch:\n  max_size: 10\n", "[4:"},
		{"data_dir: data\nserver:\n  addr: [x\n  read_timeout: 10s\nsearch:\n  max_size: 10\n", "[4:"},
		{"data_dir: data\nserver:\n  addr: x\n  read_timeout: 10s\nsearch:\n  max_size: ten\n", "config.yaml:6:"},
	}
	for _, c := range cases {
		writeConfig(t, c.yaml)
		_, err := Load("", nil)
		if err == nil || !strings.Contains(err.Error(), c.line) {
			t.Errorf("%q: error %v, want it to name %s", c.yaml, err, c.line)
		}
	}
}
