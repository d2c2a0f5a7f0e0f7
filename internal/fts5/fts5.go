// Package fts5 is a SQLite FTS5 index of Folio's articles: the embedded
// full-text search a user would otherwise pick. Folio measures itself
// against it (folio bench) and compares relevance with it.
//
// The schema mirrors what Folio indexes: an FTS5 table over title and body
// with the `porter unicode61` tokenizer, ranked by bm25() with the title
// weighted double, plus plain tables for the date, tags and entities so
// that filters are indexed lookups and facets are GROUP BY counts over the
// match set.
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
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/textnorm"
)

// FileName is the database file inside the directory given to Open.
const FileName = "fts5.db"

// TitleWeight is the bm25() weight of the title column against the body's
// 1, the same boost Folio gives a title match.
const TitleWeight = 2.0

// DB is an open FTS5 index. It is safe for concurrent use; writes are
// serialised by SQLite, reads run in parallel (WAL mode).
type DB struct {
	db   *sql.DB
	path string
}

const schema = `
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, tokenize = 'porter unicode61');
CREATE TABLE IF NOT EXISTS meta (
	rowid  INTEGER PRIMARY KEY,
	id     TEXT NOT NULL UNIQUE,
	date   INTEGER,          -- Unix seconds, NULL when the article has none
	year   TEXT,             -- '2024'
	month  TEXT,             -- '2024-12'
	url    TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS meta_date ON meta(date);
CREATE TABLE IF NOT EXISTS tags (doc INTEGER NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tags_key ON tags(key, doc);
CREATE INDEX IF NOT EXISTS tags_doc ON tags(doc, value);
CREATE TABLE IF NOT EXISTS ents (doc INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ents_key ON ents(field, key, doc);
CREATE INDEX IF NOT EXISTS ents_doc ON ents(doc, field, value);
`

// ErrNoFTS5 is the error of Open when the SQLite linked in lacks FTS5.
var ErrNoFTS5 = errors.New("fts5: SQLite was built without FTS5; build Folio with -tags sqlite_fts5")

// driverName is the database/sql driver: the C SQLite with pragmas
// applied to every connection of the pool (see conn.go).
const driverName = "folio-sqlite3"

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

