package index

import (
	"cmp"
	"context"
	"sync"

	"github.com/folio-search/folio/corpus"
)

// The quote lineage of written batches is placed by one goroutine of its
// own, a batch behind the articles. Placing is serial (quoteMu) and grows
// with the archive: every copy of a quote reads, extends and rewrites its
// record. Done inside WriteBatch, it held a writer's turn while the other
// writer waited for quoteMu too, and a core idled; queued, the next
// batches are analysed and indexed meanwhile. The queue holds at most one
// batch waiting, and of each article only what placing reads (no body),
// so its memory is small. Quote records are written at flushes anyway
// (writeQuotes), so no search sees a difference; FinishIngest, Delete and
// Close wait for the queue first.
type quoteQueue struct {
	once sync.Once
	jobs chan quoteJob
	busy sync.WaitGroup // jobs queued or being placed

	mu  sync.Mutex
	err error // the first placing that failed, until waited for
}

// quoteJob is the quotes of one written batch.
type quoteJob struct {
	ctx      context.Context
	articles []corpus.Article
}

// queueQuotes hands the quotes of articles, just written, to the placing
// goroutine; it waits while another batch is waiting.
func (ix *Index) queueQuotes(ctx context.Context, articles []corpus.Article) {
	q := &ix.quoteQueue
	q.once.Do(func() {
		q.jobs = make(chan quoteJob, 1)
		go ix.placeQueuedQuotes()
	})
	// What place and link read of an article: an article without quotes
	// still unlinks its former ones.
	light := make([]corpus.Article, len(articles))
	for i := range articles {
		a := &articles[i]
		light[i] = corpus.Article{ID: a.ID, Title: a.Title, URL: a.URL, Date: a.Date, Tags: a.Tags, Quotes: a.Quotes}
	}
	q.busy.Add(1)
	q.jobs <- quoteJob{ctx: context.WithoutCancel(ctx), articles: light}
}

// placeQueuedQuotes places the queued batches' quotes in turn.
func (ix *Index) placeQueuedQuotes() {
	q := &ix.quoteQueue
	for job := range q.jobs {
		if err := ix.writeQuotes(job.ctx, job.articles, nil); err != nil {
			q.mu.Lock()
			q.err = cmp.Or(q.err, err)
			q.mu.Unlock()
		}
		q.busy.Done()
	}
}

// quoteError returns, once, the error of a placing that failed since it
// was last returned. The quotes of that batch are left out of their
// records (and those pending with them) until their articles are written
// again; the batch's articles are in the index.
func (q *quoteQueue) quoteError() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	err := q.err
	q.err = nil
	return err
}

// waitQuotes waits until the queued quotes are placed and returns the
// error of a placing that failed, if not returned yet.
func (ix *Index) waitQuotes() error {
	ix.quoteQueue.busy.Wait()
	return ix.quoteQueue.quoteError()
}

// stopQuotes ends the placing goroutine once the queue is empty; the index
// is closing.
func (ix *Index) stopQuotes() {
	q := &ix.quoteQueue
	q.once.Do(func() {}) // none started after this
	if q.jobs != nil {
		q.busy.Wait()
		close(q.jobs)
	}
}
