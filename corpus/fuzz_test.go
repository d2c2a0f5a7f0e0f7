package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The readers face files nobody checked and uploads from the admin API.
// These fuzzers hold them to their contract on any input: no panic; every
// error is a *RecordError naming the file and a real line, or a clear
// fatal error; every article has an ID and a title or body. Seeds live in
// testdata/fuzz/<FuzzName>/ as well as in f.Add below; run e.g.
//
//	go test -fuzz=FuzzReadJSONL -fuzztime=5m ./corpus/

// fuzzSeeds are inputs every fuzzer starts from: each format's happy path
// and the hostile shapes of the hardening issue.
var fuzzSeeds = []string{
	"",
	"\n\n",
	`{"id": "a", "title": "Harbour opens", "body": "The harbour opened.", "date": "2024-12-29", "tags": ["Baku", " Baku ", ""]}` + "\n",
	`{"title": "No id", "body": "Derived id"}` + "\r\n" + `{"title": "", "body": ""}` + "\r\n",
	`{"id": "x", "title": "t", "body": "b"} {"id": "y"}`,
	`{"id": 5, "title": ["t"], "date": 20241229}`,
	`{"title": "t", "date": "1066-10-14"}`,
	`{"title": "t", "date": "2024-02-30"}`,
	"{\"title\": \"nul \\u0000 escaped\", \"body\": \"raw \x00 nul\"}\n",
	"{\"title\": \"bad utf-8 \xff\xfe\", \"body\": \"\xc3\x28\"}\n",
	"\ufeff{\"title\": \"after a BOM\", \"body\": \"b\"}\n",
	"{\"title\": \"t\", \"body\": \"" + strings.Repeat("<div>", 200) + "\"}",
	"{" + strings.Repeat("[", 300),
	"Tag: Ilham Aliyev\n\n  \u2022 First title\n\n  First title\n\n  A paragraph.\n\n  Image\n\n  \u2022 Second\nSecond\nBody two.\n",
	"\ufeffTag: BOM\r\n  \u2022 T\r\nT\r\nB\r\n",
	"\ufeff  \u2022 Bullet after a BOM\nBullet after a BOM\nBody.\n",
	"stray text\n  \u2022 \n\n  \u2022 Title only\n  \u2022 Dup\nx\n  \u2022 Dup\nx\n",
	"  \u2022 t\x00\nt\x00\n\xff\xfe body \x00\n",
	"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	"\xff\xfeT\x00a\x00g\x00:\x00",
	"Tag: x",
	"  \u2022",
	`{"id": "` + strings.Repeat("i", MaxIDBytes+1) + `", "title": "t", "tags": ["` + strings.Repeat("t", MaxTagBytes+1) + `"]}`,
	"Tag: " + strings.Repeat("t", MaxTagBytes+1) + "\n  \u2022 T\nBody.\n",
}

// lines splits data the way the readers count lines: by '\n', 1-based.
func lines(data []byte) [][]byte { return bytes.Split(data, []byte("\n")) }

// checkArticle holds any yielded article to the model's promises.
func checkArticle(t *testing.T, a Article) {
	t.Helper()
	if a.ID == "" {
		t.Fatalf("article without ID: %+v", a)
	}
	if strings.TrimSpace(a.Title) == "" && strings.TrimSpace(a.Body) == "" {
		t.Fatalf("article %q has neither title nor body", a.ID)
	}
	if len(a.Title)+len(a.Body) > MaxArticleBytes {
		t.Fatalf("article %q: %d bytes of text, over MaxArticleBytes", a.ID, len(a.Title)+len(a.Body))
	}
	if a.Date != nil && (a.Date.Year() < 1678 || a.Date.Year() > 2261 || a.Date.Location().String() != "UTC") {
		t.Fatalf("article %q: date %v outside what the index holds", a.ID, a.Date)
	}
	if a.Tags == nil {
		t.Fatalf("article %q: nil tags (the API promises a list)", a.ID)
	}
	if reason := overLimit(&a); reason != "" {
		t.Fatalf("article %.80q read although %s", a.ID, reason)
	}
	seen := map[string]bool{}
	for _, tag := range a.Tags {
		if tag == "" || tag != strings.Join(strings.Fields(tag), " ") || seen[tag] {
			t.Fatalf("article %q: tag %q empty, untrimmed or repeated in %q", a.ID, tag, a.Tags)
		}
		seen[tag] = true
	}
	for _, s := range []string{a.Title, a.Body} {
		if !utf8.ValidString(s) {
			t.Fatalf("article %q: text is not valid UTF-8: %q", a.ID, s)
		}
	}
}

