package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// latencies: the smallest value that at least p% of them do not exceed.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Cell is the measurement of one query class at one concurrency on one
// engine.
type Cell struct {
	Engine  string  `json:"engine"`
	Class   string  `json:"class"`
	Clients int     `json:"clients"`
	Queries int     `json:"queries"` // completed
	Errors  int     `json:"errors"`
	Capped  bool    `json:"capped"` // the time cap ended the cell before all its queries were sent
	Cut     int     `json:"cut"`    // queries still unanswered at twice the cap, left out
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	P99     float64 `json:"p99_ms"`
	QPS     float64 `json:"qps"`
	// CPUPerQuery is the serving process's CPU time per completed query
	// (ms): what the engine costs, whatever else the machine is doing.
	CPUPerQuery float64 `json:"server_cpu_ms_per_query"`
	FirstErr    string  `json:"first_error,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// answer is the part of a search response the benchmark reads; both
// engines answer with these keys.
type answer struct {
	Total uint64            `json:"total"`
	Hits  []json.RawMessage `json:"hits"`
}

// fetch runs one query and returns its total. The whole body is read and
// decoded, as a client would.
func fetch(ctx context.Context, c *http.Client, url string) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, bytes.TrimSpace(body))
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return 0, fmt.Errorf("bad answer: %w", err)
	}
	return a.Total, nil
}

// Totals runs every URL once, one at a time (which also warms the engine
// up), and returns each total; -1 marks an error or a URL left out when
// the time cap was reached.
func Totals(ctx context.Context, c *http.Client, urls []string, limit time.Duration) ([]int64, error) {
	out := make([]int64, len(urls))
	deadline := time.Now().Add(limit)
	var firstErr error
	for i, u := range urls {
		out[i] = -1
		if time.Now().After(deadline) {
			continue
		}
		n, err := fetch(ctx, c, u)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", u, err)
			}
			continue
		}
		out[i] = int64(n)
	}
	return out, firstErr
}

// Load runs at least count queries (cycling through urls, and at least
// eight per client) with the given number of concurrent clients, each
// sending its next query as soon as the last one is answered. After limit
// no new query is sent, but those under way are waited for (up to another
// limit) and counted: cutting them off would drop exactly the slow ones
// from the percentiles.
func Load(ctx context.Context, c *http.Client, urls []string, clients, count int, limit time.Duration) Cell {
	count = max(count, 8*clients)
	var (
		next     atomic.Int64
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, count)
		errs     int
		cut      int
		firstErr string
		capped   atomic.Bool
	)
	issue, cancelIssue := context.WithTimeout(ctx, limit)
	defer cancelIssue()
	hard, cancelHard := context.WithTimeout(ctx, 2*limit)
	defer cancelHard()
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= count {
					return
				}
				if issue.Err() != nil {
					capped.Store(true)
					return
				}
				t0 := time.Now()
				_, err := fetch(hard, c, urls[i%len(urls)])
				d := time.Since(t0)
				mu.Lock()
				switch {
				case err == nil:
					lat = append(lat, d)
				case hard.Err() != nil:
					cut++
				default:
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	slices.Sort(lat)
	return Cell{
		Clients: clients, Queries: len(lat), Errors: errs, Cut: cut, Capped: capped.Load(), FirstErr: firstErr,
		P50: ms(Percentile(lat, 50)), P95: ms(Percentile(lat, 95)), P99: ms(Percentile(lat, 99)),
		QPS: float64(len(lat)) / wall.Seconds(),
	}
}

// newClient is an HTTP client that keeps a connection per concurrent
// client alive, so that latency is the engine's and not TCP setup's.
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: 5 * time.Minute}
}
