package corpus_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
)

// TestFieldLimits reads, for each bounded field, a record at its limit
// (read) and one just over it (skipped with a reason that names the
// limit), and then a good record (read: the file goes on).
func TestFieldLimits(t *testing.T) {
	tagList := func(n, size int) string {
		var b strings.Builder
		for i := range n {
			tag := fmt.Sprintf("t%d-", i)
			fmt.Fprintf(&b, "%q,", tag+strings.Repeat("x", size-len(tag)))
		}
		return "[" + strings.TrimSuffix(b.String(), ",") + "]"
	}
	field := func(name string, n int) string {
		return fmt.Sprintf(`{"title": "t", "body": "b", %q: %q}`, name, strings.Repeat("x", n))
	}
	cases := []struct {
		name      string
		at, over  string
		overLimit string
	}{
		{"id", field("id", corpus.MaxIDBytes), field("id", 1<<20), `field "id" is 1048576 bytes, over the limit of 256`},
		{"title", fmt.Sprintf(`{"title": %q}`, strings.Repeat("é", corpus.MaxTitleBytes/2)),
			fmt.Sprintf(`{"title": %q}`, strings.Repeat("x", corpus.MaxTitleBytes+1)), `field "title" is 1025 bytes, over the limit of 1024`},
		{"url", field("url", corpus.MaxURLBytes), field("url", corpus.MaxURLBytes+1), `field "url" is 2049 bytes, over the limit of 2048`},
		{"author", field("author", corpus.MaxAuthorBytes), field("author", corpus.MaxAuthorBytes+1), `field "author" is 1025 bytes, over the limit of 1024`},
		{"dateline", field("dateline", corpus.MaxDatelineBytes), field("dateline", corpus.MaxDatelineBytes+1), `field "dateline" is 257 bytes, over the limit of 256`},
		{"source", field("source", corpus.MaxSourceBytes), field("source", corpus.MaxSourceBytes+1), `field "source" is 257 bytes, over the limit of 256`},
		{"tags", `{"title": "t", "tags": ` + tagList(corpus.MaxTags, 10) + `}`,
			`{"title": "t", "tags": ` + tagList(200000, 8) + `}`, "200000 tags, over the limit of 100"},
		{"tag", `{"title": "t", "tags": ` + tagList(3, corpus.MaxTagBytes) + `}`,
			`{"title": "t", "tags": ` + tagList(3, corpus.MaxTagBytes+1) + `}`, "a tag of 201 bytes, over the limit of 200"},
		// Tags are counted as kept: blanks and repeats are no tags.
		{"repeated tags", `{"title": "t", "tags": [` + strings.Repeat(`"same", " ", `, 500) + `"same"]}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			input := c.at + "\n"
			if c.over != "" {
				input += c.over + "\n"
			}
			input += `{"id": "after", "title": "After"}` + "\n"
			res := read(t, "limits.jsonl", strings.NewReader(input))
			if len(res.articles) != 2 || res.articles[1].ID != "after" {
				t.Errorf("%d articles read, want the one at the limit and the one after", len(res.articles))
			}
			if c.over == "" {
				if len(res.errs) != 0 {
					t.Errorf("errors %v", res.errs)
				}
				return
			}
			if len(res.errs) != 1 || res.errs[0].Line != 2 || res.errs[0].Reason != c.overLimit {
				t.Errorf("errors %v, want line 2: %s", res.errs, c.overLimit)
			}
		})
	}
}

// TestTagPageLimits holds the tag-page reader to the same limits: a title
// (the bullet line) or a page tag over its limit skips the article.
func TestTagPageLimits(t *testing.T) {
	long := strings.Repeat("x", corpus.MaxTitleBytes+1)
	res := read(t, "limits.txt", strings.NewReader("Tag: Limits\n\n  \u2022 "+long+"\n\nBody one.\n\n  \u2022 Fits\n\nBody two.\n"))
	if len(res.articles) != 1 || res.articles[0].Title != "Fits" || len(res.errs) != 1 ||
		res.errs[0].Line != 3 || res.errs[0].Reason != `field "title" is 1025 bytes, over the limit of 1024` {
		t.Errorf("long title: %d articles, errors %v", len(res.articles), res.errs)
	}
	res = read(t, "limits.txt", strings.NewReader("Tag: "+strings.Repeat("y", corpus.MaxTagBytes+1)+"\n\n  \u2022 Title\n\nBody.\n"))
	if len(res.articles) != 0 || len(res.errs) != 1 || res.errs[0].Reason != "a tag of 201 bytes, over the limit of 200" {
		t.Errorf("long tag: %d articles, errors %v", len(res.articles), res.errs)
	}
}

// TestReasonsAreShort: a report never carries the record it is about, so
// that a file of junk cannot make a report bigger than itself.
func TestReasonsAreShort(t *testing.T) {
	junk := strings.Repeat("é", 1<<20)
	input := `{"title": "t", "date": "` + junk + `"}` + "\n" + // a 2 MB date
		`{"title": "t", "date": "1066-10-14` + junk + `"}` + "\n"
	res := read(t, "reasons.jsonl", strings.NewReader(input))
	if len(res.errs) != 2 {
		t.Fatalf("errors %d, want 2", len(res.errs))
	}
	for _, e := range res.errs {
		if len(e.Reason) > corpus.MaxReasonBytes || !strings.HasPrefix(e.Reason, `invalid date "`) || !strings.Contains(e.Reason, "…") {
			t.Errorf("line %d: a reason of %d bytes: %.100s…", e.Line, len(e.Reason), e.Reason)
		}
	}
}

