package index

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// decodeQuoteRecord reads what encoding/json reads: the same record, or
// an error from both.
func checkQuoteDecode(t *testing.T, js []byte) {
	t.Helper()
	want, got := &quoteRecord{}, &quoteRecord{}
	werr := json.Unmarshal(js, want)
	gerr := decodeQuoteRecord(js, got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: encoding/json says %v, decodeQuoteRecord %v", js, werr, gerr)
	}
	if werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", js, got, want)
	}
}

// Records as Folio writes them, with every kind of text, read the same.
func TestQuoteRecordsDecodeAsJSONReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Holt", " ", "“", "”", `"`, `\`, "\n", "\t", "\x01", "<b>", "&", "\u2028", "é", "日本", "\xff", "\ufffd", "'", "/", "\x7f"}
	text := func() string {
		var b []byte
		for range rng.IntN(6) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		return string(b)
	}
	for range 3000 {
		rec := &quoteRecord{}
		for range rng.IntN(4) {
			s := quoteSeen{Article: text(), Title: text(), URL: text(), Text: text(), Speaker: text(), Kind: text(), Cue: text(),
				Start: rng.IntN(2000) - 5, End: rng.IntN(5000), InTitle: rng.IntN(2) == 0}
			if rng.IntN(3) > 0 {
				d := time.Date(1900+rng.IntN(200), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, rng.IntN(1000)*1e6, time.UTC)
				s.Date = &d
			}
			for range rng.IntN(3) {
				s.Tags = append(s.Tags, text())
			}
			rec.Seen = append(rec.Seen, s)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // as compressStored writes
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
		checkQuoteDecode(t, buf.Bytes())
	}
}

// JSON that Folio does not write is read, or refused, as encoding/json
// reads or refuses it.
func TestQuoteRecordsOfOtherJSON(t *testing.T) {
	for _, js := range []string{
		`{"o":[{"a":"x","b":1,"e":2}]}`, `{"o":null}`, `{}`, `{"o":[]}`, ` { "o" : [ { "a" : "x" , "g" : [ ] } ] } ` + "\n",
		`{"o":[{"A":"x"}]}`, `{"o":[{"a":"x","z":1}]}`, `{"o":[{"b":01}]}`, `{"o":[{"b":1e3}]}`, `{"o":[{"b":-}]}`,
		`{"o":[{"h":null}]}`, `{"o":[{"d":null}]}`, `{"o":[{"d":"2024-12-29T00:00:00Z"}]}`, `{"o":[{"d":"yesterday"}]}`,
		`{"o":[{"g":null,"a":"\u00e9\"\\"}]}`, `{"o":[{"a":"x"}]} trailing`, `{"o":[{"a":"x"}],"o":[]}`, `{"o":[{"a":"x\u0001"}]}`,
		"{\"o\":[{\"a\":\"x\x01\"}]}", `{"o":[{"a":"x"`, `null`, `{"o":[{"b":99999999999999999999}]}`, `{"\u006f":[]}`,
	} {
		checkQuoteDecode(t, []byte(js))
	}
}

func FuzzDecodeQuoteRecord(f *testing.F) {
	f.Add([]byte(`{"o":[{"a":"x","t":"T","d":"2024-12-29T00:00:00Z","g":["a","b"],"x":"we\"ll","b":1,"e":2,"h":true}]}`))
	f.Fuzz(func(t *testing.T, js []byte) { checkQuoteDecode(t, js) })
}
