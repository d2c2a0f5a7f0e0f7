package opensearch

import (
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
