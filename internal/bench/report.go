package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Machine is where a run happened.
type Machine struct {
	NProc      int    `json:"nproc"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	MemBytes   int64  `json:"mem_bytes"`
	CPU        string `json:"cpu"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	SQLite     string `json:"sqlite"` // the C SQLite FTS5 runs on
}

// ReportOptions are the settings of a run.
type ReportOptions struct {
	Docs     int    `json:"docs"`
	Source   string `json:"source"`
	NER      string `json:"ner"`
	Queries  int    `json:"queries_per_class"`
	CellTime string `json:"cell_time_cap"`
	Clients  []int  `json:"clients"`
	Seed     uint64 `json:"seed"`
	Work     string `json:"work"`
}

// ServeResult is an engine's memory while serving the query phase.
type ServeResult struct {
	Engine    string `json:"engine"`
	PeakRSS   int64  `json:"peak_rss"`
	OpenRSS   int64  `json:"open_rss"`
	RSSAnon   int64  `json:"rss_anon_end"`
	RSSFile   int64  `json:"rss_file_end"`
	Transport string `json:"transport"`
}

// Mismatch is a query whose totals differ.
type Mismatch struct {
	Query string `json:"query"`
	Folio int64  `json:"folio"`
	FTS5  int64  `json:"fts5"`
}

// TotalsCheck compares the engines' totals for one class.
type TotalsCheck struct {
	Class    string     `json:"class"`
	Compared int        `json:"compared"`
	Equal    int        `json:"equal"`
	Within1  int        `json:"within_1pct"`
	Skipped  int        `json:"skipped"` // an engine erred or ran out of time
	Examples []Mismatch `json:"examples"`
}

// Target is one of issue 6's targets, checked.
type Target struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Limit string `json:"limit"`
	Pass  bool   `json:"pass"`
}

// Report is the outcome of a run; it is also written as JSON.
type Report struct {
	Machine     Machine            `json:"machine"`
	Command     string             `json:"command"`
	Started     time.Time          `json:"started"`
	DurationSec float64            `json:"duration_s"`
	LoadAvg     []string           `json:"loadavg"` // the machine's load (1, 5, 15 min) as the run went
	Options     ReportOptions      `json:"options"`
	Corpus      CorpusStats        `json:"corpus"`
	Ingest      []IngestResult     `json:"ingest"`
	Serve       []ServeResult      `json:"serve"`
	Cells       []Cell             `json:"cells"`
	Totals      []TotalsCheck      `json:"totals"`
	Targets     []Target           `json:"targets"`
	IngestGoals []Target           `json:"ingest_goals"` // issue 22's
	Queries     map[string][]Query `json:"queries"`
	Suggest     []string           `json:"suggest"` // the keystroke texts of /api/suggest
}

func compareTotals(queries map[string][]Query, folio, fts map[string][]int64) []TotalsCheck {
	var out []TotalsCheck
	for _, class := range Classes {
		tc := TotalsCheck{Class: class}
		var bad []Mismatch
		for i, q := range queries[class] {
			if i >= len(folio[class]) || i >= len(fts[class]) || folio[class][i] < 0 || fts[class][i] < 0 {
				tc.Skipped++
				continue
			}
			f, s := folio[class][i], fts[class][i]
			tc.Compared++
			switch {
			case f == s:
				tc.Equal++
				tc.Within1++
			case math.Abs(float64(f-s)) <= 0.01*float64(max(f, s)):
				tc.Within1++
				bad = append(bad, Mismatch{q.String(), f, s})
			default:
				bad = append(bad, Mismatch{q.String(), f, s})
			}
		}
		// The largest differences are the instructive ones.
		slices.SortStableFunc(bad, func(a, b Mismatch) int {
			return int(absDiff(b) - absDiff(a))
		})
		tc.Examples = bad[:min(len(bad), 6)]
		out = append(out, tc)
	}
	return out
}

func absDiff(m Mismatch) int64 {
	if m.Folio > m.FTS5 {
		return m.Folio - m.FTS5
	}
	return m.FTS5 - m.Folio
}

