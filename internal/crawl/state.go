package crawl

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// StateFile is the name of the crawl state in the data dir.
const StateFile = "crawl-state.jsonl"

// Record is what the crawl state remembers of one URL.
type Record struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"hash,omitempty"` // of the article made from it, or of the body of a feed, sitemap or listing
	Tags         []string  `json:"tags,omitempty"` // every tag found for the article so far
	Seen         time.Time `json:"seen"`
	Error        string    `json:"error,omitempty"` // of the last attempt; "" when it succeeded
	// FromFeed marks an article made from a feed's whole text, its page
	// never fetched.
	FromFeed bool `json:"from_feed,omitempty"`
	// Children are the sitemaps a sitemap index lists, asked for again
	// (conditionally) when the index itself is unchanged.
	Children []string `json:"children,omitempty"`
}

// State is the durable crawl state: an append-only log of records, one
// JSON object a line, of which the last for a URL wins. A line is
// appended and synced only once what it describes is in the index, so a
// process killed at any point leaves a state that is true, if behind; a
// line cut by the kill is ignored when the log is read back.
type State struct {
	mu   sync.Mutex
	path string
	f    *os.File
	m    map[string]Record
}

// OpenState reads the state in dir, rewrites it compacted (a temporary
// file renamed over it) and opens it for appending.
func OpenState(dir string) (*State, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &State{path: filepath.Join(dir, StateFile), m: map[string]Record{}}
	if f, err := os.Open(s.path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			var r Record
			if json.Unmarshal(sc.Bytes(), &r) == nil && r.URL != "" {
				s.m[r.URL] = r
			}
		}
		err := sc.Err()
		f.Close()
		if err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := s.compact(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	s.f = f
	return s, nil
}

func (s *State) compact() error {
	tmp, err := os.CreateTemp(filepath.Dir(s.path), StateFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	for _, r := range s.m {
		if err := enc.Encode(r); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(s.path)); err == nil { // make the rename itself durable
		d.Sync()
		d.Close()
	}
	return nil
}

// Get returns the record of url.
func (s *State) Get(url string) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[url]
	return r, ok
}

// Len is how many URLs the state knows.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// Put appends records and syncs them to disk.
func (s *State) Put(recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	var buf []byte
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf = append(append(buf, line...), '\n')
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(buf); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	for _, r := range recs {
		s.m[r.URL] = r
	}
	return nil
}

// Close closes the log.
func (s *State) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Close()
}