// TestLimitEntities keeps the most-mentioned entities, in their order.
func TestLimitEntities(t *testing.T) {
	var a corpus.Article
	for i := range corpus.MaxEntities + 500 {
		mentions := 1
		if i%3 == 0 {
			mentions = 2 + i%5 // every third entity is mentioned more often
		}
		a.Entities = append(a.Entities, corpus.Entity{Type: "ORG", Name: fmt.Sprint(i), Mentions: make([]corpus.Mention, mentions)})
	}
	corpus.LimitEntities(&a)
	if len(a.Entities) != corpus.MaxEntities {
		t.Fatalf("%d entities kept, want %d", len(a.Entities), corpus.MaxEntities)
	}
	// 500 of the 1,500 are mentioned more than once and all kept; then the
	// first 500 of those mentioned once.
	var several, once, last int
	for k, e := range a.Entities {
		var i int
		fmt.Sscan(e.Name, &i)
		if k > 0 && i <= last {
			t.Fatalf("order lost: %d after %d", i, last)
		}
		last = i
		if len(e.Mentions) > 1 {
			several++
		} else {
			once++
			if i > 749 { // the 500th entity mentioned once is number 749
				t.Errorf("entity %d kept, mentioned once, past the first 500 such", i)
			}
		}
	}
	if several != 500 || once != 500 {
		t.Errorf("kept %d mentioned several times and %d once, want 500 and 500", several, once)
	}
}

// TestIndexLimitsEntities: the index keeps at most MaxEntities entities of
// an article, however they were extracted.
func TestIndexLimitsEntities(t *testing.T) {
	var body strings.Builder
	a := corpus.Article{ID: "many", Title: "Many names", Tags: []string{}}
	for i := range corpus.MaxEntities + 200 {
		name := fmt.Sprintf("Name%d", i)
		a.Entities = append(a.Entities, corpus.Entity{Type: "ORG", Name: name,
			Mentions: []corpus.Mention{{Start: body.Len(), End: body.Len() + len(name)}}})
		body.WriteString(name + " ")
	}
	a.Body = body.String()
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(a); err != nil {
		t.Fatal(err)
	}
	got, err := ix.Article(context.Background(), "many")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entities) != corpus.MaxEntities || got.Entities[0].Name != "Name0" {
		t.Errorf("%d entities stored, want %d from Name0", len(got.Entities), corpus.MaxEntities)
	}
}

// TestJunkLineIsCheap reads a 10 MB line that is no JSON at all: it is
// rejected from its start, without holding it, and the next record is
// read. (A line that starts as JSON is held, up to MaxLineBytes.)
func TestJunkLineIsCheap(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var res result
	for a, err := range corpus.ReadJSONL("junk.jsonl", huge("x", 10<<20, "\n"+`{"id": "after", "title": "After"}`+"\n")) {
		if err != nil {
			res.errs = append(res.errs, err.(*corpus.RecordError))
		} else {
			res.articles = append(res.articles, a)
		}
	}
	runtime.ReadMemStats(&after)
	if len(res.articles) != 1 || len(res.errs) != 1 || res.errs[0].Line != 1 ||
		res.errs[0].Reason != "invalid JSON: invalid character 'x' looking for beginning of value" {
		t.Errorf("%d articles, errors %v", len(res.articles), res.errs)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
		t.Errorf("%d MB allocated to read a junk line of 10 MB", n>>20)
	}
}
