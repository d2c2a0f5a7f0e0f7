package opensearch

import (
	"os"
	"testing"

	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// TestConformance runs the engine-neutral suite against a real
// OpenSearch node. Spelling correction is off: the engine does not yet
// retry misspelt words.
func TestConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine { return openTest(t) },
		searchtest.Capabilities{Prefix: true, Fuzzy: true, Slop: true, DayHistogram: true})
}

// TestConformanceThreeNodes runs the suite on a cluster of three real
// nodes that this test starts, with an index of three shards and one
// replica: facets, totals, sorts and cursors hold when hits and counts
// are gathered from shards on several nodes, and requests go to every
// node in turn.
func TestConformanceThreeNodes(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if os.Getenv("FOLIO_OPENSEARCH_URLS") != "" {
		t.Skip("FOLIO_OPENSEARCH_URLS names a cluster: the three-node test starts its own only without it")
	}
	urls, stop, err := startCluster(3)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	searchtest.Run(t, func(t *testing.T) search.Engine { return openSharded(t, urls, 3, 1) },
		searchtest.Capabilities{Prefix: true, Fuzzy: true, Slop: true, DayHistogram: true})
}
