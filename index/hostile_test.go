package index

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

const reutersPath = "../../shared/corpora/reuters21578/reuters21578.jsonl"

// The Reuters-21578 index the hostile-query tests share, built once per
// test binary, without entities.
var reuters struct {
	once sync.Once
	dir  string
	ix   *Index
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if reuters.ix != nil {
		reuters.ix.Close()
	}
	if reuters.dir != "" {
		os.RemoveAll(reuters.dir)
	}
	if costIndex.ix != nil {
		costIndex.ix.Close()
	}
	if costIndex.dir != "" {
		os.RemoveAll(costIndex.dir)
	}
	os.Exit(code)
}

// sharedReuters returns the shared index of all Reuters-21578 articles, or
// skips the test where the corpus is not beside the project.
func sharedReuters(t *testing.T) *Index {
	t.Helper()
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	reuters.once.Do(func() {
		if reuters.dir, reuters.err = os.MkdirTemp("", "folio-reuters-"); reuters.err != nil {
			return
		}
		reuters.ix, reuters.err = buildIndex(reuters.dir+"/ix", 0)
	})
	if reuters.err != nil {
		t.Fatal(reuters.err)
	}
	return reuters.ix
}

// buildIndex indexes the first n Reuters-21578 articles (all for 0) in dir.
func buildIndex(dir string, n int) (*Index, error) {
	ix, err := Open(dir)
	if err != nil {
		return nil, err
	}
	articles := corpus.ReadFile(reutersPath)
	if n > 0 {
		all := articles
		articles = func(yield func(corpus.Article, error) bool) {
			i := 0
			for a, err := range all {
				if i == n || !yield(a, err) {
					return
				}
				i++
			}
		}
	}
	if _, err := ix.Ingest(context.Background(), articles, IngestOptions{}); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

func repeatWord(w string, n int) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }

// orOf joins n of words, each with suffix, by OR.
func orOf(words []string, n int, suffix string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[i%len(words)] + suffix
	}
	return strings.Join(parts, " OR ")
}

var shortWords = strings.Fields(`oil tin gas rice corn beef pork lead zinc iron ore tea jet fuel cpi gnp yen
	lira rand peso bond debt loan bank cash tax rate wage job cost fee rent sale buy sell deal bid cut
	hike rise fall gain loss firm unit plan talk pact vote law rule aid war peace ship port crop farm
	milk wool rubber soy meal cake palm coco sugar cocoa grain wheat barley oats hogs cattle gold
	silver nickel copper alum crude fuel heat power coal steel auto car bus rail air sea`)

// twoLetterPrefixes are 50 prefixes of two letters.
func twoLetterPrefixes() []string {
	var out []string
	for _, a := range "abcdefghijklmnoprstw" {
		for _, b := range "aeo" {
			if len(out) < 50 {
				out = append(out, string(a)+string(b)+"*")
			}
		}
	}
	return out
}

// hostileQueries are the queries of issue #15 that took a server down or
// ran for seconds to minutes on Reuters-21578, and what each must now
// give: hits, or a 400 query_too_complex.
func hostileQueries() []struct{ q, want string } {
	return []struct{ q, want string }{
		{`"` + repeatWord("the", 6) + `"~100`, "hits"},
		{`"` + repeatWord("the", 7) + `"~100`, "hits"},
		{`"` + repeatWord("the", 8) + `"~100`, "hits"},
		{`"` + repeatWord("the", 20) + `"~100`, "hits"},
		{`"the of to and in a said for on it"~100`, "hits"},
		{orOf(shortWords, 30, "~2"), "query_too_complex"},
		{orOf(shortWords, 90, "~2"), "query_too_complex"},
		{orOf(twoLetterPrefixes(), 50, ""), "query_too_complex"},
		{"co*", "hits"},
		{"aliev~2", "hits"},
	}
}

// TestHostileQueriesAreBounded runs the queries on Reuters-21578:
// each answers within a bound, or is refused as too complex at once.
func TestHostileQueriesAreBounded(t *testing.T) {
	ix := sharedReuters(t)
	const bound = 3 * time.Second // searches on the queries took 0.7 s to forever
	for _, c := range hostileQueries() {
		n, err := query.Parse(c.q)
		if err != nil {
			t.Fatalf("%.40q: %v", c.q, err)
		}
		type outcome struct {
			res *search.Result
			err error
		}
		done := make(chan outcome, 1)
		start := time.Now()
		go func() {
			res, err := ix.Search(context.Background(), search.Request{Query: n, Size: 10, Fragments: 3})
			done <- outcome{res, err}
		}()
		var o outcome
		select {
		case o = <-done:
		case <-time.After(bound):
			t.Fatalf("%.60q: no answer after %v", c.q, bound)
		}
		took := time.Since(start)
		var bad *search.BadRequestError
		switch {
		case c.want == "hits" && (o.err != nil || o.res.Total == 0):
			t.Errorf("%.60q: %v, %d hits; want hits", c.q, o.err, totalOf(o.res))
		case c.want != "hits" && !(errors.As(o.err, &bad) && bad.Code == c.want):
			t.Errorf("%.60q: %v, %d hits; want a search.BadRequestError %s", c.q, o.err, totalOf(o.res), c.want)
		}
		t.Logf("%6.3fs %-18s %.60q", took.Seconds(), c.want, c.q)
	}
}

