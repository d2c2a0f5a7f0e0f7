package corpus

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// The tag-page dump: a heading "Tag: X", then per article a bullet line
// with the title, the title repeated, and body paragraphs one per line.
const (
	tagPrefix    = "Tag: "
	bulletPrefix = "  \u2022 "
)

// placeholderParagraphs are leftovers of the page's markup (an image's
// alt text standing alone), not article text.
var placeholderParagraphs = map[string]bool{"image": true, "photo": true, "video": true}

type tagPageArticle struct {
	line       int // the bullet's line
	title      string
	paragraphs []string
	sawTitle   bool // the repeated title line has been skipped
	size       int  // bytes of title and paragraphs; past MaxArticleBytes the text is dropped
}

func readTagPage(name string, br *bufio.Reader, yield func(Article, error) bool) {
	var (
		tag    string
		cur    *tagPageArticle
		source = sourceName(name)
		seen   = map[string]bool{}
	)
	emit := func() bool {
		if cur == nil {
			return true
		}
		a, reason := cur.article(tag, source)
		bullet := cur.line
		cur = nil
		if reason != "" {
			return yield(Article{}, recordError(name, bullet, reason))
		}
		// Two identical articles on one page are one article.
		if seen[a.ID] {
			return true
		}
		seen[a.ID] = true
		return yield(a, nil)
	}

	// Lines are read as the JSON Lines reader reads them, so that one
	// overlong line is an error of its article, not the end of the file.
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(br, nil)
		if err != nil && err != io.EOF {
			yield(Article{}, fmt.Errorf("%s:%d: %w", name, line, err))
			return
		}
		// Text is kept as written, but as valid UTF-8: the index's tokenizer
		// stops at an invalid byte, which would hide the words after it.
		text := strings.ToValidUTF8(strings.TrimRight(string(raw), " \r"), "\ufffd")
		if line == 1 {
			text = strings.TrimPrefix(text, bom)
		}
		switch {
		case tooLong && cur != nil:
			cur.size += MaxLineBytes // refused in article
		case tooLong:
			if !yield(Article{}, recordError(name, line, fmt.Sprintf("line longer than %d bytes", MaxLineBytes))) {
				return
			}
		case line <= 2 && cur == nil && strings.HasPrefix(text, tagPrefix):
			tag = strings.Join(strings.Fields(strings.TrimPrefix(text, tagPrefix)), " ") // as CleanTags does for JSON Lines
		case strings.HasPrefix(text, bulletPrefix):
			if !emit() {
				return
			}
			cur = &tagPageArticle{line: line, title: strings.TrimSpace(text[len(bulletPrefix):])}
			cur.size = len(cur.title)
		case strings.TrimSpace(text) == "":
			// paragraph break
		case cur == nil:
			if !yield(Article{}, recordError(name, line, "text before the first article's bullet line")) {
				return
			}
		default:
			cur.add(strings.TrimSpace(text))
		}
		if err == io.EOF {
			break
		}
	}
	emit()
}

// add takes one non-empty line of the article after its bullet.
func (t *tagPageArticle) add(p string) {
	if !t.sawTitle && len(t.paragraphs) == 0 {
		t.sawTitle = true
		if textnorm.Key(strings.Join(strings.Fields(p), " ")) == textnorm.Key(strings.Join(strings.Fields(t.title), " ")) {
			return
		}
	}
	if placeholderParagraphs[strings.ToLower(p)] {
		return
	}
	if t.size += len(p) + 2; t.size > MaxArticleBytes {
		t.paragraphs = nil // refused in article; holding the rest would only cost memory
		return
	}
	t.paragraphs = append(t.paragraphs, p)
}

// article builds the Article, or says why the record is malformed.
func (t *tagPageArticle) article(tag, source string) (Article, string) {
	var a Article
	if t.title == "" {
		return a, "article has an empty title"
	}
	if t.size > MaxArticleBytes {
		return a, tooBig
	}
	if len(t.paragraphs) == 0 {
		return a, "article has no body"
	}
	a.Title = t.title
	a.Body = strings.Join(t.paragraphs, "\n\n")
	a.Source = source
	a.Tags = []string{}
	if tag != "" {
		a.Tags = []string{tag}
	}
	a.ID = StableID(a.Title, a.Body)
	a.Line = t.line
	if reason := overLimit(&a); reason != "" {
		return Article{}, reason
	}
	return a, ""
}
