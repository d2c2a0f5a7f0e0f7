package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/fts5"
)

// Options configure a benchmark run.
type Options struct {
	Docs       int           // articles in the corpus
	Source     string        // JSON Lines the corpus is replicated from
	Work       string        // directory for the corpus and the indexes; "" for a temporary one
	Keep       bool          // keep a temporary work directory
	NER        string        // entity extraction at ingest: "both", "on" or "off"
	Out        string        // JSON report path; "" for none
	CPUProfile string        // Folio's CPU profile while serving (ingest profiles get a suffix)
	MemProfile string        // Folio's allocation profile, likewise
	Queries    int           // queries per class and cell
	CellTime   time.Duration // cap per cell (class × clients × engine)
	Clients    []int         // concurrency levels
	Seed       uint64        // query sampling seed
	Exe        string        // the folio binary, re-executed for each engine
	ChildArgs  []string      // flags passed on to children (--config …)
	Command    string        // the command line, for the report
	Log        io.Writer     // progress
}

// child runs `folio bench-child ARGS…` with stdout piped.
type child struct {
	cmd   *exec.Cmd
	out   *bufio.Reader
	stdin io.WriteCloser
}

func (o *Options) start(ctx context.Context, args ...string) (*child, error) {
	all := append(append([]string{"bench-child"}, args...), o.ChildArgs...)
	cmd := exec.CommandContext(ctx, o.Exe, all...)
	cmd.Stderr = o.Log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &child{cmd: cmd, out: bufio.NewReader(stdout), stdin: stdin}, nil
}

// read decodes the child's next line of JSON into v.
func (c *child) read(v any) error {
	line, err := c.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("child %s: no answer (%v)", strings.Join(c.cmd.Args[1:], " "), err)
	}
	return json.Unmarshal(line, v)
}

// profilePath is base with a suffix before its extension:
// folio.pprof → folio-ingest-ner-on.pprof.
func profilePath(base, suffix string) string {
	if base == "" {
		return ""
	}
	ext := filepath.Ext(base)
	return strings.TrimSuffix(base, ext) + "-" + suffix + ext
}

func (o *Options) logf(format string, a ...any) { fmt.Fprintf(o.Log, format+"\n", a...) }

