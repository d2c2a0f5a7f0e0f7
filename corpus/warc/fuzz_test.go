package warc

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
)

// FuzzReadWARC holds the reader to its contract on any input: it ends; it
// does not panic; every error is a *corpus.RecordError naming the file, a
// record number and a short reason; every article has an ID, a URL, valid
// UTF-8 text and a date the index can hold. Seeds are in
// testdata/fuzz/FuzzReadWARC; run e.g.
//
//	go test -fuzz=FuzzReadWARC -fuzztime=5m ./corpus/warc/
func FuzzReadWARC(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("WARC/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.warc"
		records := 0
		Read(name, bytes.NewReader(data), func(a corpus.Article, err error) bool {
			records++
			if records > len(data)+1 {
				t.Fatalf("%d items from %d bytes", records, len(data))
			}
			if err != nil {
				var re *corpus.RecordError
				if !errors.As(err, &re) || re.File != name || re.Line < 1 || re.Reason == "" || len(re.Reason) > corpus.MaxReasonBytes {
					t.Fatalf("error %.300q: want a *corpus.RecordError with a record number and a short reason", err)
				}
				return true
			}
			if a.ID == "" || a.URL == "" || a.Tags == nil || a.Line < 1 || !utf8.ValidString(a.Body) || !utf8.ValidString(a.Title) {
				t.Fatalf("article %+v breaks the model's promises", a)
			}
			if a.Date != nil && (a.Date.Year() < 1678 || a.Date.Year() > 2261 || a.Date.Location().String() != "UTC") {
				t.Fatalf("article date %v", a.Date)
			}
			if strings.TrimSpace(a.Body) == "" {
				t.Fatalf("article without a body")
			}
			return true
		})
	})
}
