package fts5

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"
	"time"
)

// Query is one search: Folio's simple query form plus its filters.
type Query struct {
	Text string // terms AND-ed and "exact phrases" (see MatchExpr); "" for none
	// Filters by facet name ("tag", "person", "org", "place"); every value
	// must hold. Values match case-insensitively, as in Folio.
	Filters  map[string][]string
	From, To time.Time // date range [From, To); zero leaves a side open
	Sort     string    // "relevance" (default), "date" (oldest first), "-date"
	Limit    int       // hits; default 10
	Offset   int
	NoTotal  bool // skip counting the matches (Facets counts them too)
}

// Hit is one ranked article. Score is -bm25 (higher is better); 0 when
// the query has no text.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Result is a page of hits and the number of all matches (-1 with
// Query.NoTotal).
type Result struct {
	Total int   `json:"total"`
	Hits  []Hit `json:"hits"`
}

// FacetValue is one facet bucket.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// where is the FROM and WHERE of a query, with its arguments. With text
// the FTS5 table drives; without, meta does.
type where struct {
	from, cond string
	args       []any
	text       bool
	rowid      string // the expression naming a matching row's rowid
}

var filterTables = map[string]string{"tag": "tags", "person": "ents", "org": "ents", "place": "ents"}

func (q *Query) where() (*where, error) {
	w := &where{}
	var conds []string
	expr := MatchExpr(q.Text)
	needMeta := !q.From.IsZero() || !q.To.IsZero() || q.Sort == "date" || q.Sort == "-date"
	if expr != "" {
		w.text, w.rowid = true, "docs.rowid"
		w.from = "docs"
		if needMeta {
			w.from += " JOIN meta ON meta.rowid = docs.rowid"
		}
		conds = append(conds, "docs MATCH ?")
		w.args = append(w.args, expr)
	} else {
		w.from, w.rowid = "meta", "meta.rowid"
	}
	if !q.From.IsZero() {
		conds = append(conds, "meta.date >= ?")
		w.args = append(w.args, q.From.Unix())
	}
	if !q.To.IsZero() {
		conds = append(conds, "meta.date < ?")
		w.args = append(w.args, q.To.Unix())
	}
	names := make([]string, 0, len(q.Filters))
	for name := range q.Filters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		table, ok := filterTables[name]
		if !ok {
			return nil, fmt.Errorf("fts5: unknown filter %q", name)
		}
		for _, v := range q.Filters[name] {
			if table == "tags" {
				conds = append(conds, w.rowid+" IN (SELECT doc FROM tags WHERE key = ?)")
				w.args = append(w.args, key(v))
			} else {
				conds = append(conds, w.rowid+" IN (SELECT doc FROM ents WHERE field = ? AND key = ?)")
				w.args = append(w.args, name, key(v))
			}
		}
	}
	if len(conds) > 0 {
		w.cond = " WHERE " + strings.Join(conds, " AND ")
	}
	return w, nil
}

// Search returns the top hits, ranked by bm25 (title weighted double) or
// by date, and the total number of matches.
func (d *DB) Search(ctx context.Context, q Query) (*Result, error) {
	w, err := q.where()
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	var order, score string
	switch {
	case q.Sort == "date":
		order = "meta.date ASC, meta.id"
	case q.Sort == "-date" || !w.text:
		order = "meta.date DESC, meta.id"
	default:
		order = "docs.rank" // FTS5 sorts by the configured bm25 itself
	}
	score = "0.0"
	if w.text {
		score = "-docs.rank"
	}
	// IDs are looked up for the page only, after FTS5 has ranked and cut.
	sel := fmt.Sprintf(`SELECT m.id, r.score FROM (SELECT %s AS rid, %s AS score FROM %s%s ORDER BY %s LIMIT ? OFFSET ?) r
		JOIN meta m ON m.rowid = r.rid`, w.rowid, score, w.from, w.cond, order)
	if !w.text {
		sel = fmt.Sprintf(`SELECT meta.id, 0.0 FROM %s%s ORDER BY %s LIMIT ? OFFSET ?`, w.from, w.cond, order)
	}
	args := append(slices.Clone(w.args), limit, q.Offset)
	rows, err := d.db.QueryContext(ctx, sel, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 search: %w", err)
	}
	res := &Result{Hits: []Hit{}}
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ID, &h.Score); err != nil {
			rows.Close()
			return nil, err
		}
		res.Hits = append(res.Hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 search: %w", err)
	}
	if q.NoTotal {
		res.Total = -1
		return res, nil
	}
	count := fmt.Sprintf(`SELECT count(*) FROM %s%s`, w.from, w.cond)
	if err := d.db.QueryRowContext(ctx, count, w.args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("fts5 count: %w", err)
	}
	return res, nil
}

