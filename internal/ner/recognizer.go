package ner

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
	"sync/atomic"
)

//go:embed model/ner.model.gz
var embeddedModel []byte

var (
	embeddedOnce sync.Once
	embeddedM    *Model
	embeddedErr  error
)

// EmbeddedModel returns the model compiled into the binary, decoded once.
func EmbeddedModel() (*Model, error) {
	embeddedOnce.Do(func() {
		embeddedM, embeddedErr = ReadModel(bytes.NewReader(embeddedModel))
	})
	return embeddedM, embeddedErr
}

// Mention is one occurrence of an entity: byte offsets into the text.
type Mention struct{ Start, End int }

// Entity is one real-world entity of an article under its canonical name.
type Entity struct {
	Type          string    // "PER", "ORG", "LOC" or "MISC"
	Name          string    // canonical name
	Mentions      []Mention // every mention in the body, in order
	TitleMentions []Mention // mentions in the title, offsets into the title
}

// Recognizer finds and canonicalises entities. It is safe for concurrent use.
type Recognizer struct {
	m       *Model
	aliases map[string]string // folded lower-case spelling -> canonical name
	cache   *wordCache
	dense   *denseModel // for the fast decoder, or nil
	gaz     *gazPair    // the model's gazetteer and the name lists, compiled
	// The buffers of tagTexts's last sentences, for its next call.
	textBufs atomic.Pointer[tagBufs]
}

// Load returns a Recognizer using the embedded model and the given alias
// groups: each group lists spellings of one entity, the first canonical.
func Load(aliases [][]string) (*Recognizer, error) {
	m, err := EmbeddedModel()
	if err != nil {
		return nil, err
	}
	return NewRecognizer(m, aliases)
}

// NewRecognizer returns a Recognizer for model m.
func NewRecognizer(m *Model, aliases [][]string) (*Recognizer, error) {
	r := &Recognizer{m: m, aliases: map[string]string{}}
	if fastDecodable(m) {
		r.dense = denseOf(m)
	}
	r.gaz = gazTableOf(m)
	r.cache = newWordCache(m, r.dense, r.gaz)
	for gi, g := range aliases {
		if len(g) == 0 {
			return nil, fmt.Errorf("ner: alias group %d is empty", gi)
		}
		canon := cleanSpaces(g[0])
		for _, s := range g {
			r.aliases[nameKey(s)] = canon
		}
	}
	return r, nil
}

// Model returns the recogniser's model.
func (r *Recognizer) Model() *Model { return r.m }
