package bench

import (
	"bytes"
	"strings"
	"testing"
)

// TestIngestGoals checks issue 22's targets on a made-up report: each
// passes or fails on its side of its limit, and the printed report lists
// them.
func TestIngestGoals(t *testing.T) {
	r := &Report{
		Ingest: []IngestResult{
			{Engine: Folio, NER: false, Docs: 1000, DocsPerSec: 600, CPUSec: 2, PeakRSS: 1 << 30},
			{Engine: FTS5, NER: false, Docs: 1000, DocsPerSec: 1000, CPUSec: 1},
			{Engine: Folio, NER: true, Docs: 1000, DocsPerSec: 300, CPUSec: 4, PeakRSS: 3 << 30, IndexToText: 2.3},
			{Engine: FTS5, NER: true, Docs: 1000, DocsPerSec: 1000, CPUSec: 2, IndexToText: 3.8},
		},
		Cells: []Cell{
			{Engine: Folio, Class: ClassPhrase, Clients: 1, Queries: 200, P50: 1.0, P99: 9},
			{Engine: FTS5, Class: ClassPhrase, Clients: 1, Queries: 200, P50: 1.2, P99: 10},
			{Engine: Folio, Class: ClassFacets, Clients: 1, Queries: 200, P50: 60, P99: 70},
			{Engine: FTS5, Class: ClassFacets, Clients: 1, Queries: 5, P50: 700, P99: 4000},
			{Engine: Folio, Class: ClassTerms, Clients: 1, Queries: 200, P50: 5, P99: 40},
			{Engine: FTS5, Class: ClassTerms, Clients: 1, Queries: 200, P50: 2, P99: 30},
			{Engine: Folio, Class: ClassFilter, Clients: 1, Queries: 200, P50: 5, P99: 46},
			{Engine: FTS5, Class: ClassFilter, Clients: 1, Queries: 0, Errors: 2},
		},
	}
	want := map[string]bool{
		"ingest articles/s, entities off, ≥ 0.50× FTS5's":    true,  // 0.60×
		"ingest articles/s, entities on, ≥ 0.35× FTS5's":     false, // 0.30×
		"index on disk with entities ≤ 2.2× the text":        false,
		ClassNames[ClassPhrase] + ": p50, 1 client ≤ FTS5's": true,
		ClassNames[ClassPhrase] + ": p99, 1 client ≤ FTS5's": true,
		ClassNames[ClassFacets] + ": p99, 1 client ≤ FTS5's": true,
		ClassNames[ClassFacets] + ": p50, 1 client ≤ 50 ms":  false,
		ClassNames[ClassTerms] + ": p99, 1 client ≤ FTS5's":  false, // 40 vs 30 ms
		ClassNames[ClassFilter] + ": p99, 1 client ≤ FTS5's": true,  // FTS5 answered nothing
		"peak RSS while ingesting (entities off) ≤ 2.5 GiB":  true,
		"peak RSS while ingesting (entities on) ≤ 2.5 GiB":   false,
	}
	got := ingestGoals(r)
	if len(got) != len(want) {
		t.Errorf("%d targets, want %d: %+v", len(got), len(want), got)
	}
	for _, g := range got {
		pass, ok := want[g.Name]
		if !ok || pass != g.Pass {
			t.Errorf("target %q = %+v, want known and pass %v", g.Name, g, pass)
		}
	}
	r.IngestGoals = got
	var b bytes.Buffer
	r.Print(&b)
	if !strings.Contains(b.String(), "Issue 22 targets") || !strings.Contains(b.String(), "0.60× (per CPU-second 0.50×)") {
		t.Errorf("printed report lacks issue 22's targets:\n%s", b.String())
	}
}
