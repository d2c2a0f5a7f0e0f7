package index

import (
	"testing"

	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// TestConformance runs the engine-neutral suite against the Bleve index,
// with every capability on.
func TestConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine {
		ix, err := Open(t.TempDir() + "/index")
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}, searchtest.All)
}
