package crawl_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/crawl"
	"github.com/folio-search/folio/internal/crawl/crawltest"
	"github.com/folio-search/folio/internal/ingest"
)

const agent = "FolioTest/1.0 (+mailto:crawl@folio.example)"

func options() crawl.Options {
	return crawl.Options{UserAgent: agent, Concurrency: 2, AllowPrivate: true, RetryBase: 50 * time.Millisecond,
		Extract: crawltest.Extract, Links: crawltest.Links, Canonical: crawltest.Canonical}
}

// memory is an engine's writer kept in a map: the last version of each
// article by ID, and how many times each ID was written.
type memory struct {
	mu     sync.Mutex
	byID   map[string]corpus.Article
	writes map[string]int
}

func (m *memory) WriteBatch(_ context.Context, batch []corpus.Article) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range batch {
		m.byID[a.ID] = a
		m.writes[a.ID]++
	}
	return nil
}

type run struct {
	stats  crawl.Stats
	errs   []string
	stored ingest.Stats
}

// crawlInto crawls starts with the state in dir and writes what it finds
// through w, as `folio crawl` does.
func crawlInto(t *testing.T, opt crawl.Options, dir string, w ingest.Writer, starts ...string) run {
	t.Helper()
	st, err := crawl.OpenState(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := crawl.New(opt, st)
	if err != nil {
		t.Fatal(err)
	}
	var r run
	r.stored, err = ingest.Run(context.Background(), c.Crawl(context.Background(), starts), c.Writer(w),
		ingest.Options{Size: 4, OnError: func(err error) { r.errs = append(r.errs, err.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	r.stats = c.Stats()
	return r
}

func newMemory() *memory { return &memory{byID: map[string]corpus.Article{}, writes: map[string]int{}} }

func fetchedPaths(hits []crawltest.Hit, status int) []string {
	var out []string
	for _, h := range hits {
		if h.Status == status {
			out = append(out, h.Path)
		}
	}
	return out
}

// Every article is indexed exactly once, whether the feed, the sitemaps or
// the tag page lead to it, and with the tags all of them give it.
func TestCrawlCountsEveryArticleOnce(t *testing.T) {
	site := crawltest.New(t, 12, crawltest.Options{})
	byPath := map[string]*crawltest.Article{}
	for _, a := range site.Articles {
		byPath[a.Path] = a
	}
	want := func(keep func(*crawltest.Article) bool) []string {
		var out []string
		for _, a := range site.Articles {
			if keep(a) {
				out = append(out, a.Path)
			}
		}
		return out
	}
	all := func(*crawltest.Article) bool { return true }
	for _, tc := range []struct {
		name   string
		starts []string
		want   []string
	}{
		{"sitemap index", []string{"/sitemap.xml"}, want(all)},
		{"feed", []string{"/feed.xml"}, want(func(a *crawltest.Article) bool { return a.Feed != "" })},
		{"tag page", []string{"/tag/harbour"}, want(func(a *crawltest.Article) bool { return a.Tagged })},
		{"all three", []string{"/feed.xml", "/tag/harbour", "/sitemap.xml"}, want(all)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var starts []string
			for _, s := range tc.starts {
				starts = append(starts, site.URL+s)
			}
			before := len(site.Hits())
			mem := newMemory()
			r := crawlInto(t, options(), t.TempDir(), mem, starts...)
			var got []string
			for id, a := range mem.byID {
				u, _ := url.Parse(a.URL)
				got = append(got, u.Path)
				if mem.writes[id] != 1 {
					t.Errorf("%s written %d times", a.URL, mem.writes[id])
				}
				pa := byPath[u.Path]
				if pa == nil {
					t.Errorf("article %s is not one of the site's", a.URL)
					continue
				}
				if a.Title != pa.Title || a.Body == "" || a.URL != site.URL+pa.Path || a.Source != "127.0.0.1" {
					t.Errorf("article %s: title %q (want %q), %d bytes of body, source %q", a.URL, a.Title, pa.Title, len(a.Body), a.Source)
				}
				// Tags from the feed and the news sitemap are merged, when
				// the crawl read both.
				wantTags := pa.FeedTags
				if slices.Contains(tc.starts, "/sitemap.xml") {
					wantTags = append(slices.Clone(pa.Keywords), wantTags...)
				}
				if !slices.Contains(tc.starts, "/feed.xml") {
					wantTags = pa.Keywords
				}
				if tc.name == "tag page" {
					wantTags = nil
				}
				for _, tag := range wantTags {
					if !slices.Contains(a.Tags, tag) {
						t.Errorf("article %s: tags %q lack %q", a.URL, a.Tags, tag)
					}
				}
			}
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("articles\n got %v\nwant %v", got, tc.want)
			}
			if r.stats.New != len(tc.want) || r.stored.Indexed != len(tc.want) || len(r.stats.Failed) != 0 {
				t.Errorf("stats %+v, stored %+v, errors %q", r.stats, r.stored, r.errs)
			}
			// Items of the feed with their whole text are not fetched;
			// summaries are.
			hits := site.Hits()[before:]
			fetched := fetchedPaths(hits, 200)
			for _, a := range site.Articles {
				if a.Feed == "full" && slices.Contains(tc.starts, "/feed.xml") && slices.Contains(fetched, a.Path) {
					t.Errorf("%s was fetched though the feed carries its whole text", a.Path)
				}
				if a.Feed == "summary" && slices.Contains(tc.want, a.Path) && !slices.Contains(fetched, a.Path) {
					t.Errorf("%s was not fetched though the feed has a summary only", a.Path)
				}
			}
			for _, h := range hits {
				if h.Agent != agent {
					t.Errorf("request for %s with User-Agent %q", h.Path, h.Agent)
				}
			}
		})
	}
}

// A second crawl adds nothing: the feed, sitemaps and tag page answer 304
// and no article page is fetched again. A real index on disk holds every
// article once.
func TestCrawlAgainAddsNothingAndUses304(t *testing.T) {
	site := crawltest.New(t, 10, crawltest.Options{})
	dir := t.TempDir()
	ix, err := index.Open(dir + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	starts := []string{site.URL + "/sitemap.xml", site.URL + "/feed.xml", site.URL + "/tag/harbour"}
	first := crawlInto(t, options(), dir, ix, starts...)
	if n, _ := ix.Count(context.Background()); int(n) != len(site.Articles) || first.stats.New != len(site.Articles) {
		t.Fatalf("first crawl: %d articles in the index, stats %+v, want %d", n, first.stats, len(site.Articles))
	}
	before := len(site.Hits())
	second := crawlInto(t, options(), dir, ix, starts...)
	hits := site.Hits()[before:]
	if second.stored.Indexed != 0 || second.stats.New+second.stats.Changed != 0 {
		t.Errorf("second crawl wrote %d articles, stats %+v", second.stored.Indexed, second.stats)
	}
	if n, _ := ix.Count(context.Background()); int(n) != len(site.Articles) {
		t.Errorf("after the second crawl the index holds %d, want %d", n, len(site.Articles))
	}
	got304 := fetchedPaths(hits, 304)
	slices.Sort(got304)
	// The sitemaps of an unchanged index are asked for too: they may
	// have changed.
	if fmt.Sprint(got304) != "[/feed.xml /sitemap-news.xml.gz /sitemap-pages.xml /sitemap.xml /tag/harbour]" || second.stats.NotModified != 5 {
		t.Errorf("304s on the server: %v; the crawler counted %d", got304, second.stats.NotModified)
	}
	if ok := fetchedPaths(hits, 200); fmt.Sprint(ok) != "[/robots.txt]" {
		t.Errorf("second crawl fetched %v whole", ok)
	}
}

// Tags found later for a known article make it change; the page is then
// fetched unconditionally, since its body is needed to re-index it.
func TestCrawlMergesTagsOfLaterCrawls(t *testing.T) {
	site := crawltest.New(t, 6, crawltest.Options{})
	dir := t.TempDir()
	mem := newMemory()
	crawlInto(t, options(), dir, mem, site.URL+"/sitemap-pages.xml")
	r := crawlInto(t, options(), dir, mem, site.URL+"/feed.xml")
	// Article 1 is in the plain sitemap and in the feed as a summary.
	a1 := site.Articles[1]
	var got corpus.Article
	for _, a := range mem.byID {
		if strings.HasSuffix(a.URL, a1.Path) {
			got = a
		}
	}
	if !slices.Contains(got.Tags, a1.FeedTags[0]) || mem.writes[got.ID] != 2 || r.stats.Changed < 1 {
		t.Errorf("article 1: tags %q written %d times (stats %+v), want %q among them, written twice", got.Tags, mem.writes[got.ID], r.stats, a1.FeedTags)
	}
}

func TestCrawlHonoursRobotsTxt(t *testing.T) {
	site := crawltest.New(t, 4, crawltest.Options{})
	r := crawlInto(t, options(), t.TempDir(), newMemory(), site.URL+"/tag/harbour", site.URL+"/private/secret.html")
	for _, h := range site.Hits() {
		if strings.HasPrefix(h.Path, "/private/") {
			t.Errorf("fetched %s, which robots.txt disallows", h.Path)
		}
	}
	n := 0
	for _, e := range r.stats.Skipped {
		if strings.HasSuffix(e.URL, "/private/secret.html") && strings.Contains(e.Reason, "robots.txt disallows") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("skipped %v, want /private/secret.html once for robots.txt", r.stats.Skipped)
	}
}

// Requests to one host are spaced by the rate limit, as the server sees
// them, even with two allowed at once.
func TestCrawlRateLimit(t *testing.T) {
	site := crawltest.New(t, 8, crawltest.Options{})
	opt := options()
	opt.Rate = 10 // one request every 100ms
	start := time.Now()
	crawlInto(t, opt, t.TempDir(), newMemory(), site.URL+"/sitemap.xml")
	elapsed := time.Since(start)
	hits := site.Hits()
	slices.SortFunc(hits, func(a, b crawltest.Hit) int { return a.At.Compare(b.At) })
	if len(hits) < 8 {
		t.Fatalf("only %d requests", len(hits))
	}
	minGap := time.Hour
	for i := 1; i < len(hits); i++ {
		minGap = min(minGap, hits[i].At.Sub(hits[i-1].At))
	}
	t.Logf("%d requests in %v, closest two %v apart", len(hits), elapsed.Round(time.Millisecond), minGap)
	// The limiter admits one every 100ms; on a loaded machine one request
	// may leave later than its turn and the next on time, so the closest
	// two are held to a quarter of that, the average to nine tenths.
	if minGap < 25*time.Millisecond {
		t.Errorf("two requests %v apart, want about 100ms", minGap)
	}
	if span := hits[len(hits)-1].At.Sub(hits[0].At); span < time.Duration(len(hits)-1)*90*time.Millisecond {
		t.Errorf("%d requests within %v", len(hits), span)
	}
}

// No more requests are in flight to one host than the concurrency
// allows, and that many are: the crawl does not go one at a time.
func TestCrawlConcurrencyPerHost(t *testing.T) {
	site := crawltest.New(t, 12, crawltest.Options{Delay: 30 * time.Millisecond})
	for _, n := range []int{1, 3} {
		opt := options()
		opt.Concurrency = n
		before := site.MostInFlight()
		crawlInto(t, opt, t.TempDir(), newMemory(), site.URL+"/sitemap.xml")
		if got := site.MostInFlight(); got != max(n, before) {
			t.Errorf("concurrency %d: at most %d requests in flight", n, got)
		}
	}
}

// Every bad input is reported with its reason and skipped, and everything
// else is crawled.
func TestCrawlReportsBadInputsAndGoesOn(t *testing.T) {
	site := crawltest.New(t, 6, crawltest.Options{Bad: true})
	opt := options()
	opt.MaxBodyBytes = 2 << 20
	mem := newMemory()
	r := crawlInto(t, opt, t.TempDir(), mem,
		site.URL+"/sitemap.xml", site.URL+"/feed.xml", site.URL+"/tag/harbour", site.URL+"/feed-broken.xml", "ftp://"+strings.TrimPrefix(site.URL, "http://")+"/x")
	if len(mem.byID) != len(site.Articles) {
		t.Errorf("%d articles, want all %d good ones; errors %q", len(mem.byID), len(site.Articles), r.errs)
	}
	reasons := map[string]string{}
	for _, e := range append(r.stats.Skipped, r.stats.Failed...) {
		what := "failed"
		if e.Skipped {
			what = "skipped"
		}
		reasons[strings.TrimPrefix(e.URL, site.URL)] = what + ": " + e.Reason
	}
	for path, want := range map[string]string{
		"/files/annual-report-2024": "skipped: not a page Folio reads: application/pdf",
		"/private/secret.html":      "skipped: robots.txt disallows it",
		"/news/looping-story-one":   "failed: redirect loop",
		"/big.html":                 "failed: body over the size limit of 2097152 bytes",
		"/sitemap-broken.xml.gz":    "failed: sitemap: truncated gzip",
		"/feed-broken.xml":          "failed: feed: malformed feed",
		"/cut.html":                 "failed: truncated gzip",
	} {
		if !strings.Contains(reasons[path], want) {
			t.Errorf("%s: %q, want %q", path, reasons[path], want)
		}
	}
	if len(reasons) != 8 || len(r.errs) != 8 {
		t.Errorf("reported %d URLs (%q), yielded %d errors, want 8", len(reasons), reasons, len(r.errs))
	}
	// The 503 was retried after the second its Retry-After asked for.
	var flaky []crawltest.Hit
	for _, h := range site.Hits() {
		if h.Path == "/flaky.html" {
			flaky = append(flaky, h)
		}
	}
	if len(flaky) != 2 || flaky[0].Status != 503 || flaky[1].Status != 200 || flaky[1].At.Sub(flaky[0].At) < 900*time.Millisecond {
		t.Errorf("/flaky.html requests: %+v", flaky)
	}
}

// Without allow_private, loopback is refused at dial time, by address:
// a name that resolves to it is refused too, and nothing reaches the site.
func TestCrawlRefusesPrivateAddresses(t *testing.T) {
	site := crawltest.New(t, 2, crawltest.Options{})
	opt := options()
	opt.AllowPrivate = false
	opt.Retries = 1
	byName := strings.Replace(site.URL, "127.0.0.1", "localhost", 1)
	r := crawlInto(t, opt, t.TempDir(), newMemory(), site.URL+"/feed.xml", byName+"/sitemap.xml")
	if n := len(site.Hits()); n != 0 {
		t.Errorf("the site got %d requests", n)
	}
	if len(r.stats.Skipped) != 2 {
		t.Fatalf("skipped %v, want both start URLs", r.stats.Skipped)
	}
	for _, e := range r.stats.Skipped {
		if !strings.Contains(e.Reason, "private or loopback address") {
			t.Errorf("%s: %s", e.URL, e.Reason)
		}
	}
}

// The page limit stops the crawl with a report and leaves the sitemaps
// unrecorded, so the next crawl reads them again and goes on; the depth
// limit stops following links.
func TestCrawlLimits(t *testing.T) {
	site := crawltest.New(t, 8, crawltest.Options{})
	opt := options()
	opt.MaxPages = 5 // the index, two sitemaps and two articles
	dir := t.TempDir()
	mem := newMemory()
	r := crawlInto(t, opt, dir, mem, site.URL+"/sitemap.xml")
	if len(mem.byID) != 2 || r.stats.Left != len(site.Articles)-2 || len(r.errs) != 1 || !strings.Contains(r.errs[0], "page limit of 5 reached; 6 URLs not visited") {
		t.Errorf("with max_pages 5: %d articles, stats %+v, errors %q", len(mem.byID), r.stats, r.errs)
	}
	opt.MaxPages = 0
	r = crawlInto(t, opt, dir, mem, site.URL+"/sitemap.xml")
	if len(mem.byID) != len(site.Articles) || r.stats.New != len(site.Articles)-2 || r.stats.Unchanged != 2 {
		t.Errorf("the next crawl: %d articles, stats %+v", len(mem.byID), r.stats)
	}

	opt.MaxDepth = 1 // the sitemaps of the index, not the pages they list
	before := len(site.Hits())
	r = crawlInto(t, opt, t.TempDir(), newMemory(), site.URL+"/sitemap.xml")
	var paths []string
	for _, h := range site.Hits()[before:] {
		paths = append(paths, h.Path)
	}
	slices.Sort(paths)
	if fmt.Sprint(paths) != "[/robots.txt /sitemap-news.xml.gz /sitemap-pages.xml /sitemap.xml]" || r.stats.New != 0 {
		t.Errorf("with max_depth 1: requests %v, stats %+v", paths, r.stats)
	}
}
