// Package config loads Folio's settings from config.yaml, FOLIO_* environment
// variables and command-line flags, in rising order of precedence.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Config is every setting Folio reads. Keys in config.yaml use the
// mapstructure names; the environment variable for a key is FOLIO_ plus the
// key upper-cased with "." as "_" (server.addr → FOLIO_SERVER_ADDR).
type Config struct {
	DataDir string       `mapstructure:"data_dir"`
	Server  ServerConfig `mapstructure:"server"`
	Corpus  CorpusConfig `mapstructure:"corpus"`
	Ingest  IngestConfig `mapstructure:"ingest"`
	Search  SearchConfig `mapstructure:"search"`
	NER     NERConfig    `mapstructure:"ner"`
	Crawl   CrawlConfig  `mapstructure:"crawl"`
	// Index chooses the engine; OpenSearch configures the cluster when
	// it is "opensearch".
	Index      IndexConfig      `mapstructure:"index"`
	OpenSearch OpenSearchConfig `mapstructure:"opensearch"`
	// Sources are the sites `folio serve` keeps fresh by crawling them.
	Sources []Source `mapstructure:"sources"`

	// Warnings name what was read but not understood, such as unknown
	// keys in the configuration file; the caller shows them.
	Warnings []string `mapstructure:"-"`
}

// CrawlConfig tunes `folio crawl` and the polling of sources.
type CrawlConfig struct {
	// UserAgent is sent with every request and matched against
	// robots.txt; it should say how to reach whoever runs the crawl.
	UserAgent    string        `mapstructure:"user_agent"`
	Rate         float64       `mapstructure:"rate"`        // requests per second to one host
	Concurrency  int           `mapstructure:"concurrency"` // requests in flight to one host
	MaxBodyBytes int64         `mapstructure:"max_body_bytes"`
	Timeout      time.Duration `mapstructure:"timeout"` // of one request, body included
	MaxRedirects int           `mapstructure:"max_redirects"`
	MaxPages     int           `mapstructure:"max_pages"` // documents fetched in one crawl; 0 for no limit
	MaxDepth     int           `mapstructure:"max_depth"` // hops from a start URL
	// AllowPrivate lets the crawler reach loopback and private-network
	// addresses (FOLIO_CRAWL_ALLOW_PRIVATE=true), for a site on the
	// intranet or a test; off, a URL that resolves to one is refused.
	AllowPrivate bool `mapstructure:"allow_private"`
}

// Source is a feed, sitemap or page crawled again every Every.
type Source struct {
	URL   string        `mapstructure:"url"`
	Every time.Duration `mapstructure:"every"`
}

type ServerConfig struct {
	Addr         string        `mapstructure:"addr"`
	ReadTimeout  time.Duration `mapstructure:"read_timeout"`
	WriteTimeout time.Duration `mapstructure:"write_timeout"`
	IdleTimeout  time.Duration `mapstructure:"idle_timeout"`
	AdminToken   string        `mapstructure:"admin_token"`
	// CORSOrigins may call the API from other sites; empty means same origin only.
	CORSOrigins []string `mapstructure:"cors_origins"`
	// FrameAncestors may show the page in a frame (CSP frame-ancestors);
	// empty means no site may, not even Folio's own.
	FrameAncestors []string `mapstructure:"frame_ancestors"`
	MaxBodyBytes   int64    `mapstructure:"max_body_bytes"`
	MaxHeaderBytes int      `mapstructure:"max_header_bytes"`
	// MaxConcurrentSearches is how many searches run at once; 0 chooses
	// by backend (see the server's searchSlotsFor).
	MaxConcurrentSearches int           `mapstructure:"max_concurrent_searches"`
	SearchQueueTimeout    time.Duration `mapstructure:"search_queue_timeout"`
	// MemoryMiB is the memory serving aims to stay within: before the
	// garbage collector runs, the heap may grow into what the index's
	// resident mapped files leave of it (at most a quarter of the
	// machine's memory), or to twice the live heap when that is more
	// (GOGC, if set, wins); 0 leaves Go's pace.
	MemoryMiB int `mapstructure:"memory_mib"`
	// ShutdownTimeout is the grace period on SIGTERM: requests in flight
	// get this long, then running searches are cancelled and the index closes.
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout"`
	// Exports have slots of their own, so that streams cannot starve
	// searches; a client that takes nothing for ExportStallTimeout is cut
	// off, and a whole export ends after ExportTimeout.
	MaxConcurrentExports int           `mapstructure:"max_concurrent_exports"`
	ExportStallTimeout   time.Duration `mapstructure:"export_stall_timeout"`
	ExportTimeout        time.Duration `mapstructure:"export_timeout"`
	// IngestTimeout bounds the upload of one POST /api/ingest (the
	// read_timeout of searches is too short for uploads).
	IngestTimeout time.Duration `mapstructure:"ingest_timeout"`
	// TrustedProxies are the addresses (CIDR or IP) whose X-Forwarded-For
	// is believed when naming a request's client.
	TrustedProxies []string `mapstructure:"trusted_proxies"`
	// AdminMaxFailures is how many wrong admin tokens one client address
	// may send a minute before it is answered 429.
	AdminMaxFailures int `mapstructure:"admin_max_failures"`
	// /metrics answers clients in MetricsAllow (CIDR or IP), or any client
	// that sends "Authorization: Bearer <MetricsToken>" when that is set.
	MetricsAllow []string `mapstructure:"metrics_allow"`
	MetricsToken string   `mapstructure:"metrics_token"`
}

