// Package ingest is the step between the readers and an engine: it turns
// a stream of articles (corpus.ReadPaths, corpus.ReadJSONL) into batches,
// enriches them (entity extraction) on several goroutines, hands them to
// an engine's Writer in the order of the input, and counts what was
// written, up to which input line, for progress lines and for the honest
// answer to an upload cut short.
//
//	corpus (readers) → ingest (batches, enrichment, stats) → Writer (an engine)
//
// It knows nothing of any engine: an engine is fed by implementing Writer.
package ingest

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/gcpace"
)

// A Writer writes one batch of articles into an engine, upserting by ID.
// Run calls it with whole batches, in the order of the input, and with
// Options.Writers > 1 from that many goroutines at once. A batch is
// counted as written only when WriteBatch returns nil, so it should be
// durable, and written whole or not at all, by then.
type Writer interface {
	WriteBatch(ctx context.Context, articles []corpus.Article) error
}

// WriterFunc adapts a function to a Writer.
type WriterFunc func(ctx context.Context, articles []corpus.Article) error

// WriteBatch calls f(ctx, articles).
func (f WriterFunc) WriteBatch(ctx context.Context, articles []corpus.Article) error {
	return f(ctx, articles)
}

// Options tune Run and Batches. The zero value reads batches of 500
// articles or DefaultBatchBytes with nothing to enrich and writes one at a
// time.
type Options struct {
	Size    int                   // articles per batch; default 500
	Bytes   int64                 // title and body bytes a batch stops at; default DefaultBatchBytes
	Workers int                   // goroutines running Enrich; default GOMAXPROCS
	Enrich  func(*corpus.Article) // run on every article (entity extraction); called concurrently
	OnError func(error)           // each rejected record or unreadable input; reading goes on
	// Writers is how many batches Run hands to the Writer at once;
	// default 1. More keep both cores busy when writing a batch is partly
	// serial.
	Writers int
	// OnBatch, if set, sees the totals after each written batch, one call
	// at a time.
	OnBatch func(Stats)
	// HeapBytes is the heap Run lets grow before the collector runs, when
	// twice the live heap is less (gcpace.Floor); 0 leaves Go's pace.
	HeapBytes int64
}

// Stats counts what a batched write of articles did.
type Stats struct {
	Indexed  int           // articles written (new or updated)
	Rejected int           // records or inputs reported to OnError
	Bytes    int64         // title and body bytes of the written articles
	Elapsed  time.Duration //
	// Through is the Line of the last article of the last batch written,
	// and RejectedThrough how many records before it were rejected. With
	// one writer, batches are written in the order of the input, so of a
	// single input every record up to line Through was indexed or
	// rejected, and none after it was indexed.
	Through         int
	RejectedThrough int
}

// Run reads articles in batches (see Batches) and hands each to w,
// stopping at the first write error or when ctx ends; what it counts is
// exactly what w took, whole batches. With opt.Writers > 1, up to that
// many batches are written at once (w must then be safe for concurrent
// use) and may finish out of order; a batch that holds an article of a
// batch still being written waits for it, so the later version of an
// article always wins.
func Run(ctx context.Context, articles iter.Seq2[corpus.Article, error], w Writer, opt Options) (Stats, error) {
	start := time.Now()
	defer gcpace.Floor(opt.HeapBytes)()
	var (
		rejected atomic.Int64 // counted by the reading goroutine
		mu       sync.Mutex   // guards stats, werr and writing
		stats    Stats
		werr     error
		writing  = map[string]chan struct{}{} // article ID -> done of the batch writing it
		slots    = make(chan struct{}, max(opt.Writers, 1))
		wg       sync.WaitGroup
	)
	onError := opt.OnError
	opt.OnError = func(err error) {
		rejected.Add(1)
		if onError != nil {
			onError(err)
		}
	}
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		if err := ctx.Err(); err != nil {
			werr = cmp.Or(werr, err)
		}
		return werr
	}
	for b := range batches(ctx, articles, opt) {
		if failed() != nil {
			break
		}
		slots <- struct{}{}
		// Checked again: the batch written meanwhile may have failed.
		if failed() != nil {
			<-slots
			break
		}
		batch := b.articles
		// Wait for earlier batches that write any of these articles.
		done := make(chan struct{})
		mu.Lock()
		var earlier []chan struct{}
		for i := range batch {
			if c, ok := writing[batch[i].ID]; ok && c != done && !slices.Contains(earlier, c) {
				earlier = append(earlier, c)
			}
			writing[batch[i].ID] = done
		}
		mu.Unlock()
		wg.Go(func() {
			defer func() { <-slots }()
			for _, c := range earlier {
				<-c
			}
			err := w.WriteBatch(ctx, batch)
			mu.Lock()
			defer mu.Unlock()
			for i := range batch {
				if writing[batch[i].ID] == done {
					delete(writing, batch[i].ID)
				}
			}
			close(done)
			if err != nil {
				werr = cmp.Or(werr, err)
				return
			}
			// Counted even when another batch failed meanwhile: this one
			// is in the index.
			stats.Indexed += len(batch)
			for i := range batch {
				stats.Bytes += int64(len(batch[i].Title) + len(batch[i].Body))
			}
			if last := batch[len(batch)-1].Line; last > stats.Through {
				stats.Through, stats.RejectedThrough = last, b.rejected
			}
			stats.Elapsed = time.Since(start)
			stats.Rejected = int(rejected.Load())
			if opt.OnBatch != nil {
				opt.OnBatch(stats)
			}
		})
	}
	wg.Wait()
	failed() // ctx may have ended the reading rather than the input
	stats.Elapsed = time.Since(start)
	stats.Rejected = int(rejected.Load())
	return stats, werr
}