func (r *Report) cell(engine, class string, clients int) *Cell {
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Engine == engine && c.Class == class && c.Clients == clients {
			return c
		}
	}
	return nil
}

func (r *Report) ingest(engine string, ner bool) *IngestResult {
	for i := range r.Ingest {
		if r.Ingest[i].Engine == engine && r.Ingest[i].NER == ner {
			return &r.Ingest[i]
		}
	}
	return nil
}

const (
	gib            = 1 << 30
	serveRSSLimit  = 2 * gib
	ingestRSSLimit = 5 * gib / 2
)

func targets(r *Report) []Target {
	var out []Target
	add := func(name, value, limit string, pass bool) {
		out = append(out, Target{name, value, limit, pass})
	}
	// Ingest speed with entities, against plain FTS5 (no extraction: what
	// a user of FTS5 would run), or FTS5 fed the same entities if that is
	// all there is.
	if f := r.ingest(Folio, true); f != nil {
		s, what := r.ingest(FTS5, false), "plain FTS5"
		if s == nil {
			s, what = r.ingest(FTS5, true), "FTS5 with the same extraction"
		}
		if s != nil {
			ratio := f.DocsPerSec / s.DocsPerSec
			value := fmt.Sprintf("%.0f vs %.0f docs/s = %.2f×", f.DocsPerSec, s.DocsPerSec, ratio)
			if same := r.ingest(FTS5, true); same != nil && same != s {
				value += fmt.Sprintf(" (%.2f× against FTS5 fed the same extraction)", f.DocsPerSec/same.DocsPerSec)
			}
			add("ingest docs/s with entities ≥ 0.3× "+what, value, "≥ 0.30×", ratio >= 0.3)
		}
	}
	for _, class := range Classes {
		f, s := r.cell(Folio, class, 1), r.cell(FTS5, class, 1)
		if f != nil && s != nil {
			out = append(out, noSlower(ClassNames[class]+": p99, 1 client ≤ FTS5's", f, s, func(c *Cell) float64 { return c.P99 }, "%.1f"))
		}
	}
	if f := r.cell(Folio, ClassFacets, 1); f != nil {
		add(ClassNames[ClassFacets]+": p50, 1 client ≤ 50 ms", fmt.Sprintf("%.1f ms", f.P50), "≤ 50 ms", f.P50 <= 50)
	}
	for _, class := range Classes {
		f, s := r.cell(Folio, class, 8), r.cell(FTS5, class, 8)
		if f != nil && s != nil && s.QPS > 0 {
			add(ClassNames[class]+": QPS, 8 clients ≥ 2× FTS5's", fmt.Sprintf("%.0f vs %.0f = %.2f×", f.QPS, s.QPS, f.QPS/s.QPS), "≥ 2.0×", f.QPS >= 2*s.QPS)
		}
	}
	if t, ok := suggestTarget(r); ok {
		out = append(out, t)
	}
	for _, s := range r.Serve {
		if s.Engine == Folio {
			add("peak RSS while serving ≤ 2 GiB", human(s.PeakRSS), "≤ 2 GiB", s.PeakRSS <= serveRSSLimit)
		}
	}
	for _, in := range r.Ingest {
		if in.Engine == Folio {
			add(fmt.Sprintf("peak RSS while ingesting (entities %s) ≤ 2.5 GiB", onOff(in.NER)), human(in.PeakRSS), "≤ 2.5 GiB", in.PeakRSS <= ingestRSSLimit)
			add(fmt.Sprintf("index on disk (entities %s) ≤ 3× the text", onOff(in.NER)), fmt.Sprintf("%s = %.2f×", human(in.IndexBytes), in.IndexToText), "≤ 3.0×", in.IndexToText <= 3)
		}
	}
	return out
}

// Issue 22's limits: ingest at half FTS5's pace without entities and a
// third with them, an index of at most 2.2 times the text with entities.
const (
	ingestRatioPlain    = 0.5
	ingestRatioEntities = 0.35
	indexToTextLimit    = 2.2
)

