package opensearch

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// TestRejectedReported writes a batch in which the cluster refuses one
// article (a tag longer than Lucene's longest term): the error names
// that article alone, and the others are written and searchable.
func TestRejectedReported(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ctx := context.Background()
	date := time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)
	batch := []corpus.Article{
		{ID: "ok1", Title: "Pipeline opens", Body: "The pipeline opened.", Date: &date},
		{ID: "bad", Title: "Pipeline tag", Body: "A pipeline.", Tags: []string{strings.Repeat("x", 40000)}},
		{ID: "ok2", Title: "Pipeline closes", Body: "The pipeline closed."},
	}
	err := e.WriteBatch(ctx, batch)
	var rej *RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("WriteBatch: error %v (%T), want a *RejectedError", err, err)
	}
	if len(rej.Reasons) != 1 || rej.Reasons["bad"] == "" {
		t.Errorf("rejected %v, want bad alone", rej.Reasons)
	}
	n, _ := query.Parse("pipeline")
	res, err := e.Search(ctx, search.Request{Query: n, Sort: search.ByDate})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	if !slices.Equal(ids, []string{"ok2", "ok1"}) { // undated first
		t.Errorf("hits %v, want [ok2 ok1]", ids)
	}
}

// TestDateCursorWhileAdding pages by date with a cursor while articles
// are added before and after it: the pages go on from where they were,
// with the new articles after the cursor and none of those before it.
func TestDateCursorWhileAdding(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ctx := context.Background()
	day := func(d int) *time.Time {
		t := time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC)
		return &t
	}
	var batch []corpus.Article
	for d := 1; d <= 6; d++ {
		batch = append(batch, corpus.Article{ID: fmt.Sprintf("d%02d", 2*d), Title: "Gas", Body: "Gas prices.", Date: day(2 * d)})
	}
	if err := e.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n, _ := query.Parse("gas")
	req := search.Request{Query: n, Sort: search.ByDate, Size: 3}
	var got []string
	for page := 0; ; page++ {
		res, err := e.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if page == 0 { // one before the cursor, two after it
			more := []corpus.Article{
				{ID: "d01", Title: "Gas", Body: "Gas.", Date: day(1)},
				{ID: "d07", Title: "Gas", Body: "Gas.", Date: day(7)},
				{ID: "d13", Title: "Gas", Body: "Gas.", Date: day(13)},
			}
			if err := e.WriteBatch(ctx, more); err != nil {
				t.Fatal(err)
			}
		}
		if res.Next == "" {
			break
		}
		if page > 5 {
			t.Fatalf("still a next cursor after %v", got)
		}
		req.After = res.Next
	}
	want := []string{"d02", "d04", "d06", "d07", "d08", "d10", "d12", "d13"}
	if !slices.Equal(got, want) {
		t.Errorf("pages by cursor %v, want %v", got, want)
	}
}

// TestRelevanceCursorWhileAdding pages in relevance order with a cursor
// while articles are added after the first page: the new ones change
// BM25's statistics and would outrank some pages, yet the pages go on
// through the view of the first, each article once, none of the new.
// A cursor whose point in time is made up is a 400.
func TestRelevanceCursorWhileAdding(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	ctx := context.Background()
	var batch []corpus.Article
	var want []string
	for i := 1; i <= 8; i++ {
		id := fmt.Sprintf("r%d", i)
		batch = append(batch, corpus.Article{ID: id, Title: "Report", Body: strings.Repeat("gas ", i) + strings.Repeat("other words ", 10)})
		want = append(want, id)
	}
	if err := e.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n, _ := query.Parse("gas")
	req := search.Request{Query: n, Size: 3}
	var got []string
	for page := 0; ; page++ {
		res, err := e.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if page == 0 {
			// Many more articles with gas lower its weight everywhere; the
			// new ones say it most.
			var more []corpus.Article
			for i := range 40 {
				more = append(more, corpus.Article{ID: fmt.Sprintf("n%02d", i), Title: "Gas", Body: strings.Repeat("gas ", 30)})
			}
			if err := e.WriteBatch(ctx, more); err != nil {
				t.Fatal(err)
			}
		}
		if res.Next == "" {
			break
		}
		if page > 5 {
			t.Fatalf("still a next cursor after %v", got)
		}
		req.After = res.Next
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("pages by cursor %v, want each of %v once", got, want)
	}

	req.After = "p" + base64.RawURLEncoding.EncodeToString([]byte(`{"pit":"bm90IGEgcGl0","after":[1.5,"r1"]}`))
	_, err := e.Search(ctx, req)
	var bad *search.BadRequestError
	if !errors.As(err, &bad) {
		t.Errorf("made-up point in time: %v, want a BadRequestError", err)
	}
}
