package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/fts5"
	"github.com/folio-search/folio/internal/ingest"
)

func day(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

var src = []corpus.Article{
	{ID: "s1", Title: "Cocoa review", Body: "Showers continued throughout the week in the Bahia cocoa zone.", Date: day("1987-02-26"), Tags: []string{"cocoa"}},
	{ID: "s2", Title: "Oil output", Body: "Saudi Arabia said oil output would fall, the minister said.", Date: day("1987-03-02"), Tags: []string{"crude"}},
	{ID: "s3", Title: "Undated", Body: "Prices of U.S. grain rose 1.5 pct in the company's view.", Tags: nil},
}

func TestReplicaIDsAndDates(t *testing.T) {
	var buf bytes.Buffer
	st, err := WriteCorpus(&buf, src, 7)
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != 7 || st.Replicas != 3 || st.FileBytes != int64(buf.Len()) {
		t.Errorf("stats %+v, %d bytes written", st, buf.Len())
	}
	var got []corpus.Article
	for a, err := range corpus.Read("c.jsonl", &buf) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	wantIDs := []string{"s1-r0", "s2-r0", "s3-r0", "s1-r1", "s2-r1", "s3-r1", "s1-r2"}
	var ids []string
	var text int64
	for _, a := range got {
		ids = append(ids, a.ID)
		text += int64(len(a.Title) + len(a.Body))
	}
	if !reflect.DeepEqual(ids, wantIDs) || text != st.TextBytes {
		t.Errorf("ids %v (text %d vs %d)", ids, text, st.TextBytes)
	}
	// Whole years back, same day and time; no date stays none.
	if d := got[4].Date; d == nil || !d.Equal(time.Date(1986, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("s2-r1 date %v", d)
	}
	if d := got[6].Date; d == nil || !d.Equal(time.Date(1985, 2, 26, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("s1-r2 date %v", d)
	}
	if got[5].Date != nil || got[3].Body != src[0].Body || got[3].Tags[0] != "cocoa" {
		t.Errorf("replica content %+v", got[5])
	}
	if src[0].ID != "s1" || !src[0].Date.Equal(*day("1987-02-26")) {
		t.Error("Replica changed its source")
	}
}

func TestEnsureCorpusReuses(t *testing.T) {
	dir := t.TempDir()
	source := dir + "/src.jsonl"
	var b bytes.Buffer
	WriteCorpus(&b, src, 3)
	if err := os.WriteFile(source, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	path := dir + "/c.jsonl"
	st1, reused, err := EnsureCorpus(path, source, src, 5)
	if err != nil || reused {
		t.Fatalf("first: %v %v", reused, err)
	}
	st2, reused, err := EnsureCorpus(path, source, src, 5)
	if err != nil || !reused || st1 != st2 {
		t.Fatalf("second: %v %v %+v %+v", reused, err, st1, st2)
	}
	if _, reused, _ = EnsureCorpus(path, source, src, 6); reused {
		t.Error("reused a corpus of another size")
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50, 95: 95, 99: 99, 100: 100, 0.5: 1} {
		if got := Percentile(d, p); got != want*time.Millisecond {
			t.Errorf("p%v = %v, want %vms", p, got, want)
		}
	}
	three := []time.Duration{1, 2, 3}
	if Percentile(three, 50) != 2 || Percentile(three, 99) != 3 || Percentile(three, 1) != 1 || Percentile(nil, 50) != 0 {
		t.Error("nearest rank on three values")
	}
}

func TestWords(t *testing.T) {
	var got []string
	for _, w := range words(src[2].Body) {
		if w.plain {
			got = append(got, w.text)
		} else {
			got = append(got, "!"+w.text)
		}
	}
	want := []string{"prices", "of", "!u.s", "grain", "rose", "!1.5", "pct", "in", "the", "!company's", "view"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("words = %v", got)
	}
}

func TestGenerateIsDeterministicAndFromTheText(t *testing.T) {
	ents := func(id string) map[string][]string {
		if id == "s2-r0" {
			return map[string][]string{"place": {"Saudi Arabia"}}
		}
		return nil
	}
	a := Generate(src, 40, ents, 30, 7)
	b := Generate(src, 40, ents, 30, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different queries")
	}
	if reflect.DeepEqual(a, Generate(src, 40, ents, 30, 8)) {
		t.Error("seed ignored")
	}
	all := strings.ToLower(src[0].Title + " " + src[0].Body + " " + src[1].Title + " " + src[1].Body + " " + src[2].Title + " " + src[2].Body)
	for _, class := range Classes {
		if len(a[class]) != 30 {
			t.Fatalf("class %s: %d queries", class, len(a[class]))
		}
	}
	sawEntity := false
	for _, q := range a[ClassTerms] {
		for _, w := range strings.Fields(q.Text) {
			if stopWords[w] || !strings.Contains(all, w) || len(strings.Fields(q.Text)) > 2 {
				t.Errorf("term query %q", q.Text)
			}
		}
	}
	for i, q := range a[ClassSnippets] {
		if q.Text != a[ClassTerms][i].Text || !q.Snippet {
			t.Errorf("(d) is not (a) with snippets: %+v", q)
		}
	}
	for _, q := range a[ClassPhrase] {
		p := strings.Trim(q.Text, `"`)
		if n := len(strings.Fields(p)); n < 2 || n > 4 || !strings.Contains(strings.Join(strings.Fields(all), " "), p) {
			t.Errorf("phrase %q not cut from the text", q.Text)
		}
	}
	for _, q := range a[ClassFilter] {
		if q.Sort != "-date" || (q.Tag == "" && q.Entity == "") || len(q.From) != 4 || len(q.To) != 4 || q.From > q.To {
			t.Errorf("filter query %+v", q)
		}
		if q.Entity != "" {
			sawEntity = true
			if q.Field != "place" || q.Entity != "Saudi Arabia" {
				t.Errorf("entity %+v", q)
			}
		}
	}
	if !sawEntity {
		t.Error("no entity filter sampled")
	}
	// Few replicas: month ranges.
	for _, q := range Generate(src, 1, nil, 10, 1)[ClassFilter] {
		if len(q.From) != 7 || q.From > q.To || q.Tag == "" {
			t.Errorf("month range %+v", q)
		}
	}
}

func TestCompareTotals(t *testing.T) {
	qs := map[string][]Query{ClassTerms: {{Text: "a"}, {Text: "b"}, {Text: "c"}, {Text: "d"}}}
	got := compareTotals(qs,
		map[string][]int64{ClassTerms: {10, 1000, 5, -1}},
		map[string][]int64{ClassTerms: {10, 995, 50, 7}})
	tc := got[0]
	if tc.Compared != 3 || tc.Equal != 1 || tc.Within1 != 2 || tc.Skipped != 1 {
		t.Errorf("%+v", tc)
	}
	if len(tc.Examples) != 2 || tc.Examples[0].Query != "c" {
		t.Errorf("examples %+v", tc.Examples)
	}
}

// reutersPath is the shared research corpus, beside the checkout.
const reutersPath = "../../../shared/corpora/reuters21578/reuters21578.jsonl"

// served is an engine's serving child run in-process: Serve on pipes.
type served struct {
	info ServeInfo
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func serve(t *testing.T, engine, dir string) *served {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &served{in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		err := Serve(engine, dir, config.Default(), inR, outW)
		outW.CloseWithError(err)
		s.done <- err
	}()
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		t.Fatalf("serve %s: %v", engine, err)
	}
	if err := json.Unmarshal(line, &s.info); err != nil || s.info.Base == "" || s.info.BaseSnippets == "" {
		t.Fatalf("serve %s: %s (%v)", engine, line, err)
	}
	return s
}

// stop closes stdin, as the parent does, and reads the last report.
func (s *served) stop(t *testing.T) {
	s.in.Close()
	var end ServeInfo
	line, _ := s.out.ReadBytes('\n')
	if err := json.Unmarshal(line, &end); err != nil || end.PeakRSS <= 0 {
		t.Errorf("end report %q: %v", line, err)
	}
	io.Copy(io.Discard, s.out)
	if err := <-s.done; err != nil {
		t.Error(err)
	}
}

// Both engines are built by the ingest step and served by Folio's real
// server on loopback; the benchmark's queries, the same API requests for
// both, come back with totals that agree: exactly for tag filters and
// dates, which both engines read alike, and mostly for words and phrases,
// where their analyzers differ (stemmers; Folio drops stop words).
func TestBothEnginesServedAlike(t *testing.T) {
	if err := fts5.Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
	if _, err := os.Stat(reutersPath); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	all, err := LoadSource(reutersPath)
	if err != nil {
		t.Fatal(err)
	}
	src := all[:300]
	dir := t.TempDir()
	path := filepath.Join(dir, "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	const docs = 600
	if _, err := WriteCorpus(f, src, docs); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	servers := map[string]*served{}
	for _, engine := range []string{Folio, FTS5} {
		res, err := Ingest(ctx, engine, path, filepath.Join(dir, engine), docs, ingest.Options{Size: 250}, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Docs != docs || res.IndexBytes <= 0 || res.TextBytes <= 0 {
			t.Errorf("%s ingest: %+v", engine, res)
		}
		servers[engine] = serve(t, engine, filepath.Join(dir, engine))
	}
	client := newClient()
	defer client.CloseIdleConnections()
	queries := Generate(src, 2, nil, 25, 1)
	totals := map[string]map[string][]int64{Folio: {}, FTS5: {}}
	for _, class := range Classes {
		for _, engine := range []string{Folio, FTS5} {
			var urls []string
			for _, q := range queries[class] {
				urls = append(urls, queryURL(servers[engine].info, q))
			}
			n, err := Totals(ctx, client, urls, time.Minute)
			if err != nil {
				t.Fatalf("%s %s: %v", engine, class, err)
			}
			totals[engine][class] = n
		}
	}
	for _, c := range compareTotals(queries, totals[Folio], totals[FTS5]) {
		t.Logf("%s: %d compared, %d equal, %d within 1%%, examples %v", c.Class, c.Compared, c.Equal, c.Within1, c.Examples)
		if c.Compared != 25 {
			t.Errorf("class %s: %d of 25 compared", c.Class, c.Compared)
		}
		if c.Class == ClassFilter && c.Equal != c.Compared || c.Equal < c.Compared*3/4 {
			t.Errorf("class %s: only %d of %d totals equal", c.Class, c.Equal, c.Compared)
		}
	}
	// A snippet query answers the same keys, with the match marked, from both.
	q := queries[ClassSnippets][0]
	for _, engine := range []string{Folio, FTS5} {
		resp, err := client.Get(queryURL(servers[engine].info, q))
		if err != nil {
			t.Fatal(err)
		}
		var ans struct {
			Hits []struct {
				ID       string   `json:"id"`
				Snippets []string `json:"snippets"`
				Tags     []string `json:"tags"`
			} `json:"hits"`
		}
		err = json.NewDecoder(resp.Body).Decode(&ans)
		resp.Body.Close()
		marked := 0
		for _, h := range ans.Hits {
			if strings.Contains(strings.Join(h.Snippets, " "), "<mark>") {
				marked++
			}
		}
		if err != nil || len(ans.Hits) == 0 || marked < len(ans.Hits)/2 || ans.Hits[0].Tags == nil {
			t.Errorf("%s: %s: %d hits, %d with a marked snippet (%v)", engine, q.Text, len(ans.Hits), marked, err)
		}
	}
	for _, s := range servers {
		s.stop(t)
	}
}
