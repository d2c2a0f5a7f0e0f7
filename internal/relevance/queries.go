package relevance

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/folio-search/folio/internal/query"
)

// Query is one judged query: the text as a user types it, in Folio's query
// language, and the topic tags that make an article relevant to it.
type Query struct {
	Text string   `json:"query"`
	Tags []string `json:"tags"`
	Line int      `json:"-"` // in the query file, for errors
}

//go:embed testdata/reuters_queries.tsv
var reutersQueries []byte

// ReutersQueries is the committed judged set over Reuters-21578.
func ReutersQueries() []Query {
	qs, err := ParseQueries("reuters_queries.tsv", bytes.NewReader(reutersQueries))
	if err != nil {
		panic(err) // the file is embedded and checked by the tests
	}
	return qs
}

// ParseQueries reads a query file: "query<TAB>tag,tag" per line; blank
// lines and lines starting with # are skipped. Every query must parse in
// Folio's query language and name at least one tag.
func ParseQueries(name string, r io.Reader) ([]Query, error) {
	var out []Query
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, tagList, ok := strings.Cut(line, "\t")
		text = strings.TrimSpace(text)
		if !ok || text == "" {
			return nil, fmt.Errorf("%s:%d: want a query, a tab and the relevant tags", name, n)
		}
		var tags []string
		for _, t := range strings.Split(tagList, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		if len(tags) == 0 {
			return nil, fmt.Errorf("%s:%d: query %q names no relevant tag", name, n, text)
		}
		if _, err := query.Parse(text); err != nil {
			return nil, fmt.Errorf("%s:%d: query %q: %v", name, n, text, err)
		}
		if prev, dup := seen[text]; dup {
			return nil, fmt.Errorf("%s:%d: query %q repeats line %d", name, n, text, prev)
		}
		seen[text] = n
		out = append(out, Query{Text: text, Tags: tags, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no queries", name)
	}
	return out, nil
}
