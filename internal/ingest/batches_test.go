package ingest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
)

func numbered(n int, badEvery int, read *int) iter.Seq2[corpus.Article, error] {
	return func(yield func(corpus.Article, error) bool) {
		for i := 1; i <= n; i++ {
			*read = i
			var ok bool
			if badEvery > 0 && i%badEvery == 0 {
				ok = yield(corpus.Article{}, &corpus.RecordError{File: "f", Line: i, Reason: "bad"})
			} else {
				ok = yield(corpus.Article{ID: fmt.Sprint(i), Title: "t", Line: i}, nil)
			}
			if !ok {
				return
			}
		}
	}
}

func TestBatchesKeepOrderEnrichAndReportErrors(t *testing.T) {
	var read int
	var errs []error
	var got []string
	sizes := []int{}
	for b := range Batches(context.Background(), numbered(25, 5, &read), Options{
		Size: 7, Workers: 3,
		Enrich:  func(a *corpus.Article) { a.Body = "enriched " + a.ID },
		OnError: func(err error) { errs = append(errs, err) },
	}) {
		sizes = append(sizes, len(b))
		for _, a := range b {
			if a.Body != "enriched "+a.ID {
				t.Fatalf("article %s not enriched: %q", a.ID, a.Body)
			}
			got = append(got, a.ID)
		}
	}
	if fmt.Sprint(sizes) != "[7 7 6]" || len(got) != 20 || got[0] != "1" || got[19] != "24" {
		t.Errorf("batch sizes %v, ids %v", sizes, got)
	}
	var re *corpus.RecordError
	if len(errs) != 5 || !errors.As(errs[0], &re) || re.Line != 5 {
		t.Errorf("errors %v", errs)
	}
}

func TestBatchesStopReadingWhenTheLoopStops(t *testing.T) {
	var read int
	for range Batches(context.Background(), numbered(1_000_000, 0, &read), Options{Size: 10}) {
		break
	}
	// The reader may be one batch ahead and one being filled, no more.
	if read > 40 {
		t.Errorf("read %d articles after the consumer stopped at the first batch", read)
	}
}

// With several writers, batches finish out of order, but of two versions of
// one article the later one in the input must be the one left written.
func TestRunConcurrentWritersKeepTheLaterVersion(t *testing.T) {
	var input []corpus.Article
	for i := range 60 {
		// IDs repeat every 9 articles, so versions of one article fall in
		// different batches of 4, several of them in flight at once.
		input = append(input, corpus.Article{ID: fmt.Sprint(i % 9), Title: fmt.Sprint(i)})
		if i%10 == 3 { // and one batch holds two versions of an article
			input = append(input, corpus.Article{ID: fmt.Sprint(i % 9), Title: fmt.Sprint(i, "b")})
		}
	}
	seq := func(yield func(corpus.Article, error) bool) {
		for _, a := range input {
			if !yield(a, nil) {
				return
			}
		}
	}
	var (
		mu       sync.Mutex
		written  = map[string]string{}
		inFlight atomic.Int32
		maxSeen  atomic.Int32
		totals   []int
	)
	write := func(_ context.Context, batch []corpus.Article) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		if n > maxSeen.Load() {
			maxSeen.Store(n)
		}
		// Later batches finish sooner, to provoke reordering.
		first, _ := strconv.Atoi(batch[0].Title)
		time.Sleep(time.Duration(len(input)-first) * 100 * time.Microsecond)
		mu.Lock()
		defer mu.Unlock()
		for _, a := range batch {
			written[a.ID] = a.Title
		}
		return nil
	}
	stats, err := Run(context.Background(), seq, WriterFunc(write), Options{Size: 4, Writers: 3,
		OnBatch: func(s Stats) { totals = append(totals, s.Indexed) }})
	if err != nil || stats.Indexed != len(input) {
		t.Fatalf("Run: %v, %+v", err, stats)
	}
	want := map[string]string{}
	for _, a := range input {
		want[a.ID] = a.Title
	}
	if fmt.Sprint(written) != fmt.Sprint(want) {
		t.Errorf("written %v, want the last version of each: %v", written, want)
	}
	if maxSeen.Load() > 3 {
		t.Errorf("%d batches written at once, want at most 3", maxSeen.Load())
	}
	if len(totals) != (len(input)+3)/4 || totals[len(totals)-1] != len(input) {
		t.Errorf("OnBatch saw totals %v", totals)
	}
	for i := 1; i < len(totals); i++ {
		if totals[i] <= totals[i-1] {
			t.Errorf("OnBatch totals not increasing: %v", totals)
		}
	}
}

func TestRunStopsAtTheFirstWriteError(t *testing.T) {
	var read int
	boom := errors.New("disk full")
	var calls atomic.Int32
	_, err := Run(context.Background(), numbered(10_000, 0, &read),
		WriterFunc(func(context.Context, []corpus.Article) error {
			if calls.Add(1) == 3 {
				return boom
			}
			return nil
		}), Options{Size: 10, Writers: 2})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if read > 100 {
		t.Errorf("read %d articles after a write failed at the third batch", read)
	}
}

// TestRunSaysHowFarItGot cancels an ingest from inside the
// third write: the three batches are counted, and Through says that
// lines 1 to 37 were read, of which 7 were rejected; nothing later is
// written.
func TestRunSaysHowFarItGot(t *testing.T) {
	var read int
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var written []int
	stats, err := Run(ctx, numbered(1000, 5, &read),
		WriterFunc(func(_ context.Context, b []corpus.Article) error {
			written = append(written, len(b))
			if len(written) == 3 {
				cancel() // as a client that goes away while a batch is written
			}
			return nil
		}), Options{Size: 10})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if fmt.Sprint(written) != "[10 10 10]" || stats.Indexed != 30 || stats.Through != 37 || stats.RejectedThrough != 7 {
		t.Errorf("written %v, stats %+v: want 3 batches of 10 through line 37, 7 rejected", written, stats)
	}
}

func TestBatchesCloseAtTheirBytes(t *testing.T) {
	long := strings.Repeat("x", 1000)
	articles := func(yield func(corpus.Article, error) bool) {
		for i := range 10 {
			body := "short"
			if i >= 4 {
				body = long // articles 4 to 9 are long
			}
			if !yield(corpus.Article{ID: fmt.Sprint(i), Body: body}, nil) {
				return
			}
		}
	}
	var sizes []int
	for b := range Batches(context.Background(), articles, Options{Size: 100, Bytes: 2500}) {
		sizes = append(sizes, len(b))
	}
	// Four short and two long reach 2,020 bytes; the third long closes the
	// batch at 3,020. Then three long, at 3,000.
	if fmt.Sprint(sizes) != "[7 3]" {
		t.Errorf("batch sizes %v, want [7 3]", sizes)
	}
}
