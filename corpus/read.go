package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Format names an input format.
type Format string

const (
	FormatTagPage Format = "tagpage" // a news site's tag page dumped as text
	FormatJSONL   Format = "jsonl"   // one JSON article per line
)

// ErrUnknownFormat is returned for input that no reader recognises.
var ErrUnknownFormat = errors.New("unknown input format")

// Detect picks the format of a file from its content, falling back to its
// extension. head is the start of the file (a few KB is plenty). JSON
// Lines and a tag page's heading are recognised first, then the registered
// formats (see RegisterFormat), then a tag page's bullets, which an HTML
// page may also hold.
func Detect(name string, head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		return FormatJSONL, nil
	case bytes.HasPrefix(trimmed, []byte(tagPrefix)):
		return FormatTagPage, nil
	}
	if f, ok := registered(name, head); ok {
		return Format(f.name), nil
	}
	if bytes.Contains(head, []byte("\n"+bulletPrefix)) || bytes.HasPrefix(head, []byte(bulletPrefix)) {
		return FormatTagPage, nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		if len(trimmed) == 0 {
			return FormatJSONL, nil // an empty JSON Lines file holds no articles, which is fine
		}
	}
	return "", fmt.Errorf("%s: %w (expected %s)", name, ErrUnknownFormat, expected())
}

// expected lists the formats Read knows, for the error of a file in none.
func expected() string {
	var names []string
	for _, f := range Formats() {
		switch Format(f) {
		case FormatJSONL:
			names = append(names, "JSON Lines")
		case FormatTagPage:
			names = append(names, "a tag-page text dump")
		default:
			names = append(names, f)
		}
	}
	if len(names) == 2 {
		return names[0] + " or " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Read yields the articles in r. A malformed record yields a *RecordError
// and reading goes on; any other error ends the sequence. name is used in
// error messages and as the articles' default source.
func Read(name string, r io.Reader) iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		head, err := br.Peek(8 << 10)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			yield(Article{}, fmt.Errorf("%s: %w", name, err))
			return
		}
		format, err := Detect(name, head)
		if err != nil {
			yield(Article{}, err)
			return
		}
		switch format {
		case FormatJSONL:
			readJSONL(name, br, yield)
		case FormatTagPage:
			readTagPage(name, br, yield)
		default:
			readerOf(format)(name, br, yield)
		}
	}
}

// ReadFile is Read on the file at path.
func ReadFile(path string) iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(Article{}, err) // *PathError already names the path
			return
		}
		defer f.Close()
		for a, err := range Read(path, f) {
			if !yield(a, err) {
				return
			}
		}
	}
}

// sourceName is the default Source of articles read from name: the file's
// base name without extension.
func sourceName(name string) string {
	base := filepath.Base(name)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// ReadJSONL reads r as JSON Lines whatever its first bytes look like (for
// uploads, whose format is fixed by the API).
func ReadJSONL(name string, r io.Reader) iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		readJSONL(name, bufio.NewReaderSize(r, 64<<10), yield)
	}
}
