package server_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/server"
)

// The soak: 32 clients send a bounded number of mixed requests to a real
// server on loopback while an admin ingest adds articles to the same index
// in batches. A share of the searches are hostile: queries built to cost
// as much as the language allows. Nothing may fail (no 5xx, no 503, no
// unexpected 4xx), no search may take longer than search.timeout, and no
// total may be wrong: what was there before the ingest keeps its exact
// totals and facets, and what the ingest adds is always seen in whole
// batches, never shrinking. FOLIO_SOAK_REQUESTS=20000 for the full run.
//
// On a machine that other work starves of CPU (a load average above twice
// its cores when the answer comes), a search that times out, an export
// turned away for want of a slot, or a search slower than search.timeout
// is the server shedding load as it should: those are counted and logged,
// not failed. Wrong totals, other 5xx and bad bodies fail whatever the load.

const (
	soakBatch    = 50  // ingest.batch_size during the soak
	soakPerPost  = 200 // articles per POST /api/ingest: whole batches
	soakReuters  = 2000
	soakDeadline = 5 * time.Minute
)

// costlyQueries are the shapes that once held a search slot for seconds or
// for good: repeated words with slop, stop words with slop, storms of
// fuzzy words and of short prefixes, and deep trees of phrases.
var costlyQueries = func() []string {
	var fuzzy30, fuzzy90, prefixes, deep []string
	words := strings.Fields("market prices trade coffee bank oil company shares said billion")
	for i := range 90 {
		w := words[i%len(words)]
		if i < 30 {
			fuzzy30 = append(fuzzy30, w+"~2")
		}
		fuzzy90 = append(fuzzy90, w[:len(w)-i%3]+"~2")
	}
	for i := range 50 {
		prefixes = append(prefixes, string(rune('a'+i%26))+string(rune('a'+i*7%26))+"*")
	}
	tree := `"crude oil"`
	for i := range 40 {
		tree = fmt.Sprintf(`(%q OR %s)`, words[i%len(words)]+" "+words[(i+3)%len(words)], tree)
	}
	deep = append(deep, tree)
	return []string{
		`"` + strings.TrimSpace(strings.Repeat("the ", 20)) + `"~100`,
		`"the of to and in a said for on it"~100`,
		strings.Join(fuzzy30, " OR "),
		strings.Join(fuzzy90, " OR "),
		strings.Join(prefixes, " OR "),
		deep[0],
		`"` + strings.TrimSpace(strings.Repeat("said the ", 10)) + `"~50 ` + strings.Repeat("a* ", 20),
	}
}()

func soakEnv(t *testing.T, name string, def int) int {
	if s := os.Getenv(name); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", name, s)
		}
		return n
	}
	return def
}

// soakWords are the ingested articles' vocabulary: words no pre-loaded
// article has, so that known answers stay known.
var soakWords = strings.Fields("zorblax trelling mubbo yantic drovel fennix guldra hopsin")

// soakArticle is ingested article i. Which of them hold "quenty" and the
// phrase "vimbrel oskado", and their group tag, follow from i, so the
// right total after any number of whole batches can be counted.
func soakArticle(i int) string {
	var b strings.Builder
	for k := range 60 {
		b.WriteString(soakWords[(i*7+k*3)%len(soakWords)])
		b.WriteString(" ")
	}
	if i%3 == 0 {
		b.WriteString("quenty ")
	}
	if i%4 == 1 {
		b.WriteString("vimbrel oskado. ")
	}
	rec, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("soak-%05d", i), "title": fmt.Sprintf("Zorblax bulletin %d", i),
		"date": time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
		"tags": []string{"soak", fmt.Sprintf("soakgroup%d", i%5)}, "body": strings.TrimSpace(b.String()),
	})
	return string(rec)
}

// growing is a query over the ingested articles: its total must always be
// the count after some whole number of batches.
type growing struct {
	path    string
	offset  int // articles matched outside the ingest (pre-loaded)
	matches func(i int) bool
	allowed map[int]bool
}

