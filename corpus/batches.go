package corpus

import (
	"cmp"
	"context"
	"iter"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// BatchOptions tune Batches. The zero value reads batches of 500 with
// nothing to enrich.
type BatchOptions struct {
	Size    int            // articles per batch; default 500
	Workers int            // goroutines running Enrich; default GOMAXPROCS
	Enrich  func(*Article) // run on every article (entity extraction); called concurrently
	OnError func(error)    // each rejected record or unreadable input; reading goes on
	// Writers is how many batches WriteBatches hands to its write function
	// at once; default 1. More keep both cores busy when writing a batch
	// is partly serial.
	Writers int
}

// Batches groups the articles of seq into batches for an indexer. Errors go
// to OnError and the records are skipped. Reading and enrichment of the
// next batch run while the caller writes the current one; the order of the
// input is kept, so of two records with one ID the later wins. Stopping
// the loop or cancelling ctx stops the reading; no batch is yielded once
// ctx has ended, so the batch being filled then is dropped.
func Batches(ctx context.Context, articles iter.Seq2[Article, error], opt BatchOptions) iter.Seq[[]Article] {
	return func(yield func([]Article) bool) {
		for b := range batches(ctx, articles, opt) {
			if !yield(b.articles) {
				return
			}
		}
	}
}

// batch is a batch of articles and how many records before its last
// article were rejected.
type batch struct {
	articles []Article
	rejected int
}

func batches(ctx context.Context, articles iter.Seq2[Article, error], opt BatchOptions) iter.Seq[batch] {
	if opt.Size <= 0 {
		opt.Size = 500
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	return func(yield func(batch) bool) {
		ctx, cancel := context.WithCancel(ctx)
		out := make(chan batch, 1)
		go func() {
			defer close(out)
			b := batch{articles: make([]Article, 0, opt.Size)}
			send := func() bool {
				enrich(b.articles, opt.Enrich, opt.Workers)
				select {
				case out <- b:
					b = batch{articles: make([]Article, 0, opt.Size), rejected: b.rejected}
					return true
				case <-ctx.Done():
					return false
				}
			}
			for a, err := range articles {
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					b.rejected++
					if opt.OnError != nil {
						opt.OnError(err)
					}
					continue
				}
				b.articles = append(b.articles, a)
				if len(b.articles) == opt.Size && !send() {
					return
				}
			}
			if len(b.articles) > 0 && ctx.Err() == nil {
				send()
			}
		}()
		defer func() {
			cancel()
			for range out { // let the reader finish before returning
			}
		}()
		for b := range out {
			if ctx.Err() != nil || !yield(b) {
				return
			}
		}
	}
}

// enrich runs f over the batch with up to workers goroutines.
func enrich(batch []Article, f func(*Article), workers int) {
	if f == nil {
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(&batch[i])
			}
		})
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
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

// WriteBatches reads articles in batches (see Batches) and hands each to
// write, stopping at the first write error or when ctx ends; what it
// counts is exactly what write took, whole batches. With opt.Writers > 1,
// up to that many batches are written at once (write must then be safe
// for concurrent use) and may finish out of order; a batch that holds an
// article of a batch still being written waits for it, so the later
// version of an article always wins. onBatch, if set, sees the totals
// after each written batch, one call at a time.
func WriteBatches(ctx context.Context, articles iter.Seq2[Article, error], opt BatchOptions,
	write func([]Article) error, onBatch func(Stats)) (Stats, error) {
	start := time.Now()
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
			err := write(batch)
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
			if onBatch != nil {
				onBatch(stats)
			}
		})
	}
	wg.Wait()
	failed() // ctx may have ended the reading rather than the input
	stats.Elapsed = time.Since(start)
	stats.Rejected = int(rejected.Load())
	return stats, werr
}
