//go:build cgo && sqlite_fts5

package fts5

import (
	"testing"

	"github.com/mattn/go-sqlite3"
)

// The index runs on the C SQLite linked in through cgo, with FTS5.
func TestRunsOnCSQLite(t *testing.T) {
	needFTS5(t)
	db := open(t).(*DB)
	var v string
	if err := db.db.QueryRow(`SELECT sqlite_version()`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	lib, _, _ := sqlite3.Version() // sqlite3_libversion() of the C library
	if v != lib {
		t.Errorf("the index runs SQLite %s, the C library linked in is %s", v, lib)
	}
	if got, err := Version(); err != nil || got != lib {
		t.Errorf("Version() = %q, %v; want %q", got, err, lib)
	}
}
