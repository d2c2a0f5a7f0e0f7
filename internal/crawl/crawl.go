// Package crawl is Folio's polite crawler. Given start URLs it tells
// what each is — a feed, a sitemap, a listing page or an article page —
// follows sitemaps, feeds and the article links of listing pages on the
// same host, within depth and page limits, and yields the articles it
// finds for the ingest step:
//
//	start URLs → crawl (fetch, sniff, follow) → ingest.Run → Crawler.Writer(engine)
//
// It honours robots.txt, limits the rate and concurrency of requests to
// each host, refuses private addresses unless allowed, and keeps a
// durable state (URL → ETag, Last-Modified, content hash, tags) in the
// data dir, so that an unchanged page is not ingested twice and a crawl
// killed at any point resumes without loss.
//
// How pages become articles is not its business: Options.Extract,
// Options.Links and Options.Canonical do that.
package crawl

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/corpus/feed"
	"github.com/folio-search/folio/corpus/sitemap"
	"github.com/folio-search/folio/internal/ingest"
)

// Options configure a Crawler. Extract, Links and Canonical are required.
type Options struct {
	UserAgent    string        // sent with every request and matched against robots.txt; should name a contact
	Rate         float64       // requests per second to one host; 0 for no limit
	Concurrency  int           // requests in flight to one host; default 2
	MaxBodyBytes int64         // largest body read, before and after gzip; default 10 MiB
	Timeout      time.Duration // of one request, body included; default 30s
	MaxRedirects int           // default 5
	MaxPages     int           // documents fetched in one crawl; 0 for no limit
	MaxDepth     int           // hops from a start URL; default 3
	AllowPrivate bool          // allow loopback and private-network addresses
	// Retries of a request answered 5xx or 429 (or lost in the network),
	// waiting RetryBase, then twice that and so on, or what Retry-After
	// says, but never longer than MaxRetryAfter; defaults 3, 1s and 1m.
	Retries       int
	RetryBase     time.Duration
	MaxRetryAfter time.Duration

	// Extract reads an article page into an article whose URL is the
	// page's canonical URL.
	Extract func(pageURL string, body []byte, contentType string) (corpus.Article, error)
	// Links lists the article links of a listing page on its own host.
	Links func(pageURL string, body []byte) []string
	// Canonical removes tracking parameters and the fragment from a URL.
	Canonical func(raw string) string
	// ID names an article by its canonical URL; default URLID. It should
	// be the naming Extract uses, so that a story read from a feed and
	// from its page is one article.
	ID func(canonicalURL string) string

	// OnProgress, if set, sees the totals after each URL, one call at a time.
	OnProgress func(Stats)
}

// Error is a URL the crawl skipped (by policy: robots.txt, a PDF) or
// failed to read (with the reason); the crawl goes on without it.
type Error struct {
	URL     string
	Reason  string
	Skipped bool
	// Transient failures (the network, 5xx) may pass: the feed, sitemap
	// or listing that led to the URL is read again by the next crawl.
	Transient bool
}

func (e *Error) Error() string {
	what := "failed"
	if e.Skipped {
		what = "skipped"
	}
	if e.URL == "" {
		return what + ": " + e.Reason
	}
	return e.URL + ": " + what + ": " + e.Reason
}

// Stats counts what a crawl did.
type Stats struct {
	Fetched     int // documents fetched whole (200)
	NotModified int // conditional requests answered 304
	New         int // articles yielded that the state did not know
	Changed     int // articles yielded whose content or tags changed
	Unchanged   int // articles not yielded: 304, or the same content
	Skipped     []*Error
	Failed      []*Error
	Left        int // URLs not visited for the page limit
}

// Crawler crawls with one configuration and one state. Crawl, then write
// what it yields through Writer, then call Finish.
type Crawler struct {
	opt Options
	f   *fetcher
	st  *State

	mu         sync.Mutex
	stats      Stats
	pending    map[string][]pendingRecord // by article ID: state to record once written
	containers map[string]Record          // feeds, sitemaps and listings read in this crawl
	parents    map[string]string          // URL → the URL that led to it
	incomplete map[string]bool            // containers with a URL that was not read
	truncated  bool                       // the page limit cut the crawl short
}

