package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/server"
)

// Engine names.
const (
	Folio = "folio"
	FTS5  = "fts5"
)

// fts5BatchSize is the number of articles per FTS5 transaction.
const fts5BatchSize = 5000

// IngestResult is what an ingest child reports.
type IngestResult struct {
	Engine      string  `json:"engine"`
	NER         bool    `json:"ner"`
	Docs        int     `json:"docs"`
	Rejected    int     `json:"rejected"`
	TextBytes   int64   `json:"text_bytes"`
	Entities    int64   `json:"entities"` // found by extraction, over all articles
	WallSec     float64 `json:"wall_s"`   // from opening the index to closing it
	CPUSec      float64 `json:"cpu_s"`    // user + system time of the child: robust to a busy machine
	CloseSec    float64 `json:"close_s"`  // of which after the last batch: merge, relinking and close (Folio), optimize and close (FTS5)
	DocsPerSec  float64 `json:"docs_per_s"`
	MBPerSec    float64 `json:"mb_per_s"` // MB (10^6 bytes) of title and body text per second
	PeakRSS     int64   `json:"peak_rss"` // bytes, VmHWM of the child
	IndexBytes  int64   `json:"index_bytes"`
	IndexToText float64 `json:"index_to_text"`
}

// statusBytes reads a "kB" field of /proc/self/status, in bytes.
func statusBytes(name string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			if f := strings.Fields(rest); len(f) == 2 && f[1] == "kB" {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// PeakRSS is the peak resident set size of this process (VmHWM), in bytes.
func PeakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				f := strings.Fields(rest)
				if n, err := strconv.ParseInt(f[0], 10, 64); err == nil && len(f) == 2 && f[1] == "kB" {
					return n << 10
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// selfCPU is the user and system time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the user and system time process pid has used, from
// /proc/pid/stat (in clock ticks of 10 ms on Linux).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// dirSize is the apparent size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// Profiles starts a CPU profile to cpu (if set) and returns the function
// that stops it and writes the allocation profile to mem (if set).
func Profiles(cpu, mem string) (func(), error) {
	var f *os.File
	if cpu != "" {
		var err error
		if f, err = os.Create(cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem != "" {
			if m, err := os.Create(mem); err == nil {
				pprof.Lookup("allocs").WriteTo(m, 0)
				m.Close()
			}
		}
	}, nil
}

// progress prints an ingest's progress to stderr every 15 seconds.
func progress(engine string, total int) func(done int, bytes int64, elapsed time.Duration) {
	var last time.Time
	return func(done int, bytes int64, elapsed time.Duration) {
		if time.Since(last) < 15*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(os.Stderr, "  %s: %d/%d articles, %.0f/s, RSS peak %s\n", engine, done, total,
			float64(done)/elapsed.Seconds(), human(PeakRSS()))
	}
}

// countingEnrich wraps enrich so that the entities it finds are counted.
func countingEnrich(enrich func(*corpus.Article), n *atomic.Int64) func(*corpus.Article) {
	if enrich == nil {
		return nil
	}
	return func(a *corpus.Article) {
		enrich(a)
		n.Add(int64(len(a.Entities)))
	}
}

// Open opens the engine's index in dir, creating it if needed. It is the
// one place of the benchmark that knows the engines' packages: all else
// drives a search.Engine.
func Open(engine, dir string) (search.Engine, error) {
	switch engine {
	case Folio:
		ix, err := index.Open(dir)
		if err != nil {
			return nil, err
		}
		return ix, nil
	case FTS5:
		db, err := fts5.Open(dir)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	return nil, fmt.Errorf("unknown engine %q", engine)
}

// Ingest builds the engine's index of the corpus at path in dir (which must
// not exist yet) the way folio ingest does: the ingest step (ingest.Run)
// with the engine as its Writer, then FinishIngest with the final merge
// (Folio: merge and relinking people; FTS5: optimize). opts are the
// settings of folio ingest; FTS5 writes batches of fts5BatchSize, one at
// a time, as SQLite has one writer. total is the number of articles, for
// progress lines only.
func Ingest(ctx context.Context, engine, path, dir string, total int, opts ingest.Options, ner bool) (IngestResult, error) {
	res := IngestResult{Engine: engine, NER: ner}
	var entities atomic.Int64
	show := progress(engine, total)
	start := time.Now()
	var e search.Engine
	var err error
	if engine == Folio {
		// As folio ingest opens it: for a bulk ingest.
		e, err = index.OpenWith(dir, index.OpenOptions{Bulk: true})
	} else {
		e, err = Open(engine, dir)
	}
	if err != nil {
		return res, err
	}
	if engine == FTS5 {
		opts.Size, opts.Writers = fts5BatchSize, 1
	}
	// What follows the last batch (merging, relinking, closing) is timed
	// as closing.
	closeStart := time.Now() // until a batch is written
	opts.Enrich = countingEnrich(opts.Enrich, &entities)
	opts.OnBatch = func(s ingest.Stats) {
		show(s.Indexed, s.Bytes, s.Elapsed)
		closeStart = time.Now()
	}
	opts.OnError = func(err error) { fmt.Fprintln(os.Stderr, err) }
	st, err := ingest.Run(ctx, corpus.ReadFile(path), e, opts)
	if err == nil {
		err = e.FinishIngest(ctx, st.Indexed > 0)
	}
	if cerr := e.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	res.Docs, res.Rejected, res.TextBytes = st.Indexed, st.Rejected, st.Bytes
	wall := time.Since(start)
	res.WallSec = wall.Seconds()
	res.CloseSec = time.Since(closeStart).Seconds()
	res.DocsPerSec = float64(res.Docs) / wall.Seconds()
	res.MBPerSec = float64(res.TextBytes) / 1e6 / wall.Seconds()
	res.Entities = entities.Load()
	res.CPUSec = selfCPU().Seconds()
	res.PeakRSS = PeakRSS()
	res.IndexBytes = dirSize(dir)
	if res.TextBytes > 0 {
		res.IndexToText = float64(res.IndexBytes) / float64(res.TextBytes)
	}
	return res, nil
}

// ServeInfo is what a serving child reports: first where it listens, then,
// when told to stop, its peak memory.
type ServeInfo struct {
	Base         string `json:"base,omitempty"`          // URL prefix for queries without snippets
	BaseSnippets string `json:"base_snippets,omitempty"` // URL prefix for class (d)
	PeakRSS      int64  `json:"peak_rss,omitempty"`
	OpenRSS      int64  `json:"open_rss,omitempty"` // RSS peak right after opening the index
	// At the end: resident anonymous memory (heap, SQLite's caches) and
	// resident file pages (the index files mapped into memory).
	RSSAnon int64 `json:"rss_anon,omitempty"`
	RSSFile int64 `json:"rss_file,omitempty"`
}

// fts5SearchSlots are the searches FTS5's server runs at once.
const fts5SearchSlots = 8

// searchPath is the API's search endpoint, which both engines answer.
const searchPath = "/api/search"

// Serve opens the engine's index in dir and answers searches on loopback
// HTTP until stdin is closed; the first line on out says where, the second
// (after stdin closes) the peak RSS. Both engines are served alike, by
// Folio's real server (internal/server) holding the engine, twice on one
// index: with snippets off for classes (a)–(c), (e), and with three
// snippets per hit for (d). Both pay the same HTTP, parsing and JSON.
func Serve(engine, dir string, cfg *config.Config, in io.Reader, out io.Writer) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, err := Open(engine, dir)
	if err != nil {
		return err
	}
	defer e.Close()
	var info ServeInfo
	for _, snippets := range []int{0, 3} {
		c := *cfg
		c.Search.Snippets = snippets
		if engine == FTS5 && c.Server.MaxConcurrentSearches == 0 {
			// FTS5's searches are as CPU-bound as Folio's, but its tail
			// is its costly common words, which a slot a core queues the
			// rest behind: eight slots serve it better (at 20,000
			// articles, eight clients: p99 of class (d) 27 against 30 ms).
			c.Server.MaxConcurrentSearches = fts5SearchSlots
		}
		s, err := server.New(e, &c, nil)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go s.Serve(ctx, ln)
		base := "http://" + ln.Addr().String()
		if snippets == 0 {
			info.Base = base
		} else {
			info.BaseSnippets = base
		}
	}
	info.OpenRSS = PeakRSS()
	if err := json.NewEncoder(out).Encode(info); err != nil {
		return err
	}
	io.Copy(io.Discard, bufio.NewReader(in)) // until the parent closes stdin
	cancel()
	runtime.GC()
	return json.NewEncoder(out).Encode(ServeInfo{PeakRSS: PeakRSS(), RSSAnon: statusBytes("RssAnon"), RSSFile: statusBytes("RssFile")})
}

func human(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", b>>10)
}
