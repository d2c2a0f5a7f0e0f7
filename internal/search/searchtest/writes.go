package searchtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// articles checks Article and Count against the corpus.
func (s *suite) articles(t *testing.T) {
	s.checkStored(t, "after ingest")
	if _, err := s.e.Article(context.Background(), "no-such-article"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Article(no-such-article): error %v, want search.ErrNotFound", err)
	}
}

// checkStored checks that the engine holds the corpus: Count, each
// article as written, and a search for everything that finds them all.
func (s *suite) checkStored(t *testing.T, when string) {
	t.Helper()
	ctx := context.Background()
	n, err := s.e.Count(ctx)
	if err != nil {
		t.Fatalf("%s: Count: %v", when, err)
	}
	if n != uint64(len(s.fx.articles)) {
		t.Errorf("%s: Count %d, want %d", when, n, len(s.fx.articles))
	}
	for i := range s.fx.articles {
		want := &s.fx.articles[i]
		got, err := s.e.Article(ctx, want.ID)
		if err != nil {
			t.Errorf("%s: Article(%s): %v", when, want.ID, err)
			continue
		}
		checkArticle(t, when, got, want)
	}
	// Every whole answer checks its facets against the corpus.
	sameHits(t, when+": everything", s.all(t, when+": everything", search.Request{WithBody: true}), s.fx.all())
}

// checkArticle compares a stored article with the one written, field by
// field.
func checkArticle(t *testing.T, when string, got, want *corpus.Article) {
	t.Helper()
	fields := []struct {
		name      string
		got, want any
	}{
		{"ID", got.ID, want.ID}, {"URL", got.URL, want.URL}, {"Title", got.Title, want.Title},
		{"Author", got.Author, want.Author}, {"Dateline", got.Dateline, want.Dateline},
		{"Tags", nilIfEmpty(got.Tags), nilIfEmpty(want.Tags)}, {"Body", got.Body, want.Body},
		{"Source", got.Source, want.Source}, {"Entities", entities(got.Entities), entities(want.Entities)},
	}
	for _, f := range fields {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: Article(%s).%s = %#v, want %#v", when, want.ID, f.name, f.got, f.want)
		}
	}
	if !sameDate(got.Date, want.Date) {
		t.Errorf("%s: Article(%s).Date = %v, want %v", when, want.ID, got.Date, want.Date)
	}
}

// entities are es with no mentions as nil, so that an engine may store
// an empty list either way.
func entities(es []corpus.Entity) []corpus.Entity {
	out := make([]corpus.Entity, len(es))
	for i, e := range es {
		out[i] = e
		if len(e.Mentions) == 0 {
			out[i].Mentions = nil
		}
	}
	return out
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// badRequests checks that requests that cannot be run are
// *search.BadRequestError.
func (s *suite) badRequests(t *testing.T) {
	// Every made-up cursor is refused, whatever the query (with words, a
	// stop word alone, none, a filter alone) and the sort: none pages
	// from some place of the engine's choosing.
	made := []string{"garbage", "!!not a cursor!!", "x.y.z.w", "%%%", ".", "..", "d", "d.", "o", "o-1", "oabc",
		"AAAA.AAAA", "garbage.garbage", "MQ", "MQ.", strings.Repeat("A", 4000)}
	for _, q := range []string{"aliyev OR gas", "a", "", "tag:Markets"} {
		for _, sort := range sorts {
			after := made
			// A real cursor of another order is no cursor of this one
			// (with words to rank by: without, relevance is newest first).
			for _, other := range sorts {
				if q == "aliyev OR gas" && cursorShape(other) != cursorShape(sort) {
					res, err := s.e.Search(context.Background(), search.Request{Query: parse(t, q), Sort: other, Size: 1})
					if err == nil && res.Next != "" {
						after = append(slices.Clip(after), res.Next)
					}
				}
			}
			for _, a := range after {
				t.Run(fmt.Sprintf("cursor/%s/%s/%.20s", name(q, sort), sort, a), func(t *testing.T) {
					req := search.Request{Query: parse(t, q), Sort: sort, After: a}
					_, err := s.e.Search(context.Background(), req)
					var bad *search.BadRequestError
					if !errors.As(err, &bad) {
						t.Errorf("%s after=%.40q: error %v (%T), want a *search.BadRequestError", describe(q, req), a, err, err)
					}
				})
			}
			if qs, ok := s.e.(search.QuoteSearcher); ok && s.caps.Quotes {
				for _, a := range made {
					t.Run(fmt.Sprintf("quote_cursor/%s/%s/%.20s", name(q, sort), sort, a), func(t *testing.T) {
						_, err := qs.SearchQuotes(context.Background(), search.QuoteRequest{Query: parse(t, q), Sort: sort, After: a})
						var bad *search.BadRequestError
						if !errors.As(err, &bad) {
							t.Errorf("quotes %q sort %s after=%.40q: error %v (%T), want a *search.BadRequestError", q, sort, a, err, err)
						}
					})
				}
			}
		}
	}
	t.Run("unknown_filter", func(t *testing.T) {
		_, err := s.e.Search(context.Background(), search.Request{Filters: map[string][]string{"colour": {"red"}}})
		var bad *search.BadRequestError
		if !errors.As(err, &bad) {
			t.Errorf("filter colour=red: error %v (%T), want a *search.BadRequestError", err, err)
		}
	})
}

// cursorShape tells the orders whose cursors differ: relevance from the
// date orders (a cursor of "date" is a place in "-date" too).
func cursorShape(sort string) string {
	if sort == search.ByRelevance {
		return "relevance"
	}
	return "date"
}

// spelling checks that a misspelt word is retried fuzzily, with the
// likeliest correction offered.
func (s *suite) spelling(t *testing.T) {
	if !s.caps.Spelling {
		t.Skip("no spelling correction")
	}
	req := search.Request{Query: parse(t, "aliyevv")}
	res := s.all(t, describe("aliyevv", req), req)
	sameHits(t, describe("aliyevv", req), res, []string{"a01", "a02", "a05"})
	if !res.Fuzzy || res.DidYouMean != "aliyev" {
		t.Errorf("aliyevv: Fuzzy %v, DidYouMean %q; want true, \"aliyev\"", res.Fuzzy, res.DidYouMean)
	}
}

// cancelled checks that a search under a cancelled context stops with
// an error that wraps the context's.
func (s *suite) cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.e.Search(ctx, search.Request{Query: parse(t, "aliyev OR gas"), Fragments: 3})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Search with a cancelled context: error %v, want one that wraps context.Canceled", err)
	}
}

