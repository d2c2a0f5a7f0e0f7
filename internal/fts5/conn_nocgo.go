//go:build !cgo

package fts5

import (
	"database/sql"

	"github.com/mattn/go-sqlite3"
)

// Without cgo the driver is a stub whose every Open fails with its own
// explanation; registering it lets Open and Available report that.
func init() { sql.Register(driverName, &sqlite3.SQLiteDriver{}) }
