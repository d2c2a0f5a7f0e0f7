package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// The fault tests kill one node of the shared three-node cluster, under an
// index of three shards with one replica, and start it again at the end
// so that the next test finds the cluster whole.

// faultArticles are n articles that all say "alpha"; every third says
// "beta" too.
func faultArticles(from, n int) []corpus.Article {
	date := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	out := make([]corpus.Article, n)
	for k := range out {
		i := from + k
		body := fmt.Sprintf("Dispatch %d: alpha report from the wire.", i)
		if i%3 == 0 {
			body += " The beta desk confirmed it."
		}
		out[k] = corpus.Article{ID: fmt.Sprintf("f%05d", i), Title: fmt.Sprintf("Dispatch %d", i), Body: body, Date: &date}
	}
	return out
}

// clusterGET decodes the answer to a GET of path from the first node of
// urls that answers.
func clusterGET(t *testing.T, urls []string, path string, out any) {
	t.Helper()
	var last error
	for _, u := range urls {
		res, err := http.Get(u + path)
		if err != nil {
			last = err
			continue
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("GET %s: no node answers: %v", path, last)
}

// waitGreen waits until every shard of index has all its copies.
func waitGreen(t *testing.T, urls []string, index string) {
	t.Helper()
	var h struct {
		Status   string `json:"status"`
		TimedOut bool   `json:"timed_out"`
	}
	clusterGET(t, urls, "/_cluster/health/"+index+"?wait_for_status=green&wait_for_nodes=3&timeout=120s", &h)
	if h.Status != "green" || h.TimedOut {
		t.Fatalf("index %s is %s, not green", index, h.Status)
	}
}

// nodeOf returns which node (0, 1, 2) is the elected cluster manager,
// or, with manager false, one that is not.
func nodeOf(t *testing.T, urls []string, manager bool) int {
	t.Helper()
	var got []struct {
		Node string `json:"node"`
	}
	clusterGET(t, urls, "/_cat/cluster_manager?format=json", &got)
	if len(got) != 1 || !strings.HasPrefix(got[0].Node, "node") {
		t.Fatalf("cluster manager: %+v", got)
	}
	var m int
	fmt.Sscan(strings.TrimPrefix(got[0].Node, "node"), &m)
	if manager {
		return m
	}
	return (m + 1) % 3
}

// TestFaultKillNodeDuringSearches kills the elected cluster manager while
// two clients search: every answer has the exact total, any failure is
// search.ErrUnavailable (a 503 to Folio's clients), and searches succeed
// again within seconds. An index whose only copy was on that node is red:
// its searches are search.ErrUnavailable until the node is back.
func TestFaultKillNodeDuringSearches(t *testing.T) {
	urls, node := threeNodes(t)
	e := openSharded(t, urls, 3, 1)
	defer e.Close()
	ctx := context.Background()
	const n = 900
	for from := 0; from < n; from += 300 {
		if err := e.WriteBatch(ctx, faultArticles(from, 300)); err != nil {
			t.Fatal(err)
		}
	}
	// A second index has one shard and no replica, kept on the node to
	// be killed: killing it turns that index red.
	victim := nodeOf(t, urls, true)
	lone := openSharded(t, urls, 1, 0)
	defer lone.Close()
	if err := lone.WriteBatch(ctx, faultArticles(0, 30)); err != nil {
		t.Fatal(err)
	}
	pin := map[string]any{"index.routing.allocation.require._name": fmt.Sprintf("node%d", victim)}
	if err := lone.do(ctx, http.MethodPut, "/"+lone.index+"/_settings", pin, nil); err != nil {
		t.Fatal(err)
	}
	var moved struct {
		TimedOut bool `json:"timed_out"`
	}
	clusterGET(t, urls, "/_cluster/health/"+lone.index+"?wait_for_no_relocating_shards=true&wait_for_status=green&timeout=60s", &moved)
	if moved.TimedOut {
		t.Fatalf("the shard of %s did not move to node%d", lone.index, victim)
	}
	waitGreen(t, urls, e.index)
	beta, _ := query.Parse("beta")
	const want = n / 3

	type outcome struct {
		at  time.Time
		err error
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		wg       sync.WaitGroup
	)
	stop := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
				res, err := e.Search(sctx, search.Request{Query: beta, Size: 5, Facets: []string{}})
				cancel()
				if err == nil && res.Total != want {
					t.Errorf("total %d, want %d", res.Total, want)
				}
				mu.Lock()
				outcomes = append(outcomes, outcome{time.Now(), err})
				mu.Unlock()
			}
		})
	}
	time.Sleep(2 * time.Second)
	killed := time.Now()
	node(victim, "kill")
	time.Sleep(8 * time.Second)
	close(stop)
	wg.Wait()

	var before, after, failed int
	var first, last time.Duration
	for _, o := range outcomes {
		if o.at.Before(killed) {
			before++
			if o.err != nil {
				t.Errorf("search before the kill: %v", o.err)
			}
			continue
		}
		after++
		if o.err == nil {
			continue
		}
		if !errors.Is(o.err, search.ErrUnavailable) {
			t.Errorf("search after the kill: %v, want search.ErrUnavailable", o.err)
		}
		d := o.at.Sub(killed)
		if failed == 0 {
			first = d
		}
		failed, last = failed+1, d
	}
	t.Logf("killed node%d (cluster manager): %d searches before, %d after, %d of them failed (from +%s to +%s)",
		victim, before, after, failed, first.Round(time.Millisecond), last.Round(time.Millisecond))
	// Answers continue: the searches of the last three seconds succeed.
	tail := 0
	for _, o := range outcomes {
		if o.at.After(killed.Add(5 * time.Second)) {
			tail++
			if o.err != nil {
				t.Errorf("search %s after the kill failed: %v", o.at.Sub(killed).Round(time.Millisecond), o.err)
			}
		}
	}
	if before == 0 || tail == 0 {
		t.Errorf("%d searches before the kill, %d in the last seconds: the stream stalled", before, tail)
	}
	// The red index: a 503 to Folio's clients, and answers again once
	// its node is back.
	_, err := lone.Search(ctx, search.Request{Query: beta})
	if !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("search of a red index: %v, want search.ErrUnavailable", err)
	}
	if _, err := lone.Count(ctx); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("count of a red index: %v, want search.ErrUnavailable", err)
	}
	node(victim, "start")
	waitGreen(t, urls, e.index)
	waitGreen(t, urls, lone.index)
	res, err := lone.Search(ctx, search.Request{Query: beta})
	if err != nil || res.Total != 10 {
		t.Errorf("search of the index once green again: %v, %v", res, err)
	}
}