// writes checks upsert and delete, on an engine of its own.
func (s *suite) writes(t *testing.T) {
	ctx := context.Background()
	find := func(t *testing.T, q string, want ...string) {
		t.Helper()
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n}
		sameHits(t, describe(q, req), s.all(t, describe(q, req), req), want)
	}
	t.Run("upsert", func(t *testing.T) {
		date := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		a := corpus.Article{
			ID: "a01", URL: "https://example.org/a01-v2", Title: "Holdings Sold", Author: "Lena Fischer",
			Date: &date, Tags: []string{"Markets"}, Body: "The holdings were sold last year.", Source: "guardian",
			Entities: []corpus.Entity{{Type: "ORG", Name: "British Library"}},
		}
		if err := s.e.WriteBatch(ctx, []corpus.Article{a}); err != nil {
			t.Fatal(err)
		}
		if err := s.e.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
		s.fx.put(a)
		s.checkStored(t, "after upserting a01")
		find(t, `"not a poor man"`)
		find(t, "offshore")
		find(t, "holdings", "a01")
		find(t, "aliyev", "a02", "a05")
		find(t, "tag:property", "a12")
		find(t, "date:2020", "a01")
		find(t, "org:occrp", "a06", "a12")
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.e.Delete(ctx, "a02"); err != nil {
			t.Fatal(err)
		}
		s.fx.remove("a02")
		if _, err := s.e.Article(ctx, "a02"); !errors.Is(err, search.ErrNotFound) {
			t.Errorf("Article(a02) after Delete: error %v, want search.ErrNotFound", err)
		}
		s.checkStored(t, "after deleting a02")
		find(t, "baku", "a05", "a10")
		find(t, "tag:cop29", "a04")
		for _, id := range []string{"a02", "no-such-article"} {
			if err := s.e.Delete(ctx, id); err != nil {
				t.Errorf("Delete(%s) of an absent article: %v", id, err)
			}
		}
		s.checkStored(t, "after deleting absent articles")
	})
	t.Run("add_again_after_delete", func(t *testing.T) {
		a := loadFixture(t).article("a02")
		if err := s.e.WriteBatch(ctx, []corpus.Article{*a}); err != nil {
			t.Fatal(err)
		}
		if err := s.e.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
		s.fx.put(*loadFixture(t).article("a02"))
		s.checkStored(t, "after writing a02 again")
		find(t, "baku", "a02", "a05", "a10")
	})
	t.Run("search_while_writing", func(t *testing.T) {
		var batch []corpus.Article
		for i := range 20 {
			batch = append(batch, corpus.Article{ID: fmt.Sprintf("w%02d", i), Title: "Pipeline Notes", Body: "Another pipeline note."})
		}
		done := make(chan struct{})
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					res, err := s.e.Search(ctx, search.Request{Query: parse(t, "pipeline"), Size: 50, Fragments: 1})
					if err != nil {
						t.Errorf("search while writing: %v", err)
						return
					}
					if res.Total < 2 || res.Total > 22 || len(res.Hits) != int(res.Total) {
						t.Errorf("search while writing: %d hits of %d, want 2 to 22", len(res.Hits), res.Total)
						return
					}
				}
			}()
		}
		for i := 0; i < len(batch); i += 5 {
			if err := s.e.WriteBatch(ctx, batch[i:i+5]); err != nil {
				t.Error(err)
			}
		}
		if err := s.e.FinishIngest(ctx, false); err != nil {
			t.Error(err)
		}
		close(done)
		wg.Wait()
		for _, a := range batch {
			s.fx.put(a)
		}
		s.checkStored(t, "after searching while writing")
	})
	t.Run("date_cursor_across_ingest", func(t *testing.T) {
		// Cursors in date order stay exact while articles are added: an
		// article newer than the cursor is not seen, an older one is.
		req := search.Request{Sort: search.ByDateDesc, Size: 3}
		res := s.search(t, "-date page 1", req)
		paged := hitIDs(res)
		newer, older := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
		added := []corpus.Article{
			{ID: "a13", Title: "Newer Than Every Page", Body: "Written after the first page.", Date: &newer},
			{ID: "a14", Title: "Older Than the Cursor", Body: "Written after the first page too.", Date: &older},
		}
		if err := s.e.WriteBatch(ctx, added); err != nil {
			t.Fatal(err)
		}
		if err := s.e.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
		want := s.fx.all()
		for _, a := range added {
			s.fx.put(a)
		}
		want = append(want, "a14")
		for page := 2; res.Next != "" && page <= len(want); page++ {
			req.After = res.Next
			res = s.search(t, fmt.Sprintf("-date page %d", page), req)
			paged = append(paged, hitIDs(res)...)
		}
		if got := slices.Sorted(slices.Values(paged)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			t.Errorf("-date by cursor, a13 (newest) and a14 (oldest) added after page 1: %v, want each of %v once", paged, want)
		}
	})
}
