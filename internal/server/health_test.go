package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
)

// TestHealthSaysSlotsAreStuck holds the only search slot past
// search.timeout, as a search that does not stop would: /healthz turns 503
// once the slot has been taken for longer than the deadline, searches are
// refused, and all is well again when the slot comes free. The slot is
// taken directly because no search of the index outlives its deadline.
func TestHealthSaysSlotsAreStuck(t *testing.T) {
	ix, _, err := index.Create(context.Background(), t.TempDir()+"/index", corpus.ReadPaths([]string{"bundled"}), index.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cfg := config.Default()
	cfg.Search.Timeout = 300 * time.Millisecond
	cfg.Server.MaxConcurrentSearches = 1
	cfg.Server.SearchQueueTimeout = 50 * time.Millisecond
	s, err := New(ix, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	if err := s.searchSlots.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/healthz"); code != 200 {
		t.Fatalf("healthz with the slot taken for less than search.timeout: %d %s", code, body)
	}
	time.Sleep(cfg.Search.Timeout + 100*time.Millisecond)
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "no search slot has been free") {
		t.Errorf("healthz with the slot taken past search.timeout: %d %s", code, body)
	}
	if code, body := get("/api/search?q=aliyev"); code != 503 || !strings.Contains(body, `"code":"overloaded"`) {
		t.Errorf("search while the slot is held: %d %s", code, body)
	}
	s.searchSlots.release()
	if code, body := get("/healthz"); code != 200 {
		t.Errorf("healthz once the slot is free: %d %s", code, body)
	}
	if code, body := get("/api/search?q=aliyev"); code != 200 {
		t.Errorf("search once the slot is free: %d %.200s", code, body)
	}
}
