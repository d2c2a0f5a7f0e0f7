package opensearch

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// relatedArticles are a few hundred articles over three years, some
// undated, naming people, organisations and places drawn unevenly from
// small pools (so that counts tie and rare names meet once), with Ilham
// Aliyev often beside Nikol Pashinyan and in Baku.
func relatedArticles() []corpus.Article {
	r := rand.New(rand.NewPCG(20, 26))
	pool := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s %c%s", prefix, 'A'+rune(i%26), []string{"ska", "ov", "ian", "ez", "er"}[i%5])
		}
		return out
	}
	people, orgs, places := pool("Person", 40), pool("Org", 20), pool("Place", 15)
	pick := func(from []string) string { return from[int(float64(len(from))*math.Pow(r.Float64(), 2))] }
	words := []string{"oil", "gas", "talks", "border", "summit", "bank", "election", "wheat"}
	var out []corpus.Article
	for i := range 400 {
		a := corpus.Article{ID: fmt.Sprintf("r%03d", i), Title: fmt.Sprintf("Report %d", i)}
		a.Body = fmt.Sprintf("News of %s and %s.", words[r.IntN(len(words))], words[r.IntN(len(words))])
		if r.IntN(20) > 0 {
			d := time.Date(2022+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
			a.Date = &d
		}
		add := func(typ, name string) {
			for _, e := range a.Entities {
				if e.Type == typ && e.Name == name {
					return
				}
			}
			a.Entities = append(a.Entities, corpus.Entity{Type: typ, Name: name})
		}
		if r.IntN(5) == 0 {
			add("PER", "Ilham Aliyev")
			if r.IntN(3) > 0 {
				add("PER", "Nikol Pashinyan")
			}
			if r.IntN(2) == 0 {
				add("LOC", "Baku")
			}
		}
		for range r.IntN(4) {
			add("PER", pick(people))
		}
		for range r.IntN(3) {
			add("ORG", pick(orgs))
		}
		for range 1 + r.IntN(2) {
			add("LOC", pick(places))
		}
		out = append(out, a)
	}
	return out
}

