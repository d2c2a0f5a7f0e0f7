package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// fetcher makes the crawler's HTTP requests: one client whose dialer
// refuses private addresses, a rate limiter, a concurrency limit and the
// robots.txt rules of each host, conditional requests, gzip, size limits
// and retries.
type fetcher struct {
	opt    *Options
	client *http.Client
	mu     sync.Mutex
	hosts  map[string]*host
}

// host is what the fetcher keeps per host (host:port).
type host struct {
	limiter *rate.Limiter
	slots   chan struct{}
	once    sync.Once
	robots  *robotstxt.Group
	err     error // why robots.txt could not be read
}

// response is a completed fetch: a body (status 200) or NotModified.
type response struct {
	URL          string // after redirects
	NotModified  bool
	ContentType  string
	Body         []byte
	ETag         string
	LastModified string
}

func newFetcher(opt *Options) *fetcher {
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the address check
		DialContext:           guardedDialer(opt.AllowPrivate).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   opt.Concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opt.Timeout,
	}
	f := &fetcher{opt: opt, hosts: map[string]*host{}}
	f.client = &http.Client{Transport: tr, Timeout: opt.Timeout, CheckRedirect: f.checkRedirect}
	return f
}

func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return &fetchError{reason: "redirect to a URL that is not http(s): " + req.URL.String()}
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			chain := make([]string, 0, len(via)+1)
			for _, v := range via {
				chain = append(chain, v.URL.String())
			}
			return &fetchError{reason: "redirect loop: " + strings.Join(append(chain, req.URL.String()), " → ")}
		}
	}
	if len(via) > f.opt.MaxRedirects {
		return &fetchError{reason: fmt.Sprintf("more than %d redirects", f.opt.MaxRedirects)}
	}
	return nil
}

func (f *fetcher) host(u *url.URL) *host {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[u.Host]
	if h == nil {
		limit := rate.Inf
		if f.opt.Rate > 0 {
			limit = rate.Limit(f.opt.Rate)
		}
		h = &host{limiter: rate.NewLimiter(limit, 1), slots: make(chan struct{}, f.opt.Concurrency)}
		f.hosts[u.Host] = h
	}
	return h
}

// allowed reads the host's robots.txt once and tests u against the group
// for the crawler's User-Agent.
func (f *fetcher) allowed(ctx context.Context, u *url.URL) error {
	h := f.host(u)
	h.once.Do(func() {
		robotsURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
		status, body, err := f.robots(ctx, h, robotsURL)
		if err != nil {
			h.err = fmt.Errorf("robots.txt unreadable, so not crawled: %v", err)
			return
		}
		if status >= 500 || status == http.StatusTooManyRequests {
			h.err = fmt.Errorf("robots.txt answered HTTP %d, so the host is not crawled until it answers", status)
			return
		}
		data, err := robotstxt.FromStatusAndBytes(status, body)
		if err != nil {
			h.err = fmt.Errorf("robots.txt unparseable, so not crawled: %v", err)
			return
		}
		h.robots = data.FindGroup(f.opt.UserAgent)
		if d := h.robots.CrawlDelay; d > 0 && (f.opt.Rate <= 0 || d > time.Duration(float64(time.Second)/f.opt.Rate)) {
			h.limiter.SetLimit(rate.Every(min(d, time.Minute)))
		}
	})
	if h.err != nil {
		return &fetchError{reason: h.err.Error(), skip: true, transient: true}
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if !h.robots.Test(p) {
		return &fetchError{reason: "robots.txt disallows it", skip: true}
	}
	return nil
}

// robots fetches robots.txt: its status and body (a missing file, 4xx,
// allows everything; 5xx disallows everything, as the library decides).
func (f *fetcher) robots(ctx context.Context, h *host, robotsURL string) (int, []byte, error) {
	if err := h.limiter.Wait(ctx); err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 500<<10)) // Google reads 500 KiB of it
	return resp.StatusCode, body, err
}

