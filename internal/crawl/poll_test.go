package crawl_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/crawl/crawltest"
	"github.com/folio-search/folio/internal/ingest"
)

// finishing is a memory sink that counts the ends of its ingests.
type finishing struct {
	*memory
	mu       sync.Mutex
	finishes int
}

func (f *finishing) FinishIngest(context.Context, bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finishes++
	return nil
}

func (m *memory) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID)
}

// The poller crawls a source again each interval: a story published
// meanwhile is written in the next run, and the status counts the runs.
func TestPollerPicksUpNewArticles(t *testing.T) {
	site := crawltest.New(t, 4, crawltest.Options{})
	st, err := crawl.OpenState(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sink := &finishing{memory: newMemory()}
	const every = time.Second
	p, err := crawl.NewPoller([]crawl.Source{{URL: site.URL + "/sitemap.xml", Every: every}}, options(), st, sink, ingest.Options{Size: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	wait := func(n int) time.Duration {
		start := time.Now()
		for time.Since(start) < 10*every {
			p.Status() // read while the poller writes it
			if sink.len() == n {
				return time.Since(start)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("the sink never held %d articles; status %+v", n, p.Status())
		return 0
	}
	wait(len(site.Articles))
	site.Publish(t)
	// A run takes some milliseconds (more under the race detector).
	if took := wait(len(site.Articles)); took > 2*every {
		t.Errorf("the new article came %v after it was published, interval %v", took, every)
	}
	// The run that wrote it ends after its last batch.
	s := p.Status()[0]
	for deadline := time.Now().Add(5 * time.Second); s.Running && time.Now().Before(deadline); s = p.Status()[0] {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Runs < 2 || s.Total.New != len(site.Articles) || s.LastRun == nil || s.LastError != "" {
		t.Errorf("status %+v", s)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.finishes < 2 {
		t.Errorf("FinishIngest called %d times", sink.finishes)
	}
}