func totalOf(r *search.Result) uint64 {
	if r == nil {
		return 0
	}
	return r.Total
}

// commonPhrases are 60 phrases of two common words, OR'd: a legitimate
// query that reads the positions of most of the index for a second.
func commonPhrases() string {
	words := strings.Fields("the of to and in a said for on it is was by at with from that as be its")
	var out []string
	for _, a := range words {
		for _, b := range words {
			if a != b && len(out) < 60 {
				out = append(out, `"`+a+" "+b+`"`)
			}
		}
	}
	return strings.Join(out, " OR ")
}

// expensiveQueries are legitimate queries that take from a tenth of a
// second to a second on Reuters-21578 (and took 20 s to forever before
// searches were bounded).
func expensiveQueries(t *testing.T) map[string]query.Node {
	out := map[string]query.Node{}
	for name, q := range map[string]string{
		"ten common words with slop":                   `"the of to and in a said for on it"~100`,
		"60 common phrases and ten words with slop":    commonPhrases() + ` OR "the of to and in a said for on it"~100`,
		"fuzzy words just within the expansion budget": orOf(shortWords, 4, "~2"),
	} {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// TestSearchStopsAtItsDeadline gives expensive searches a short deadline:
// each returns soon after it with an error that is the context's. The
// deadline is a fifth of the search's own time, measured first, so that
// no search can finish within it however fast the machine. It is timed
// warm, the second time it runs: the first also fills the caches of
// records, counts and postings that the timed search then reads.
func TestSearchStopsAtItsDeadline(t *testing.T) {
	ix := sharedReuters(t)
	for name, q := range expensiveQueries(t) {
		var began time.Time
		for range 2 {
			began = time.Now()
			if _, err := ix.Search(context.Background(), search.Request{Query: q, Fragments: 3}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		deadline := min(20*time.Millisecond, time.Since(began)/5)
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		done := make(chan error, 1)
		go func() {
			_, err := ix.Search(ctx, search.Request{Query: q, Fragments: 3})
			done <- err
		}()
		select {
		case err := <-done:
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s: %v, want context.DeadlineExceeded", name, err)
			}
			if took > deadline+500*time.Millisecond {
				t.Errorf("%s: returned %v after its deadline of %v", name, took-deadline, deadline)
			}
			t.Logf("%s: returned %v after the search began, with a deadline of %v", name, took, deadline)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still running 5 s after a deadline of %v", name, deadline)
		}
		cancel()
	}
}

// TestCancelledSearchStopsPromptly cancels searches that run for a
// tenth of a second to a second, at several points, and measures how long
// each goes on.
func TestCancelledSearchStopsPromptly(t *testing.T) {
	ix := sharedReuters(t)
	long := expensiveQueries(t)["60 common phrases and ten words with slop"]
	var sloppy []string
	for _, order := range []string{"the of to and in a said for on it", "said for on it the of to and in a", "a in and to of the it on for said"} {
		sloppy = append(sloppy, `"`+order+`"~100`)
	}
	several, err := query.Parse(strings.Join(sloppy, " OR "))
	if err != nil {
		t.Fatal(err)
	}
	var worst time.Duration
	measured := 0
	for _, c := range []struct {
		q     query.Node
		after time.Duration
	}{{long, 50 * time.Millisecond}, {long, 300 * time.Millisecond}, {several, 10 * time.Millisecond}, {several, 30 * time.Millisecond}} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := ix.Search(ctx, search.Request{Query: c.q, Fragments: 3})
			done <- err
		}()
		time.Sleep(c.after)
		cancel()
		cancelled := time.Now()
		select {
		case err := <-done:
			stop := time.Since(cancelled)
			if err == nil {
				continue // done before the cancel
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled after %v: %v, want context.Canceled", c.after, err)
			}
			worst = max(worst, stop)
			measured++
		case <-time.After(5 * time.Second):
			t.Fatalf("cancelled after %v: still running 5 s later", c.after)
		}
	}
	t.Logf("%d searches cancelled; the slowest stopped %v after", measured, worst)
	if measured < 2 {
		t.Fatalf("only %d searches were still running when cancelled; the test measures too little", measured)
	}
	if worst > 300*time.Millisecond {
		t.Errorf("a cancelled search ran on for %v", worst)
	}
}

// TestCloseWhileSearchesAreCancelled closes an index while runaway
// searches on it are being cancelled: Close waits for them, so it must
// return as soon as they have stopped.
func TestCloseWhileSearchesAreCancelled(t *testing.T) {
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skip("Reuters corpus not present:", err)
	}
	ix, err := buildIndex(t.TempDir()+"/ix", 4000)
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{commonPhrases() + ` OR "the of to and in a said for on it"~100`, `"` + repeatWord("the", 20) + `"~100`}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		n, err := query.Parse(queries[i%len(queries)])
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix.Search(ctx, search.Request{Query: n, Fragments: 3})
		}()
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	start := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- ix.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Close returned %v after the searches were cancelled", time.Since(start))
	case <-time.After(3 * time.Second):
		t.Fatal("Close still waiting 3 s after its searches were cancelled")
	}
	wg.Wait()
	if _, err := ix.Search(context.Background(), search.Request{Query: query.Term{Text: "oil"}}); err == nil {
		t.Error("a search on the closed index succeeded")
	}
}
