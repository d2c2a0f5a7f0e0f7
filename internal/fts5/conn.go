//go:build cgo && sqlite_fts5

package fts5

import (
	"database/sql"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// linked says that this build has the C SQLite with FTS5.
const linked = true

// The pool opens connections as it needs them; each gets the same settings.
func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			for _, p := range pragmas {
				if _, err := c.Exec(p, nil); err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
			}
			return nil
		},
	})
}