// TestFaultKillNodeDuringIngest kills a node (not the cluster manager)
// while batches are written one after another: every article of every
// batch WriteBatch acknowledged is found, before and after the node
// rejoins.
func TestFaultKillNodeDuringIngest(t *testing.T) {
	urls, node := threeNodes(t)
	e := openSharded(t, urls, 3, 1)
	defer e.Close()
	ctx := context.Background()
	waitGreen(t, urls, e.index)
	const batches, size = 14, 100
	var (
		mu    sync.Mutex
		acked []string
	)
	written := make(chan int, batches)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range batches {
			batch := faultArticles(b*size, size)
			wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			err := e.WriteBatch(wctx, batch)
			cancel()
			if err != nil {
				t.Logf("batch %d not acknowledged: %v", b, err)
			} else {
				mu.Lock()
				for _, a := range batch {
					acked = append(acked, a.ID)
				}
				mu.Unlock()
			}
			written <- b
		}
	}()
	for b := range written {
		if b == 2 {
			break // the fourth batch is under way
		}
	}
	victim := nodeOf(t, urls, false)
	node(victim, "kill")
	<-done
	if len(acked) < (batches-3)*size {
		t.Errorf("%d of %d articles acknowledged: the ingest did not go on without the node", len(acked), batches*size)
	}
	present := func() int {
		t.Helper()
		if err := e.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
		var got struct{ Count int }
		err := e.do(ctx, http.MethodPost, "/"+e.index+"/_count", map[string]any{"query": map[string]any{"ids": map[string]any{"values": acked}}}, &got)
		if err != nil {
			t.Fatal(err)
		}
		return got.Count
	}
	if got := present(); got != len(acked) {
		t.Errorf("with node%d down: %d of %d acknowledged articles found", victim, got, len(acked))
	}
	node(victim, "start")
	waitGreen(t, urls, e.index)
	if got := present(); got != len(acked) {
		t.Errorf("after node%d rejoined: %d of %d acknowledged articles found", victim, got, len(acked))
	}
	t.Logf("killed node%d during batch 4 of %d: %d articles acknowledged, all found", victim, batches, len(acked))
}
