package relevance

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/fts5"
)

// engine is a real FTS5 engine holding articles, for rankings known in
// advance: a title match outranks a body match, and a short body a long.
func engine(t *testing.T, name string, articles ...corpus.Article) Named {
	t.Helper()
	if err := fts5.Available(); err != nil {
		t.Skipf("%v (go test -tags sqlite_fts5 runs this test)", err)
	}
	db, err := NewFTS5(context.Background(), t.TempDir(), articles)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return Named{name, db}
}

func TestEvaluate(t *testing.T) {
	j := NewJudgments([]corpus.Article{
		{ID: "c1", Tags: []string{"coffee"}},
		{ID: "c2", Tags: []string{"coffee", "trade"}},
		{ID: "t1", Tags: []string{"trade"}},
		{ID: "x", Tags: nil},
	})
	qs := []Query{{Text: "coffee prices", Tags: []string{"coffee"}}, {Text: "trade gap", Tags: []string{"trade", "bop"}}}
	// a ranks coffee prices [c1 c2], trade gap [t1 x]; b [x c1] and [t1 x].
	long := " and more words here"
	a := engine(t, "a", corpus.Article{ID: "c1", Title: "coffee prices", Body: "coffee prices"},
		corpus.Article{ID: "c2", Body: "coffee prices" + long}, corpus.Article{ID: "t1", Title: "trade gap", Body: "trade gap"},
		corpus.Article{ID: "x", Body: "trade gap" + long})
	b := engine(t, "b", corpus.Article{ID: "x", Title: "coffee prices", Body: "trade gap" + long},
		corpus.Article{ID: "c1", Body: "coffee prices" + long}, corpus.Article{ID: "t1", Title: "trade gap", Body: "trade gap"},
		corpus.Article{ID: "c2", Body: "nothing"})
	if _, err := Evaluate(context.Background(), j, qs, 2, a, b); err == nil || !strings.Contains(err.Error(), "bop") {
		t.Fatalf("a tag no article has was not reported: %v", err)
	}
	qs[1].Tags = []string{"trade"}
	r, err := Evaluate(context.Background(), j, qs, 2, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Compare("a", "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Compare("a", "c"); err == nil {
		t.Error("a comparison with an engine not in the report did not fail")
	}
	// k = 2. coffee: a = [R R] (P 1, nDCG 1), b = [. R] (P .5, nDCG (1/log2 3)/(1+1/log2 3)).
	// trade (2 relevant): both [R .] (P .5, nDCG 1/(1+1/log2 3)).
	q := r.Queries[0]
	if q.Relevant != 2 || !near(q.Engines["a"].P, 1) || !near(q.Engines["b"].P, 0.5) || !near(q.Engines["a"].NDCG, 1) {
		t.Errorf("coffee: %+v", q)
	}
	if got := r.Queries[1].Engines["a"].Top; len(got) != 2 || got[0] != "t1" || got[1] != "x" {
		t.Errorf("rankings are cut at k: %v", got)
	}
	if !near(r.Mean["a"].P, 0.75) || !near(r.Mean["b"].P, 0.5) || !near(r.Paired[0].DP, 0.25) {
		t.Errorf("means %+v, paired %+v", r.Mean, r.Paired)
	}
	if p := r.Paired[0]; p.Better != 1 || p.Equal != 1 || p.Worse != 0 {
		t.Errorf("paired %+v", p)
	}
	var text, js strings.Builder
	if err := r.WriteText(&text); err != nil || !strings.Contains(text.String(), "[##]") || !strings.Contains(text.String(), "a − b: P@2 +0.250") {
		t.Errorf("text report:\n%s", text.String())
	}
	if err := r.WriteJSON(&js); err != nil || !json.Valid([]byte(js.String())) {
		t.Errorf("JSON report: %v\n%s", err, js.String())
	}
}