// relatedPair is the same articles in a Bleve index and on the cluster.
func relatedPair(t *testing.T, e *Engine) *index.Index {
	t.Helper()
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	for _, w := range []search.Engine{e, ix} {
		if err := w.WriteBatch(ctx, relatedArticles()); err != nil {
			t.Fatal(err)
		}
		if err := w.FinishIngest(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

// relatedCases are the requests both engines must answer alike.
func relatedCases(t *testing.T) map[string]search.RelatedRequest {
	t.Helper()
	parse := func(q string) query.Node {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	return map[string]search.RelatedRequest{
		"variant":        {Facet: "person", Name: "Ilham Aliev"},
		"min count 1":    {Facet: "person", Name: "Ilham Aliyev", MinCount: 1, Size: 100},
		"common person":  {Facet: "person", Name: "Person Aska", Size: 5},
		"org":            {Facet: "org", Name: "Org Aska", ListFacets: []string{"person", "place"}},
		"place":          {Facet: "place", Name: "Baku", MinCount: 3},
		"filter":         {Facet: "person", Name: "Ilham Aliyev", Search: search.Request{Filters: map[string][]string{"place": {"Baku"}}}},
		"query":          {Facet: "person", Name: "Nikol Pashinyan", Search: search.Request{Query: parse("oil OR talks")}},
		"filter in q":    {Facet: "person", Name: "Ilham Aliyev", Search: search.Request{Query: parse("-org:\"Org Aska\"")}},
		"date range":     {Facet: "person", Name: "Ilham Aliyev", Search: search.Request{From: from, To: to}},
		"year slices":    {Facet: "person", Name: "Ilham Aliyev", Slice: search.SliceYear, MinCount: 1},
		"month slices":   {Facet: "place", Name: "Baku", Slice: search.SliceMonth, Size: 3},
		"sliced, dated":  {Facet: "person", Name: "Person Bov", Slice: search.SliceYear, Search: search.Request{From: from}},
		"no such entity": {Facet: "person", Name: "Nobody Atall"},
	}
}

// sameRelated fails unless got is want: names, counts, order, and
// scores to 1e-9.
func sameRelated(t *testing.T, what string, got, want *search.RelatedResult) {
	t.Helper()
	if fmt.Sprint(got.Names) != fmt.Sprint(want.Names) || got.Articles != want.Articles || got.Total != want.Total {
		t.Errorf("%s: names %v, %d articles of %d; Bleve %v, %d of %d", what, got.Names, got.Articles, got.Total, want.Names, want.Articles, want.Total)
		return
	}
	lists := func(at string, g, w map[string][]search.RelatedEntity) {
		if len(g) != len(w) {
			t.Errorf("%s%s: facets %v; Bleve %v", what, at, g, w)
			return
		}
		for name, wl := range w {
			gl := g[name]
			if len(gl) != len(wl) {
				t.Errorf("%s%s %s: %d entities %+v; Bleve %d %+v", what, at, name, len(gl), gl, len(wl), wl)
				continue
			}
			for i := range wl {
				ge, we := gl[i], wl[i]
				if ge.Name != we.Name || ge.Count != we.Count || ge.Articles != we.Articles ||
					math.Abs(ge.Score-we.Score) > 1e-9 || math.Abs(ge.PMI-we.PMI) > 1e-9 {
					t.Errorf("%s%s %s #%d: %+v; Bleve %+v", what, at, name, i, ge, we)
				}
			}
		}
	}
	lists("", got.Related, want.Related)
	if len(got.Slices) != len(want.Slices) {
		t.Errorf("%s: %d slices; Bleve %d", what, len(got.Slices), len(want.Slices))
		return
	}
	for i, ws := range want.Slices {
		gs := got.Slices[i]
		if gs.Period != ws.Period || gs.Articles != ws.Articles {
			t.Errorf("%s: slice %s of %d articles; Bleve %s of %d", what, gs.Period, gs.Articles, ws.Period, ws.Articles)
			continue
		}
		lists(" "+ws.Period, gs.Related, ws.Related)
	}
}

// checkRelatedAsBleve runs every case on both engines.
func checkRelatedAsBleve(t *testing.T, e *Engine) {
	ix := relatedPair(t, e)
	ctx := context.Background()
	listed := 0
	for what, req := range relatedCases(t) {
		want, err := ix.Related(ctx, req)
		if err != nil {
			t.Fatalf("%s: Bleve: %v", what, err)
		}
		got, err := e.Related(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		sameRelated(t, what, got, want)
		t.Logf("%s: %d of %d articles, %d slices, people %v", what, want.Articles, want.Total, len(want.Slices), want.Related["person"][:min(2, len(want.Related["person"]))])
		for _, l := range want.Related {
			listed += len(l)
		}
		if what == "year slices" && len(want.Slices) != 3 {
			t.Errorf("year slices: Bleve gives %d slices; the fixture spans three years", len(want.Slices))
		}
	}
	// The cases must compare something.
	if listed < 50 {
		t.Errorf("the cases list %d entities in all; the fixture is too thin", listed)
	}
}

// TestRelatedSameAsBleve: on one shard, the cluster lists the same
// related entities as Bleve, with the same counts, scores and order.
func TestRelatedSameAsBleve(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	checkRelatedAsBleve(t, e)
}

// TestRelatedThreeShards: on three shards on three nodes, with pages,
// include lists and requests of a few values so that every count is
// gathered over several pages and requests, the answers are still
// Bleve's.
func TestRelatedThreeShards(t *testing.T) {
	urls, _ := threeNodes(t)
	e := openSharded(t, urls, 3, 1)
	defer e.Close()
	page, chunk, buckets := relatedPage, includeChunk, requestBuckets
	relatedPage, includeChunk, requestBuckets = 7, 5, 12
	defer func() { relatedPage, includeChunk, requestBuckets = page, chunk, buckets }()
	checkRelatedAsBleve(t, e)
}

// TestRelatedBadType: a facet that is not an entity's is a bad request.
func TestRelatedBadType(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	_, err := e.Related(context.Background(), search.RelatedRequest{Facet: "tag", Name: "x"})
	if _, ok := err.(*search.BadRequestError); !ok {
		t.Fatalf("type tag: %v; want a bad request", err)
	}
}