// Backends of index.backend.
const (
	BackendBleve      = "bleve"      // the embedded index in data_dir
	BackendOpenSearch = "opensearch" // an OpenSearch cluster
)

type IndexConfig struct {
	Backend string `mapstructure:"backend"`
}

// OpenSearchConfig names the cluster and index of the opensearch backend.
type OpenSearchConfig struct {
	URLs     []string `mapstructure:"urls"`
	Index    string   `mapstructure:"index"`
	Username string   `mapstructure:"username"`
	Password string   `mapstructure:"password"`
	Shards   int      `mapstructure:"shards"`   // of a new index
	Replicas int      `mapstructure:"replicas"` // of a new index
	// InsecureSkipVerify accepts any TLS certificate (a test cluster's).
	InsecureSkipVerify bool `mapstructure:"insecure_skip_verify"`
	// CAFile is a PEM file of the certificates that sign the cluster's,
	// trusted besides the system's.
	CAFile string `mapstructure:"ca_file"`
}

type CorpusConfig struct {
	// Paths are what `folio serve` ingests when the data dir has no index.
	// The word "bundled" stands for the sample corpus inside the binary.
	Paths []string `mapstructure:"paths"`
}

type IngestConfig struct {
	BatchSize int `mapstructure:"batch_size"`
	// BatchBytes closes a batch before BatchSize articles once their
	// titles and bodies reach it: a batch's memory grows with its text.
	BatchBytes int64 `mapstructure:"batch_bytes"`
	Workers    int   `mapstructure:"workers"`
	Writers    int   `mapstructure:"writers"` // batches written to the index at once
	// MemoryLimitMiB is a soft limit on the ingesting process's memory,
	// the Go runtime's GOMEMLIMIT; 0 for none.
	MemoryLimitMiB int `mapstructure:"memory_limit_mib"`
	// HeapMiB is the heap an ingest lets grow before the garbage
	// collector runs, when twice the live heap is less (GOGC, if set,
	// wins); 0 leaves Go's pace.
	HeapMiB int `mapstructure:"heap_mib"`
}

type SearchConfig struct {
	DefaultSize  int `mapstructure:"default_size"`
	MaxSize      int `mapstructure:"max_size"`
	MaxPage      int `mapstructure:"max_page"`
	MaxQueryLen  int `mapstructure:"max_query_len"`
	FacetSize    int `mapstructure:"facet_size"`
	MaxFacetSize int `mapstructure:"max_facet_size"`
	Snippets     int `mapstructure:"snippets"`
	ExportMax    int `mapstructure:"export_max"`
	// Timeout is the deadline of one search; beyond it the answer is 503
	// with the code "timeout".
	Timeout time.Duration `mapstructure:"timeout"`
	// MaxExpansions is how many index terms the prefix and fuzzy words of
	// one query may expand to in all; a query that needs more is a 400.
	MaxExpansions int `mapstructure:"max_expansions"`
	// CacheMaxAge is the max-age of the public Cache-Control header on
	// search answers; 0 sends no-store.
	CacheMaxAge time.Duration `mapstructure:"cache_max_age"`
	// Expand is whether searches rank with pseudo-relevance feedback when
	// the request does not say (the expand parameter).
	Expand bool `mapstructure:"expand"`
}

