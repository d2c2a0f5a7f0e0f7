package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/ingest"
	"github.com/folio-search/folio/internal/linking"
)

// IngestOptions tune Ingest. The zero value works.
type IngestOptions struct {
	BatchSize  int   // articles per Bleve batch; default 2000
	BatchBytes int64 // title and body bytes that close a batch sooner; default ingest.DefaultBatchBytes
	Workers    int   // goroutines running Enrich; default GOMAXPROCS
	Writers    int   // batches written at once; default 2, at most 4
	HeapBytes  int64 // the heap ingest lets grow before collecting (ingest.Options.HeapBytes); 0 leaves Go's pace
	// Enrich, if set, runs on every article before it is indexed (entity
	// extraction). It is called from several goroutines at once.
	Enrich func(*corpus.Article)
	// OnError receives each rejected record or unreadable input; ingest goes on.
	OnError func(error)
	// OnBatch is called after each batch is durable, with the totals so far.
	OnBatch func(IngestStats)
	// Optimize merges the index's segments (see Optimize) once the
	// articles are written, before people named by surname alone are
	// relinked: the few articles relinking writes again then stay a small
	// segment rather than setting off a merge of their own just before the
	// final one (a bulk ingest of Reuters-21578 was merged twice over).
	Optimize bool
}

// IngestStats counts what an ingest did.
type IngestStats = ingest.Stats

// Ingest upserts every article of articles in batches: it runs the
// ingest step into the index (ingest.Run with ix as the Writer), then
// FinishIngest. Each batch is written atomically, so an interrupted ingest
// leaves an index that opens and holds whole batches; running it again
// completes it (IDs are stable). Errors yielded by articles are passed to
// OnError and skipped; an error writing the index stops the ingest and is
// returned.
func (ix *Index) Ingest(ctx context.Context, articles iter.Seq2[corpus.Article, error], opt IngestOptions) (IngestStats, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	stats, err := ingest.Run(ctx, articles, ix, ingest.Options{
		Size: opt.BatchSize, Bytes: opt.BatchBytes, Workers: opt.Workers, Enrich: opt.Enrich, OnError: opt.OnError,
		Writers: min(cmp.Or(opt.Writers, 2), maxWriters), OnBatch: opt.OnBatch, HeapBytes: opt.HeapBytes,
	})
	if err == nil {
		err = ix.FinishIngest(ctx, opt.Optimize && stats.Indexed > 0)
	}
	return stats, err
}

// FinishIngest ends an ingest whose batches went through WriteBatch: it
// rewrites the articles written before whose people the new ones name in
// full (see linking.Linker.Relink), writes the ingest's quote records (see
// writeQuotes), and merges the segments if optimize is set (see
// IngestOptions.Optimize). Relinking comes first so that the merge drops
// the articles it replaced: merged before, the large segments kept them
// as deleted documents, which every search then subtracted from every
// postings list it read.
func (ix *Index) FinishIngest(ctx context.Context, optimize bool) error {
	for _, l := range []*linking.Linker{&ix.persons, &ix.orgs} {
		if err := l.Relink(ctx, linkStore{ix}); err != nil {
			return err
		}
	}
	if !optimize {
		return ix.flushQuotes()
	}
	// The pending quote records are written while the articles' segments
	// merge: each job mostly keeps one core busy.
	flushed := make(chan error, 1)
	go func() { flushed <- ix.flushQuotes() }()
	err := ix.Optimize(ctx)
	if ferr := <-flushed; err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	return ix.optimizeQuotes(ctx)
}

// Put upserts articles in one atomic batch and finishes as an ingest does
// (without merging segments).
func (ix *Index) Put(articles ...corpus.Article) error {
	ctx := context.Background()
	if err := ix.WriteBatch(ctx, articles); err != nil {
		return err
	}
	return ix.FinishIngest(ctx, false)
}

// maxWriters bounds how many batches are written at once. Bleve analyses a
// batch's articles in parallel but builds its segment on one core; two
// batches in flight keep both cores of a small machine busy.
const maxWriters = 4

