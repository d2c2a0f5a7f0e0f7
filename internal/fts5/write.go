package fts5

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// stored is an article as meta.article holds it, without the title and
// body, which the FTS5 table holds: its JSON, or, when that is long (the
// entities' mention lists), "z" and the JSON deflated, as Folio deflates
// its stored articles. Short JSON is kept as it is: deflating it gains
// little and costs as much as the rest of writing an article.
func stored(a corpus.Article) ([]byte, error) {
	a.Title, a.Body = "", ""
	if a.Date != nil {
		t := a.Date.UTC()
		a.Date = &t
	}
	js, err := json.Marshal(a)
	if err != nil || len(js) < deflateOver {
		return js, err
	}
	b := bytes.NewBufferString("z")
	w := deflaters.Get().(*flate.Writer) // a new one allocates its tables: costly per article
	defer deflaters.Put(w)
	w.Reset(b)
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// deflateOver is the length of JSON worth deflating.
const deflateOver = 512

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // the level is valid
	return w
}}

// WriteBatch upserts articles in one transaction: an article whose ID is
// already indexed replaces the old one. It is the engine's ingest.Writer.
func (d *DB) WriteBatch(ctx context.Context, articles []corpus.Article) (err error) {
	defer func() {
		if err == nil {
			d.names.gen.Add(1) // entity names are read again
		}
	}()
	tx, err := d.w.BeginTx(ctx, nil)
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
	delVals := prep(`DELETE FROM vals WHERE doc = ?`)
	delMeta := prep(`DELETE FROM meta WHERE rowid = ?`)
	putMeta := prep(`INSERT INTO meta(rowid, id, date, month, article) VALUES (?, ?, ?, ?, ?)`)
	putDoc := prep(`INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)`)
	putVal := prep(`INSERT INTO vals(doc, facet, value, key) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range articles {
		// Capped where every write passes, as Folio does.
		corpus.LimitEntities(&articles[i])
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
			for _, s := range []*sql.Stmt{delDoc, delVals, delMeta} {
				if _, err = s.ExecContext(ctx, rowid.Int64); err != nil {
					return err
				}
			}
		}
		var date, month any
		if a.Date != nil {
			t := a.Date.UTC()
			date, month = t.Unix(), t.Format("2006-01")
		}
		var id any
		if rowid.Valid {
			id = rowid.Int64 // the article keeps its rowid
		}
		js, err := stored(*a)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.ID, err)
		}
		res, err := putMeta.ExecContext(ctx, id, a.ID, date, month, js)
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
		for _, f := range facet.All {
			seen := map[string]bool{}
			for _, v := range f.Values(a) {
				k := facet.Key(v)
				if k == "" || seen[v] {
					continue
				}
				seen[v] = true
				if _, err = putVal.ExecContext(ctx, doc, f.Name, v, k); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

// Delete removes the article id; an absent one is not an error.
func (d *DB) Delete(ctx context.Context, id string) (err error) {
	defer func() {
		if err == nil {
			d.names.gen.Add(1) // entity names are read again
		}
	}()
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var rowid int64
	switch err = tx.QueryRowContext(ctx, `SELECT rowid FROM meta WHERE id = ?`, id).Scan(&rowid); {
	case errors.Is(err, sql.ErrNoRows):
		err = nil
		return tx.Commit()
	case err != nil:
		return err
	}
	for _, q := range []string{`DELETE FROM docs WHERE rowid = ?`, `DELETE FROM vals WHERE doc = ?`, `DELETE FROM meta WHERE rowid = ?`} {
		if _, err = tx.ExecContext(ctx, q, rowid); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Article returns the stored article id, or search.ErrNotFound.
func (d *DB) Article(ctx context.Context, id string) (*corpus.Article, error) {
	var st []byte
	var title, body string
	err := d.db.QueryRowContext(ctx, `SELECT m.article, docs.title, docs.body FROM meta m JOIN docs ON docs.rowid = m.rowid WHERE m.id = ?`, id).
		Scan(&st, &title, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, search.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("fts5 article: %w", err)
	}
	return article(st, title, body)
}

// article rebuilds an article from its stored form.
func article(st []byte, title, body string) (*corpus.Article, error) {
	var r io.Reader = bytes.NewReader(st)
	if z, ok := bytes.CutPrefix(st, []byte("z")); ok {
		r = flate.NewReader(bytes.NewReader(z))
	}
	var a corpus.Article
	if err := json.NewDecoder(r).Decode(&a); err != nil {
		return nil, fmt.Errorf("fts5: stored article: %w", err)
	}
	a.Title, a.Body = title, body
	return &a, nil
}