func (g *growing) build(total int) {
	g.allowed = map[int]bool{g.offset: true}
	n := g.offset
	for i := range total {
		if g.matches(i) {
			n++
		}
		if (i+1)%soakBatch == 0 || i+1 == total {
			g.allowed[n] = true
		}
	}
}

// known is a query over the pre-loaded articles only: its answer was
// taken before the ingest began and must never change.
type known struct {
	path   string
	total  int
	facets string // tag and date facets, as JSON
	first  string // first page's IDs, when the order is by date
	chain  string // every ID through the after cursor, sorted
}

type soakResult struct {
	Total  int                          `json:"total"`
	Hits   []struct{ ID string }        `json:"hits"`
	Facets map[string][]json.RawMessage `json:"facets"`
	Next   *string                      `json:"next"`
}

// soak holds the counters and findings of one run.
type soak struct {
	t        *testing.T
	deadline time.Duration // search.timeout: no search may take longer
	base     string
	client   *http.Client
	issued   atomic.Int64
	budget   int64
	stop     atomic.Bool
	mu       sync.Mutex
	lat      []time.Duration
	status   map[int]int
	fails    map[string]int // kind of failure → count
	// tolerated counts what a starved machine excuses (starved), by kind.
	tolerated map[string]int
	samples   []string
}

// starved reports a machine whose load average (over a minute) is above
// twice its cores: other work takes the CPU the soak's server needs.
func starved() bool {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return false
	}
	load, err := strconv.ParseFloat(f[0], 64)
	return err == nil && load > 2*float64(runtime.NumCPU())
}

// tolerate counts what a starved machine excuses.
func (s *soak) tolerate(kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tolerated[kind]++
}

func (s *soak) fail(kind, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[kind]++
	if len(s.samples) < 30 {
		s.samples = append(s.samples, kind+": "+fmt.Sprintf(format, args...))
	}
}

// do sends one request and checks its status is one of want; it returns
// the body, or nil when the request failed.
func (s *soak) do(method, path, token string, body io.Reader, want ...int) (*http.Response, []byte) {
	s.issued.Add(1)
	req, _ := http.NewRequest(method, s.base+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		s.fail("transport", "%s %s: %v", method, path, err)
		return nil, nil
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	s.mu.Lock()
	s.lat = append(s.lat, took)
	s.status[resp.StatusCode]++
	s.mu.Unlock()
	switch {
	case err != nil:
		s.fail("transport", "%s %s: body: %v", method, path, err)
		return nil, nil
	case resp.StatusCode == 503 && starved() && (strings.Contains(string(b), `"timeout"`) || strings.Contains(string(b), `"overloaded"`)):
		s.tolerate("503 on a starved machine")
		return nil, nil
	case resp.StatusCode == 503:
		s.fail("503", "%s %s after %v: %s", method, path, took.Round(time.Millisecond), b)
		return nil, nil
	case resp.StatusCode >= 500:
		s.fail("5xx", "%s %s: %d %s", method, path, resp.StatusCode, b)
		return nil, nil
	case !slices.Contains(want, resp.StatusCode):
		s.fail("unexpected status", "%s %s: %d, want %v: %.200s", method, path, resp.StatusCode, want, b)
		return nil, nil
	case resp.StatusCode >= 400 && (!json.Valid(b) || !strings.Contains(string(b), `"code"`) || leak.Match(b)):
		s.fail("error body", "%s %s: %d %.200s", method, path, resp.StatusCode, b)
		return nil, nil
	case strings.HasPrefix(path, "/api/search") && took > s.deadline && starved():
		s.tolerate("slow search on a starved machine")
	case strings.HasPrefix(path, "/api/search") && took > s.deadline:
		s.fail("slow search", "%s %.120s took %v, over search.timeout (%v)", method, path, took.Round(time.Millisecond), s.deadline)
	}
	return resp, b
}

func (s *soak) search(path string) *soakResult {
	resp, b := s.do("GET", path, "", nil, 200)
	if resp == nil {
		return nil
	}
	var r soakResult
	if err := json.Unmarshal(b, &r); err != nil {
		s.fail("bad json", "%s: %v", path, err)
		return nil
	}
	return &r
}

// chain pages through every hit of path with the after cursor and
// returns the sorted IDs, or "" when a page failed.
func (s *soak) chain(path string) (string, bool) {
	var ids []string
	seen := map[string]bool{}
	r := s.search(path)
	for pages := 0; r != nil; pages++ {
		for _, h := range r.Hits {
			if seen[h.ID] {
				return "repeated " + h.ID, true
			}
			seen[h.ID] = true
			ids = append(ids, h.ID)
		}
		if r.Next == nil || pages > 500 {
			slices.Sort(ids)
			return strings.Join(ids, " "), true
		}
		r = s.search(path + "&after=" + url.QueryEscape(*r.Next))
	}
	return "", false
}

func facetKey(r *soakResult) string {
	b, _ := json.Marshal(map[string]any{"tag": r.Facets["tag"], "date": r.Facets["date"]})
	return string(b)
}

func firstIDs(r *soakResult) string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return strings.Join(ids, " ")
}