type pendingRecord struct {
	rec    Record
	parent string
}

// New checks opt, fills in defaults and returns a Crawler that keeps its
// state in st.
func New(opt Options, st *State) (*Crawler, error) {
	if opt.Extract == nil || opt.Links == nil || opt.Canonical == nil {
		return nil, errors.New("crawl: Options.Extract, Links and Canonical are required")
	}
	if strings.TrimSpace(opt.UserAgent) == "" {
		return nil, errors.New("crawl: a User-Agent is required")
	}
	if opt.Rate < 0 || opt.Concurrency < 0 || opt.MaxBodyBytes < 0 || opt.MaxPages < 0 || opt.MaxDepth < 0 || opt.MaxRedirects < 0 {
		return nil, errors.New("crawl: limits must not be negative")
	}
	opt.Concurrency = cmp.Or(opt.Concurrency, 2)
	opt.MaxBodyBytes = cmp.Or(opt.MaxBodyBytes, 10<<20)
	opt.Timeout = cmp.Or(opt.Timeout, 30*time.Second)
	opt.MaxRedirects = cmp.Or(opt.MaxRedirects, 5)
	opt.MaxDepth = cmp.Or(opt.MaxDepth, 3)
	opt.Retries = cmp.Or(opt.Retries, 3)
	opt.RetryBase = cmp.Or(opt.RetryBase, time.Second)
	opt.MaxRetryAfter = cmp.Or(opt.MaxRetryAfter, time.Minute)
	if opt.ID == nil {
		opt.ID = URLID
	}
	c := &Crawler{opt: opt, st: st, pending: map[string][]pendingRecord{},
		containers: map[string]Record{}, parents: map[string]string{}, incomplete: map[string]bool{}}
	c.f = newFetcher(&c.opt)
	return c, nil
}

// URLID names an article by its canonical URL.
func URLID(canonicalURL string) string {
	h := sha256.Sum256([]byte(canonicalURL))
	return "u" + hex.EncodeToString(h[:])[:15]
}

// Stats returns the totals so far.
func (c *Crawler) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Skipped, s.Failed = slices.Clone(s.Skipped), slices.Clone(s.Failed)
	return s
}

// Writer wraps an engine's writer: once a batch is written, the state of
// its articles is recorded, and not before, so that a crash between the
// two costs a refetch, never an article.
func (c *Crawler) Writer(w ingest.Writer) ingest.Writer {
	return ingest.WriterFunc(func(ctx context.Context, batch []corpus.Article) error {
		if err := w.WriteBatch(ctx, batch); err != nil {
			return err
		}
		var recs []Record
		c.mu.Lock()
		for _, a := range batch {
			for _, p := range c.pending[a.ID] {
				recs = append(recs, p.rec)
			}
			delete(c.pending, a.ID)
		}
		c.mu.Unlock()
		return c.st.Put(recs...)
	})
}

// Finish records the state of the feeds, sitemaps and listing pages of
// the crawl, so that the next one can ask for them conditionally. Call
// it once everything yielded is written. A container with a URL that
// failed, was cut by the page limit or is not written yet is not
// recorded: the next crawl reads it again and retries what it lists.
func (c *Crawler) Finish() error {
	c.mu.Lock()
	if c.truncated {
		c.mu.Unlock()
		return nil
	}
	for _, ps := range c.pending {
		for _, p := range ps {
			c.markIncomplete(p.parent)
		}
	}
	var recs []Record
	for u, r := range c.containers {
		if !c.incomplete[u] {
			recs = append(recs, r)
		}
	}
	c.mu.Unlock()
	return c.st.Put(recs...)
}

// markIncomplete marks u and every container above it. c.mu is held.
func (c *Crawler) markIncomplete(u string) {
	for i := 0; u != "" && i < 100; i++ {
		c.incomplete[u] = true
		u = c.parents[u]
	}
}

// via is how a URL was found, which says what it is expected to be.
type via int

const (
	viaStart via = iota
	viaSitemap
	viaFeed
	viaListing
)