// Facets counts, over every match of q, the top size values of tag,
// person, org and place, and the dates as a histogram the way Folio draws
// it: by year when the matches span more than two years, by day when they
// fall in one month, by month otherwise. The match set is computed once
// (a materialised CTE) and grouped per facet. "total" holds one value, "",
// with the number of matches.
func (d *DB) Facets(ctx context.Context, q Query, size int) (map[string][]FacetValue, error) {
	w, err := q.where()
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		size = 10
	}
	term := func(name, join string) string {
		return fmt.Sprintf(`SELECT '%s', value, n FROM (SELECT x.value, count(*) AS n FROM m JOIN %s
			GROUP BY x.value ORDER BY n DESC, x.value LIMIT %d)`, name, join, size)
	}
	date := func(col string) string {
		return fmt.Sprintf(`SELECT '%s', %s, count(*) FROM m JOIN meta x ON x.rowid = m.r WHERE x.%s IS NOT NULL GROUP BY x.%s`, col, "x."+col, col, col)
	}
	stmt := fmt.Sprintf(`WITH m(r) AS MATERIALIZED (SELECT %s FROM %s%s)
		%s UNION ALL %s UNION ALL %s UNION ALL %s UNION ALL %s UNION ALL %s
		UNION ALL SELECT 'total', '', count(*) FROM m`,
		w.rowid, w.from, w.cond,
		term("tag", "tags x ON x.doc = m.r"),
		term("person", "ents x ON x.doc = m.r AND x.field = 'person'"),
		term("org", "ents x ON x.doc = m.r AND x.field = 'org'"),
		term("place", "ents x ON x.doc = m.r AND x.field = 'place'"),
		date("year"), date("month"))
	rows, err := d.db.QueryContext(ctx, stmt, w.args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 facets: %w", err)
	}
	out := map[string][]FacetValue{"tag": {}, "person": {}, "org": {}, "place": {}}
	for rows.Next() {
		var name string
		var v FacetValue
		if err := rows.Scan(&name, &v.Value, &v.Count); err != nil {
			rows.Close()
			return nil, err
		}
		out[name] = append(out[name], v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fts5 facets: %w", err)
	}
	years, months := out["year"], out["month"]
	delete(out, "year")
	delete(out, "month")
	switch {
	case len(years) > 2:
		out["date"] = years
	case len(months) == 1:
		days, err := d.days(ctx, w)
		if err != nil {
			return nil, err
		}
		out["date"] = days
	default:
		out["date"] = months
	}
	if out["date"] == nil {
		out["date"] = []FacetValue{}
	}
	sort.Slice(out["date"], func(i, j int) bool { return out["date"][i].Value < out["date"][j].Value })
	return out, nil
}

