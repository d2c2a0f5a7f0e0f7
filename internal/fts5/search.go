package fts5

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// where is the FROM and WHERE of a plan, with its arguments. With text
// the FTS5 table drives; without, meta does.
type where struct {
	from, cond string
	args       []any
	rowid      string // the expression naming a matching row's rowid
}

func (p *plan) where(needMeta bool) *where {
	w := &where{from: "meta", rowid: "meta.rowid"}
	var conds []string
	if p.match != "" {
		w.from, w.rowid = "docs", "docs.rowid"
		if needMeta || p.dates {
			w.from += " JOIN meta ON meta.rowid = docs.rowid"
		}
		conds, w.args = append(conds, "docs MATCH ?"), append(w.args, p.match)
	}
	for _, f := range p.filters {
		conds = append(conds, strings.ReplaceAll(f.sql, "{r}", w.rowid))
		w.args = append(w.args, f.args...)
	}
	if len(conds) > 0 {
		w.cond = " WHERE " + strings.Join(conds, " AND ")
	}
	return w
}

// Search runs req. Relevance is bm25 with the title weighted TitleWeight;
// ties, and the date orders, are broken by rowid and ID so that pages are
// stable. The cursor (Result.Next) is the offset of the next page: paging
// on while articles are written may skip or repeat a hit. FTS5 counts no
// cost, corrects no spelling and expands prefixes without a bound
// (Request.MaxExpansions is not read).
func (d *DB) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	start := time.Now()
	matched := map[string][]string{}
	p, err := compile(&req, d.resolver(ctx, matched))
	if err != nil {
		return nil, err
	}
	size := req.Size
	if size <= 0 {
		size = 10
	}
	sort := req.Sort
	if sort == "" || sort == search.ByRelevance {
		sort = search.ByRelevance
		if p.match == "" {
			sort = search.ByDateDesc // nothing to rank: newest first
		}
	}
	var order string
	switch sort {
	case search.ByRelevance:
		order = "docs.rank, docs.rowid"
	case search.ByDate:
		order = "meta.date, meta.id"
	case search.ByDateDesc:
		order = "meta.date DESC, meta.id DESC"
	default:
		return nil, &search.BadRequestError{Msg: fmt.Sprintf("unknown sort %q", req.Sort)}
	}
	w := p.where(sort != search.ByRelevance)
	// The page, the total and the facets are read in one transaction, so
	// they agree even while batches are written.
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("fts5 search: %w", err)
	}
	defer tx.Rollback()
	r := reader{tx}
	score := "0.0"
	if p.match != "" {
		score = "-docs.rank"
	}
	// A page is read one hit long, to know whether another follows. The
	// cursor of a date order is the last hit's key (see dateCursor), which
	// stays exact while articles are added; that of relevance is an offset.
	offset, after, err := decodeCursor(req.After, sort)
	if err != nil {
		return nil, err
	}
	if req.After == "" && req.Page > 1 {
		offset = (req.Page - 1) * size
	}
	key := "NULL, ''"
	if sort != search.ByRelevance {
		key = "meta.date, meta.id"
	}
	cond, args := w.cond, slices.Clone(w.args)
	if after != nil {
		c, a := after.condition(sort == search.ByDateDesc)
		cond, args = and(cond, c), append(args, a...)
	}
	page, err := r.page(ctx, fmt.Sprintf(`SELECT %s, %s, %s FROM %s%s ORDER BY %s LIMIT ? OFFSET ?`, w.rowid, score, key, w.from, cond, order),
		append(args, size+1, offset))
	if err != nil {
		return nil, err
	}
	more := len(page) > size
	page = page[:min(len(page), size)]
	res := &search.Result{}
	if len(matched) > 0 {
		res.Matched = matched
	}
	if res.Facets, res.Total, err = r.facets(ctx, &req, w); err != nil {
		return nil, err
	}
	if res.Hits, err = r.hits(ctx, &req, p, page); err != nil {
		return nil, err
	}
	if more {
		if last := page[len(page)-1]; sort == search.ByRelevance {
			res.Next = "o" + strconv.Itoa(offset+size)
		} else {
			res.Next = dateCursor{last.date, last.id}.String()
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// decodeCursor reads an after cursor: an offset ("o12") in relevance
// order, a date key ("d…") in the date orders.
func decodeCursor(s, sort string) (offset int, after *dateCursor, err error) {
	bad := &search.BadRequestError{Msg: "invalid after cursor: pass the next value of a previous response with the same sort"}
	switch {
	case s == "":
		return 0, nil, nil
	case sort == search.ByRelevance:
		n, err := strconv.Atoi(strings.TrimPrefix(s, "o"))
		if err != nil || n < 0 || !strings.HasPrefix(s, "o") {
			return 0, nil, bad
		}
		return n, nil, nil
	}
	rest, ok := strings.CutPrefix(s, "d")
	date, id, ok2 := strings.Cut(rest, ".")
	rawID, err := base64.RawURLEncoding.DecodeString(id)
	if !ok || !ok2 || err != nil || len(rawID) == 0 {
		return 0, nil, bad // every article has an ID: "d." is made up
	}
	c := &dateCursor{id: string(rawID)}
	if date != "" {
		n, err := strconv.ParseInt(date, 10, 64)
		if err != nil {
			return 0, nil, bad
		}
		c.date = sql.NullInt64{Int64: n, Valid: true}
	}
	return 0, c, nil
}

// dateCursor is the date and ID of the last hit of a page in a date order.
// Undated articles (a NULL date) sort as the oldest.
type dateCursor struct {
	date sql.NullInt64
	id   string
}

func (c dateCursor) String() string {
	date := ""
	if c.date.Valid {
		date = strconv.FormatInt(c.date.Int64, 10)
	}
	return "d" + date + "." + base64.RawURLEncoding.EncodeToString([]byte(c.id))
}

// condition selects the articles after c in the order by date and ID,
// newest first when desc.
func (c dateCursor) condition(desc bool) (string, []any) {
	switch {
	case desc && c.date.Valid:
		return "(meta.date < ? OR meta.date = ? AND meta.id < ? OR meta.date IS NULL)", []any{c.date.Int64, c.date.Int64, c.id}
	case desc:
		return "(meta.date IS NULL AND meta.id < ?)", []any{c.id}
	case c.date.Valid:
		return "(meta.date > ? OR meta.date = ? AND meta.id > ?)", []any{c.date.Int64, c.date.Int64, c.id}
	}
	return "(meta.date IS NOT NULL OR meta.id > ?)", []any{c.id}
}

// and joins a WHERE clause (or "") and a condition.
func and(where, cond string) string {
	if where == "" {
		return " WHERE " + cond
	}
	return where + " AND " + cond
}

// reader reads one consistent snapshot of the index (WAL mode: a read
// transaction sees the batches committed when it began).
type reader struct{ *sql.Tx }

// ranked is a hit of a page before its article is read.
type ranked struct {
	rowid int64
	score float64
	date  sql.NullInt64 // date orders only
	id    string
}

func (r reader) page(ctx context.Context, stmt string, args []any) ([]ranked, error) {
	rows, err := r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 search: %w", err)
	}
	defer rows.Close()
	var out []ranked
	for rows.Next() {
		var r ranked
		var id sql.NullString
		if err := rows.Scan(&r.rowid, &r.score, &r.date, &id); err != nil {
			return nil, err
		}
		r.id = id.String
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 search: %w", err)
	}
	return out, nil
}

// Marks around matches in highlight() and snippet() output.
const (
	markOpen  = '\x02'
	markClose = '\x03'
)

// hits reads the articles of a page, in its order, with the title and
// fragments marked. FTS5 gives one fragment per column (snippet()), so a
// request for fragments gets one, longer the more are asked for, up to
// FTS5's 64 tokens.
func (r reader) hits(ctx context.Context, req *search.Request, p *plan, page []ranked) ([]search.Hit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(page)), ",")
	var args []any
	marks := ", NULL, NULL"
	from := "docs JOIN meta m ON m.rowid = docs.rowid WHERE docs.rowid IN (" + in + ")"
	tokens := min(64, 22*req.Fragments)
	if p.match != "" {
		marks = ", highlight(docs, 0, char(2), char(3)), NULL"
		if tokens > 0 {
			marks = ", highlight(docs, 0, char(2), char(3)), snippet(docs, 1, char(2), char(3), '…', ?)"
			args = append(args, tokens)
		}
		from = "docs JOIN meta m ON m.rowid = docs.rowid WHERE docs MATCH ? AND docs.rowid IN (" + in + ")"
		args = append(args, p.match)
	}
	body := "''"
	if req.WithBody || (p.match == "" && tokens > 0) {
		body = "docs.body"
	}
	for _, r := range page {
		args = append(args, r.rowid)
	}
	rows, err := r.QueryContext(ctx, "SELECT docs.rowid, m.article, docs.title, "+body+marks+" FROM "+from, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 hits: %w", err)
	}
	defer rows.Close()
	byRow := map[int64]*search.Hit{}
	for rows.Next() {
		var rowid int64
		var st []byte
		var title, text string
		var marked, snippet sql.NullString
		if err := rows.Scan(&rowid, &st, &title, &text, &marked, &snippet); err != nil {
			return nil, err
		}
		a, err := article(st, title, text)
		if err != nil {
			return nil, err
		}
		h := &search.Hit{ID: a.ID, URL: a.URL, Date: a.Date, Values: map[string][]string{}, Title: search.Fragment{Text: title}}
		for _, f := range facet.All {
			h.Values[f.Name] = f.Values(a)
		}
		if req.WithBody {
			h.Body = a.Body
		}
		if marked.Valid {
			h.Title = fragment(marked.String, false)
		}
		switch {
		case snippet.Valid:
			h.Fragments = []search.Fragment{fragment(snippet.String, true)}
		case tokens > 0 && strings.TrimSpace(text) != "":
			h.Fragments = []search.Fragment{lead(text, tokens)}
		}
		byRow[rowid] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 hits: %w", err)
	}
	out := make([]search.Hit, 0, len(page))
	for _, r := range page {
		if h, ok := byRow[r.rowid]; ok { // gone if deleted since the page was read
			h.Score = r.score
			out = append(out, *h)
		}
	}
	return out, nil
}

