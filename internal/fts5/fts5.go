// Package fts5 is a SQLite FTS5 engine for Folio's articles: the embedded
// full-text search a user would otherwise pick. It implements
// search.Engine, so Folio's server, the benchmark (folio bench) and the
// relevance evaluation (folio eval) drive it exactly as they drive Folio.
//
// The schema mirrors what Folio indexes: an FTS5 table over title and body
// with the `porter unicode61` tokenizer, ranked by bm25() with the title
// weighted as Folio weighs it; a table of dates and stored articles; and
// one table of facet values, a row per article, facet (facet.All) and
// value, so that filters are indexed lookups and facets are GROUP BY
// counts over the match set, for whatever facets the table lists.
//
// It runs on the C SQLite library, through cgo (github.com/mattn/go-sqlite3),
// the SQLite a user of FTS5 would run. That driver compiles FTS5 in only
// with the build tag sqlite_fts5, so the driver is linked in only with it
// (conn.go): without the tag Open fails with ErrNoFTS5, and the rest of
// Folio builds without C.
package fts5

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/folio-search/folio/internal/search"
)

// FileName is the database file inside the directory given to Open.
const FileName = "fts5.db"

// TitleWeight is the bm25() weight of the title column against the body's
// 1, the same boost Folio gives a title match.
const TitleWeight = 2.0

// DB is an open FTS5 index. It is safe for concurrent use; writes are
// serialised by SQLite, reads run in parallel (WAL mode).
type DB struct {
	db *sql.DB // readers: deferred transactions, which never wait on the writer in WAL mode
	w  *sql.DB // the writer: one connection, taking the write lock up front

	names nameTables // entity names by their spellings, for filters
}

var _ search.Engine = (*DB)(nil)

// The schema. meta.article is the stored article (see stored); vals.facet
// is a facet's name.
const schema = `
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, tokenize = 'porter unicode61');
CREATE TABLE IF NOT EXISTS meta (
	rowid   INTEGER PRIMARY KEY,
	id      TEXT NOT NULL UNIQUE,
	date    INTEGER,          -- Unix seconds, NULL when the article has none
	month   TEXT,             -- '2024-12'
	article BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS meta_date ON meta(date, id);
CREATE TABLE IF NOT EXISTS vals (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS vals_key ON vals(facet, key, doc);
CREATE INDEX IF NOT EXISTS vals_doc ON vals(doc, facet, value);
`

// ErrNoFTS5 is the error of Open when the SQLite linked in lacks FTS5.
var ErrNoFTS5 = errors.New("fts5: SQLite was built without FTS5; build Folio with -tags sqlite_fts5")

// driverName is the database/sql driver: the C SQLite with pragmas
// applied to every connection of the pool (see conn.go).
const driverName = "folio-sqlite3"

// maxConns bounds the connections (each with its own page cache) that
// concurrent searches open: more than a few per core only add caches, not
// speed. A search holds one connection at a time, so none waits on itself.
const maxConns = 8

// pragmas are run on every new connection.
var pragmas = []string{
	"PRAGMA busy_timeout = 10000",
	"PRAGMA journal_mode = WAL", // readers never block on the writer
	"PRAGMA synchronous = NORMAL",
	"PRAGMA cache_size = -32768",    // 32 MiB page cache per connection
	"PRAGMA mmap_size = 1073741824", // read pages straight from the OS cache
	"PRAGMA temp_store = MEMORY",    // GROUP BY and ORDER BY sorters
}

// Available says whether the SQLite linked in can open an FTS5 index:
// nil, ErrNoFTS5, or the driver's error (as in a build without cgo).
func Available() error {
	if !linked {
		return ErrNoFTS5
	}
	db, err := sql.Open(driverName, ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	var on bool
	if err := db.QueryRow(`SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&on); err != nil {
		return fmt.Errorf("fts5: %w", err)
	}
	if !on {
		return ErrNoFTS5
	}
	return nil
}

// Version is the version of the SQLite library linked in, e.g. "3.54.1".
func Version() (string, error) {
	if !linked {
		return "", ErrNoFTS5
	}
	db, err := sql.Open(driverName, ":memory:")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT sqlite_version()`).Scan(&v); err != nil {
		return "", fmt.Errorf("fts5: %w", err)
	}
	return v, nil
}

// Exists reports whether dir holds an FTS5 index.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, FileName))
	return err == nil
}

// Open opens the index in dir (dir/fts5.db), creating both if needed.
func Open(dir string) (*DB, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	// Two pools: a search's read transaction must not take the write lock
	// (under load it then waits past busy_timeout on every write), and a
	// write must take it up front (no upgrade deadlocks between writers).
	w, err := sql.Open(driverName, "file:"+path+"?_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	d := &DB{w: w}
	if err := d.init(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if d.db, err = sql.Open(driverName, "file:"+path+"?_txlock=deferred"); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d.db.SetMaxOpenConns(maxConns)
	d.db.SetMaxIdleConns(maxConns)
	return d, nil
}

func (d *DB) init() error {
	ctx := context.Background()
	var exists int
	if err := d.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'docs'`).Scan(&exists); err != nil {
		return err
	}
	if exists > 0 {
		var vals int
		if err := d.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'vals'`).Scan(&vals); err != nil {
			return err
		}
		if vals == 0 {
			return errors.New("an index of an older schema: build it again")
		}
		return nil
	}
	if _, err := d.w.ExecContext(ctx, schema); err != nil {
		return err
	}
	// The persistent default rank makes "rank" the weighted bm25.
	_, err := d.w.ExecContext(ctx, `INSERT INTO docs(docs, rank) VALUES ('rank', ?)`,
		fmt.Sprintf("bm25(%g, 1.0)", TitleWeight))
	return err
}

// Close closes the database.
func (d *DB) Close() error {
	return errors.Join(d.db.Close(), d.w.Close())
}

// Count is the number of articles.
func (d *DB) Count(ctx context.Context) (uint64, error) {
	var n uint64
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM meta`).Scan(&n)
	return n, err
}

// FinishIngest merges the FTS5 index into one b-tree when optimize is set,
// as one would after a bulk load: searches then read one segment per term.
// There is nothing else to finish: FTS5 does not link people across
// articles.
func (d *DB) FinishIngest(ctx context.Context, optimize bool) error {
	if !optimize {
		return nil
	}
	if _, err := d.w.ExecContext(ctx, `INSERT INTO docs(docs) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	_, err := d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
