package fts5

import (
	"testing"

	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/search/searchtest"
)

// TestConformance runs the engine-neutral suite against SQLite FTS5, with
// what FTS5 can express: prefixes and the day histogram, but no fuzzy
// words, no slop and no spelling correction.
func TestConformance(t *testing.T) {
	if err := Available(); err != nil {
		t.Skip(err)
	}
	searchtest.Run(t, func(t *testing.T) search.Engine {
		db, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return db
	}, searchtest.Capabilities{Prefix: true, DayHistogram: true, NameVariants: true})
}
