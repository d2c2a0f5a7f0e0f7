package opensearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// counter counts the requests an engine sends, by method and path, but
// for the client's own polls of node statistics, which it sends in the
// background whatever the searches.
type counter struct {
	mu   sync.Mutex
	sent []string
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(r.URL.Path, "/_nodes/") {
		c.mu.Lock()
		c.sent = append(c.sent, r.Method+" "+r.URL.Path)
		c.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// take returns the requests sent since the last take.
func (c *counter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sent
	c.sent = nil
	return out
}

// openCounted opens an engine whose requests c counts, on index name.
func openCounted(t *testing.T, name string, c *counter) *Engine {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	e, err := Open(context.Background(), Config{URLs: clusterURLs, Index: name, transport: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// waitTables waits for e's read of name tables under way, if any, and
// returns the requests c counted since it last took them.
func waitTables(e *Engine, c *counter) []string {
	e.names.mu.Lock()
	r := e.names.building
	e.names.mu.Unlock()
	if r != nil {
		<-r.done
	}
	return c.take()
}

func person(id, body string, names ...string) corpus.Article {
	a := corpus.Article{ID: id, Title: "Report " + id, Body: body}
	for _, n := range names {
		a.Entities = append(a.Entities, corpus.Entity{Type: "PER", Name: n})
	}
	return a
}

// TestEntityFilterCost counts the requests a search sends: one for a
// search without an entity filter that finds a page, and one for an
// entity filter while the name tables are current. The first entity
// filter after a write of this engine reads the tables; another
// process's write is found by a check in the background once they are
// due, which costs one request when the index has not changed.
func TestEntityFilterCost(t *testing.T) {
	ctx := context.Background()
	name := fmt.Sprintf("folio-test-%d-%d", os.Getpid(), indexes.Add(1))
	var ca, cb counter
	a, b := openCounted(t, name, &ca), openCounted(t, name, &cb)
	t.Cleanup(func() { a.Drop(context.Background()) })
	var batch []corpus.Article
	for i := range 12 {
		batch = append(batch, person(fmt.Sprintf("p%02d", i), "Ilham Aliyev held talks in Baku.", "Ilham Aliyev"))
	}
	if err := a.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	run := func(e *Engine, c *counter, req search.Request, wantSent int) *search.Result {
		t.Helper()
		req.Sort = search.ByDate // no point in time to open
		c.take()
		res, err := e.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if sent := c.take(); len(sent) != wantSent {
			t.Errorf("%v: %d requests %v, want %d", req, len(sent), sent, wantSent)
		}
		return res
	}
	baku := search.Request{Query: query.Term{Text: "baku"}}
	aliev := search.Request{Filters: map[string][]string{"person": {"Ilham Aliev"}}}

	// No entity filter, a page found: the search alone.
	if res := run(a, &ca, baku, 1); res.Total != 12 || res.Matched != nil {
		t.Errorf("baku: %d, matched %v", res.Total, res.Matched)
	}
	// The first entity filter after a write reads the tables: the
	// signature, a refresh, the names (one page) and the search.
	if res := run(a, &ca, aliev, 4); res.Total != 12 || !slices.Equal(res.Matched["person"], []string{"Ilham Aliyev"}) {
		t.Errorf("Ilham Aliev: %d, matched %v", res.Total, res.Matched)
	}
	// Current tables cost nothing.
	run(a, &ca, aliev, 1)

	// Another process writes a new spelling.
	if err := b.WriteBatch(ctx, []corpus.Article{person("q01", "Ilham Əliyev spoke.", "Ilham Əliyev")}); err != nil {
		t.Fatal(err)
	}
	// Within the check interval, a's tables are trusted as they are.
	if res := run(a, &ca, aliev, 1); res.Total != 12 {
		t.Errorf("Ilham Aliev before the check: %d articles, want 12 (the tables are not yet due)", res.Total)
	}
	// Due for a check, they still answer the search at once, and are read
	// again in the background: the next search finds the new spelling.
	check := func(want uint64, wantSent int) {
		t.Helper()
		a.tableCheck = 0
		ca.take()
		res, err := a.Search(ctx, search.Request{Filters: aliev.Filters, Sort: search.ByDate})
		a.tableCheck = defaultTableCheck
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("Ilham Aliev as the check starts: %d articles, want %d (no search waits on a check)", res.Total, want)
		}
		if sent := waitTables(a, &ca); len(sent) != wantSent {
			t.Errorf("the search and its check sent %v, want %d requests", sent, wantSent)
		}
	}
	check(12, 4) // the search; the signature, a refresh and the names
	res := run(a, &ca, aliev, 1)
	slices.Sort(res.Matched["person"])
	if res.Total != 13 || !slices.Equal(res.Matched["person"], []string{"Ilham Aliyev", "Ilham Əliyev"}) {
		t.Errorf("Ilham Aliev after the check: %d articles, matched %v; want 13, both spellings", res.Total, res.Matched)
	}
	// A check that finds the index unchanged costs one request.
	check(13, 2)

	// A phrase that finds few looks in the current tables and counts
	// its suggestion: one more request.
	phrase := search.Request{Query: query.Phrase{Words: []string{"ilham", "aliev"}}}
	if res := run(a, &ca, phrase, 2); res.Total != 0 || res.DidYouMean != `"ilham aliyev"` || res.DidYouMeanTotal != 12 {
		t.Errorf("phrase: %d, did you mean %q (%d); want 0, \"ilham aliyev\" (12)", res.Total, res.DidYouMean, res.DidYouMeanTotal)
	}
}

// TestNameTablesArePaged reads the names a page of two at a time, up to
// a bound: the tables hold the names in the order of their bytes up to
// it, and a filter on a name beyond it matches the name as written only.
func TestNameTablesArePaged(t *testing.T) {
	ctx := context.Background()
	e := openTest(t)
	var batch []corpus.Article
	people := []string{"Anna Aliyeva", "Boris Smirnov", "Heydar Aliyev", "Ilham Aliyev", "Nikol Pashinyan", "Recep Tayyip Erdoğan", "Vladimir Putin"}
	for i, p := range people {
		batch = append(batch, person(fmt.Sprintf("p%d", i), p+" spoke.", p))
	}
	if err := e.WriteBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	page, most := tablePage, maxTableNames
	t.Cleanup(func() { tablePage, maxTableNames = page, most })
	tablePage = 2
	for _, tc := range []struct {
		most int
		want []string
	}{{100, people}, {5, people[:5]}, {4, people[:4]}} {
		maxTableNames = tc.most
		got, err := e.entityValues(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got["person"], tc.want) {
			t.Errorf("at most %d: person names %v, want %v", tc.most, got["person"], tc.want)
		}
	}
	// Bounded at four names, Nikol Pashinyan is matched only as written.
	e.wrote()
	for typed, want := range map[string]uint64{"Nikol Pashinyan": 1, "Nikol Pashinian": 0, "Ilham Aliev": 1} {
		res, err := e.Search(ctx, search.Request{Filters: map[string][]string{"person": {typed}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("bounded at 4 names, %s: %d articles, want %d", typed, res.Total, want)
		}
	}
}

// TestEntityFiltersWhileWriting runs entity filters from several
// goroutines while the engine writes: none fails, none finds fewer
// articles than were written before it began, and the last finds all.
func TestEntityFiltersWhileWriting(t *testing.T) {
	ctx := context.Background()
	e := openTest(t)
	var written sync.Map // batches done → true
	var done sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	req := search.Request{Filters: map[string][]string{"person": {"Ильхам Алиев"}}, Size: 1}
	for range 4 {
		done.Add(1)
		go func() {
			defer done.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				before := 0
				written.Range(func(any, any) bool { before++; return true })
				res, err := e.Search(ctx, req)
				if err != nil {
					errs <- err
					return
				}
				if res.Total < uint64(before*5) {
					errs <- fmt.Errorf("%d articles after %d batches of 5 were written", res.Total, before)
					return
				}
			}
		}()
	}
	spellings := []string{"Ilham Aliyev", "Ilham Aliev", "Ilham Əliyev", "İlham Əliyev", "Ilham Alijev"}
	for b := range 10 {
		var batch []corpus.Article
		for i := range 5 {
			n := spellings[(b+i)%len(spellings)]
			batch = append(batch, person(fmt.Sprintf("w%02d-%d", b, i), n+" spoke.", n))
		}
		if err := e.WriteBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		written.Store(b, true)
	}
	close(stop)
	done.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	res, err := e.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(res.Matched["person"])
	if want := slices.Sorted(slices.Values(spellings)); res.Total != 50 || !slices.Equal(res.Matched["person"], want) {
		t.Errorf("after the writes: %d articles, matched %v; want 50, %v", res.Total, res.Matched["person"], want)
	}
}

// TestEntityFilterThroughAlias opens the engine on an alias of the index,
// as a cluster whose index is swapped behind an alias is run: the name
// tables are read, and checked, through it.
func TestEntityFilterThroughAlias(t *testing.T) {
	ctx := context.Background()
	e := openTest(t)
	if err := e.WriteBatch(ctx, []corpus.Article{person("p1", "Ilham Aliyev spoke.", "Ilham Aliyev")}); err != nil {
		t.Fatal(err)
	}
	alias := e.index + "-alias"
	if err := e.do(ctx, http.MethodPut, "/"+e.index+"/_alias/"+alias, nil, nil); err != nil {
		t.Fatal(err)
	}
	a, err := Open(ctx, Config{URLs: clusterURLs, Index: alias})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.tableCheck = 0 // every search checks the signature
	for range 2 {
		res, err := a.Search(ctx, search.Request{Filters: map[string][]string{"person": {"Ильхам Алиев"}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || !slices.Equal(res.Matched["person"], []string{"Ilham Aliyev"}) {
			t.Errorf("through the alias: %d articles, matched %v", res.Total, res.Matched)
		}
		waitTables(a, &counter{})
	}
}

// TestTableReadOutlivesItsSearch gives up a search while it waits for the
// name tables, as a search whose deadline passes on a slow cluster does:
// the read goes on, and the next search finds the tables read.
func TestTableReadOutlivesItsSearch(t *testing.T) {
	ctx := context.Background()
	var c counter
	e := openCounted(t, fmt.Sprintf("folio-test-%d-%d", os.Getpid(), indexes.Add(1)), &c)
	t.Cleanup(func() { e.Drop(context.Background()) })
	if err := e.WriteBatch(ctx, []corpus.Article{person("p1", "Ilham Aliyev spoke.", "Ilham Aliyev")}); err != nil {
		t.Fatal(err)
	}
	req := search.Request{Filters: map[string][]string{"person": {"Ilham Aliev"}}, Sort: search.ByDate}
	c.take()
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.Search(short, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("a search given up: %v, want context.Canceled", err)
	}
	if sent := waitTables(e, &c); len(sent) != 3 {
		t.Errorf("the read went on with %v, want the signature, a refresh and the names", sent)
	}
	res, err := e.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if sent := c.take(); len(sent) != 1 || res.Total != 1 {
		t.Errorf("the next search: %d articles, with %v; want 1, with the search alone", res.Total, sent)
	}
}