// soakIndex builds the pre-loaded index: the bundled sample and a slice
// of Reuters (or generated articles when the corpora are absent), without
// entity extraction, which would only slow the set-up.
func soakIndex(t *testing.T) (*index.Index, bool) {
	dir := t.TempDir()
	paths := []string{"bundled"}
	reuters := false
	if data, err := os.ReadFile("../../../shared/corpora/reuters21578/reuters21578.jsonl"); err == nil {
		lines := strings.SplitN(string(data), "\n", soakReuters+1)
		os.WriteFile(filepath.Join(dir, "reuters.jsonl"), []byte(strings.Join(lines[:soakReuters], "\n")), 0o644)
		paths = append(paths, filepath.Join(dir, "reuters.jsonl"))
		reuters = true
	} else {
		var b strings.Builder
		topics := []string{"coffee", "cocoa", "oil", "gas", "grain", "wheat", "bank", "trade"}
		for i := range soakReuters {
			topic := topics[i%len(topics)]
			fmt.Fprintf(&b, `{"id": "gen-%d", "date": "1987-03-%02dT10:00:00Z", "title": "%s prices move", "body": "The %s market said prices rose, and crude oil fell. Bank trade %d.", "tags": ["%s"]}`+"\n",
				i, 1+i%28, strings.ToUpper(topic), topic, i, topic)
		}
		os.WriteFile(filepath.Join(dir, "gen.jsonl"), []byte(b.String()), 0o644)
		paths = append(paths, filepath.Join(dir, "gen.jsonl"))
	}
	ix, _, err := index.Create(context.Background(), filepath.Join(dir, "index"), corpus.ReadPaths(paths), index.IngestOptions{
		OnError: func(err error) { t.Errorf("pre-load: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, reuters
}

func TestSoakSearchDuringIngest(t *testing.T) {
	requests := soakEnv(t, "FOLIO_SOAK_REQUESTS", 4000)
	clients := soakEnv(t, "FOLIO_SOAK_CLIENTS", 32)
	ingestN := soakEnv(t, "FOLIO_SOAK_INGEST", 2000)
	ingestN -= ingestN % soakPerPost
	if ingestN == 0 {
		ingestN = soakPerPost
	}

	setup := time.Now()
	ix, reuters := soakIndex(t)
	pre, _ := ix.Count(context.Background())
	const token = "soak-token"
	cfg := config.Default()
	cfg.Server.AdminToken = token
	cfg.Ingest.BatchSize = soakBatch
	// The soak's clients send wrong admin tokens from the address its
	// admin ingests from; TestAdminFailuresAreThrottled tests the limit.
	cfg.Server.AdminMaxFailures = 0
	srv, err := server.New(ix, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	s := &soak{t: t, base: ts.URL, deadline: cfg.Search.Timeout, budget: int64(requests), status: map[int]int{}, fails: map[string]int{}, tolerated: map[string]int{},
		client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 4}}}

	// Known answers, taken before the ingest. The phrase is in the bundled
	// sample only; the rest cover terms, phrases, boolean operators,
	// filters, facets, sorts, dates, prefixes, fuzzy terms and pages.
	knownPaths := []string{
		"/api/search?q=%22not+a+poor+man%22",
		"/api/search?q=aliyev&facet_size=50",
		"/api/search?q=coffee",
		"/api/search?q=coffee&sort=date&size=20",
		"/api/search?q=coffee&tag=coffee&facet_size=50",
		"/api/search?q=oil+OR+gas&sort=-date&page=2",
		"/api/search?q=%22crude+oil%22",
		"/api/search?q=tag%3Agrain+-wheat",
		"/api/search?q=title%3Aprices",
		"/api/search?q=%28coffee+OR+cocoa%29+price%2A",
		"/api/search?q=bank&from=1987-03-01&to=1987-03-10&sort=date",
		"/api/search?q=aliev~1",
		"/api/search?tag=coffee&sort=date",
		"/api/search?q=trade&size=100&facet_size=200",
	}
	var knowns []*known
	for _, p := range knownPaths {
		r := s.search(p)
		if r == nil {
			t.Fatalf("baseline %s: %v", p, s.samples)
		}
		k := &known{path: p, total: r.Total, facets: facetKey(r)}
		if strings.Contains(p, "sort=") {
			k.first = firstIDs(r)
		}
		knowns = append(knowns, k)
	}
	if knowns[0].total != 1 {
		t.Fatalf("the bundled phrase: %d hits, want 1", knowns[0].total)
	}
	if reuters && knowns[2].total < 20 {
		t.Fatalf("coffee in %d Reuters articles: %d hits", soakReuters, knowns[2].total)
	}
	// Cursor chains in date order must survive the ingest exactly. A chain
	// in relevance order is not checked here: scores depend on collection
	// statistics that the ingest changes, so a relevance cursor taken
	// before a batch may skip or repeat hits after it (README, "Paging").
	chains := []*known{{path: "/api/search?q=coffee&sort=-date&size=7"}, {path: "/api/search?q=oil&sort=-date&size=25"}, {path: "/api/search?tag=grain&sort=date&size=30"}}
	for _, c := range chains {
		c.chain, _ = s.chain(c.path)
		if strings.HasPrefix(c.chain, "repeated") || c.chain == "" {
			t.Fatalf("baseline chain %s: %s", c.path, c.chain)
		}
	}
	preIDs := []string{}
	if r := s.search("/api/search?q=coffee&size=50"); r != nil {
		for _, h := range r.Hits {
			preIDs = append(preIDs, h.ID)
		}
	}
	exportKnown := "/api/export?format=csv&q=coffee"

	growings := []*growing{
		{path: "/api/search?q=tag%3Asoak&size=5", matches: func(int) bool { return true }},
		{path: "/api/search?q=zorblax", matches: func(int) bool { return true }},
		{path: "/api/search?q=quenty&sort=-date", matches: func(i int) bool { return i%3 == 0 }},
		{path: "/api/search?q=%22vimbrel+oskado%22", matches: func(i int) bool { return i%4 == 1 }},
		{path: "/api/search?tag=soakgroup2&facet_size=20", matches: func(i int) bool { return i%5 == 2 }},
		{path: "/api/search?q=quenty+-%22vimbrel+oskado%22", matches: func(i int) bool { return i%3 == 0 && i%4 != 1 }},
		{path: "/api/search?size=1", offset: int(pre), matches: func(int) bool { return true }},
	}
	for _, g := range growings {
		g.build(ingestN)
	}
	everything := growings[0]
	t.Logf("set-up: %d articles pre-loaded (Reuters: %v) in %v", pre, reuters, time.Since(setup).Round(time.Millisecond))

	hostile := []struct {
		method, path string
		want         []int
	}{
		{"GET", "/api/search?q=x&size=1000", []int{400}},
		{"GET", "/api/search?q=x&size=-1", []int{400}},
		{"GET", "/api/search?q=x&size=ten", []int{400}},
		{"GET", "/api/search?q=x&page=0", []int{400}},
		{"GET", "/api/search?q=x&page=101", []int{400}},
		{"GET", "/api/search?q=x&facet_size=100000", []int{400}},
		{"GET", "/api/search?q=x&facet_size=-5", []int{400}},
		{"GET", "/api/search?q=" + strings.Repeat("y", 1001), []int{400}},
		{"GET", "/api/search?q=%FF%FE", []int{400}},
		{"GET", "/api/search?q=a%00b", []int{200, 400}},
		{"GET", "/api/search?q=x&after=garbage", []int{400}},
		{"GET", "/api/search?q=x&sort=bogus", []int{400}},
		{"GET", "/api/search?q=x&from=2024-13", []int{400}},
		{"GET", "/api/search?q=x&tag=", []int{400}},
		{"GET", "/api/search?q=%28%22unclosed", []int{400}},
		{"GET", "/api/search?q=x&size=10&size=20&page=1&page=2", []int{200}},
		{"GET", "/api/articles/does-not-exist", []int{404}},
		{"GET", "/api/nope", []int{404}},
		{"POST", "/api/search?q=x", []int{405}},
		{"GET", "/api/export?format=xml", []int{400}},
	}

	// The figures count from here.
	s.mu.Lock()
	s.issued.Store(0)
	s.lat, s.status = nil, map[int]int{}
	s.mu.Unlock()

	// The ingest: ingestN articles in POSTs of soakPerPost, paced over the
	// clients' request budget so that it overlaps the whole soak.
	posts := ingestN / soakPerPost
	ingestDone := make(chan struct{})
	var ingestErr atomic.Value
	go func() {
		defer close(ingestDone)
		for p := range posts {
			for s.issued.Load() < int64(requests)*int64(p)/int64(posts+1) && !s.stop.Load() {
				time.Sleep(5 * time.Millisecond)
			}
			var b strings.Builder
			for i := p * soakPerPost; i < (p+1)*soakPerPost; i++ {
				b.WriteString(soakArticle(i) + "\n")
				if i == p*soakPerPost+7 {
					b.WriteString(`{"id": "broken", "title": ` + "\n") // rejected; batches count valid records
				}
			}
			resp, body := s.do("POST", "/api/ingest", token, strings.NewReader(b.String()), 200)
			var out struct {
				Indexed  int
				Rejected []struct{ Line int }
			}
			if resp == nil || json.Unmarshal(body, &out) != nil || out.Indexed != soakPerPost || len(out.Rejected) != 1 || out.Rejected[0].Line != 9 {
				ingestErr.Store(fmt.Sprintf("POST %d: %s", p, body))
				return
			}
		}
	}()

	// The clients.
	start := time.Now()
	deadline := time.AfterFunc(soakDeadline, func() { s.stop.Store(true) })
	defer deadline.Stop()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 42))
			seen := map[string]int{} // this client's last total per growing query: never less
			for !s.stop.Load() && s.issued.Load() < s.budget {
				switch n := rng.IntN(100); {
				case n < 30: // a known answer
					k := knowns[rng.IntN(len(knowns))]
					if r := s.search(k.path); r != nil {
						if r.Total != k.total || facetKey(r) != k.facets || k.first != "" && firstIDs(r) != k.first {
							s.fail("wrong total", "%s: total %d (was %d), facets or first page changed", k.path, r.Total, k.total)
						}
					}
				case n < 52: // a query over what is being ingested
					g := growings[rng.IntN(len(growings))]
					if r := s.search(g.path); r != nil {
						if !g.allowed[r.Total] {
							s.fail("wrong total", "%s: total %d is not a whole number of batches", g.path, r.Total)
						}
						if r.Total < seen[g.path] {
							s.fail("wrong total", "%s: total %d after %d: it shrank", g.path, r.Total, seen[g.path])
						}
						seen[g.path] = r.Total
					}
				case n < 58: // every page of a known answer through the cursor
					ch := chains[rng.IntN(len(chains))]
					if got, ok := s.chain(ch.path); ok && got != ch.chain {
						s.fail("broken cursor chain", "%s: %.80s…, want %.80s…", ch.path, got, ch.chain)
					}
				case n < 70: // an article, pre-loaded or perhaps not yet ingested
					if rng.IntN(4) > 0 && len(preIDs) > 0 {
						s.do("GET", "/api/articles/"+url.PathEscape(preIDs[rng.IntN(len(preIDs))]), "", nil, 200)
					} else {
						s.do("GET", fmt.Sprintf("/api/articles/soak-%05d", rng.IntN(ingestN)), "", nil, 200, 404)
					}
				case n < 73: // an export
					if rng.IntN(2) == 0 {
						resp, b := s.do("GET", exportKnown, "", nil, 200)
						if resp != nil {
							rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
							if err != nil || len(rows)-1 != knowns[2].total || resp.Header.Get("X-Total-Count") != strconv.Itoa(knowns[2].total) {
								s.fail("wrong total", "export %s: %d rows, X-Total-Count %s, want %d (%v)", exportKnown, len(rows)-1, resp.Header.Get("X-Total-Count"), knowns[2].total, err)
							}
						}
					} else {
						resp, b := s.do("GET", "/api/export?format=jsonl&q=tag%3Asoak", "", nil, 200)
						if resp != nil {
							lines := 0
							for sc := bufio.NewScanner(strings.NewReader(string(b))); sc.Scan(); {
								lines++
							}
							h, _ := strconv.Atoi(resp.Header.Get("X-Total-Count"))
							switch {
							case !everything.allowed[h]:
								s.fail("wrong total", "export of the ingest: X-Total-Count %d is not a whole number of batches", h)
							case lines != h:
								// The export pages through the cursor, as a client does.
								s.fail("export rows", "export of the ingest: %d lines, X-Total-Count %d", lines, h)
							}
						}
					}
				case n < 78:
					resp, b := s.do("GET", "/healthz", "", nil, 200)
					var h struct{ Articles int }
					if resp != nil && (json.Unmarshal(b, &h) != nil || !everything.allowed[h.Articles-int(pre)]) {
						s.fail("wrong total", "healthz: %s", b)
					}
				case n < 80:
					s.do("GET", "/metrics", "", nil, 200)
				case n < 84: // a query built to cost all it can: answered or refused, never slow
					q := costlyQueries[rng.IntN(len(costlyQueries))]
					s.do("GET", "/api/search?q="+url.QueryEscape(q), "", nil, 200, 400)
				default: // hostile parameters, a wrong token
					if rng.IntN(10) == 0 {
						s.do("POST", "/api/ingest", "wrong-"+token, strings.NewReader(soakArticle(0)), 401)
						continue
					}
					h := hostile[rng.IntN(len(hostile))]
					s.do(h.method, h.path, "", nil, h.want...)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	<-ingestDone
	if s.stop.Load() {
		t.Errorf("the soak hit its %v deadline after %d requests", soakDeadline, s.issued.Load())
	}
	if e := ingestErr.Load(); e != nil {
		t.Errorf("admin ingest: %v", e)
	}

	// After the ingest: everything in, known answers unchanged.
	if r := s.search(everything.path); r == nil || r.Total != ingestN {
		t.Errorf("after the ingest, tag:soak finds %v, want %d", r, ingestN)
	}
	for _, k := range knowns {
		if r := s.search(k.path); r == nil || r.Total != k.total {
			t.Errorf("after the ingest, %s: %v, want %d", k.path, r, k.total)
		}
	}

	slices.Sort(s.lat)
	pct := func(p float64) time.Duration {
		return s.lat[int(p*float64(len(s.lat)-1))].Round(100 * time.Microsecond)
	}
	t.Logf("%d requests from %d clients in %v with %d articles ingested in %d POSTs: %.0f requests/s, p50 %v, p99 %v, max %v",
		len(s.lat), clients, elapsed.Round(time.Millisecond), ingestN, posts, float64(len(s.lat))/elapsed.Seconds(), pct(0.5), pct(0.99), s.lat[len(s.lat)-1].Round(time.Millisecond))
	fivexx := 0
	for code, n := range s.status {
		if code >= 500 {
			fivexx += n
		}
	}
	t.Logf("statuses %v: %d 5xx (%d of them 503); failures %v; tolerated under load %v", s.status, fivexx, s.status[503], s.fails, s.tolerated)
	for _, f := range s.samples {
		t.Error(f)
	}
	if len(s.fails) > 0 {
		t.Errorf("failures: %v", s.fails)
	}
}