// task is a URL to visit.
type task struct {
	url       string // canonical
	depth     int
	parent    string
	via       via
	container bool // a start URL or a child sitemap: visited before articles
	hint      hint // what feeds and sitemaps said of it
}

// hint is what a feed or a news sitemap says of an article.
type hint struct {
	tags    []string
	title   string
	date    *time.Time
	authors []string
	content string // the whole text (HTML), when a feed carries it
}

func (h *hint) merge(o hint) {
	h.tags = union(h.tags, o.tags)
	h.title = cmp.Or(h.title, o.title)
	if h.date == nil {
		h.date = o.date
	}
	if len(h.authors) == 0 {
		h.authors = o.authors
	}
	h.content = cmp.Or(h.content, o.content)
}

// result is what visiting a task gave.
type result struct {
	t           task
	found       []task
	article     *corpus.Article
	rec         *Record // the state of the URL
	isContainer bool    // rec is a container's, recorded at Finish
	isNew       bool
	final       string // the canonical URL read, after redirects
	again       bool   // the article was yielded already in this crawl, or will be
	unchanged   bool
	err         *Error
}

type item struct {
	a   corpus.Article
	err error
}

// Crawl visits the start URLs and what they lead to, and yields each
// new or changed article once, and each skipped or failed URL as an
// *Error. Feeds, sitemaps and listing pages are read before articles,
// so that the tags every one of them gives an article are merged.
// Stopping the loop or ending ctx stops the crawl.
func (c *Crawler) Crawl(ctx context.Context, starts []string) iter.Seq2[corpus.Article, error] {
	return func(yield func(corpus.Article, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		out := make(chan item)
		go func() {
			defer close(out)
			c.run(ctx, starts, out)
		}()
		defer func() {
			cancel()
			for range out {
			}
		}()
		for it := range out {
			if !yield(it.a, it.err) {
				return
			}
		}
	}
}

func (c *Crawler) run(ctx context.Context, starts []string, out chan<- item) {
	send := func(it item) {
		select {
		case out <- it:
		case <-ctx.Done():
		}
	}
	var (
		seen        = map[string]*task{}
		containers  []*task
		articles    []*task
		results     = make(chan result)
		inflight    int
		ofContainer int // containers in flight
		pages       int
		yielded     = map[string]bool{}
		workers     = 8 * c.opt.Concurrency
	)
	add := func(t task) {
		if prev, ok := seen[t.url]; ok {
			prev.hint.merge(t.hint) // heard of again: more tags, if not yet visited
			return
		}
		p := &t
		seen[t.url] = p
		c.mu.Lock()
		if t.parent != "" {
			c.parents[t.url] = t.parent
		}
		c.mu.Unlock()
		if t.container {
			containers = append(containers, p)
		} else {
			articles = append(articles, p)
		}
	}
	for _, s := range starts {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			e := &Error{URL: s, Reason: "not an absolute http(s) URL", Skipped: true}
			c.fail(e)
			send(item{err: e})
			continue
		}
		add(task{url: c.opt.Canonical(s), via: viaStart, container: true})
	}
	for {
		for inflight < workers && ctx.Err() == nil {
			var t *task
			switch {
			case len(containers) > 0:
				t, containers = containers[0], containers[1:]
			case ofContainer == 0 && len(articles) > 0:
				t, articles = articles[0], articles[1:]
			}
			if t == nil {
				break
			}
			if t.hint.content == "" && c.opt.MaxPages > 0 && pages >= c.opt.MaxPages {
				c.mu.Lock()
				c.truncated = true
				c.stats.Left++
				c.mu.Unlock()
				continue
			}
			if t.hint.content == "" {
				pages++
			}
			inflight++
			if t.container {
				ofContainer++
			}
			go func(t task) { results <- c.visit(ctx, t) }(*t)
		}
		if inflight == 0 {
			break
		}
		r := <-results
		inflight--
		if r.t.container {
			ofContainer--
		}
		if ctx.Err() != nil {
			continue // cancelled: what is in flight ends with errors not worth reporting
		}
		for _, f := range r.found {
			add(f)
		}
		// Two URLs may be one article: one redirects to the other, or
		// its page names the same canonical URL. It is yielded and
		// counted once, and never from a redirect to a URL the crawl
		// reads itself, which may carry tags from feeds and sitemaps.
		r.again = r.article != nil && (yielded[r.article.ID] || (r.final != r.t.url && seen[r.final] != nil))
		c.record(r)
		if r.err != nil {
			send(item{err: r.err})
		}
		if r.article != nil && !r.again {
			yielded[r.article.ID] = true
			send(item{a: *r.article})
		}
		if c.opt.OnProgress != nil {
			c.opt.OnProgress(c.Stats())
		}
	}
	if left := c.Stats().Left; left > 0 {
		send(item{err: &Error{Reason: fmt.Sprintf("page limit of %d reached; %d URLs not visited", c.opt.MaxPages, left), Skipped: true}})
	}
}

