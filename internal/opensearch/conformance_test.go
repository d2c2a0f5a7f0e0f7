package opensearch

import (
	"testing"

	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// TestConformance runs the engine-neutral suite against a real
// OpenSearch node.
func TestConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine { return openTest(t) },
		searchtest.Capabilities{Prefix: true, Fuzzy: true, Slop: true, Spelling: true, DayHistogram: true, Quotes: true, NameVariants: true, VariantSuggestions: true, ShouldMatch: true})
}

// TestConformanceThreeNodes runs the suite on the shared cluster of three
// real nodes, with an index of three shards and one replica: facets,
// totals, sorts and cursors hold when hits and counts are gathered from
// shards on several nodes, and requests go to every node in turn.
func TestConformanceThreeNodes(t *testing.T) {
	urls, _ := threeNodes(t)
	searchtest.Run(t, func(t *testing.T) search.Engine { return openSharded(t, urls, 3, 1) },
		searchtest.Capabilities{Prefix: true, Fuzzy: true, Slop: true, Spelling: true, DayHistogram: true, Quotes: true, NameVariants: true, VariantSuggestions: true, ShouldMatch: true})
}
