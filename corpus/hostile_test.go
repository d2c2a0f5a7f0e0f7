package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// Hostile files: each record gets a clear per-record error or is read
// (and, below, indexed and found); nothing panics or ends a file early.

// result is what one read yields.
type result struct {
	articles []corpus.Article
	errs     []*corpus.RecordError
	fatal    error
}

func read(t *testing.T, name string, r io.Reader) result {
	t.Helper()
	var res result
	for a, err := range corpus.Read(name, r) {
		var re *corpus.RecordError
		switch {
		case errors.As(err, &re):
			res.errs = append(res.errs, re)
		case err != nil:
			if res.fatal != nil {
				t.Fatalf("%s: a second fatal error %v after %v", name, err, res.fatal)
			}
			res.fatal = err
		default:
			res.articles = append(res.articles, a)
		}
	}
	return res
}

// repeat is an io.Reader of s over and over, so that tests can feed
// tens of megabytes without holding them.
type repeat struct {
	s   string
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}

// huge is prefix, then n bytes of filler words, then suffix.
func huge(prefix string, n int64, suffix string) io.Reader {
	return io.MultiReader(strings.NewReader(prefix), io.LimitReader(&repeat{s: "filler words "}, n), strings.NewReader(suffix))
}

func tags(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `"tag%d", `, i)
	}
	return `["tag0", ` + b.String() + `" "]`
}

const (
	tagPageDump = "Tag: Hostile\n\n"
	nested      = 100000
)