// record counts a result and keeps what it says for the state.
func (c *Crawler) record(r result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case r.err != nil:
		if r.err.Skipped {
			c.stats.Skipped = append(c.stats.Skipped, r.err)
		} else {
			c.stats.Failed = append(c.stats.Failed, r.err)
		}
		if r.err.Transient {
			c.markIncomplete(r.t.parent) // may work next time; what is refused or broken will not
		}
		prev, _ := c.st.Get(r.t.url)
		prev.URL, prev.Seen, prev.Error = r.t.url, time.Now().UTC(), r.err.Reason
		c.st.Put(prev) // best effort: a lost error line loses nothing
	case r.isContainer:
		c.containers[r.t.url] = *r.rec
	case r.unchanged:
		c.stats.Unchanged++
		if r.rec != nil {
			c.st.Put(*r.rec)
		}
	case r.article != nil && r.again:
		// Counted when first yielded; this URL is accounted for now,
		// whether or not that version is written yet.
		c.st.Put(*r.rec)
		return
	case r.article != nil:
		if r.isNew {
			c.stats.New++
		} else {
			c.stats.Changed++
		}
	}
	if r.article != nil {
		c.pending[r.article.ID] = append(c.pending[r.article.ID], pendingRecord{*r.rec, r.t.parent})
	}
}

func (c *Crawler) fail(e *Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.Skipped {
		c.stats.Skipped = append(c.stats.Skipped, e)
	} else {
		c.stats.Failed = append(c.stats.Failed, e)
	}
}

