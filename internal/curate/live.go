package curate

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/folio-search/folio/corpus"
)

// File is an entities file in use: the rules that ingest applies, which
// Add extends while ingests run, and the audit of what runs of the rules
// changed, kept beside it.
type File struct {
	Path string
	mu   sync.RWMutex
	set  *Set
}

// Open loads the entities file at path (absent: no rules yet).
func Open(path string) (*File, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &File{Path: path, set: s}, nil
}

// Rules is the file's rules as they stand.
func (f *File) Rules() *Set {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.set
}

// Apply runs the file's rules over an article (see Set.Apply).
func (f *File) Apply(a *corpus.Article) []Counts { return f.Rules().Apply(a) }

// Add appends a rule to the file and to the rules that ingest applies; it
// returns the rule as read back, with its line.
func (f *File) Add(r Rule) (Rule, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := Append(f.Path, r)
	if err != nil {
		return Rule{}, err
	}
	f.set = s
	return s.Rules[len(s.Rules)-1], nil
}

// AuditPath is where the audit of the entities file is kept.
func (f *File) AuditPath() string {
	return strings.TrimSuffix(f.Path, ".yaml") + ".audit.jsonl"
}

// Entry is one line of the audit: what one rule changed in one run.
type Entry struct {
	Time   time.Time `json:"time"`
	By     string    `json:"by"`   // "cli" (folio entities apply) or "api"
	Rule   string    `json:"rule"` // the rule, described
	Line   int       `json:"line"` // its line in the file
	Counts Counts    `json:"counts"`
}

// Record appends what a run changed, rule by rule, to the audit.
func (f *File) Record(rep *Report, by string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, err := os.OpenFile(f.AuditPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	enc := json.NewEncoder(w)
	for i, r := range rep.Rules {
		if err := enc.Encode(Entry{Time: now, By: by, Rule: r.String(), Line: r.Line, Counts: rep.Counts[i]}); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}

// Audit reads the audit back, oldest first (none before the first run).
func (f *File) Audit() ([]Entry, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	r, err := os.Open(f.AuditPath())
	if errors.Is(err, fs.ErrNotExist) {
		return []Entry{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	entries := []Entry{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			continue // a line cut by a crash; the rest stands
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}
