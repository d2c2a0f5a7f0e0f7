package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/fts5"
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

// The FTS5 handler answers the API's parameters with Folio's keys.
func TestFTS5Handler(t *testing.T) {
	if err := fts5.Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
	db, err := fts5.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Put(context.Background(), src...); err != nil {
		t.Fatal(err)
	}
	h := FTS5Handler(db)
	get := func(q string) (ans ftsAnswer) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/search?"+q, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", q, rec.Code, rec.Body)
		}
		json.Unmarshal(rec.Body.Bytes(), &ans)
		return ans
	}
	if a := get("q=said&snippets=1"); a.Total != 1 || a.Hits[0].ID != "s2" || !strings.Contains(a.Hits[0].Snippets[0], "<mark>said</mark>") {
		t.Errorf("snippets: %+v", a)
	}
	if a := get("q=the&facets=1"); a.Total != 3 || len(a.Facets["tag"]) != 2 || len(a.Facets["date"]) != 2 {
		t.Errorf("facets: %+v", a)
	}
	if a := get("tag=COCOA&from=1987&to=1987&sort=-date"); a.Total != 1 || a.Hits[0].ID != "s1" {
		t.Errorf("filter: %+v", a)
	}
	if a := get("q=oil&from=1987-03-03"); a.Total != 0 {
		t.Errorf("from is inclusive at day precision: %+v", a)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/search?from=soon", nil))
	if rec.Code != 400 {
		t.Errorf("bad date: %d", rec.Code)
	}
}