// visit reads one URL: an article from a feed's whole content, or a
// fetched document of any kind.
func (c *Crawler) visit(ctx context.Context, t task) result {
	r := result{t: t}
	prev, known := c.st.Get(t.url)
	fetchedBefore := known && prev.Hash != "" && !prev.FromFeed
	if t.hint.content != "" && !fetchedBefore {
		a := corpus.Article{URL: t.url, Body: htmlText(t.hint.content)}
		return c.judge(r, a, prev, known, Record{URL: t.url, FromFeed: true})
	}
	if known && prev.FromFeed && prev.Error == "" && subset(t.hint.tags, prev.Tags) {
		// Read whole from a feed before; its page would only make it
		// differ by the route taken.
		prev.Seen = time.Now().UTC()
		r.unchanged, r.rec = true, &prev
		return r
	}
	var cond *Record
	if known && prev.Error == "" && (prev.ETag != "" || prev.LastModified != "") && subset(t.hint.tags, prev.Tags) {
		cond = &prev // with new tags to merge, the page is needed again
	}
	child := func(u string, v via, container bool, h hint) {
		if t.depth+1 > c.opt.MaxDepth {
			return
		}
		r.found = append(r.found, task{url: c.opt.Canonical(u), depth: t.depth + 1, parent: t.url, via: v, container: container, hint: h})
	}
	resp, err := c.f.get(ctx, t.url, cond)
	if err != nil {
		r.err = &Error{URL: t.url, Reason: err.Error()}
		var fe *fetchError
		if errors.As(err, &fe) {
			r.err.Skipped, r.err.Transient = fe.skip, fe.transient
		}
		return r
	}
	c.mu.Lock()
	if resp.NotModified {
		c.stats.NotModified++
	} else {
		c.stats.Fetched++
	}
	c.mu.Unlock()
	if resp.NotModified {
		// An unchanged sitemap index may list sitemaps that changed.
		for _, u := range prev.Children {
			child(u, viaSitemap, true, hint{})
		}
		r.unchanged = !t.container && t.via != viaStart
		if r.unchanged {
			prev.Seen = time.Now().UTC()
			r.rec = &prev
		}
		return r
	}
	rec := Record{URL: t.url, ETag: resp.ETag, LastModified: resp.LastModified, Seen: time.Now().UTC()}
	r.final = c.opt.Canonical(resp.URL)
	k, media := sniff(resp.ContentType, resp.Body)
	container := func() result {
		sum := sha256.Sum256(resp.Body)
		rec.Hash = hex.EncodeToString(sum[:])
		r.rec, r.isContainer = &rec, true
		return r
	}
	switch k {
	case kindOther:
		r.err = &Error{URL: t.url, Reason: "not a page Folio reads: " + cmp.Or(media, "unknown content type"), Skipped: true}
		return r
	case kindSitemap:
		sm, err := sitemap.Parse(resp.URL, resp.Body)
		if err != nil {
			r.err = &Error{URL: t.url, Reason: "sitemap: " + err.Error()}
			return r
		}
		for _, s := range sm.Sitemaps {
			child(s.Loc, viaSitemap, true, hint{})
			rec.Children = append(rec.Children, c.opt.Canonical(s.Loc))
		}
		for _, u := range sm.URLs {
			var h hint
			if n := u.News; n != nil {
				h = hint{tags: n.Keywords, title: n.Title, date: n.Date}
			}
			child(u.Loc, viaSitemap, false, h)
		}
		return container()
	case kindFeed:
		entries, err := feed.Parse(resp.URL, resp.Body)
		if err != nil {
			r.err = &Error{URL: t.url, Reason: "feed: " + err.Error()}
			return r
		}
		for _, e := range entries {
			h := hint{tags: e.Tags, title: e.Title, date: e.Date, authors: e.Authors}
			if !e.ContentIsSummary {
				h.content = e.Content
			}
			child(e.URL, viaFeed, false, h)
		}
		return container()
	}
	// An HTML page: a listing when it does not say it is an article and
	// links to several on its host; an article otherwise.
	if t.via == viaStart || t.via == viaListing {
		if !markedArticle(resp.Body) {
			if links := c.opt.Links(resp.URL, resp.Body); len(links) >= 2 {
				for _, l := range links {
					child(l, viaListing, false, hint{})
				}
				return container()
			}
		}
	}
	a, err := c.opt.Extract(resp.URL, resp.Body, resp.ContentType)
	if err != nil {
		r.err = &Error{URL: t.url, Reason: "article: " + err.Error()}
		return r
	}
	return c.judge(r, a, prev, known, rec)
}

// judge completes an article with what feeds and sitemaps said of it and
// the tags found before, and decides whether it is new, changed or not.
func (c *Crawler) judge(r result, a corpus.Article, prev Record, known bool, rec Record) result {
	h := r.t.hint
	a.URL = c.opt.Canonical(cmp.Or(a.URL, r.t.url))
	a.ID = c.opt.ID(a.URL)
	a.Title = cmp.Or(a.Title, h.title)
	if a.Date == nil {
		a.Date = h.date
	}
	a.Author = cmp.Or(a.Author, strings.Join(h.authors, ", "))
	a.Tags = union(union(a.Tags, h.tags), prev.Tags)
	if a.Source == "" {
		if u, err := url.Parse(a.URL); err == nil {
			a.Source = u.Hostname()
		}
	}
	rec.Tags, rec.Hash, rec.Seen = a.Tags, articleHash(a), time.Now().UTC()
	r.rec = &rec
	if known && prev.Hash == rec.Hash {
		r.unchanged = true
		return r
	}
	r.article, r.isNew = &a, !known || prev.Hash == ""
	return r
}

// articleHash is the hash of what Folio indexes of an article.
func articleHash(a corpus.Article) string {
	b, _ := json.Marshal(a)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// union appends the tags of b missing from a, case-insensitively, in
// order.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, t := range b {
		if !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, t) }) {
			out = append(out, t)
		}
	}
	return out
}

func subset(a, b []string) bool {
	return len(union(b, a)) == len(b)
}
