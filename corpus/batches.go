package corpus

import (
	"context"
	"iter"
	"runtime"
	"sync"
)

// BatchOptions tune Batches. The zero value reads batches of 500 with
// nothing to enrich.
type BatchOptions struct {
	Size    int            // articles per batch; default 500
	Workers int            // goroutines running Enrich; default GOMAXPROCS
	Enrich  func(*Article) // run on every article (entity extraction); called concurrently
	OnError func(error)    // each rejected record or unreadable input; reading goes on
}

// Batches groups the articles of seq into batches for an indexer. Errors go
// to OnError and the records are skipped. Reading and enrichment of the
// next batch run while the caller writes the current one; the order of the
// input is kept, so of two records with one ID the later wins. Stopping
// the loop or cancelling ctx stops the reading.
func Batches(ctx context.Context, articles iter.Seq2[Article, error], opt BatchOptions) iter.Seq[[]Article] {
	if opt.Size <= 0 {
		opt.Size = 500
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	return func(yield func([]Article) bool) {
		ctx, cancel := context.WithCancel(ctx)
		batches := make(chan []Article, 1)
		go func() {
			defer close(batches)
			batch := make([]Article, 0, opt.Size)
			send := func() bool {
				enrich(batch, opt.Enrich, opt.Workers)
				select {
				case batches <- batch:
					batch = make([]Article, 0, opt.Size)
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
					if opt.OnError != nil {
						opt.OnError(err)
					}
					continue
				}
				batch = append(batch, a)
				if len(batch) == opt.Size && !send() {
					return
				}
			}
			if len(batch) > 0 {
				send()
			}
		}()
		defer func() {
			cancel()
			for range batches { // let the reader finish before returning
			}
		}()
		for b := range batches {
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