// WriteBatch upserts articles in one atomic batch, durable when it
// returns: the index is an ingest.Writer, safe for concurrent use (up to
// maxWriters batches are written at once; more wait their turn). People
// named by surname alone, and organisations by initials alone, are linked
// to the full names the index knows; FinishIngest links again those of the articles
// written before. A batch once begun is written whole whatever ctx says:
// Bleve cannot stop one halfway, and the ingest step counts only batches
// that were written.
func (ix *Index) WriteBatch(ctx context.Context, articles []corpus.Article) error {
	slot := <-ix.slots
	defer func() { ix.slots <- slot }()
	// Entities are capped here, where every write passes, whatever
	// extracted them: each one is a facet term and part of the stored
	// article, and a long transcript can name thousands.
	for i := range articles {
		corpus.LimitEntities(&articles[i])
	}
	for _, l := range []*linking.Linker{&ix.persons, &ix.orgs} {
		if err := l.Link(ctx, linkStore{ix}, articles); err != nil {
			return err
		}
	}
	var added lengthStats
	b := ix.bleve.NewBatch()
	for i := range articles {
		d, err := ix.document(&articles[i])
		if err != nil {
			return err
		}
		if err := b.IndexAdvanced(d); err != nil {
			return fmt.Errorf("index article %s: %w", articles[i].ID, err)
		}
		added.add(articles[i].Title, articles[i].Body)
	}
	total := ix.slotStats[slot]
	total.plus(added)
	js, err := json.Marshal(total)
	if err != nil {
		return err
	}
	b.SetInternal(statsKeyOf(slot), js) // durable with the batch, or not at all
	if err := ix.bleve.Batch(b); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	ix.slotStats[slot] = total
	ix.statsMu.Lock()
	ix.stats.plus(added)
	ix.statsMu.Unlock()
	// The quote records follow the articles, written when the ingest
	// finishes: a process stopped before that leaves the quotes of the
	// batches since the last write out until they are written again.
	return ix.writeQuotes(ctx, articles, nil)
}

// document is what Bleve indexes for an article.
func (ix *Index) document(a *corpus.Article) (*document.Document, error) {
	d := map[string]interface{}{}
	keyword := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		d[field] = values
		keys := make([]string, len(values))
		for i, v := range values {
			keys[i] = facet.Key(v)
		}
		d[keyField(field)] = keys
	}
	// MISC entities are kept with the article but not faceted.
	for _, f := range facet.All {
		keyword(f.Field, f.Values(a))
	}
	if a.Date != nil {
		t := a.Date.UTC()
		if ix.datedByDay {
			d[fYear] = t.Format(yearLayout)
		} else {
			d[fDate] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
		d[fMonth] = t.Format(monthLayout)
		d[fDay] = t.Format(dayLayout)
	}
	d[fSortDate] = sortDateKey(a.Date, a.ID)
	stored, err := encodeArticle(a)
	if err != nil {
		return nil, err
	}
	d[fStored] = stored
	if a.Body == "" {
		d[fFlash] = flashValue // an unmarked index's mapping leaves it out
	}
	return textDocument(ix.bleve.Mapping(), ix.positional, ix.packedPositions, a.ID, d, map[string]string{fTitle: a.Title, fBody: a.Body})
}

// textDocument is the document of the fields d, mapped by m, and of the
// positional text fields text (name to text) analysed by positional, their
// positions packed or not (packPositions).
func textDocument(m mapping.IndexMapping, positional analysis.Analyzer, packed bool, id string, d map[string]interface{}, text map[string]string) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := m.MapDocument(doc, d); err != nil {
		return nil, fmt.Errorf("index %s: %w", id, err)
	}
	for _, name := range []string{fTitle, fBody} {
		if s, ok := text[name]; ok {
			// Bleve stops analysing text at an invalid byte; readers clean
			// their input, but articles can also come straight from the API.
			doc.AddField(newPositionalField(name, strings.ToValidUTF8(s, "\uFFFD"), positional, packed))
		}
	}
	return doc, nil
}
