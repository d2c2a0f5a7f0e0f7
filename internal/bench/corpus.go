// Package bench measures Folio against SQLite FTS5 on the same articles
// and the same queries: ingest speed, memory and index size, and query
// latency and throughput over loopback HTTP (folio bench; issue 6).
//
// The parent process builds the corpus and the queries and drives the
// load; each engine ingests and serves in a child process of its own, so
// that peak memory is measured per engine.
package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/folio-search/folio/corpus"
)

// LoadSource reads the articles that the benchmark corpus is made of.
// Malformed records are skipped; an empty source is an error.
func LoadSource(path string) ([]corpus.Article, error) {
	var out []corpus.Article
	for a, err := range corpus.ReadFile(path) {
		var rec *corpus.RecordError
		if errors.As(err, &rec) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	return out, nil
}

// CorpusStats describes a generated corpus.
type CorpusStats struct {
	Docs      int   `json:"docs"`
	TextBytes int64 `json:"text_bytes"` // title and body
	FileBytes int64 `json:"file_bytes"`
	Replicas  int   `json:"replicas"` // copies of the source, each shifted back one more year
}

// Replica returns article i of a corpus made of src repeated: copy k =
// i / len(src) of source article i % len(src), with the ID suffixed
// "-r<k>" and the date moved k whole years back, so that every copy is a
// distinct article and the years of the archive stay plausible for the
// date facet.
func Replica(src []corpus.Article, i int) corpus.Article {
	k := i / len(src)
	a := src[i%len(src)]
	a.ID = fmt.Sprintf("%s-r%d", a.ID, k)
	if a.Date != nil {
		t := a.Date.AddDate(-k, 0, 0)
		a.Date = &t
	}
	return a
}

// WriteCorpus writes n replicated articles as JSON Lines to w.
func WriteCorpus(w io.Writer, src []corpus.Article, n int) (CorpusStats, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	st := CorpusStats{Docs: n, Replicas: (n + len(src) - 1) / len(src)}
	cw := &countWriter{w: bw}
	enc := json.NewEncoder(cw)
	enc.SetEscapeHTML(false)
	for i := range n {
		a := Replica(src, i)
		a.Entities = nil // entities come from Folio's extraction at ingest
		if err := enc.Encode(jsonArticle(a)); err != nil {
			return st, err
		}
		st.TextBytes += int64(len(a.Title) + len(a.Body))
	}
	st.FileBytes = cw.n
	return st, bw.Flush()
}

// jsonArticle is the corpora's JSON Lines schema.
func jsonArticle(a corpus.Article) any {
	var date *string
	if a.Date != nil {
		s := a.Date.UTC().Format(time.RFC3339Nano)
		date = &s
	}
	return struct {
		ID       string   `json:"id"`
		Date     *string  `json:"date"`
		Title    string   `json:"title"`
		Dateline string   `json:"dateline,omitempty"`
		Body     string   `json:"body"`
		Tags     []string `json:"tags"`
		URL      string   `json:"url,omitempty"`
		Author   string   `json:"author,omitempty"`
		Source   string   `json:"source,omitempty"`
	}{a.ID, date, a.Title, a.Dateline, a.Body, a.Tags, a.URL, a.Author, a.Source}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// corpusMeta identifies a generated corpus file, so that a rerun with the
// same --work directory reuses it instead of writing it again.
type corpusMeta struct {
	Source     string      `json:"source"`
	SourceSize int64       `json:"source_size"`
	SourceMod  time.Time   `json:"source_mod"`
	Stats      CorpusStats `json:"stats"`
}

// EnsureCorpus writes the corpus of n articles from source to path unless
// path already holds it (per its .meta.json sidecar).
func EnsureCorpus(path, source string, src []corpus.Article, n int) (CorpusStats, bool, error) {
	fi, err := os.Stat(source)
	if err != nil {
		return CorpusStats{}, false, err
	}
	want := corpusMeta{Source: source, SourceSize: fi.Size(), SourceMod: fi.ModTime().UTC()}
	if b, err := os.ReadFile(path + ".meta.json"); err == nil {
		var have corpusMeta
		if json.Unmarshal(b, &have) == nil && have.Source == want.Source && have.SourceSize == want.SourceSize &&
			have.SourceMod.Equal(want.SourceMod) && have.Stats.Docs == n {
			if cf, err := os.Stat(path); err == nil && cf.Size() == have.Stats.FileBytes {
				return have.Stats, true, nil
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return CorpusStats{}, false, err
	}
	st, err := WriteCorpus(f, src, n)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return st, false, err
	}
	want.Stats = st
	b, _ := json.Marshal(want)
	return st, false, os.WriteFile(path+".meta.json", b, 0o644)
}