type NERConfig struct {
	Enabled bool `mapstructure:"enabled"`
	// Quotes turns on quote extraction at ingest (after the entities,
	// whose canonical names the speakers take).
	Quotes bool `mapstructure:"quotes"`
	// Aliases lists groups of spellings of one entity; the first spelling of
	// each group is the canonical name. (A list, not a map: Viper lower-cases
	// map keys, and canonical names keep their case.)
	Aliases [][]string `mapstructure:"aliases"`
	// EntitiesFile is the file of curation rules applied after entity
	// extraction (see internal/curate); "" for entities.yaml in the data
	// directory. An absent file has no rules.
	EntitiesFile string `mapstructure:"entities_file"`
}

// EntitiesPath is the path of the entities file.
func (c *Config) EntitiesPath() string {
	if c.NER.EntitiesFile != "" {
		return c.NER.EntitiesFile
	}
	return filepath.Join(c.DataDir, "entities.yaml")
}

// Bundled is the corpus path that names the sample corpus embedded in the binary.
const Bundled = "bundled"

func setDefaults(v *viper.Viper) {
	v.SetDefault("data_dir", "data")
	v.SetDefault("server.addr", "localhost:8080")
	v.SetDefault("server.read_timeout", "10s")
	v.SetDefault("server.write_timeout", "30s")
	v.SetDefault("server.idle_timeout", "120s")
	v.SetDefault("server.admin_token", "")
	v.SetDefault("server.cors_origins", []string{})
	v.SetDefault("server.frame_ancestors", []string{})
	v.SetDefault("server.max_body_bytes", 64<<20)
	v.SetDefault("server.max_header_bytes", 16<<10)
	v.SetDefault("server.max_concurrent_searches", 0)
	v.SetDefault("server.memory_mib", 1536)
	v.SetDefault("server.search_queue_timeout", "2s")
	v.SetDefault("server.shutdown_timeout", "10s")
	v.SetDefault("server.max_concurrent_exports", 2)
	v.SetDefault("server.export_stall_timeout", "10s")
	v.SetDefault("server.export_timeout", "10m")
	v.SetDefault("server.ingest_timeout", "10m")
	v.SetDefault("server.trusted_proxies", []string{})
	v.SetDefault("server.admin_max_failures", 10)
	v.SetDefault("server.metrics_allow", []string{"127.0.0.0/8", "::1/128"})
	v.SetDefault("server.metrics_token", "")
	v.SetDefault("corpus.paths", []string{Bundled})
	v.SetDefault("ingest.batch_size", 2000)
	v.SetDefault("ingest.batch_bytes", 16<<20)
	v.SetDefault("ingest.workers", 0)
	v.SetDefault("ingest.writers", 2)
	v.SetDefault("ingest.memory_limit_mib", 2048)
	v.SetDefault("ingest.heap_mib", 1024)
	v.SetDefault("search.default_size", 10)
	v.SetDefault("search.max_size", 100)
	v.SetDefault("search.max_page", 100)
	v.SetDefault("search.max_query_len", 1000)
	v.SetDefault("search.facet_size", 10)
	v.SetDefault("search.max_facet_size", 200)
	v.SetDefault("search.snippets", 3)
	v.SetDefault("search.export_max", 100000)
	v.SetDefault("search.timeout", "5s")
	v.SetDefault("search.max_expansions", 4000)
	v.SetDefault("search.cache_max_age", "30s")
	v.SetDefault("search.expand", true)
	v.SetDefault("ner.enabled", true)
	v.SetDefault("ner.quotes", true)
	v.SetDefault("ner.entities_file", "")
	v.SetDefault("crawl.user_agent", "FolioBot/1.0 (+https://github.com/folio-search/folio)")
	v.SetDefault("crawl.rate", 1.0)
	v.SetDefault("crawl.concurrency", 2)
	v.SetDefault("crawl.max_body_bytes", 10<<20)
	v.SetDefault("crawl.timeout", "30s")
	v.SetDefault("crawl.max_redirects", 5)
	v.SetDefault("crawl.max_pages", 10000)
	v.SetDefault("crawl.max_depth", 3)
	v.SetDefault("crawl.allow_private", false)
	v.SetDefault("sources", []map[string]any{})
	v.SetDefault("index.backend", BackendBleve)
	v.SetDefault("opensearch.urls", []string{})
	v.SetDefault("opensearch.index", "folio")
	v.SetDefault("opensearch.username", "")
	v.SetDefault("opensearch.password", "")
	v.SetDefault("opensearch.shards", 1)
	v.SetDefault("opensearch.replicas", 1)
	v.SetDefault("opensearch.insecure_skip_verify", false)
	v.SetDefault("opensearch.ca_file", "")
}

