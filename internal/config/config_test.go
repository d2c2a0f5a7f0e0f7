package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestPrecedenceFileEnvFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "folio.yaml")
	os.WriteFile(file, []byte("data_dir: from-file\nserver:\n  addr: file:1\nsearch:\n  max_size: 50\nner:\n  aliases:\n    - [Ilham Aliyev, Ilham Aliev]\n"), 0o644)

	c, err := Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "from-file" || c.Server.Addr != "file:1" || c.Search.MaxSize != 50 || c.Search.DefaultSize != 10 {
		t.Errorf("file values: %+v", c)
	}
	// Canonical names keep their case (a map would have lower-cased them).
	if len(c.NER.Aliases) != 1 || c.NER.Aliases[0][0] != "Ilham Aliyev" {
		t.Errorf("aliases = %q", c.NER.Aliases)
	}

	t.Setenv("FOLIO_SERVER_ADDR", "env:2")
	t.Setenv("FOLIO_CORPUS_PATHS", "a.jsonl b.jsonl")
	t.Setenv("FOLIO_SERVER_CORS_ORIGINS", "https://a.example https://b.example")
	t.Setenv("FOLIO_SERVER_TRUSTED_PROXIES", "10.0.0.0/8,192.168.1.1")
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.String("data-dir", "", "")
	fs.String("addr", "", "")
	fs.Parse([]string{"--data-dir", "from-flag"})
	c, err = Load(file, fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "from-flag" || c.Server.Addr != "env:2" {
		t.Errorf("flag beats file, env beats file: data_dir %q, addr %q", c.DataDir, c.Server.Addr)
	}
	if len(c.Corpus.Paths) != 2 || c.Corpus.Paths[1] != "b.jsonl" {
		t.Errorf("corpus paths from env: %q", c.Corpus.Paths)
	}
	// Every list key is split, not only corpus.paths.
	if len(c.Server.CORSOrigins) != 2 || c.Server.CORSOrigins[1] != "https://b.example" {
		t.Errorf("cors origins from env: %q", c.Server.CORSOrigins)
	}
	if len(c.Server.TrustedProxies) != 2 || c.Server.TrustedProxies[0] != "10.0.0.0/8" {
		t.Errorf("trusted proxies from env: %q", c.Server.TrustedProxies)
	}
}

func TestInvalidConfigIsRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(file, []byte("search:\n  default_size: 500\n  max_size: 100\n"), 0o644)
	if _, err := Load(file, nil); err == nil {
		t.Error("default_size above max_size accepted")
	}
	os.WriteFile(file, []byte("search:\n  timeout: 0s\n"), 0o644)
	if _, err := Load(file, nil); err == nil {
		t.Error("a search.timeout of 0 accepted")
	}
	os.WriteFile(file, []byte("ingest:\n  batch_bytes: 1000\n"), 0o644)
	if _, err := Load(file, nil); err == nil || !strings.Contains(err.Error(), "ingest.batch_bytes") {
		t.Errorf("a batch_bytes of 1000 accepted: %v", err)
	}
	os.WriteFile(file, []byte("server:\n  max_concurrent_searches: -1\n"), 0o644)
	if _, err := Load(file, nil); err == nil || !strings.Contains(err.Error(), "server.max_concurrent_searches") {
		t.Errorf("max_concurrent_searches of -1 accepted: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil); err == nil {
		t.Error("a missing --config file accepted")
	}
}

func TestDefaults(t *testing.T) {
	c := Default()
	if c.Server.Addr != "localhost:8080" || c.Corpus.Paths[0] != Bundled || c.Server.AdminToken != "" || c.Ingest.BatchBytes != 16<<20 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestCrawlSettingsAndSources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "folio.yaml")
	os.WriteFile(file, []byte(`crawl:
  user_agent: "NewsBot/2 (+mailto:desk@news.example)"
  rate: 0.5
  max_pages: 20
sources:
  - {url: "https://news.example/feed.xml", every: 15m}
  - {url: "https://news.example/sitemap.xml", every: 1h}
`), 0o644)
	t.Setenv("FOLIO_CRAWL_ALLOW_PRIVATE", "true")
	c, err := Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	cr := c.Crawl
	if cr.UserAgent != "NewsBot/2 (+mailto:desk@news.example)" || cr.Rate != 0.5 || cr.MaxPages != 20 || !cr.AllowPrivate ||
		cr.Concurrency != 2 || cr.MaxDepth != 3 || cr.Timeout.String() != "30s" {
		t.Errorf("crawl settings: %+v", cr)
	}
	if len(c.Sources) != 2 || c.Sources[0].Every.String() != "15m0s" || c.Sources[1].URL != "https://news.example/sitemap.xml" {
		t.Errorf("sources: %+v", c.Sources)
	}
	if d := Default(); d.Crawl.AllowPrivate || d.Crawl.UserAgent == "" || len(d.Sources) != 0 {
		t.Errorf("defaults: %+v, sources %v", d.Crawl, d.Sources)
	}
	for _, bad := range []string{
		"sources:\n  - {url: \"ftp://x.example/feed\", every: 1m}\n",
		"sources:\n  - {url: \"https://x.example/feed\"}\n",
		"crawl:\n  user_agent: \"\"\n",
		"crawl:\n  rate: 0\n",
	} {
		os.WriteFile(file, []byte(bad), 0o644)
		if _, err := Load(file, nil); err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
}

// TestIndexBackend checks the backend's keys: bleve by default, the
// cluster's URLs split from the environment, and an unknown backend or
// an OpenSearch backend without URLs refused.
func TestIndexBackend(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.yaml"), nil)
	if err == nil {
		t.Fatal("a missing config file accepted")
	}
	t.Chdir(t.TempDir()) // no config.yaml here
	if c, err = Load("", nil); err != nil {
		t.Fatal(err)
	}
	if c.Index.Backend != BackendBleve || c.OpenSearch.Index != "folio" {
		t.Errorf("defaults: backend %q, index %q", c.Index.Backend, c.OpenSearch.Index)
	}
	t.Setenv("FOLIO_INDEX_BACKEND", "opensearch")
	if _, err := Load("", nil); err == nil {
		t.Error("opensearch without URLs accepted")
	}
	t.Setenv("FOLIO_OPENSEARCH_URLS", "http://127.0.0.1:9200 http://127.0.0.1:9201")
	t.Setenv("FOLIO_OPENSEARCH_REPLICAS", "0")
	if c, err = Load("", nil); err != nil {
		t.Fatal(err)
	}
	if c.Index.Backend != BackendOpenSearch || len(c.OpenSearch.URLs) != 2 || c.OpenSearch.URLs[1] != "http://127.0.0.1:9201" || c.OpenSearch.Replicas != 0 {
		t.Errorf("from env: %+v %+v", c.Index, c.OpenSearch)
	}
	t.Setenv("FOLIO_INDEX_BACKEND", "solr")
	if _, err := Load("", nil); err == nil {
		t.Error("backend solr accepted")
	}
}
