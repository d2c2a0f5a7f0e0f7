package corpus

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// A registered format is one that a package outside corpus reads, such as
// HTML pages or web archives; those packages register in init, as image
// decoders do, so that corpus need not import their libraries.
type registeredFormat struct {
	name  string
	match func(name string, head []byte) bool
	read  func(name string, r io.Reader, yield func(Article, error) bool)
}

var (
	formatsMu sync.RWMutex
	formats   []registeredFormat
)

// RegisterFormat makes Detect and Read recognise a format. match says
// whether a file is in it, from its name and the start of its content (up
// to 8 KB; head is nil when only the name is known, as when a directory is
// walked). read yields its articles like Read: a *RecordError for a record
// it skipped, any other error to end the input. Formats are tried in
// registration order, after JSON Lines and the tag page's heading.
func RegisterFormat(name string, match func(name string, head []byte) bool, read func(name string, r io.Reader, yield func(Article, error) bool)) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	formats = append(formats, registeredFormat{name: name, match: match, read: read})
}

// Formats names every format Read knows, built-in and registered.
func Formats() []string {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	names := []string{string(FormatJSONL), string(FormatTagPage)}
	for _, f := range formats {
		names = append(names, f.name)
	}
	return names
}

// registered is the first registered format that matches, if any.
func registered(name string, head []byte) (registeredFormat, bool) {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	i := slices.IndexFunc(formats, func(f registeredFormat) bool { return f.match(name, head) })
	if i < 0 {
		return registeredFormat{}, false
	}
	return formats[i], true
}

// readerOf is the read function of a registered format.
func readerOf(format Format) func(name string, r io.Reader, yield func(Article, error) bool) {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	for _, f := range formats {
		if f.name == string(format) {
			return f.read
		}
	}
	return func(name string, r io.Reader, yield func(Article, error) bool) {}
}

// knownName says whether a file found in a directory is an input by its
// name alone.
func knownName(path string) bool {
	if inputExts[strings.ToLower(filepath.Ext(path))] {
		return true
	}
	_, ok := registered(path, nil)
	return ok
}