// get fetches rawURL, politely, retrying 5xx and 429 answers. With prev
// set, the request is conditional on its ETag and Last-Modified.
func (f *fetcher) get(ctx context.Context, rawURL string, prev *Record) (*response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &fetchError{reason: "invalid URL: " + err.Error(), skip: true}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &fetchError{reason: "not an http(s) URL", skip: true}
	}
	if err := f.allowed(ctx, u); err != nil {
		return nil, err
	}
	h := f.host(u)
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := f.once(ctx, h, u, prev)
		if err == nil || retryAfter < 0 || attempt >= f.opt.Retries {
			if err != nil && retryAfter >= 0 && attempt > 0 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt+1)
			}
			return resp, err
		}
		wait := f.opt.RetryBase * time.Duration(math.Pow(2, float64(attempt)))
		if retryAfter > 0 {
			wait = retryAfter
		}
		if wait > f.opt.MaxRetryAfter {
			return nil, fmt.Errorf("%w; server asks to wait %s, longer than %s", err, wait, f.opt.MaxRetryAfter)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// once makes one request. retryAfter is negative when the error is not
// worth retrying, positive when the server said how long to wait.
func (f *fetcher) once(ctx context.Context, h *host, u *url.URL, prev *Record) (_ *response, retryAfter time.Duration, _ error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, -1, ctx.Err()
	}
	defer func() { <-h.slots }()
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, -1, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand, so that Folio decodes it and sees truncation
	if prev != nil {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var e *fetchError
		var p *privateError
		switch {
		case errors.As(err, &e):
			return nil, -1, e
		case errors.As(err, &p):
			return nil, -1, &fetchError{reason: p.Error(), skip: true}
		case ctx.Err() != nil:
			return nil, -1, ctx.Err()
		}
		return nil, 0, &fetchError{reason: err.Error(), transient: true} // network trouble may pass
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return &response{URL: resp.Request.URL.String(), NotModified: true}, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, parseRetryAfter(resp.Header.Get("Retry-After")), &fetchError{reason: "HTTP " + resp.Status, transient: true}
	case resp.StatusCode != http.StatusOK:
		return nil, -1, &fetchError{reason: "HTTP " + resp.Status}
	}
	body, err := f.read(resp)
	if err != nil {
		return nil, -1, err
	}
	return &response{
		URL: resp.Request.URL.String(), ContentType: resp.Header.Get("Content-Type"), Body: body,
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
	}, 0, nil
}

// read reads a body of at most MaxBodyBytes, before and after gzip.
func (f *fetcher) read(resp *http.Response) ([]byte, error) {
	max := f.opt.MaxBodyBytes
	over := &fetchError{reason: fmt.Sprintf("body over the size limit of %d bytes", max)}
	if resp.ContentLength > max {
		return nil, over
	}
	var r io.Reader = resp.Body
	gz := strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip")
	if gz {
		zr, err := gzip.NewReader(io.LimitReader(resp.Body, max+1))
		if err != nil {
			return nil, &fetchError{reason: "bad gzip encoding: " + err.Error()}
		}
		r = zr
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, max+1))
	switch {
	case n > max:
		return nil, over
	case gz && errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &fetchError{reason: "truncated gzip"}
	case err != nil:
		return nil, &fetchError{reason: "reading the body: " + err.Error(), transient: true}
	}
	return buf.Bytes(), nil
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date; 0 when
// absent or unreadable.
func parseRetryAfter(s string) time.Duration {
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 {
		return max(time.Duration(n)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(time.Until(t), time.Millisecond)
	}
	return 0
}

// fetchError is why a fetch did not give a document; skip marks refusals
// by policy (robots.txt, not http) rather than failures, transient the
// failures that may pass (the network, 5xx after the retries).
type fetchError struct {
	reason    string
	skip      bool
	transient bool
}

func (e *fetchError) Error() string { return e.reason }