func (d *DB) days(ctx context.Context, w *where) ([]FacetValue, error) {
	rows, err := d.db.QueryContext(ctx, fmt.Sprintf(`SELECT strftime('%%Y-%%m-%%d', x.date, 'unixepoch') AS day, count(*)
		FROM (SELECT %s AS r FROM %s%s) m JOIN meta x ON x.rowid = m.r WHERE x.date IS NOT NULL GROUP BY day`,
		w.rowid, w.from, w.cond), w.args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 facets: %w", err)
	}
	defer rows.Close()
	var out []FacetValue
	for rows.Next() {
		var v FacetValue
		if err := rows.Scan(&v.Value, &v.Count); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Snippet is the highlighted text of one hit: HTML-escaped, with only
// <mark>…</mark> added.
type Snippet struct {
	TitleHTML string `json:"title_html"`
	Body      string `json:"body"` // one fragment of up to tokens tokens, "…" where cut
}

// Snippets highlights the matches of q.Text in the articles ids with
// FTS5's highlight() (title) and snippet() (body). FTS5 gives one
// fragment per column; tokens (at most 64) sets its length.
func (d *DB) Snippets(ctx context.Context, q Query, ids []string, tokens int) (map[string]Snippet, error) {
	out := map[string]Snippet{}
	expr := MatchExpr(q.Text)
	if expr == "" || len(ids) == 0 {
		return out, nil
	}
	tokens = max(1, min(tokens, 64))
	// \x02 and \x03 mark matches so that the text can be escaped first.
	stmt := `SELECT m.id, highlight(docs, 0, char(2), char(3)), snippet(docs, 1, char(2), char(3), '…', ?)
		FROM docs JOIN meta m ON m.rowid = docs.rowid WHERE docs MATCH ? AND docs.rowid IN (SELECT rowid FROM meta WHERE id IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `))`
	args := []any{tokens, expr}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := d.db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 snippets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, title, body string
		if err := rows.Scan(&id, &title, &body); err != nil {
			return nil, err
		}
		out[id] = Snippet{TitleHTML: markHTML(title), Body: markHTML(body)}
	}
	return out, rows.Err()
}

var marks = strings.NewReplacer("\x02", "<mark>", "\x03", "</mark>")

func markHTML(s string) string { return marks.Replace(html.EscapeString(s)) }

// Doc is an article's metadata as indexed.
type Doc struct {
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	URL    string     `json:"url,omitempty"`
	Date   *time.Time `json:"date"`
	Tags   []string   `json:"tags"`
	Person []string   `json:"person"`
	Org    []string   `json:"org"`
	Place  []string   `json:"place"`
}

// Docs returns the metadata of the articles ids that exist, in the order
// of ids.
func (d *DB) Docs(ctx context.Context, ids []string) ([]Doc, error) {
	if len(ids) == 0 {
		return []Doc{}, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := d.db.QueryContext(ctx, `SELECT m.rowid, m.id, m.url, m.date, docs.title FROM meta m JOIN docs ON docs.rowid = m.rowid WHERE m.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 docs: %w", err)
	}
	byRow := map[int64]*Doc{}
	byID := map[string]*Doc{}
	for rows.Next() {
		var rowid int64
		var date sql.NullInt64
		doc := &Doc{Tags: []string{}, Person: []string{}, Org: []string{}, Place: []string{}}
		if err := rows.Scan(&rowid, &doc.ID, &doc.URL, &date, &doc.Title); err != nil {
			rows.Close()
			return nil, err
		}
		if date.Valid {
			t := time.Unix(date.Int64, 0).UTC()
			doc.Date = &t
		}
		byRow[rowid], byID[doc.ID] = doc, doc
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(byRow) > 0 {
		rargs := make([]any, 0, len(byRow))
		for r := range byRow {
			rargs = append(rargs, r)
		}
		rin := strings.TrimSuffix(strings.Repeat("?,", len(rargs)), ",")
		rows, err := d.db.QueryContext(ctx, `SELECT doc, 'tag', value FROM tags WHERE doc IN (`+rin+`)
			UNION ALL SELECT doc, field, value FROM ents WHERE doc IN (`+rin+`)`, append(rargs, rargs...)...)
		if err != nil {
			return nil, fmt.Errorf("fts5 docs: %w", err)
		}
		for rows.Next() {
			var r int64
			var field, value string
			if err := rows.Scan(&r, &field, &value); err != nil {
				rows.Close()
				return nil, err
			}
			doc := byRow[r]
			switch field {
			case "tag":
				doc.Tags = append(doc.Tags, value)
			case "person":
				doc.Person = append(doc.Person, value)
			case "org":
				doc.Org = append(doc.Org, value)
			case "place":
				doc.Place = append(doc.Place, value)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]Doc, 0, len(byID))
	for _, id := range ids {
		if doc, ok := byID[id]; ok {
			out = append(out, *doc)
		}
	}
	return out, nil
}
