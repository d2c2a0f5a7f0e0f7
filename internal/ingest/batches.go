package ingest

import (
	"context"
	"iter"
	"runtime"
	"sync"

	"github.com/folio-search/folio/corpus"
)

// DefaultBatchBytes bounds a batch's text when Options.Bytes is 0: a
// batch's memory while it is indexed grows with its text, and an archive
// of long transcripts would otherwise hold hundreds of megabytes in one.
const DefaultBatchBytes = 16 << 20

// Batches groups the articles of seq into batches of opt.Size articles
// or opt.Bytes of text, whichever comes first, each
// enriched by opt.Enrich (Writers and OnBatch are not used). Errors go to
// OnError and the records are skipped. Reading and enrichment of the next
// batch run while the caller writes the current one; the order of the
// input is kept, so of two records with one ID the later wins. Stopping
// the loop or cancelling ctx stops the reading; no batch is yielded once
// ctx has ended, so the batch being filled then is dropped.
func Batches(ctx context.Context, articles iter.Seq2[corpus.Article, error], opt Options) iter.Seq[[]corpus.Article] {
	return func(yield func([]corpus.Article) bool) {
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
	articles []corpus.Article
	rejected int
}

func batches(ctx context.Context, articles iter.Seq2[corpus.Article, error], opt Options) iter.Seq[batch] {
	if opt.Size <= 0 {
		opt.Size = 500
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Bytes <= 0 {
		opt.Bytes = DefaultBatchBytes
	}
	return func(yield func(batch) bool) {
		ctx, cancel := context.WithCancel(ctx)
		out := make(chan batch, 1)
		go func() {
			defer close(out)
			b := batch{articles: make([]corpus.Article, 0, opt.Size)}
			var size int64 // b's title and body bytes
			send := func() bool {
				enrich(b.articles, opt.Enrich, opt.Workers)
				select {
				case out <- b:
					b = batch{articles: make([]corpus.Article, 0, opt.Size), rejected: b.rejected}
					size = 0
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
				size += int64(len(a.Title) + len(a.Body))
				if (len(b.articles) == opt.Size || size >= opt.Bytes) && !send() {
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
func enrich(batch []corpus.Article, f func(*corpus.Article), workers int) {
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
