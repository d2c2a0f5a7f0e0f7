package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/linking"
	"github.com/folio-search/folio/internal/search"
)

// Index is an open Folio index. It is safe for concurrent use: searches
// run while batches are written, and readers see whole batches only.
type Index struct {
	bleve bleve.Index
	dir   string

	// Up to maxWriters batches are written at once. Each writer owns a slot
	// with its own running length totals, stored with its batches under
	// its own key, so the totals on disk always match the batches on disk.
	slots     chan int
	slotStats [maxWriters]lengthStats // guarded by owning the slot
	statsMu   sync.RWMutex
	stats     lengthStats // the sum of the slots, for searches

	cols columnStore // facet values by document, for counting facets

	entities entityTables // entity names by their folded spellings, for filters

	persons linking.Linker // full names by surname, to link surnames across articles
	orgs    linking.Linker // full names by initials, to link initials across articles

	text  analysis.Analyzer // the analyzers of the mapping, for queries and snippets
	exact analysis.Analyzer
	// positional analyses the text fields as they are indexed (positional.go).
	positional analysis.Analyzer
	// flashesMarked: every article without a body is marked in fFlash
	// (an index of unmarkedSchemaVersion marks none).
	flashesMarked bool
	// packedPositions: the positional fields are written with a word's
	// positions in one location (packPositions), as the index's version
	// says; both kinds read alike.
	packedPositions bool
	// datedByDay: date ranges read the year, month and day terms
	// (dayrange.go); an older index has a Bleve date field instead.
	datedByDay bool

	quotes  bleve.Index // the quote index (quotemapping.go)
	quoteMu sync.Mutex  // serialises writes of quote lineage (quotes.go)
	// quoteWords caches, under quoteMu, an upper bound of the quote
	// records holding each word (quoteBatch.count): a batch's lineage
	// looks up every word of every quote, and most recur across batches.
	quoteWords map[string]uint64
	// pendingQuotes are the quote records of the ingest under way, not
	// yet written (quotes.go), under quoteMu.
	pendingQuotes *quoteBatch

	suggest suggester // the vocabulary table of suggestions (suggest.go)

	postings     *postingsCache // feedback words' postings, decoded (postingscache.go)
	feedbackDocs *feedbackDocs  // feedback articles' stem counts (feedbackdocs.go)
}

// Index searches quotes too.
var _ search.QuoteSearcher = (*Index)(nil)

// Index is a search.Engine.
var _ search.Engine = (*Index)(nil)

const schemaKey = "folio_schema"

// ErrLocked is the error of Open when another process holds the index.
var ErrLocked = errors.New("another process (a running folio serve or ingest?) holds it")

// Exists reports whether dir holds an index.
func Exists(dir string) bool {
	_, err := os.Stat(dir + "/index_meta.json")
	return err == nil
}

// OpenOptions tune OpenWith.
type OpenOptions struct {
	// Bulk suits the background merging of segments to a bulk ingest
	// that ends with Optimize (see bulkMergeOptions). It holds while the
	// index stays open; opened again without it, the index merges as it
	// does for serving.
	Bulk bool
}

// Open opens the index in dir, creating an empty one if dir does not exist.
func Open(dir string) (*Index, error) { return OpenWith(dir, OpenOptions{}) }