// settle waits (up to two minutes) until the child uses less than a tenth
// of a core: cancelled queries finishing, or merges after opening an
// index, are then not billed to the next cell.
func (o *Options) settle(c *child) {
	pid := c.cmd.Process.Pid
	start := time.Now()
	for time.Since(start) < 2*time.Minute {
		cpu0 := procCPU(pid)
		time.Sleep(300 * time.Millisecond)
		if procCPU(pid)-cpu0 <= 30*time.Millisecond {
			break
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		o.logf("    (waited %s for the engine to go idle)", d.Round(time.Second))
	}
}

// Run runs the benchmark and returns its report.
func Run(ctx context.Context, o Options) (*Report, error) {
	began := time.Now()
	if err := fts5.Available(); err != nil {
		return nil, err // before building a corpus for nothing
	}
	var ners []bool
	switch o.NER {
	case "off":
		ners = []bool{false}
	case "on":
		ners = []bool{true}
	case "both", "":
		ners = []bool{false, true}
	default:
		return nil, fmt.Errorf("--ner must be both, on or off, got %q", o.NER)
	}
	if o.Work == "" {
		dir, err := os.MkdirTemp("", "folio-bench-")
		if err != nil {
			return nil, err
		}
		o.Work = dir
		if !o.Keep {
			defer os.RemoveAll(dir)
		}
	} else if err := os.MkdirAll(o.Work, 0o755); err != nil {
		return nil, err
	}
	rep := &Report{Machine: machine(), Command: o.Command, Started: began.UTC(), Options: ReportOptions{
		Docs: o.Docs, Source: o.Source, NER: o.NER, Queries: o.Queries, CellTime: o.CellTime.String(),
		Clients: o.Clients, Seed: o.Seed, Work: o.Work,
	}}

	// The corpus.
	src, err := LoadSource(o.Source)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(o.Work, fmt.Sprintf("corpus-%d.jsonl", o.Docs))
	t0 := time.Now()
	cs, reused, err := EnsureCorpus(path, o.Source, src, o.Docs)
	if err != nil {
		return nil, err
	}
	rep.Corpus = cs
	o.logf("corpus: %d articles, %.1f MB of text, %d replica(s) of %d source articles (%s, %s)",
		cs.Docs, float64(cs.TextBytes)/1e6, cs.Replicas, len(src), path, map[bool]string{true: "reused", false: "written in " + time.Since(t0).Round(time.Millisecond).String()}[reused])

	rep.LoadAvg = append(rep.LoadAvg, "start: "+loadAvg())
	// Ingest, each engine in a child of its own.
	dirs := map[string]string{}
	for _, ner := range ners {
		for _, engine := range []string{Folio, FTS5} {
			tag := "ner-" + map[bool]string{true: "on", false: "off"}[ner]
			dir := filepath.Join(o.Work, engine+"-"+tag)
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
			args := []string{"ingest", "--engine", engine, "--corpus", path, "--dir", dir, "--ner=" + strconv.FormatBool(ner), "--docs", strconv.Itoa(o.Docs)}
			if engine == Folio {
				if p := profilePath(o.CPUProfile, "ingest-"+tag); p != "" {
					args = append(args, "--cpuprofile", p)
				}
				if p := profilePath(o.MemProfile, "ingest-"+tag); p != "" {
					args = append(args, "--memprofile", p)
				}
			}
			o.logf("ingest: %s, entity extraction %v …", engine, map[bool]string{true: "on", false: "off"}[ner])
			c, err := o.start(ctx, args...)
			if err != nil {
				return nil, err
			}
			c.stdin.Close()
			var res IngestResult
			rerr := c.read(&res)
			if err := c.cmd.Wait(); err != nil {
				return nil, fmt.Errorf("ingest %s: %w", engine, err)
			}
			if rerr != nil {
				return nil, rerr
			}
			o.logf("  %s: %d articles in %.1fs (CPU %.1fs), %.0f docs/s, %.2f MB/s, peak RSS %s, index %s (%.2f× text), %d entities",
				engine, res.Docs, res.WallSec, res.CPUSec, res.DocsPerSec, res.MBPerSec, human(res.PeakRSS), human(res.IndexBytes), res.IndexToText, res.Entities)
			rep.Ingest = append(rep.Ingest, res)
			dirs[engine] = dir // the last mode (entities on, if run) is served
		}
	}

	rep.LoadAvg = append(rep.LoadAvg, "after ingest: "+loadAvg())
	// The queries, sampled from the source text and from the entities
	// that the served FTS5 index holds (the same extraction fed both).
	ref, err := Open(FTS5, dirs[FTS5])
	if err != nil {
		return nil, err
	}
	lookup := func(id string) map[string][]string {
		a, err := ref.Article(ctx, id)
		if err != nil {
			return nil
		}
		out := map[string][]string{}
		for _, f := range facet.All {
			if f.EntityType != "" {
				out[f.Name] = f.Values(a)
			}
		}
		return out
	}
	queries := Generate(src[:min(o.Docs, len(src))], cs.Replicas, lookup, o.Queries, o.Seed)
	keystrokes := GenerateSuggest(src[:min(o.Docs, len(src))], lookup, o.Queries, o.Seed)
	ref.Close()
	rep.Queries = queries

	// Serve both engines, each in its own process, and load them in
	// turns, cell by cell (alternating which goes first), so that both
	// meet the same background load on a shared machine. Between cells the
	// engine that just ran is left to finish what it was doing.
	servers := map[string]*child{}
	infos := map[string]ServeInfo{}
	defer func() {
		for _, c := range servers {
			c.stdin.Close()
			c.cmd.Wait()
		}
	}()
	for _, engine := range []string{Folio, FTS5} {
		args := []string{"serve", "--engine", engine, "--dir", dirs[engine]}
		if engine == Folio {
			if o.CPUProfile != "" {
				args = append(args, "--cpuprofile", o.CPUProfile)
			}
			if o.MemProfile != "" {
				args = append(args, "--memprofile", o.MemProfile)
			}
		}
		c, err := o.start(ctx, args...)
		if err != nil {
			return nil, err
		}
		servers[engine] = c
		var info ServeInfo
		if err := c.read(&info); err != nil {
			return nil, err
		}
		infos[engine] = info
		o.logf("serve: %s on %s (index opened, RSS %s)", engine, info.Base, human(info.OpenRSS))
		o.settle(c)
	}
	totals := map[string]map[string][]int64{Folio: {}, FTS5: {}}
	client := newClient()
	turn := 0
	for _, class := range Classes {
		urls := map[string][]string{}
		for _, engine := range []string{Folio, FTS5} {
			for _, q := range queries[class] {
				urls[engine] = append(urls[engine], queryURL(infos[engine], q))
			}
			// Each query once: the warm-up, and the totals to compare.
			t, err := Totals(ctx, client, urls[engine], 2*o.CellTime)
			if err != nil {
				o.logf("  %s %s: error during warm-up: %v", engine, class, err)
			}
			totals[engine][class] = t
			o.settle(servers[engine])
		}
		for _, n := range o.Clients {
			order := []string{Folio, FTS5}
			if turn++; turn%2 == 0 {
				order = []string{FTS5, Folio}
			}
			for _, engine := range order {
				pid := servers[engine].cmd.Process.Pid
				cpu0 := procCPU(pid)
				cell := Load(ctx, client, urls[engine], n, o.Queries, o.CellTime)
				cell.Engine, cell.Class = engine, class
				if cell.Queries > 0 {
					cell.CPUPerQuery = ms(procCPU(pid)-cpu0) / float64(cell.Queries)
				}
				rep.Cells = append(rep.Cells, cell)
				note := ""
				if cell.Capped {
					note = " (time cap)"
				}
				if cell.Cut > 0 {
					note += fmt.Sprintf(" (%d cut off)", cell.Cut)
				}
				o.logf("  %-5s %-28s %2d clients: %4d queries, p50 %8.2f ms, p95 %8.2f ms, p99 %8.2f ms, %7.1f q/s, server CPU %7.2f ms/q%s",
					engine, ClassNames[class], n, cell.Queries, cell.P50, cell.P95, cell.P99, cell.QPS, cell.CPUPerQuery, note)
				if cell.Errors > 0 {
					o.logf("    %d errors, first: %s", cell.Errors, cell.FirstErr)
				}
				o.settle(servers[engine])
			}
		}
	}
	// Suggestions, Folio alone.
	var surls []string
	for _, k := range keystrokes {
		surls = append(surls, suggestURL(infos[Folio], k))
	}
	if _, err := Totals(ctx, client, surls, 2*o.CellTime); err != nil {
		o.logf("  %s %s: error during warm-up: %v", Folio, ClassNames[ClassSuggest], err)
	}
	o.settle(servers[Folio])
	for _, n := range o.Clients {
		pid := servers[Folio].cmd.Process.Pid
		cpu0 := procCPU(pid)
		cell := Load(ctx, client, surls, n, o.Queries, o.CellTime)
		cell.Engine, cell.Class = Folio, ClassSuggest
		if cell.Queries > 0 {
			cell.CPUPerQuery = ms(procCPU(pid)-cpu0) / float64(cell.Queries)
		}
		rep.Cells = append(rep.Cells, cell)
		o.logf("  %-5s %-28s %2d clients: %4d queries, p50 %8.2f ms, p95 %8.2f ms, p99 %8.2f ms, %7.1f q/s, server CPU %7.2f ms/q",
			Folio, ClassNames[ClassSuggest], n, cell.Queries, cell.P50, cell.P95, cell.P99, cell.QPS, cell.CPUPerQuery)
		if cell.Errors > 0 {
			o.logf("    %d errors, first: %s", cell.Errors, cell.FirstErr)
		}
		o.settle(servers[Folio])
	}
	rep.Suggest = keystrokes
	client.CloseIdleConnections()
	for _, engine := range []string{Folio, FTS5} {
		c := servers[engine]
		delete(servers, engine)
		c.stdin.Close()
		var end ServeInfo
		rerr := c.read(&end)
		if err := c.cmd.Wait(); err != nil {
			return nil, fmt.Errorf("serve %s: %w", engine, err)
		}
		if rerr != nil {
			return nil, rerr
		}
		rep.Serve = append(rep.Serve, ServeResult{Engine: engine, PeakRSS: end.PeakRSS, OpenRSS: infos[engine].OpenRSS,
			RSSAnon: end.RSSAnon, RSSFile: end.RSSFile, Transport: transport[engine]})
		o.logf("  %s: peak RSS while serving %s", engine, human(end.PeakRSS))
	}
	rep.LoadAvg = append(rep.LoadAvg, "end: "+loadAvg())
	rep.Totals = compareTotals(queries, totals[Folio], totals[FTS5])
	rep.Targets = targets(rep)
	rep.IngestGoals = ingestGoals(rep)
	rep.DurationSec = time.Since(began).Seconds()
	if o.Out != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return rep, err
		}
		if err := os.WriteFile(o.Out, b, 0o644); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// transport is how each engine is reached: the same way.
var transport = map[string]string{
	Folio: "loopback HTTP, Folio's server (internal/server, Echo) over the Bleve engine, JSON as the API answers it; a search slot a core (the default)",
	FTS5:  "loopback HTTP, Folio's server (internal/server, Echo) over the FTS5 engine, JSON as the API answers it; eight search slots (which serve FTS5 better than one a core)",
}

// queryURL is q's URL on a server: the same API parameters for both
// engines. Facets are computed only for class (c) and snippets only for
// class (d), which goes to the server configured with three snippets.
func queryURL(info ServeInfo, q Query) string {
	v := q.Values()
	base := info.Base
	if q.Snippet {
		base = info.BaseSnippets
	}
	if !q.Facets {
		v.Set("facets", "none")
	}
	if !q.Snippet {
		v.Set("snippets", "0")
	}
	return base + searchPath + "?" + v.Encode()
}

// machine describes where the run happens.
func machine() Machine {
	m := Machine{NProc: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	m.SQLite, _ = fts5.Version()
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					n, _ := strconv.ParseInt(f[0], 10, 64)
					m.MemBytes = n << 10
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
