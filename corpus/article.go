// Package corpus holds Folio's article model and the readers that turn
// input files into articles: the tag-page text dump and JSON Lines, and
// formats that other packages register (HTML pages, web archives; see
// RegisterFormat).
//
// Readers keep text as written; normalisation for matching happens in the
// index's analyzers, so what is displayed is always what was published.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/folio-search/folio/internal/textnorm"
)

// Article is one news story.
type Article struct {
	ID       string     `json:"id"`
	URL      string     `json:"url,omitempty"`
	Title    string     `json:"title"`
	Author   string     `json:"author,omitempty"`
	Date     *time.Time `json:"date"` // nil when the source gives none
	Dateline string     `json:"dateline,omitempty"`
	Tags     []string   `json:"tags"`
	Body     string     `json:"body"`
	Source   string     `json:"source,omitempty"`  // where it came from, e.g. the file's name
	Section  string     `json:"section,omitempty"` // the publisher's section, e.g. "Politics"
	Entities []Entity   `json:"entities,omitempty"`
	Quotes   []Quote    `json:"quotes,omitempty"` // direct quotes in Body in order, then in Title
	// Line is where the record starts in its input (1-based; 0 when it
	// was not read from one), so that a cut ingest can say how far it got.
	// It is not stored.
	Line int `json:"-"`
}

// StableID derives an article ID from its title and body, for sources that
// give none: the same text always gets the same ID, so re-ingesting a file
// updates articles instead of duplicating them. Folding makes the ID
// indifferent to curly versus straight quotes.
func StableID(title, body string) string {
	h := sha256.New()
	h.Write([]byte(textnorm.Key(title)))
	h.Write([]byte{0})
	h.Write([]byte(textnorm.Key(body)))
	return "a" + hex.EncodeToString(h.Sum(nil))[:15]
}

// RecordError reports a malformed record that a reader skipped. The reader
// carries on with the next record.
type RecordError struct {
	File   string
	Line   int
	Reason string
}

func (e *RecordError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// Entity is a named entity of an article: a person, organisation, place
// (or other), under its canonical name, with every mention in the body.
type Entity struct {
	Type     string    `json:"type"` // PER, ORG, LOC or MISC
	Name     string    `json:"name"`
	Mentions []Mention `json:"mentions"`
}

// Mention is where an entity is named: byte offsets into the body.
type Mention struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Quote is a direct quote in an article's body and who said it.
type Quote struct {
	Text string `json:"text"` // the words between the marks, as written
	// Speaker is the canonical name of who said or wrote it, the same
	// name as in the person and organisation facets; "" when the text
	// does not say.
	Speaker     string `json:"speaker"`
	SpeakerKind string `json:"speaker_kind"` // SpeakerPerson, SpeakerOrg or SpeakerUnknown
	// Cue is the words that attribute it, without the speaker ("said",
	// "told the BBC", "according to"); "" when none go with it.
	Cue string `json:"cue"`
	// Route is how the speaker was found: "explicit", "title", "pronoun",
	// "continuation" or "organisation"; "" when unknown.
	Route string `json:"route,omitempty"`
	// Start and End are byte offsets of Text in Body, or in Title when
	// InTitle is set (a headline's quote).
	Start   int  `json:"start"`
	End     int  `json:"end"`
	InTitle bool `json:"in_title,omitempty"`
}

// Speaker kinds of a Quote.
const (
	SpeakerPerson  = "person"
	SpeakerOrg     = "org"
	SpeakerUnknown = "unknown"
)