func TestHostileFiles(t *testing.T) {
	divs := strings.Repeat("<div>", nested) + " axolotl " + strings.Repeat("</div>", nested)
	cases := []struct {
		name, input string
		reader      io.Reader // instead of input, for inputs too big to spell out
		articles    int
		errs        []string // the reasons, in order, each with its line as "N: reason"
		fatal       error
		check       func(t *testing.T, arts []corpus.Article)
	}{
		{name: "utf8.jsonl", input: "{\"id\": \"u\", \"title\": \"Caf\xe9 society\", \"body\": \"Prices \xff\xfe rose at the caf\xe9 zanzibar\"}\n", articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if !strings.HasSuffix(a[0].Body, "zanzibar") || !strings.Contains(a[0].Body, "\ufffd") {
					t.Errorf("body %q", a[0].Body)
				}
			}},
		{name: "utf8.txt", input: tagPageDump + "  \u2022 Caf\xe9 society\n\nPrices \xff\xfe rose at the caf\xe9 zanzibar\n", articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if !strings.HasSuffix(a[0].Body, "zanzibar") || !strings.Contains(a[0].Title, "\ufffd") {
					t.Errorf("article %q: %q", a[0].Title, a[0].Body)
				}
			}},
		{name: "nul.jsonl", input: "{\"title\": \"raw \x00 nul\", \"body\": \"b\"}\n{\"id\": \"n\", \"title\": \"escaped \\u0000 nul\", \"body\": \"quokka\"}\n",
			articles: 1, errs: []string{"1: invalid JSON"},
			check: func(t *testing.T, a []corpus.Article) {
				if a[0].Title != "escaped \x00 nul" {
					t.Errorf("title %q", a[0].Title)
				}
			}},
		{name: "nul.txt", input: tagPageDump + "  \u2022 Nul\x00title\n\nbody with nul\x00inside\n", articles: 1},
		{name: "empty.jsonl", input: ""},
		{name: "blank.jsonl", input: " \n\r\n\t\n"},
		{name: "empty.txt", input: "", fatal: corpus.ErrUnknownFormat},
		{name: "blank.txt", input: "\n\n\n", fatal: corpus.ErrUnknownFormat},
		{name: "image.png", input: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", fatal: corpus.ErrUnknownFormat},
		{name: "image.jsonl", input: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", fatal: corpus.ErrUnknownFormat},
		{name: "utf16.jsonl", input: "\xff\xfe{\x00\"\x00", fatal: corpus.ErrUnknownFormat},
		{name: "binary.jsonl", input: "{\x00\x01\x02\n\xff\xfe\xfd\n\x00\n", errs: []string{"1: invalid JSON", "2: invalid JSON", "3: invalid JSON"}},
		{name: "types.jsonl", input: `{"id": 5, "title": "t"}` + "\n" + `{"title": "t", "tags": "one"}` + "\n" + `[1, 2]` + "\n" + `{"title": "t", "date": 2024}`,
			errs: []string{`1: invalid record: field "id" must be a string, got a number`, `2: invalid record: field "tags" must be a list of strings`,
				"3: invalid record: want a JSON object, got an array", `4: invalid record: field "date" must be a string, got a number`}},
		{name: "big.jsonl", reader: huge(`{"id": "big", "title": "Ten megabytes", "body": "`, 10<<20, "\"}\n{\"id\": \"after\", \"title\": \"After\", \"body\": \"b\"}\n"),
			articles: 1, errs: []string{"1: article is over the limit"}},
		{name: "big.txt", reader: huge(tagPageDump+"  \u2022 Fifty megabytes\n\n", 50<<20, "\n  \u2022 After\n\nb\n"),
			articles: 1, errs: []string{"3: article is over the limit"}},
		{name: "longline.jsonl", reader: huge(`{"title": "`, corpus.MaxLineBytes+10, "\"}\n{\"id\": \"after\", \"title\": \"After\", \"body\": \"b\"}\n"),
			articles: 1, errs: []string{"1: record longer than"}},
		{name: "longline.txt", reader: huge(tagPageDump+"  \u2022 Long line\n\n", corpus.MaxLineBytes+10, "\n  \u2022 After\n\nb\n"),
			articles: 1, errs: []string{"3: article is over the limit"}},
		{name: "tags.jsonl", input: `{"id": "tags", "title": "Many tags", "body": "ocelot", "tags": ` + tags(10000) + "}\n" +
			`{"id": "after", "title": "After", "body": "b", "tags": ` + tags(corpus.MaxTags) + "}\n", articles: 1,
			errs: []string{"1: 10000 tags, over the limit of 100"},
			check: func(t *testing.T, a []corpus.Article) {
				if len(a[0].Tags) != corpus.MaxTags || a[0].Tags[99] != "tag99" {
					t.Errorf("%d tags, last %q", len(a[0].Tags), a[0].Tags[len(a[0].Tags)-1])
				}
			}},
		{name: "divs.jsonl", input: `{"id": "divs", "title": "Nested", "body": "` + divs + `"}`, articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if a[0].Body != divs {
					t.Error("nested markup not kept as written")
				}
			}},
		{name: "divs.txt", input: tagPageDump + "  \u2022 Nested\n\n" + divs + "\n", articles: 1},
		{name: "crlf.jsonl", input: "{\"id\": \"c1\", \"title\": \"Windows\", \"body\": \"line\"}\r\n\r\n{\"id\": \"c2\", \"title\": \"Windows\", \"body\": \"two\"}\r\n", articles: 2},
		{name: "crlf.txt", input: "Tag: Windows \r\n\r\n  \u2022 Carriage returns\r\n\r\n  Carriage returns\r\n\r\n  First paragraph.\r\n\r\n  Second.\r\n", articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if a[0].Body != "First paragraph.\n\nSecond." || a[0].Tags[0] != "Windows" {
					t.Errorf("article %+v", a[0])
				}
			}},
		{name: "bom.jsonl", input: "\ufeff{\"id\": \"bom\", \"title\": \"After a BOM\", \"body\": \"b\"}\n", articles: 1},
		{name: "bom.txt", input: "\ufeff  \u2022 After a BOM\n\nAfter a BOM\n\nBody.\n", articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if a[0].Title != "After a BOM" || a[0].Body != "Body." {
					t.Errorf("article %+v", a[0])
				}
			}},
		{name: "bomtag.txt", input: "\ufeffTag:  Ilham   Aliyev \n  \u2022 T\n\nBody.\n", articles: 1,
			check: func(t *testing.T, a []corpus.Article) {
				if len(a[0].Tags) != 1 || a[0].Tags[0] != "Ilham Aliyev" {
					t.Errorf("tags %q", a[0].Tags)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.reader
			if r == nil {
				r = strings.NewReader(c.input)
			}
			res := read(t, c.name, r)
			if !errors.Is(res.fatal, c.fatal) || res.fatal != nil && !strings.HasPrefix(res.fatal.Error(), c.name+": ") {
				t.Fatalf("fatal error %v, want %v naming the file", res.fatal, c.fatal)
			}
			if len(res.articles) != c.articles {
				t.Errorf("%d articles, want %d", len(res.articles), c.articles)
			}
			if len(res.errs) != len(c.errs) {
				t.Fatalf("errors %v, want %d of them", res.errs, len(c.errs))
			}
			for i, e := range res.errs {
				if got := fmt.Sprintf("%d: %s", e.Line, e.Reason); e.File != c.name || !strings.HasPrefix(got, c.errs[i]) {
					t.Errorf("error %q, want %q", e, c.errs[i])
				}
			}
			for _, a := range res.articles {
				if a.ID == "" || !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) || strings.ContainsRune(a.Title+a.Body, '\r') {
					t.Errorf("article %.80q: no ID, invalid UTF-8 or carriage returns", a.ID+" "+a.Title)
				}
				if a.ID == "after" && a.Title != "After" {
					t.Errorf("record after the hostile one: %+v", a)
				}
			}
			if c.check != nil && len(res.articles) == c.articles && c.articles > 0 {
				c.check(t, res.articles)
			}
		})
	}
}