// checkRecordError holds a reader's error to "file:line: reason" with a
// line that exists in the input.
func checkRecordError(t *testing.T, err error, name string, nlines int) *RecordError {
	t.Helper()
	var re *RecordError
	if !errors.As(err, &re) {
		t.Fatalf("error is not a *RecordError: %T %v", err, err)
	}
	if re.File != name || re.Line < 1 || re.Line > nlines || re.Reason == "" || len(re.Reason) > MaxReasonBytes {
		t.Fatalf("record error %.400q: want file %s, a line in 1..%d and a short reason", err, name, nlines)
	}
	if strings.Contains(re.Reason, "Go struct") || strings.Contains(re.Reason, "jsonArticle") {
		t.Fatalf("record error %q speaks of Folio's Go types", err)
	}
	return re
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.jsonl"
		ls := lines(data)
		// Oracle: every line that is not blank yields exactly one item, an
		// article or an error for that line, in order.
		var want []int
		for i, l := range ls {
			if i == 0 {
				l = bytes.TrimPrefix(l, []byte(bom))
			}
			if len(bytes.TrimSpace(bytes.TrimRight(l, "\r"))) > 0 {
				want = append(want, i+1)
			}
		}
		n := 0
		for a, err := range ReadJSONL(name, bytes.NewReader(data)) {
			if n >= len(want) {
				t.Fatalf("item %d (%+v, %v) for %d non-blank lines", n+1, a, err, len(want))
			}
			if err != nil {
				if re := checkRecordError(t, err, name, len(ls)); re.Line != want[n] {
					t.Fatalf("error %q for line %d, want line %d", err, re.Line, want[n])
				}
			} else {
				checkArticle(t, a)
			}
			n++
		}
		if n != len(want) {
			t.Fatalf("%d items for %d non-blank lines", n, len(want))
		}
	})
}

func FuzzReadTagPage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.txt"
		nlines := len(lines(data))
		ids := map[string]bool{}
		readTagPage(name, bufio.NewReader(bytes.NewReader(data)), func(a Article, err error) bool {
			if err != nil {
				checkRecordError(t, err, name, nlines)
				return true
			}
			checkArticle(t, a)
			if strings.TrimSpace(a.Title) == "" || strings.TrimSpace(a.Body) == "" || strings.Contains(a.Title, "\n") {
				t.Fatalf("tag-page article needs a one-line title and a body: %+v", a)
			}
			if a.ID != StableID(a.Title, a.Body) || ids[a.ID] {
				t.Fatalf("article %q: ID not derived from its text, or yielded twice", a.ID)
			}
			ids[a.ID] = true
			return true
		})
	})
}

// FuzzDetect checks format detection on any head and file name, and then
// that Read as a whole keeps the readers' contract: a refused format is
// one error wrapping ErrUnknownFormat and nothing else.
func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, name := range []string{"in.jsonl", "in.txt", "in"} {
			f.Add(name, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		// Read detects from the first 8 KB, and so does this check.
		format, err := Detect(name, data[:min(len(data), 8<<10)])
		switch {
		case err != nil:
			if format != "" || !errors.Is(err, ErrUnknownFormat) || !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("Detect(%q) = %q, %v: want no format and an error naming the file", name, format, err)
			}
		case format != FormatJSONL && format != FormatTagPage:
			t.Fatalf("Detect(%q) = %q without an error", name, format)
		}
		nlines := len(lines(data))
		items := 0
		for a, rerr := range Read(name, bytes.NewReader(data)) {
			items++
			switch {
			case err != nil:
				if items > 1 || rerr == nil || !errors.Is(rerr, ErrUnknownFormat) {
					t.Fatalf("Read of a refused file yielded %+v, %v", a, rerr)
				}
			case rerr != nil:
				checkRecordError(t, rerr, name, nlines)
			default:
				checkArticle(t, a)
			}
		}
	})
}
