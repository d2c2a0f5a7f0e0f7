package searchtest

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
)

// fixtureJSONL is the suite's corpus: a dozen articles written so that each
// row of the query syntax has hits and near misses (the phrase's words out
// of order, a word in the body but not the title, a building and
// buildings), with curly and straight quotes, apostrophes and dashes,
// entities already set (no tagger is needed), dates over five years, two
// articles at the same instant and one undated article.
//
//go:embed fixture.jsonl
var fixtureJSONL []byte

// namesJSONL is the corpus of name spellings: people, places and a firm
// written in news's usual Latin forms, for filters and phrases typed with
// diacritics, Azerbaijani and Turkish letters, in Cyrillic and with the
// other spellings of transliterated surnames (variants.go). Nikol
// Pashinyan is written two ways, as news writes him.
//
//go:embed names.jsonl
var namesJSONL []byte

// fixture is the articles an engine holds, as the suite expects them.
type fixture struct {
	articles []corpus.Article // in ID order
}

// loadFixture parses the corpus afresh, so that each caller owns its
// articles (engines may rewrite what they are given). Entity mentions are
// the places where the body spells the entity's name.
func loadFixture(t testing.TB) *fixture {
	t.Helper()
	return loadCorpus(t, fixtureJSONL)
}

// loadCorpus parses a corpus of JSON lines as loadFixture does.
func loadCorpus(t testing.TB, data []byte) *fixture {
	t.Helper()
	fx := &fixture{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var a corpus.Article
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("fixture line %d: %v", len(fx.articles)+1, err)
		}
		for i, e := range a.Entities {
			for off := 0; ; {
				j := strings.Index(a.Body[off:], e.Name)
				if j < 0 {
					break
				}
				a.Entities[i].Mentions = append(a.Entities[i].Mentions, corpus.Mention{Start: off + j, End: off + j + len(e.Name)})
				off += j + len(e.Name)
			}
		}
		// Quotes are where the body holds their text.
		for i, q := range a.Quotes {
			j := strings.Index(a.Body, q.Text)
			if j < 0 {
				t.Fatalf("fixture %s: quote %q is not in the body", a.ID, q.Text)
			}
			a.Quotes[i].Start, a.Quotes[i].End = j, j+len(q.Text)
		}
		fx.articles = append(fx.articles, a)
	}
	slices.SortFunc(fx.articles, func(a, b corpus.Article) int { return strings.Compare(a.ID, b.ID) })
	return fx
}

func (fx *fixture) article(id string) *corpus.Article {
	for i := range fx.articles {
		if fx.articles[i].ID == id {
			return &fx.articles[i]
		}
	}
	return nil
}

// put replaces or adds an article, as an upsert does.
func (fx *fixture) put(a corpus.Article) {
	if old := fx.article(a.ID); old != nil {
		*old = a
		return
	}
	fx.articles = append(fx.articles, a)
	slices.SortFunc(fx.articles, func(a, b corpus.Article) int { return strings.Compare(a.ID, b.ID) })
}

func (fx *fixture) remove(id string) {
	fx.articles = slices.DeleteFunc(fx.articles, func(a corpus.Article) bool { return a.ID == id })
}

// where lists the IDs of the articles for which keep holds, in ID order.
func (fx *fixture) where(keep func(a *corpus.Article) bool) []string {
	var ids []string
	for i := range fx.articles {
		if keep(&fx.articles[i]) {
			ids = append(ids, fx.articles[i].ID)
		}
	}
	return ids
}

// values counts the facet values of all articles: no facet has more
// distinct values than that.
func (fx *fixture) values() int {
	n := 0
	for i := range fx.articles {
		for _, f := range facet.All {
			n += len(f.Values(&fx.articles[i]))
		}
	}
	return n
}

func (fx *fixture) all() []string { return fx.where(func(*corpus.Article) bool { return true }) }

// hasValue reports whether a has value v of facet f, whatever its case.
func hasValue(f facet.Facet, a *corpus.Article, v string) bool {
	return slices.ContainsFunc(f.Values(a), func(x string) bool { return strings.EqualFold(x, v) })
}

// dated reports whether a is dated in [from, to); a zero side is open.
func dated(a *corpus.Article, from, to time.Time) bool {
	if a.Date == nil {
		return false
	}
	return (from.IsZero() || !a.Date.Before(from)) && (to.IsZero() || a.Date.Before(to))
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
