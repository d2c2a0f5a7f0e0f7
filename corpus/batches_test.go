package corpus

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"
)

func numbered(n int, badEvery int, read *int) iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		for i := 1; i <= n; i++ {
			*read = i
			var ok bool
			if badEvery > 0 && i%badEvery == 0 {
				ok = yield(Article{}, &RecordError{"f", i, "bad"})
			} else {
				ok = yield(Article{ID: fmt.Sprint(i), Title: "t"}, nil)
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
	for b := range Batches(context.Background(), numbered(25, 5, &read), BatchOptions{
		Size: 7, Workers: 3,
		Enrich:  func(a *Article) { a.Body = "enriched " + a.ID },
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
	var re *RecordError
	if len(errs) != 5 || !errors.As(errs[0], &re) || re.Line != 5 {
		t.Errorf("errors %v", errs)
	}
}

func TestBatchesStopReadingWhenTheLoopStops(t *testing.T) {
	var read int
	for range Batches(context.Background(), numbered(1_000_000, 0, &read), BatchOptions{Size: 10}) {
		break
	}
	// The reader may be one batch ahead and one being filled, no more.
	if read > 40 {
		t.Errorf("read %d articles after the consumer stopped at the first batch", read)
	}
}
