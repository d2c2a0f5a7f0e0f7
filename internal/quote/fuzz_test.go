package quote

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/folio-search/folio/corpus"
)

// FuzzExtract checks that any body, with an entity on its first word,
// gives quotes in order, inside the body, whose offsets give their text.
// Seeds are in testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add(`"Yes," said Ann Lee.`)
	f.Fuzz(func(t *testing.T, body string) {
		a := &corpus.Article{Body: body}
		if i := strings.IndexByte(body, ' '); i > 0 && utf8.ValidString(body[:i]) {
			a.Entities = []corpus.Entity{{Type: "PER", Name: body[:i], Mentions: []corpus.Mention{{Start: 0, End: i}}}}
		}
		last := -1
		for _, q := range Extract(a) {
			if q.Start < 0 || q.End > len(body) || q.Start >= q.End || body[q.Start:q.End] != q.Text {
				t.Fatalf("quote %q at %d:%d of %q", q.Text, q.Start, q.End, body)
			}
			if q.Start < last {
				t.Fatalf("quotes out of order or overlapping in %q", body)
			}
			last = q.End
			if (q.Speaker == "") != (q.SpeakerKind == corpus.SpeakerUnknown) {
				t.Fatalf("quote %q: speaker %q of kind %q", q.Text, q.Speaker, q.SpeakerKind)
			}
		}
		ExtractTitle(&corpus.Article{Title: body, Entities: a.Entities})
	})
}