// ingestGoals checks issue 22's targets: ingest against FTS5 with and
// without entities (articles per second, the figure a newsroom waits on;
// per CPU-second beside it, steadier on a shared machine), the index on
// disk against the text, and phrases and every other class against
// FTS5's latencies with one client.
func ingestGoals(r *Report) []Target {
	var out []Target
	add := func(name, value, limit string, pass bool) {
		out = append(out, Target{name, value, limit, pass})
	}
	for _, g := range []struct {
		ner   bool
		limit float64
	}{{false, ingestRatioPlain}, {true, ingestRatioEntities}} {
		f, s := r.ingest(Folio, g.ner), r.ingest(FTS5, g.ner)
		if f == nil || s == nil || s.DocsPerSec == 0 || f.CPUSec == 0 || s.CPUSec == 0 {
			continue
		}
		wall := f.DocsPerSec / s.DocsPerSec
		cpu := (float64(f.Docs) / f.CPUSec) / (float64(s.Docs) / s.CPUSec)
		add(fmt.Sprintf("ingest articles/s, entities %s, ≥ %.2f× FTS5's", onOff(g.ner), g.limit),
			fmt.Sprintf("%.0f vs %.0f = %.2f× (per CPU-second %.2f×)", f.DocsPerSec, s.DocsPerSec, wall, cpu),
			fmt.Sprintf("≥ %.2f×", g.limit), wall >= g.limit)
	}
	if f, s := r.ingest(Folio, true), r.ingest(FTS5, true); f != nil {
		value := fmt.Sprintf("%.2f×", f.IndexToText)
		if s != nil {
			value += fmt.Sprintf(" (FTS5 %.2f×)", s.IndexToText)
		}
		add("index on disk with entities ≤ 2.2× the text", value, "≤ 2.2×", f.IndexToText <= indexToTextLimit)
	}
	for _, class := range Classes {
		f, s := r.cell(Folio, class, 1), r.cell(FTS5, class, 1)
		if f == nil || s == nil {
			continue
		}
		if class == ClassPhrase {
			out = append(out, noSlower(ClassNames[class]+": p50, 1 client ≤ FTS5's", f, s, func(c *Cell) float64 { return c.P50 }, "%.2f"))
		}
		out = append(out, noSlower(ClassNames[class]+": p99, 1 client ≤ FTS5's", f, s, func(c *Cell) float64 { return c.P99 }, "%.1f"))
	}
	if f := r.cell(Folio, ClassFacets, 1); f != nil {
		add(ClassNames[ClassFacets]+": p50, 1 client ≤ 50 ms", fmt.Sprintf("%.1f ms", f.P50), "≤ 50 ms", f.P50 <= 50)
	}
	for _, in := range r.Ingest {
		if in.Engine == Folio {
			add(fmt.Sprintf("peak RSS while ingesting (entities %s) ≤ 2.5 GiB", onOff(in.NER)), human(in.PeakRSS), "≤ 2.5 GiB", in.PeakRSS <= ingestRSSLimit)
		}
	}
	return out
}