// Open opens the index in dir (dir/fts5.db), creating both if needed.
func Open(dir string) (*DB, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	// Writers take the lock up front: no upgrade deadlocks.
	db, err := sql.Open(driverName, "file:"+path+"?_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d := &DB{db: db, path: path}
	if err := d.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

func (d *DB) init() error {
	ctx := context.Background()
	var exists int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'docs'`).Scan(&exists); err != nil {
		return err
	}
	if exists > 0 {
		return nil
	}
	if _, err := d.db.ExecContext(ctx, schema); err != nil {
		return err
	}
	// The persistent default rank makes "ORDER BY rank" use the weighted
	// bm25, and lets FTS5 itself sort and cut to LIMIT.
	_, err := d.db.ExecContext(ctx, `INSERT INTO docs(docs, rank) VALUES ('rank', ?)`,
		fmt.Sprintf("bm25(%g, 1.0)", TitleWeight))
	return err
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Path is the database file.
func (d *DB) Path() string { return d.path }

// SetMaxConns bounds the connections (each with its own page cache) that
// concurrent searches may open.
func (d *DB) SetMaxConns(n int) {
	d.db.SetMaxOpenConns(n)
	d.db.SetMaxIdleConns(n)
}

// Count is the number of articles.
func (d *DB) Count(ctx context.Context) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM meta`).Scan(&n)
	return n, err
}

// Optimize merges the FTS5 index into one b-tree, as one would after a
// bulk load; searches then read one segment per term.
func (d *DB) Optimize(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `INSERT INTO docs(docs) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	_, err := d.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// IngestOptions tune Ingest; the zero value works. They mirror Folio's
// index.IngestOptions so that both engines are fed alike.
type IngestOptions struct {
	BatchSize int                   // articles per transaction; default 5000
	Workers   int                   // goroutines running Enrich; default GOMAXPROCS
	Enrich    func(*corpus.Article) // e.g. entity extraction; called concurrently
	OnError   func(error)           // rejected records; ingest goes on
	OnBatch   func(IngestStats)     // after each committed transaction
}

// IngestStats counts what an ingest did.
type IngestStats = ingest.Stats

// Ingest upserts every article in transactions of BatchSize. Reading and
// enrichment of the next batch overlap with writing the current one.
func (d *DB) Ingest(ctx context.Context, articles iter.Seq2[corpus.Article, error], opt IngestOptions) (IngestStats, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	return ingest.Run(ctx, articles, ingest.WriterFunc(func(ctx context.Context, batch []corpus.Article) error {
		return d.Put(ctx, batch...)
	}), ingest.Options{
		Size: opt.BatchSize, Workers: opt.Workers, Enrich: opt.Enrich, OnError: opt.OnError, OnBatch: opt.OnBatch,
	})
}

// entityFields maps entity types to facet names, as Folio does; MISC
// entities are not faceted.
var entityFields = map[string]string{"PER": "person", "ORG": "org", "LOC": "place"}

// key is the case- and typography-insensitive form of a filter value.
func key(v string) string { return strings.Join(strings.Fields(textnorm.Key(v)), " ") }

// Put upserts articles in one transaction. An article whose ID is already
// indexed replaces the old one.
func (d *DB) Put(ctx context.Context, articles ...corpus.Article) (err error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(ctx, q)
		return s
	}
	find := prep(`SELECT rowid FROM meta WHERE id = ?`)
	delDoc := prep(`DELETE FROM docs WHERE rowid = ?`)
	delTags := prep(`DELETE FROM tags WHERE doc = ?`)
	delEnts := prep(`DELETE FROM ents WHERE doc = ?`)
	delMeta := prep(`DELETE FROM meta WHERE rowid = ?`)
	putMeta := prep(`INSERT INTO meta(rowid, id, date, year, month, url, source) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	putDoc := prep(`INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)`)
	putTag := prep(`INSERT INTO tags(doc, value, key) VALUES (?, ?, ?)`)
	putEnt := prep(`INSERT INTO ents(doc, field, value, key) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range articles {
		a := &articles[i]
		if a.ID == "" {
			return errors.New("fts5: article without an ID")
		}
		var rowid sql.NullInt64
		switch err = find.QueryRowContext(ctx, a.ID).Scan(&rowid); {
		case errors.Is(err, sql.ErrNoRows):
			err = nil
		case err != nil:
			return err
		default:
			for _, s := range []*sql.Stmt{delDoc, delTags, delEnts, delMeta} {
				if _, err = s.ExecContext(ctx, rowid.Int64); err != nil {
					return err
				}
			}
		}
		var date, year, month any
		if a.Date != nil {
			t := a.Date.UTC()
			date, year, month = t.Unix(), t.Format("2006"), t.Format("2006-01")
		}
		var id any
		if rowid.Valid {
			id = rowid.Int64
		}
		res, err := putMeta.ExecContext(ctx, id, a.ID, date, year, month, a.URL, a.Source)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.ID, err)
		}
		doc, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if _, err = putDoc.ExecContext(ctx, doc, a.Title, a.Body); err != nil {
			return fmt.Errorf("article %s: %w", a.ID, err)
		}
		seen := map[string]bool{}
		for _, t := range a.Tags {
			if k := key(t); k != "" && !seen[k] {
				seen[k] = true
				if _, err = putTag.ExecContext(ctx, doc, t, k); err != nil {
					return err
				}
			}
		}
		clear(seen)
		for _, e := range a.Entities {
			f, ok := entityFields[e.Type]
			k := key(e.Name)
			if !ok || k == "" || seen[f+"\x00"+k] {
				continue
			}
			seen[f+"\x00"+k] = true
			if _, err = putEnt.ExecContext(ctx, doc, f, e.Name, k); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