// Load reads the configuration. file is the path given with --config, or
// "" to look for config.yaml in the working directory (absent is fine).
// Flags that were set on the command line override everything else; a flag
// named "data-dir" sets the key "data_dir", "addr" sets "server.addr".
func Load(file string, flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	setDefaults(v)
	v.SetEnvPrefix("FOLIO")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()

	if file == "" {
		if _, err := os.Stat("config.yaml"); err == nil {
			file = "config.yaml"
		}
	}
	var warnings []string
	var lines map[string]int
	if file != "" {
		if ext := strings.ToLower(filepath.Ext(file)); ext == ".yaml" || ext == ".yml" {
			var err error
			if warnings, lines, err = checkFile(file); err != nil {
				return nil, fmt.Errorf("config %w", err)
			}
		}
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config %s: %w", file, err)
		}
	}
	if flags != nil {
		for flag, key := range flagKeys {
			if f := flags.Lookup(flag); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return nil, err
				}
			}
		}
	}

	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, placeError(err, file, lines)
	}
	// Viper's AutomaticEnv does not split lists: FOLIO_CORPUS_PATHS="a b"
	// would arrive as one path.
	for _, list := range []*[]string{&c.Corpus.Paths, &c.Server.CORSOrigins, &c.Server.FrameAncestors, &c.Server.TrustedProxies, &c.Server.MetricsAllow, &c.OpenSearch.URLs} {
		*list = splitList(*list)
	}
	c.Warnings = warnings
	return &c, c.validate()
}

// splitList splits a list that arrived as one space- or comma-separated
// string from the environment.
func splitList(list []string) []string {
	if len(list) != 1 || !strings.ContainsAny(list[0], " ,") {
		return list
	}
	return strings.FieldsFunc(list[0], func(r rune) bool { return r == ' ' || r == ',' })
}

// flagKeys maps command-line flag names to configuration keys.
var flagKeys = map[string]string{
	"data-dir":   "data_dir",
	"addr":       "server.addr",
	"batch-size": "ingest.batch_size",
	"workers":    "ingest.workers",
	"ner":        "ner.enabled",
	"quotes":     "ner.quotes",
}