// noSlower checks that Folio's latency (stat of cell f) is at or below
// FTS5's (of s). A cell in which FTS5 answered nothing, every query past
// search.timeout or the time cap, has no latency to compare: Folio, which
// answered, holds the target.
func noSlower(name string, f, s *Cell, stat func(*Cell) float64, format string) Target {
	if s.Queries == 0 {
		return Target{name, fmt.Sprintf(format+" ms vs none answered (%d errors)", stat(f), s.Errors), "≤ 1.0×", f.Queries > 0}
	}
	return Target{name, fmt.Sprintf(format+" vs "+format+" ms", stat(f), stat(s)), "≤ 1.0×", stat(f) <= stat(s)}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// Print writes the report as Markdown tables.
func (r *Report) Print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\n## folio bench: %d articles, %.1f MB of text\n\n", r.Corpus.Docs, float64(r.Corpus.TextBytes)/1e6)
	fmt.Fprintf(w, "Machine: %d CPUs (GOMAXPROCS %d), %s, %s RAM, %s, %s, SQLite %s (C, cgo). Run took %s.\n",
		m.NProc, m.GOMAXPROCS, m.CPU, human(m.MemBytes), m.GoVersion, m.OS, m.SQLite, (time.Duration(r.DurationSec) * time.Second).Round(time.Second))
	if r.Command != "" {
		fmt.Fprintf(w, "Command: `%s`\n", r.Command)
	}
	fmt.Fprintf(w, "Load average (1/5/15 min): %s.\n", strings.Join(r.LoadAvg, "; "))

	fmt.Fprintf(w, "\n### Ingest (each engine in its own process; ratio = Folio / FTS5)\n\n")
	fmt.Fprintln(w, "| figure | entities | Folio | FTS5 | Folio/FTS5 |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|")
	for _, ner := range []bool{false, true} {
		f, s := r.ingest(Folio, ner), r.ingest(FTS5, ner)
		if f == nil || s == nil {
			continue
		}
		row := func(name, fv, sv string, a, b float64) {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", name, onOff(ner), fv, sv, ratio(a, b))
		}
		row("wall time", fmt.Sprintf("%.1f s", f.WallSec), fmt.Sprintf("%.1f s", s.WallSec), f.WallSec, s.WallSec)
		row("CPU time (user + sys)", fmt.Sprintf("%.1f s", f.CPUSec), fmt.Sprintf("%.1f s", s.CPUSec), f.CPUSec, s.CPUSec)
		row("docs/s", fmt.Sprintf("%.0f", f.DocsPerSec), fmt.Sprintf("%.0f", s.DocsPerSec), f.DocsPerSec, s.DocsPerSec)
		row("docs per CPU-second", fmt.Sprintf("%.0f", float64(f.Docs)/f.CPUSec), fmt.Sprintf("%.0f", float64(s.Docs)/s.CPUSec), float64(f.Docs)/f.CPUSec, float64(s.Docs)/s.CPUSec)
		row("MB/s of text", fmt.Sprintf("%.2f", f.MBPerSec), fmt.Sprintf("%.2f", s.MBPerSec), f.MBPerSec, s.MBPerSec)
		row("peak RSS", human(f.PeakRSS), human(s.PeakRSS), float64(f.PeakRSS), float64(s.PeakRSS))
		row("index on disk", human(f.IndexBytes), human(s.IndexBytes), float64(f.IndexBytes), float64(s.IndexBytes))
		row("index / text", fmt.Sprintf("%.2f×", f.IndexToText), fmt.Sprintf("%.2f×", s.IndexToText), f.IndexToText, s.IndexToText)
		row("entities found", fmt.Sprint(f.Entities), fmt.Sprint(s.Entities), float64(f.Entities), float64(s.Entities))
	}
	fmt.Fprintf(w, "\nFTS5's wall time includes its `optimize` (FTS5 %s); Folio's includes what follows its last batch: the final merge, relinking people and closing the index (%s).\n",
		closeTimes(r, FTS5), closeTimes(r, Folio))

	fmt.Fprintf(w, "\n### Queries (warm, top 10; latency in ms; ratio = Folio / FTS5, below 1 is Folio faster, QPS above 1 is Folio faster)\n\n")
	for _, s := range r.Serve {
		fmt.Fprintf(w, "- %s: %s\n", s.Engine, s.Transport)
	}
	fmt.Fprintln(w, "\n| class | clients | Folio p50 | FTS5 p50 | ratio | Folio p95 | FTS5 p95 | ratio | Folio p99 | FTS5 p99 | ratio | Folio QPS | FTS5 QPS | ratio | Folio CPU ms/q | FTS5 CPU ms/q | ratio |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, class := range Classes {
		for _, n := range r.Options.Clients {
			f, s := r.cell(Folio, class, n), r.cell(FTS5, class, n)
			if f == nil || s == nil {
				continue
			}
			mark := func(c *Cell) string {
				if c.Capped {
					return "*"
				}
				return ""
			}
			fmt.Fprintf(w, "| %s | %d | %.2f%s | %.2f%s | %s | %.2f | %.2f | %s | %.2f | %.2f | %s | %.1f | %.1f | %s | %.2f | %.2f | %s |\n",
				ClassNames[class], n, f.P50, mark(f), s.P50, mark(s), ratio(f.P50, s.P50), f.P95, s.P95, ratio(f.P95, s.P95),
				f.P99, s.P99, ratio(f.P99, s.P99), f.QPS, s.QPS, ratio(f.QPS, s.QPS), f.CPUPerQuery, s.CPUPerQuery, ratio(f.CPUPerQuery, s.CPUPerQuery))
		}
	}
	fmt.Fprintf(w, "\n| Folio alone | clients | p50 | p95 | p99 | QPS | CPU ms/q |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range r.Options.Clients {
		if c := r.cell(Folio, ClassSuggest, n); c != nil {
			fmt.Fprintf(w, "| %s | %d | %.2f | %.2f | %.2f | %.1f | %.2f |\n", ClassNames[ClassSuggest], n, c.P50, c.P95, c.P99, c.QPS, c.CPUPerQuery)
		}
	}
	fmt.Fprintf(w, "\nCPU ms/q is the serving process's CPU time per answered query (both cores count), the figure least disturbed by other load on the machine.\n")
	fmt.Fprintf(w, "\\* the time cap (%s per cell) stopped sending before all the cell's queries were sent; those under way were waited for. Queries per class: %d, sampled with seed %d. The engines are loaded in turns, cell by cell.\n",
		r.Options.CellTime, r.Options.Queries, r.Options.Seed)
	for _, c := range r.Cells {
		if c.Errors > 0 {
			fmt.Fprintf(w, "- %s %s, %d clients: %d errors (%s)\n", c.Engine, ClassNames[c.Class], c.Clients, c.Errors, c.FirstErr)
		}
		if c.Cut > 0 {
			fmt.Fprintf(w, "- %s %s, %d clients: %d queries still unanswered at twice the cap, left out of the percentiles\n", c.Engine, ClassNames[c.Class], c.Clients, c.Cut)
		}
	}

	fmt.Fprintf(w, "\n### Memory while serving\n\n| engine | after open | peak over the query phase | at the end: anonymous | at the end: mapped files |\n|---|---:|---:|---:|---:|\n")
	for _, s := range r.Serve {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", s.Engine, human(s.OpenRSS), human(s.PeakRSS), human(s.RSSAnon), human(s.RSSFile))
	}

	fmt.Fprintf(w, "\n### Same totals? (each query once, Folio vs FTS5)\n\n| class | compared | equal | within 1%% | largest differences (query: Folio / FTS5) |\n|---|---:|---:|---:|---|\n")
	for _, t := range r.Totals {
		var ex []string
		for _, e := range t.Examples {
			ex = append(ex, fmt.Sprintf("`%s`: %d / %d", strings.ReplaceAll(e.Query, "|", "\\|"), e.Folio, e.FTS5))
		}
		skipped := ""
		if t.Skipped > 0 {
			skipped = fmt.Sprintf(" (%d not compared)", t.Skipped)
		}
		fmt.Fprintf(w, "| %s | %d%s | %d | %d | %s |\n", ClassNames[t.Class], t.Compared, skipped, t.Equal, t.Within1, strings.Join(ex, "; "))
	}

	printTargets(w, "Issue 6 targets (set for 1,000,000 articles)", r.Targets)
	printTargets(w, "Issue 22 targets (set for 1,000,000 articles)", r.IngestGoals)
}

func printTargets(w io.Writer, title string, ts []Target) {
	if len(ts) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### %s\n\n| target | measured | limit | holds |\n|---|---|---|---|\n", title)
	for _, t := range ts {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.Name, t.Value, t.Limit, map[bool]string{true: "yes", false: "**no**"}[t.Pass])
	}
}

func closeTimes(r *Report, engine string) string {
	var parts []string
	for _, in := range r.Ingest {
		if in.Engine == engine {
			parts = append(parts, fmt.Sprintf("%.1f s with entities %s", in.CloseSec, onOff(in.NER)))
		}
	}
	return strings.Join(parts, ", ")
}