// TestHostileFileOnDisk reads the hostile shapes through ReadFile and
// ReadPaths, as `folio ingest` does: a file that is not an input, an
// empty file and a directory are reported by path, and reading goes on.
func TestHostileFileOnDisk(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.jsonl":     "\ufeff{\"id\": \"a\", \"title\": \"A\", \"body\": \"b\"}\r\n",
		"b.txt":       "",
		"c.ndjson":    "\x00\x00\x00\x00",
		"d.txt":       tagPageDump + "  \u2022 D\n\nBody of D.\n",
		"e/f.jsonl":   `{"id": "f", "title": "F", "body": "b"}`,
		"e/notes.md":  "# not an input",
		"g.jsonl.bak": "{",
	}
	for name, content := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ids, errs []string
	for a, err := range corpus.ReadPaths([]string{dir, filepath.Join(dir, "missing.jsonl")}) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		ids = append(ids, a.ID)
	}
	if len(ids) != 3 || ids[0] != "a" || ids[2] != "f" {
		t.Errorf("articles %q", ids)
	}
	want := []string{"b.txt: unknown input format", "c.ndjson: unknown input format", "missing.jsonl"}
	if len(errs) != len(want) {
		t.Fatalf("errors %q, want %q", errs, want)
	}
	for i, w := range want {
		if !strings.Contains(errs[i], filepath.Join(dir, w)) && !strings.Contains(errs[i], w) {
			t.Errorf("error %q, want one naming %s", errs[i], w)
		}
	}
}

