package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/folio-search/folio/internal/crawl/crawltest"
)

// `folio serve` with the test site's feed as a source indexes its
// articles, then a story published while it serves appears in search
// within one polling interval, and /api/sources and /metrics say so.
func TestServePollsSources(t *testing.T) {
	site := crawltest.New(t, 6, crawltest.Options{})
	inFeed := 0
	for _, a := range site.Articles {
		if a.Feed != "" {
			inFeed++
		}
	}
	const every = 2 * time.Second
	work := t.TempDir()
	config := fmt.Sprintf(`data_dir: data
ner: {enabled: false}
server: {admin_token: polltoken}
crawl: {rate: 50, allow_private: true}
sources:
  - {url: "%s/feed.xml", every: %s}
`, site.URL, every)
	if err := os.WriteFile(filepath.Join(work, "config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, addr, stderr := startServe(t, work)
	bundled := 6
	want := bundled + inFeed
	waitArticles := func(n int, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		for time.Since(start) < within {
			if healthy(t, addr, 10*time.Second, stderr) == n {
				return time.Since(start)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the index never held %d articles within %v\n%s", n, within, stderr)
		return 0
	}
	waitArticles(want, 20*time.Second)

	a := site.Publish(t)
	took := waitArticles(want+1, 4*every)
	t.Logf("a story published while serving was indexed %v later (interval %v)", took.Round(time.Millisecond), every)
	// One interval at most until the next run, and the run itself.
	if took > every+2*time.Second {
		t.Errorf("the new story took %v to appear, more than one interval (%v) and two seconds", took, every)
	}
	// It is found by a word of its title, with its URL.
	var word string
	for _, w := range strings.FieldsFunc(a.Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > len(word) {
			word = w
		}
	}
	var res struct{ Hits []struct{ URL string } }
	getJSON(t, "http://"+addr+"/api/search?size=100&q="+url.QueryEscape(word), "", &res)
	found := false
	for _, h := range res.Hits {
		found = found || h.URL == site.URL+a.Path
	}
	if !found {
		t.Errorf("searching %q does not find %s: %+v", word, a.Path, res.Hits)
	}

	var src struct {
		Sources []struct {
			URL     string
			Runs    int
			Running bool
			LastRun *time.Time `json:"last_run"`
			Total   struct{ New int }
			Errors  []any `json:"recent_errors"`
		}
	}
	if code := getJSON(t, "http://"+addr+"/api/sources", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET /api/sources without the admin token: %d, want 401", code)
	}
	// The run that wrote the story ends after its last batch.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		getJSON(t, "http://"+addr+"/api/sources", "polltoken", &src)
		if len(src.Sources) == 1 && !src.Sources[0].Running && src.Sources[0].Runs >= 2 {
			break
		}
	}
	if len(src.Sources) != 1 || src.Sources[0].URL != site.URL+"/feed.xml" || src.Sources[0].Runs < 2 ||
		src.Sources[0].LastRun == nil || src.Sources[0].Total.New != inFeed+1 || src.Sources[0].Errors == nil {
		t.Errorf("/api/sources: %+v", src)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	series := fmt.Sprintf(`folio_source_articles_total{kind="new",source="%s/feed.xml"} %d`, site.URL, inFeed+1)
	if !strings.Contains(string(metrics), series) {
		t.Errorf("/metrics lacks %s", series)
	}
	stop(t, cmd, syscall.SIGTERM, 10*time.Second, stderr)
}

// getJSON GETs u with an optional bearer token and decodes the answer
// into v when v is set; it returns the status.
func getJSON(t *testing.T, u, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %d, %v", u, resp.StatusCode, err)
		}
	}
	return resp.StatusCode
}