// OpenWith is Open with options.
func OpenWith(dir string, opt OpenOptions) (*Index, error) {
	merge := backgroundMergeOptions()
	if opt.Bulk {
		merge = bulkMergeOptions()
	}
	if !Exists(dir) {
		if err := create(dir, schemaVersion); err != nil {
			return nil, err
		}
	}
	// Only one process may hold an index; fail fast rather than wait
	// forever on another's lock.
	b, err := bleve.OpenUsing(dir, map[string]interface{}{
		"bolt_timeout":           "2s",
		"scorchMergePlanOptions": merge,
	})
	if err != nil {
		if strings.Contains(err.Error(), "timeout") { // bolt's lock timeout, not wrapped for errors.Is
			return nil, fmt.Errorf("open index %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	v, err := b.GetInternal([]byte(schemaKey))
	version := string(v)
	if err != nil || (version != schemaVersion && version != unpackedSchemaVersion && version != unmarkedSchemaVersion) {
		b.Close()
		return nil, fmt.Errorf("index %s was built by another version of Folio (schema %q, want %q): delete it and ingest again", dir, v, schemaVersion)
	}
	ix, err := wrap(b)
	if err != nil {
		return nil, err
	}
	ix.flashesMarked = version != unmarkedSchemaVersion
	ix.packedPositions = version == schemaVersion
	ix.datedByDay = version == schemaVersion
	ix.dir = dir
	if ix.quotes, err = openQuotes(filepath.Join(dir, quotesDir)); err != nil {
		b.Close()
		return nil, err
	}
	return ix, nil
}

// quotesDir is the quote index's directory inside the index's.
const quotesDir = "quotes"

// createQuotes makes an empty quote index in dir, whole or not at all: it
// is built beside dir and renamed into place once its schema is written,
// so a process killed meanwhile leaves no index without one.
func createQuotes(dir string) error {
	m, err := newQuoteMapping()
	if err != nil {
		return err
	}
	tmp := dir + ".creating"
	for _, d := range []string{tmp, dir} {
		if err := os.RemoveAll(d); err != nil { // a creation cut short
			return err
		}
	}
	b, err := bleve.NewUsing(tmp, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return err
	}
	err = b.SetInternal([]byte(schemaKey), []byte(quoteSchemaVersion))
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// openQuotes opens the quote index in dir, creating it if it does not
// exist (an index written before quotes were indexed gains an empty one,
// filled as articles are written again).
func openQuotes(dir string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if err := createQuotes(dir); err != nil {
			return nil, fmt.Errorf("create quote index %s: %w", dir, err)
		}
	}
	b, err := bleve.OpenUsing(dir, map[string]interface{}{
		"bolt_timeout":           "2s",
		"scorchMergePlanOptions": backgroundMergeOptions(),
	})
	if err != nil {
		return nil, fmt.Errorf("open quote index %s: %w", dir, err)
	}
	if v, err := b.GetInternal([]byte(schemaKey)); err != nil || string(v) != quoteSchemaVersion {
		b.Close()
		return nil, fmt.Errorf("quote index %s was built by another version of Folio (schema %q, want %q): delete the index and ingest again", dir, v, quoteSchemaVersion)
	}
	return b, nil
}

// create makes an empty index of the schema version in dir. It is built
// beside dir and renamed into place, so a process killed half way leaves
// no half-made index that would refuse to open.
func create(dir, version string) error {
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return fmt.Errorf("create index: %s exists and is not a Folio index", dir)
		}
		os.Remove(dir)
	}
	tmp := dir + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	m, err := newMapping(version)
	if err != nil {
		return err
	}
	b, err := bleve.NewUsing(tmp, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("create index %s: %w", dir, err)
	}
	err = b.SetInternal([]byte(schemaKey), []byte(version))
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("create index %s: %w", dir, err)
	}
	return nil
}

func wrap(b bleve.Index) (*Index, error) {
	ix := &Index{bleve: b, orgs: linking.Linker{Type: "ORG"}, postings: newPostingsCache(postingsCacheBytes),
		feedbackDocs: newFeedbackDocs(feedbackDocsBytes)}
	m := b.Mapping()
	ix.text = m.AnalyzerNamed(analyzerText)
	ix.exact = m.AnalyzerNamed(analyzerExact)
	ix.positional = m.AnalyzerNamed(analyzerPositional)
	if ix.text == nil || ix.exact == nil || ix.positional == nil {
		b.Close()
		return nil, errors.New("index mapping lacks Folio's analyzers")
	}
	if err := ix.loadStats(); err != nil {
		b.Close()
		return nil, fmt.Errorf("index statistics: %w", err)
	}
	return ix, nil
}

// Close writes the pending quote records and closes the index (article
// batches are already durable).
func (ix *Index) Close() error {
	var err error
	if ix.quotes != nil {
		err = ix.flushQuotes()
	}
	if berr := ix.bleve.Close(); err == nil {
		err = berr
	}
	if ix.quotes != nil {
		if qerr := ix.quotes.Close(); err == nil {
			err = qerr
		}
	}
	return err
}

// Count is the number of articles in the index.
func (ix *Index) Count(context.Context) (uint64, error) { return ix.bleve.DocCount() }

// Delete removes an article; deleting an absent ID is not an error.
// Its quotes leave their lineage.
func (ix *Index) Delete(ctx context.Context, id string) error {
	if err := ix.bleve.Delete(id); err != nil {
		return err
	}
	return ix.writeQuotes(ctx, nil, []string{id})
}

// Article returns the stored article with the given ID, or
// search.ErrNotFound.
func (ix *Index) Article(_ context.Context, id string) (*corpus.Article, error) {
	d, err := ix.bleve.Document(id)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, search.ErrNotFound
	}
	var stored string
	d.VisitFields(func(f bindex.Field) {
		if f.Name() == fStored {
			stored = string(f.Value())
		}
	})
	return decodeArticle(id, stored)
}
