package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/crawl/crawltest"
)

// crawlEnv lets the crawler reach the test site on loopback.
var crawlEnv = []string{"FOLIO_CRAWL_ALLOW_PRIVATE=true"}

// indexed is what `folio search` finds in data: the total and the URL of
// every hit.
func indexed(t *testing.T, work, data string) (int, []string) {
	t.Helper()
	stdout, stderr, code := folio(t, work, "search", "--data-dir", data, "--json", "--size", "100", "")
	var res struct {
		Total int
		Hits  []struct{ URL, Title string }
	}
	if err := json.Unmarshal([]byte(stdout), &res); code != 0 || err != nil {
		t.Fatalf("folio search: exit %d, %v\n%s", code, err, stderr)
	}
	var urls []string
	for _, h := range res.Hits {
		if h.Title == "" {
			t.Errorf("hit %s has no title", h.URL)
		}
		urls = append(urls, h.URL)
	}
	return res.Total, urls
}

func distinct(s []string) int {
	seen := map[string]bool{}
	for _, x := range s {
		seen[x] = true
	}
	return len(seen)
}

// `folio crawl` pointed at the feed, the sitemap index and the tag page
// indexes every article once and reports the bad inputs; a second crawl
// adds nothing and is answered 304.
func TestCrawlCommand(t *testing.T) {
	site := crawltest.New(t, 10, crawltest.Options{Bad: true})
	work := t.TempDir()
	data := filepath.Join(work, "data")
	env := append(crawlEnv, "FOLIO_CRAWL_MAX_BODY_BYTES=2097152", "FOLIO_CRAWL_RATE=100")
	starts := []string{site.URL + "/feed.xml", site.URL + "/sitemap.xml", site.URL + "/tag/harbour"}
	_, stderr, code := folioEnv(t, work, env, append([]string{"crawl", "--data-dir", data, "--ner=false"}, starts...)...)
	n := len(site.Articles)
	if code != 2 || !strings.Contains(stderr, fmt.Sprintf("new %d, changed 0, unchanged 0; skipped 2, failed 4", n)) ||
		!strings.Contains(stderr, fmt.Sprintf("the index holds %d", n)) {
		t.Fatalf("first crawl: exit %d, want 2, %d new articles, 2 skipped and 4 failed:\n%s", code, n, stderr)
	}
	for _, want := range []string{"/files/annual-report-2024: skipped: not a page Folio reads: application/pdf", "/news/looping-story-one: failed: redirect loop",
		"/big.html: failed: body over the size limit", "/cut.html: failed: truncated gzip", "/sitemap-broken.xml.gz: failed: sitemap: truncated gzip",
		"  skipped 1: robots.txt disallows it", "  failed 1: redirect loop"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if total, urls := indexed(t, work, data); total != n || distinct(urls) != n {
		t.Errorf("the index holds %d articles, %d distinct URLs, want %d", total, distinct(urls), n)
	}

	before := len(site.Hits())
	_, stderr, _ = folioEnv(t, work, env, append([]string{"crawl", "--data-dir", data, "--ner=false"}, starts...)...)
	// What failed for good (a loop, a page too big, a PDF) is not asked
	// for again while what listed it is unchanged; the sitemaps of the
	// index are, the broken one among them, since they may have changed.
	var again []string
	for _, h := range site.Hits()[before:] {
		again = append(again, fmt.Sprint(h.Path, " ", h.Status))
	}
	slices.Sort(again)
	if want := "[/feed.xml 304 /robots.txt 200 /sitemap-broken.xml.gz 200 /sitemap-news.xml.gz 304 /sitemap-pages.xml 304 /sitemap.xml 304 /tag/harbour 304]"; fmt.Sprint(again) != want {
		t.Errorf("second crawl asked for %v, want %v", again, want)
	}
	if !strings.Contains(stderr, "new 0, changed 0, unchanged 0") || !strings.Contains(stderr, fmt.Sprintf("the index holds %d", n)) {
		t.Errorf("second crawl:\n%s", stderr)
	}
}

// `folio crawl` killed with SIGKILL at points spread over a crawl, then
// run to the end: every article once, none lost, none doubled.
func TestCrawlKilledResumesExactly(t *testing.T) {
	site := crawltest.New(t, 24, crawltest.Options{})
	n := len(site.Articles)
	work := t.TempDir()
	// 20 requests a second: a whole crawl of the sitemaps takes over a
	// second, long enough to be killed at many points.
	env := append(crawlEnv, "FOLIO_CRAWL_RATE=20")
	args := func(data string) []string {
		return []string{"crawl", "--data-dir", data, "--ner=false", "--batch-size", "2", site.URL + "/sitemap.xml", site.URL + "/feed.xml"}
	}
	start := time.Now()
	_, stderr, code := folioEnv(t, work, env, args(filepath.Join(work, "calibration"))...)
	full := time.Since(start)
	if code != 0 || !strings.Contains(stderr, fmt.Sprintf("the index holds %d", n)) {
		t.Fatalf("uninterrupted crawl: exit %d:\n%s", code, stderr)
	}
	data := filepath.Join(work, "data")
	kills := 6
	var points []string
	for k := range kills {
		cmd := exec.Command(folioBin, args(data)...)
		cmd.Dir, cmd.Env = work, append(cleanEnv(), env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		// Each run resumes from the state the last one left, so runs get
		// shorter; the kills come early in each.
		select {
		case <-time.After(full * time.Duration(k+1) / time.Duration(2*kills)):
		case <-exited:
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		if !killed(cmd) {
			t.Logf("run %d finished before the kill:\n%s", k, tail(errb.String()))
			continue
		}
		if _, err := os.Stat(filepath.Join(data, "index")); err != nil {
			points = append(points, "killed before the index was made")
			continue
		}
		total, urls := indexed(t, work, data)
		if distinct(urls) != total || total > n {
			t.Fatalf("after kill %d: %d articles, %d distinct URLs", k, total, distinct(urls))
		}
		state, _ := os.ReadFile(filepath.Join(data, crawl.StateFile))
		points = append(points, fmt.Sprintf("%d articles/%d state lines", total, bytes.Count(state, []byte("\n"))))
	}
	t.Logf("an uninterrupted crawl takes %v; after each kill: %s", full.Round(time.Millisecond), strings.Join(points, ", "))
	if len(points) < kills/2 {
		t.Fatalf("only %d of %d kills landed", len(points), kills)
	}
	_, stderr, code = folioEnv(t, work, env, args(data)...)
	if code != 0 || !strings.Contains(stderr, fmt.Sprintf("the index holds %d", n)) {
		t.Fatalf("resumed crawl: exit %d, want %d articles:\n%s", code, n, stderr)
	}
	if total, urls := indexed(t, work, data); total != n || distinct(urls) != n {
		t.Errorf("after the resumed crawl: %d articles, %d distinct URLs, want %d", total, distinct(urls), n)
	}
	// And once more: nothing left to do.
	_, stderr, _ = folioEnv(t, work, env, args(data)...)
	if !strings.Contains(stderr, "new 0, changed 0") {
		t.Errorf("a crawl after the resumed one:\n%s", tail(stderr))
	}
}