func (c *Config) validate() error {
	switch {
	case c.DataDir == "":
		return errors.New("config: data_dir is empty")
	case c.Index.Backend != BackendBleve && c.Index.Backend != BackendOpenSearch:
		return fmt.Errorf("config: index.backend must be %q or %q, got %q", BackendBleve, BackendOpenSearch, c.Index.Backend)
	case c.Index.Backend == BackendOpenSearch && len(c.OpenSearch.URLs) == 0:
		return errors.New("config: index.backend is opensearch but opensearch.urls is empty")
	case c.Server.MaxConcurrentSearches < 0:
		return fmt.Errorf("config: server.max_concurrent_searches must be 0 (one a core; 8 for OpenSearch) or more, got %d", c.Server.MaxConcurrentSearches)
	case c.Ingest.BatchSize < 1:
		return fmt.Errorf("config: ingest.batch_size must be at least 1, got %d", c.Ingest.BatchSize)
	case c.Ingest.BatchBytes < 1<<20:
		return fmt.Errorf("config: ingest.batch_bytes must be at least 1048576 (1 MiB), got %d", c.Ingest.BatchBytes)
	case c.Ingest.Writers < 1 || c.Ingest.Writers > 4:
		return fmt.Errorf("config: ingest.writers must be between 1 and 4, got %d", c.Ingest.Writers)
	case c.Server.MemoryMiB < 0:
		return fmt.Errorf("config: server.memory_mib must be 0 (Go's pace) or more, got %d", c.Server.MemoryMiB)
	case c.Ingest.HeapMiB < 0:
		return fmt.Errorf("config: ingest.heap_mib must be 0 (Go's pace) or more, got %d", c.Ingest.HeapMiB)
	case c.Server.MaxConcurrentExports < 1:
		return fmt.Errorf("config: server.max_concurrent_exports must be at least 1, got %d", c.Server.MaxConcurrentExports)
	case c.Server.ExportStallTimeout <= 0 || c.Server.ExportTimeout <= 0:
		return fmt.Errorf("config: server.export_stall_timeout (%s) and server.export_timeout (%s) must be positive",
			c.Server.ExportStallTimeout, c.Server.ExportTimeout)
	case c.Search.Timeout <= 0:
		return fmt.Errorf("config: search.timeout must be positive, got %s", c.Search.Timeout)
	case c.Search.MaxExpansions < 1:
		return fmt.Errorf("config: search.max_expansions must be at least 1, got %d", c.Search.MaxExpansions)
	case strings.TrimSpace(c.Crawl.UserAgent) == "":
		return errors.New("config: crawl.user_agent is empty; name the crawler and a contact")
	case c.Crawl.Rate <= 0 || c.Crawl.Concurrency < 1 || c.Crawl.MaxBodyBytes < 1 || c.Crawl.Timeout <= 0:
		return fmt.Errorf("config: crawl.rate (%g), crawl.concurrency (%d), crawl.max_body_bytes (%d) and crawl.timeout (%s) must be positive",
			c.Crawl.Rate, c.Crawl.Concurrency, c.Crawl.MaxBodyBytes, c.Crawl.Timeout)
	case c.Crawl.MaxRedirects < 0 || c.Crawl.MaxPages < 0 || c.Crawl.MaxDepth < 1:
		return fmt.Errorf("config: crawl.max_redirects (%d) and crawl.max_pages (%d) must not be negative, crawl.max_depth (%d) at least 1",
			c.Crawl.MaxRedirects, c.Crawl.MaxPages, c.Crawl.MaxDepth)
	case c.Search.MaxSize < 1 || c.Search.DefaultSize < 1 || c.Search.DefaultSize > c.Search.MaxSize:
		return fmt.Errorf("config: search.default_size (%d) must be between 1 and search.max_size (%d)", c.Search.DefaultSize, c.Search.MaxSize)
	}
	for _, o := range c.Server.FrameAncestors {
		// A source expression, never a way to end the directive and add another.
		if o != "'self'" && (!strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.ContainsAny(o, "; ,'\"")) {
			return fmt.Errorf("config: server.frame_ancestors: %q is not an origin such as https://news.example or 'self'", o)
		}
	}
	for i, src := range c.Sources {
		if !strings.HasPrefix(src.URL, "http://") && !strings.HasPrefix(src.URL, "https://") {
			return fmt.Errorf("config: sources[%d].url %q is not an http(s) URL", i, src.URL)
		}
		if src.Every <= 0 {
			return fmt.Errorf("config: sources[%d].every (%s) must be positive", i, src.Every)
		}
	}
	return nil
}

// Default is the configuration with every key at its default, ignoring
// config files and the environment (for tests and embedding).
func Default() *Config {
	v := viper.New()
	setDefaults(v)
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		panic(err) // the defaults are constants; failing here is a bug
	}
	return &c
}
