package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func collect(t *testing.T, name, input string) ([]Article, []error) {
	t.Helper()
	var arts []Article
	var errs []error
	for a, err := range Read(name, strings.NewReader(input)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		arts = append(arts, a)
	}
	return arts, errs
}

func TestBundledSample(t *testing.T) {
	var arts []Article
	for a, err := range Bundled() {
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	// Titles and paragraph counts as described in the seed's README; the
	// lone "image" placeholder of the first article is not a paragraph.
	want := []struct {
		title      string
		paragraphs int
	}{
		{"President Ilham Aliyev was interviewed by Azerbaijan Television", 21},
		{"Aliyevs Own Many Buildings in London Valued at Hundreds of Millions of Dollars", 11},
		{"Armenia Should Exploit Rifts\u00a0\u00a0Between Azerbaijan and Turkey", 22},
		{"Should Pashinyan Go to Baku at Aliyev’s\u00a0Invitation to Attend an Int’l Conference?", 12},
		{"Despite His Denials, Aliyev is Upset By International Criticism of Azerbaijan", 14},
		{"Hollywood Proposed to Make Propaganda Films on Aliyev and Erdogan for a Price", 15},
	}
	if len(arts) != len(want) {
		t.Fatalf("got %d articles, want %d", len(arts), len(want))
	}
	ids := map[string]bool{}
	for i, w := range want {
		a := arts[i]
		if a.Title != w.title {
			t.Errorf("article %d title = %q, want %q", i, a.Title, w.title)
		}
		if n := len(strings.Split(a.Body, "\n\n")); n != w.paragraphs {
			t.Errorf("article %d has %d paragraphs, want %d", i, n, w.paragraphs)
		}
		if strings.HasPrefix(a.Body, a.Title) {
			t.Errorf("article %d body starts with the repeated title", i)
		}
		if len(a.Tags) != 1 || a.Tags[0] != "Ilham Aliyev" {
			t.Errorf("article %d tags = %q", i, a.Tags)
		}
		if a.Date != nil {
			t.Errorf("article %d has a date %v; the tag page gives none", i, a.Date)
		}
		if ids[a.ID] || a.ID == "" {
			t.Errorf("article %d id %q empty or repeated", i, a.ID)
		}
		ids[a.ID] = true
	}
	if strings.Contains(arts[0].Body, "\nimage\n") {
		t.Error("image placeholder kept in body")
	}
}

func TestTagPageIDsAreStable(t *testing.T) {
	page := "Tag: X\n\n  • A title\n\n    A title\n\n    Body one.\n\n    Body two.\n"
	a1, _ := collect(t, "one.txt", page)
	a2, _ := collect(t, "elsewhere/two.txt", page)
	if len(a1) != 1 || len(a2) != 1 || a1[0].ID != a2[0].ID {
		t.Fatalf("ids differ or articles missing: %v %v", a1, a2)
	}
	if a1[0].Body != "Body one.\n\nBody two." {
		t.Errorf("body = %q", a1[0].Body)
	}
}

func TestTagPageBadRecords(t *testing.T) {
	page := "Tag: X\n\nstray text\n\n  • Empty one\n\n    Empty one\n\n  • Good\n\n    Good\n\n    Text.\n"
	arts, errs := collect(t, "p.txt", page)
	if len(arts) != 1 || arts[0].Title != "Good" {
		t.Fatalf("articles = %+v", arts)
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %v, want 2", errs)
	}
	if got := errs[0].Error(); got != "p.txt:3: text before the first article's bullet line" {
		t.Errorf("first error = %q", got)
	}
	if got := errs[1].Error(); got != "p.txt:5: article has no body" {
		t.Errorf("second error = %q", got)
	}
}

func TestJSONLReader(t *testing.T) {
	input := `{"id": "r-1", "date": "1987-02-26T15:01:01.790Z", "title": "COCOA", "body": "Showers.", "tags": ["cocoa", " cocoa ", ""]}
{"id": "r-2", "date": null, "title": "No date", "body": ""}
this is not json
{"id": "r-4", "title": "", "body": "  "}
{"id": "r-5", "date": "26-FEB-1987", "title": "Bad date", "body": "x"}

{"title": "No id", "body": "Gets a stable one."}
{"id": "r-7", "title": "Two values"} {"id": "r-8"}`
	arts, errs := collect(t, "news.jsonl", input)
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	if len(arts) != 3 || arts[0].ID != "r-1" || arts[1].ID != "r-2" || !strings.HasPrefix(arts[2].ID, "a") {
		t.Fatalf("ids = %v", ids)
	}
	if d := arts[0].Date; d == nil || d.Format("2006-01-02T15:04:05.000Z07:00") != "1987-02-26T15:01:01.790Z" {
		t.Errorf("date = %v", d)
	}
	if arts[1].Date != nil {
		t.Errorf("null date parsed as %v", arts[1].Date)
	}
	if strings.Join(arts[0].Tags, "|") != "cocoa" {
		t.Errorf("tags = %q", arts[0].Tags)
	}
	if arts[0].Source != "news" {
		t.Errorf("source = %q", arts[0].Source)
	}
	wantErrs := []string{
		"news.jsonl:3: invalid JSON",
		"news.jsonl:4: record has neither title nor body",
		`news.jsonl:5: invalid date "26-FEB-1987"`,
		"news.jsonl:8: invalid JSON: more than one value",
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors = %v", errs)
	}
	for i, w := range wantErrs {
		var re *RecordError
		if !errors.As(errs[i], &re) || !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %v, want prefix %q", i, errs[i], w)
		}
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name, head string
		want       Format
		err        bool
	}{
		{"a.jsonl", `{"id":1}`, FormatJSONL, false},
		{"a.txt", "  {\"id\":1}", FormatJSONL, false},
		{"page.txt", "Tag: X\n\n  • T", FormatTagPage, false},
		{"page", "\n  • T\n", FormatTagPage, false},
		{"empty.jsonl", "", FormatJSONL, false},
		{"notes.txt", "just some notes", "", true},
		{"x.csv", "a,b,c", "", true},
	}
	for _, c := range cases {
		got, err := Detect(c.name, []byte(c.head))
		if (err != nil) != c.err || got != c.want {
			t.Errorf("Detect(%q) = %q, %v", c.name, got, err)
		}
		if c.err && !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("Detect(%q) error %v is not ErrUnknownFormat", c.name, err)
		}
	}
}

func TestReadPaths(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(`{"id":"x","title":"T","body":"B"}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# not an input"), 0o644)
	var got []string
	var errs []error
	for a, err := range ReadPaths([]string{dir, filepath.Join(dir, "missing.jsonl"), BundledName}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, a.ID)
	}
	if len(got) != 7 || got[0] != "x" {
		t.Errorf("ids = %v, want x then the 6 bundled articles", got)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "missing.jsonl") {
		t.Errorf("errors = %v, want one naming missing.jsonl", errs)
	}
}

func TestReutersCorpus(t *testing.T) {
	const path = "../../shared/corpora/reuters21578/reuters21578.jsonl"
	if _, err := os.Stat(path); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	n, dated := 0, 0
	for a, err := range ReadFile(path) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if a.Date != nil {
			dated++
		}
	}
	// Counts from the corpus's README: 21,577 documents, one null date.
	if n != 21577 || dated != 21576 {
		t.Fatalf("read %d articles, %d dated; want 21577 and 21576", n, dated)
	}
}