// TestHostileArticlesIndexed indexes the hostile articles that readers
// accept and finds each one: invalid UTF-8, NUL, CRLF, a BOM, 100 tags,
// 100,000 nested <div>s and an article near the size limit. Every search
// must answer within a time budget: a public search box may be asked for
// any word of any article.
func TestHostileArticlesIndexed(t *testing.T) {
	var arts []corpus.Article
	add := func(name, input string) {
		res := read(t, name, strings.NewReader(input))
		if res.fatal != nil || len(res.errs) > 0 || len(res.articles) == 0 {
			t.Fatalf("%s: %v %v", name, res.fatal, res.errs)
		}
		arts = append(arts, res.articles...)
	}
	add("utf8.txt", tagPageDump+"  \u2022 Caf\xe9 society\n\nPrices \xff\xfe rose at the caf\xe9 zanzibar\n")
	add("nul.jsonl", "{\"id\": \"nul\\u0000id\", \"title\": \"escaped \\u0000 nul\", \"body\": \"quokka\\u0000wombat\"}\n")
	add("crlf.txt", "Tag: Windows\r\n\r\n  \u2022 Carriage returns\r\n\r\n  The harbour reopened on Monday.\r\n\r\n  Second.\r\n")
	add("bom.jsonl", "\ufeff{\"id\": \"bom\", \"title\": \"After a BOM\", \"body\": \"narwhal\"}\n")
	add("tags.jsonl", `{"id": "tags", "title": "Many tags", "body": "ocelot", "tags": `+tags(corpus.MaxTags)+"}\n")
	add("script.jsonl", `{"id": "xss", "title": "<script>alert(1)</script>", "body": "<img src=x onerror=alert(1)> pangolin <a href=\"javascript:alert(1)\">x</a>"}`)
	add("divs.jsonl", `{"id": "divs", "title": "Nested", "body": "`+strings.Repeat("<div>", nested)+" axolotl "+strings.Repeat("</div>", nested)+`"}`)
	var b strings.Builder
	for b.Len() < corpus.MaxArticleBytes-100 {
		b.WriteString("a long article about the harbour and the ship. ")
	}
	add("long.jsonl", `{"id": "long", "title": "Long", "body": "`+b.String()+`"}`)

	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	stats, err := ix.Ingest(context.Background(), func(yield func(corpus.Article, error) bool) {
		for _, a := range arts {
			if !yield(a, nil) {
				return
			}
		}
	}, index.IngestOptions{BatchSize: 3})
	if err != nil || stats.Indexed != len(arts) {
		t.Fatalf("ingest: %v, %+v", err, stats)
	}

	hung := false
	defer func() {
		// A search still running would use the index after Close.
		if !hung {
			ix.Close()
		}
	}()
	budget := 10 * time.Second
	searches := []struct{ q, id, snippet string }{
		{"zanzibar", "", "<mark>zanzibar</mark>"},
		{`"escaped nul"`, "nul\x00id", ""},
		{"wombat", "nul\x00id", ""},
		{`"harbour reopened"`, "", "<mark>harbour reopened</mark>"},
		{"narwhal", "bom", ""},
		{"tag:tag99", "tags", ""},
		{"pangolin", "xss", "&lt;img src=x onerror=alert(1)&gt; <mark>pangolin</mark> &lt;a href=&#34;javascript:alert(1)&#34;&gt;"},
		{"axolotl", "divs", "<mark>axolotl</mark>"},
		// A match on each of 200,000 tags, and tens of thousands in a body
		// near the size limit: snippets must not cost time quadratic in them.
		{"div", "divs", "&lt;<mark>div</mark>&gt;"},
		{"harbour ship", "long", "<mark>harbour</mark>"},
		{"ha*", "long", "<mark>harbour</mark>"},
	}
	for _, s := range searches {
		if hung {
			// The search still running takes a CPU; later timings would lie.
			t.Errorf("search %q: not run after a search that did not answer", s.q)
			continue
		}
		node, err := query.Parse(s.q)
		if err != nil {
			t.Fatal(err)
		}
		type answer struct {
			res *search.Result
			err error
		}
		done := make(chan answer, 1)
		start := time.Now()
		go func() {
			res, err := ix.Search(context.Background(), search.Request{Query: node, Size: 10, Fragments: 3, FacetSize: 10})
			done <- answer{res, err}
		}()
		var a answer
		select {
		case a = <-done:
		case <-time.After(budget):
			hung = true
			t.Errorf("search %q: no answer within %v", s.q, budget)
			continue
		}
		if a.err != nil {
			t.Errorf("search %q: %v", s.q, a.err)
			continue
		}
		if a.res.Total == 0 || s.id != "" && a.res.Hits[0].ID != s.id {
			t.Errorf("search %q: total %d, want a first hit %q", s.q, a.res.Total, s.id)
			continue
		}
		// Fragments are text as written (the server escapes it): the
		// markup of the record is there as text, the matches are marked.
		var marked []string
		for _, f := range a.res.Hits[0].Fragments {
			marked = append(marked, f.Mark("<mark>", "</mark>"))
		}
		snippets, want := strings.Join(marked, " "), html.UnescapeString(s.snippet)
		if !strings.Contains(snippets, want) {
			t.Errorf("search %q: snippets %.300q lack %q", s.q, snippets, want)
		}
		t.Logf("%-14s %d hits in %v", s.q, a.res.Total, time.Since(start).Round(time.Millisecond))
	}
	for _, id := range []string{"nul\x00id", "tags", "divs"} {
		if a, err := ix.Article(context.Background(), id); err != nil || a.ID != id {
			t.Errorf("article %q: %v", id, err)
		}
	}
}