// facets counts, over every match, the top FacetSize values of each
// keyword facet the request wants, and the dates as a histogram the way
// Folio draws it; and the number of matches. The match set is computed
// once (a materialised CTE) and grouped per facet. CROSS JOIN keeps
// SQLite to looking up each match's values (vals_doc): left to itself it
// may read every value of the facet instead (vals_key) and probe the
// matches, which costs the whole facet however few the matches.
func (r reader) facets(ctx context.Context, req *search.Request, w *where) (map[string][]search.FacetValue, uint64, error) {
	out := map[string][]search.FacetValue{}
	var parts []string
	var args []any
	size := req.FacetSize
	if size <= 0 {
		size = 10
	}
	for _, f := range facet.All {
		if req.WantsFacet(f.Name) {
			out[f.Name] = []search.FacetValue{}
			parts = append(parts, `SELECT * FROM (SELECT ?, x.value, count(*) AS n FROM m CROSS JOIN vals x ON x.doc = m.r AND x.facet = ?
				GROUP BY x.value ORDER BY n DESC, x.value LIMIT ?)`)
			args = append(args, f.Name, f.Name, size)
		}
	}
	wantDate := req.WantsFacet(facet.Date)
	if wantDate {
		parts = append(parts, `SELECT ?, x.month, count(*) FROM m JOIN meta x ON x.rowid = m.r WHERE x.month IS NOT NULL GROUP BY x.month`)
		args = append(args, facet.Date)
	}
	if len(parts) == 0 {
		var n uint64
		if err := r.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s%s`, w.from, w.cond), w.args...).Scan(&n); err != nil {
			return nil, 0, fmt.Errorf("fts5 count: %w", err)
		}
		return out, n, nil
	}
	stmt := fmt.Sprintf(`WITH m(r) AS MATERIALIZED (SELECT %s FROM %s%s)
		SELECT '', '', count(*) FROM m UNION ALL %s`, w.rowid, w.from, w.cond, strings.Join(parts, " UNION ALL "))
	rows, err := r.QueryContext(ctx, stmt, append(slices.Clone(w.args), args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("fts5 facets: %w", err)
	}
	var total uint64
	var months []search.FacetValue
	for rows.Next() {
		var name string
		var v search.FacetValue
		if err := rows.Scan(&name, &v.Value, &v.Count); err != nil {
			rows.Close()
			return nil, 0, err
		}
		switch name {
		case "":
			total = uint64(v.Count)
		case facet.Date:
			months = append(months, v)
		default:
			out[name] = append(out[name], v)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("fts5 facets: %w", err)
	}
	if wantDate {
		var days []search.FacetValue
		if len(months) == 1 {
			if days, err = r.days(ctx, w); err != nil {
				return nil, 0, err
			}
		}
		out[facet.Date] = search.DateHistogram(months, days)
	}
	return out, total, nil
}

// days counts the matches by day.
func (r reader) days(ctx context.Context, w *where) ([]search.FacetValue, error) {
	rows, err := r.QueryContext(ctx, fmt.Sprintf(`SELECT strftime('%%Y-%%m-%%d', x.date, 'unixepoch') AS day, count(*)
		FROM (SELECT %s AS r FROM %s%s) m JOIN meta x ON x.rowid = m.r WHERE x.date IS NOT NULL GROUP BY day`,
		w.rowid, w.from, w.cond), w.args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 facets: %w", err)
	}
	defer rows.Close()
	var out []search.FacetValue
	for rows.Next() {
		var v search.FacetValue
		if err := rows.Scan(&v.Value, &v.Count); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
