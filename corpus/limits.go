package corpus

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"
)

// The limits of one record. Every field is bounded, because every field
// costs memory at ingest and again in each answer that shows the article:
// a hit carries the id (also inside the next page's cursor), title, URL,
// author, dateline, source and tags. The readers refuse a record over a
// limit with a *RecordError that names the limit; the bounds are far above
// real news (Reuters-21578: ids of at most 13 bytes, titles of 137, at most
// 16 tags of at most 15 bytes, datelines of 59; the BBC and WSJ corpora
// fall within those but for URLs of 169 bytes).
const (
	// MaxArticleBytes bounds the title and body of one article. Indexing
	// costs far more memory than the text itself (a 50 MB body took 4 GB),
	// and every search that hits an article re-reads its body for
	// snippets. Real news articles are a few kilobytes; book-length
	// transcripts fit.
	MaxArticleBytes = 2 << 20

	MaxIDBytes       = 256  // ids travel in URLs and cursors
	MaxTitleBytes    = 1024 // a headline, with room for a subtitle
	MaxURLBytes      = 2048 // what browsers, proxies and sitemaps take
	MaxAuthorBytes   = 1024 // one byline, which may name several people
	MaxDatelineBytes = 256
	MaxSourceBytes   = 256 // the default source is a file's name, at most 255 bytes on common file systems
	MaxSectionBytes  = 256 // a publisher's section name
	// MaxTags and MaxTagBytes bound an article's tags (after blanks and
	// repeats are dropped) to 20 KB in all: every hit and every tag facet
	// carries them.
	MaxTags     = 100
	MaxTagBytes = 200

	// MaxEntities bounds the distinct entities kept per article; past it
	// the most-mentioned are kept (see LimitEntities). News articles name
	// a few dozen; only long transcripts reach hundreds.
	MaxEntities = 1000

	// MaxLineBytes bounds one JSON Lines record (and one line of a tag
	// page); a longer line is reported and skipped rather than read into
	// memory whole. A record within the limits above takes at most about
	// 2.1 MB of text, or six times that with every byte escaped (\u00XX),
	// which fits.
	MaxLineBytes = 16 << 20

	// MaxReasonBytes bounds the reason of a *RecordError, so that a report
	// of a junk line never carries the line itself.
	MaxReasonBytes = 256
)

// overLimit says which limit a, as read, is over, or "" when it is within
// all of them.
func overLimit(a *Article) string {
	for _, f := range []struct {
		name  string
		value string
		max   int
	}{
		{"id", a.ID, MaxIDBytes}, {"title", a.Title, MaxTitleBytes}, {"url", a.URL, MaxURLBytes},
		{"author", a.Author, MaxAuthorBytes}, {"dateline", a.Dateline, MaxDatelineBytes},
		{"source", a.Source, MaxSourceBytes}, {"section", a.Section, MaxSectionBytes},
	} {
		if len(f.value) > f.max {
			return fmt.Sprintf("field %q is %d bytes, over the limit of %d", f.name, len(f.value), f.max)
		}
	}
	if len(a.Tags) > MaxTags {
		return fmt.Sprintf("%d tags, over the limit of %d", len(a.Tags), MaxTags)
	}
	for _, t := range a.Tags {
		if len(t) > MaxTagBytes {
			return fmt.Sprintf("a tag of %d bytes, over the limit of %d", len(t), MaxTagBytes)
		}
	}
	return ""
}

// recordError reports a skipped record, its reason cut to MaxReasonBytes.
func recordError(file string, line int, reason string) *RecordError {
	return &RecordError{File: file, Line: line, Reason: clip(reason, MaxReasonBytes)}
}

// clip cuts s to at most n bytes, on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	n -= len(more)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + more
}

// LimitEntities keeps the MaxEntities entities of a with the most
// mentions, in their order, when it has more. The index applies it to
// every article it writes, whatever extracted the entities: each entity is
// a facet term of the article and part of its stored form.
func LimitEntities(a *Article) {
	if len(a.Entities) <= MaxEntities {
		return
	}
	order := make([]int, len(a.Entities))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return cmp.Compare(len(a.Entities[j].Mentions), len(a.Entities[i].Mentions))
	})
	keep := order[:MaxEntities]
	slices.Sort(keep)
	kept := make([]Entity, len(keep))
	for k, i := range keep {
		kept[k] = a.Entities[i]
	}
	a.Entities = kept
}
