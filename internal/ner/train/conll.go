package train

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Sentence is one tokenised sentence with its gold (or predicted) tags.
type Sentence struct {
	Words []string
	Tags  []string
}

// Document is one CoNLL article: the sentences between two -DOCSTART- lines.
type Document struct {
	Sentences []Sentence
}

// ReadCoNLL reads CoNLL-2003 style data: one token per line, the word in the
// first column and the entity tag in the last, blank lines between sentences
// and -DOCSTART- lines between documents. A file without -DOCSTART- is one
// document.
func ReadCoNLL(r io.Reader) ([]Document, error) {
	var docs []Document
	var cur Document
	var sent Sentence
	flushSent := func() {
		if len(sent.Words) > 0 {
			cur.Sentences = append(cur.Sentences, sent)
			sent = Sentence{}
		}
	}
	flushDoc := func() {
		flushSent()
		if len(cur.Sentences) > 0 {
			docs = append(docs, cur)
			cur = Document{}
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			flushSent()
			continue
		}
		f := strings.Fields(text)
		if f[0] == "-DOCSTART-" {
			flushDoc()
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want at least 2 columns, got %q", line, text)
		}
		sent.Words = append(sent.Words, f[0])
		sent.Tags = append(sent.Tags, f[len(f)-1])
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	flushDoc()
	return docs, nil
}

// ReadCoNLLFile reads a CoNLL file from disk.
func ReadCoNLLFile(path string) ([]Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	docs, err := ReadCoNLL(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}
