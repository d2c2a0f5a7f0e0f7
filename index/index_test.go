package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// sampleIndex builds a real on-disk index of the bundled sample corpus.
func sampleIndex(t testing.TB) *Index {
	t.Helper()
	ix, _, err := Create(context.Background(), t.TempDir()+"/index", corpus.Bundled(), IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func run(t testing.TB, ix *Index, req search.Request) *search.Result {
	t.Helper()
	if req.Fragments == 0 {
		req.Fragments = 3
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPhraseAcrossQuoteStyles(t *testing.T) {
	ix := sampleIndex(t)
	// The article has ‘not a poor man’ in curly quotes; the query is plain.
	res := run(t, ix, search.Request{Query: query.Phrase{Words: []string{"not", "a", "poor", "man"}}})
	if res.Total != 1 {
		t.Fatalf("total = %d, want 1", res.Total)
	}
	h := res.Hits[0]
	if !strings.HasPrefix(h.Title.Text, "Aliyevs Own Many Buildings in London") {
		t.Errorf("first hit = %q", h.Title.Text)
	}
	found := false
	for _, s := range snippets(h) {
		if strings.Contains(s, "<mark>not a poor man</mark>") {
			found = true
		}
	}
	if !found {
		t.Errorf("no snippet marks the phrase as one span: %q", snippets(h))
	}
}

func TestApostropheFolding(t *testing.T) {
	ix := sampleIndex(t)
	// The title reads "Aliyev’s\u00a0Invitation" with a curly apostrophe and a no-break space.
	res := run(t, ix, search.Request{Query: query.Phrase{Words: []string{"aliyev's", "invitation"}}})
	if res.Total != 1 || !strings.Contains(marked(res.Hits[0].Title), "<mark>Aliyev’s\u00a0Invitation</mark>") {
		t.Fatalf("total %d, hits %+v", res.Total, res.Hits)
	}
}

func TestStemmingAppliesToTermsNotPhrases(t *testing.T) {
	ix := sampleIndex(t)
	// "buildings" is in the London article; the stem matches "building".
	term := run(t, ix, search.Request{Query: query.Term{Text: "building"}})
	if term.Total == 0 {
		t.Fatal("term 'building' found nothing; stemming should match 'Buildings'")
	}
	phrase := run(t, ix, search.Request{Query: query.Phrase{Words: []string{"own", "many", "building"}}})
	if phrase.Total != 0 {
		t.Fatalf("phrase 'own many building' matched %d articles; phrases are unstemmed", phrase.Total)
	}
	exact := run(t, ix, search.Request{Query: query.Phrase{Words: []string{"own", "many", "buildings"}}})
	if exact.Total != 1 {
		t.Fatalf("phrase 'own many buildings' matched %d, want 1", exact.Total)
	}
}

func TestReingestKeepsOneCopy(t *testing.T) {
	ix := sampleIndex(t)
	stats, err := ix.Ingest(context.Background(), corpus.Bundled(), IngestOptions{BatchSize: 2})
	if err != nil || stats.Indexed != 6 {
		t.Fatalf("re-ingest: %v, %+v", err, stats)
	}
	if n, _ := ix.Count(context.Background()); n != 6 {
		t.Fatalf("count after re-ingest = %d, want 6", n)
	}
}

func TestExclusionAndTagFilter(t *testing.T) {
	ix := sampleIndex(t)
	all := run(t, ix, search.Request{Query: query.Filter{Field: "tag", Value: "ilham aliyev"}})
	if all.Total != 6 {
		t.Fatalf("tag filter (lower-case) matched %d, want 6", all.Total)
	}
	if f := all.Facets["tag"]; len(f) != 1 || f[0] != (search.FacetValue{Value: "Ilham Aliyev", Count: 6}) {
		t.Errorf("tag facet = %+v", f)
	}
	london := run(t, ix, search.Request{Query: query.Term{Text: "london"}})
	without := run(t, ix, search.Request{Query: query.And{Nodes: []query.Node{query.Term{Text: "aliyev"}, query.Not{Node: query.Term{Text: "london"}}}}})
	with := run(t, ix, search.Request{Query: query.Term{Text: "aliyev"}})
	if london.Total == 0 || without.Total+london.Total != with.Total {
		t.Fatalf("aliyev %d, london %d, aliyev -london %d", with.Total, london.Total, without.Total)
	}
	for _, h := range without.Hits {
		if strings.Contains(strings.ToLower(h.Title.Text), "london") {
			t.Errorf("excluded article returned: %q", h.Title.Text)
		}
	}
}

// An organisation filter finds a firm with or without its legal form:
// entity names leave it out, and an older index may hold it.
func TestOrgFilterReadsLegalForms(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	org := func(id, name string) corpus.Article {
		return corpus.Article{ID: id, Title: id, Body: name + " said sales rose.",
			Entities: []corpus.Entity{{Type: "ORG", Name: name, Mentions: []corpus.Mention{{Start: 0, End: len(name)}}}}}
	}
	if _, err := ix.Ingest(context.Background(), seqOf(org("gm", "General Motors"), org("acme", "Acme Corp"), org("ford", "Ford Motor Company")), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for value, want := range map[string][]string{
		"General Motors Corp": {"gm"}, "general motors": {"gm"}, "General Motors Corp.": {"gm"},
		"Acme Corp": {"acme"}, "Ford Motor Company": {"ford"},
		// Negative: the short form does not find a name stored whole, nor
		// a full word's removal another firm.
		"Acme": nil, "Ford Motor": nil, "General": nil,
	} {
		res, err := ix.Search(context.Background(), search.Request{Filters: map[string][]string{"org": {value}}, Size: 10, Facets: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("org=%q: %v, want %v", value, got, want)
		}
	}
}

// Fragments are plain text with spans: markup in an article is text, for
// the server to escape (its tests check that it does).
func TestFragmentsKeepTextAsWrittenAndAreBounded(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	body := strings.Repeat("Filler words stand here to pad the text out. ", 10) +
		"The <script>alert('x')</script> tag & the quake struck at dawn. " +
		strings.Repeat("More filler follows the news here. ", 10)
	if err := ix.Put(corpus.Article{ID: "x", Title: "Quake <b>news</b>", Body: body}); err != nil {
		t.Fatal(err)
	}
	res := run(t, ix, search.Request{Query: query.Term{Text: "quake"}})
	if res.Total != 1 {
		t.Fatalf("total = %d", res.Total)
	}
	h := res.Hits[0]
	if got := h.Title.Mark("[", "]"); got != "[Quake] <b>news</b>" {
		t.Errorf("title = %q", got)
	}
	if len(h.Fragments) != 1 {
		t.Fatalf("fragments = %q", snippets(h))
	}
	s := h.Fragments[0].Mark("[", "]")
	if !strings.Contains(s, "The <script>alert('x')</script> tag & the [quake] struck") {
		t.Errorf("fragment not as written or not marked: %q", s)
	}
	plain := strings.NewReplacer("… ", "", " …", "").Replace(h.Fragments[0].Text)
	if n := len(plain); n < 140 || n > 230 { // snippet aims at 160–220 bytes
		t.Errorf("fragment is %d bytes: %q", n, plain)
	}
}

func TestCursorPaging(t *testing.T) {
	ix := sampleIndex(t)
	seen := map[string]bool{}
	req := search.Request{Query: query.Term{Text: "aliyev"}, Size: 2}
	total := uint64(0)
	for pages := 0; ; pages++ {
		res := run(t, ix, req)
		total = res.Total
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Fatalf("id %s repeated", h.ID)
			}
			seen[h.ID] = true
		}
		if res.Next == "" {
			break
		}
		if pages > 10 {
			t.Fatal("cursor does not end")
		}
		req.After = res.Next
	}
	if uint64(len(seen)) != total {
		t.Fatalf("paged through %d ids, total %d", len(seen), total)
	}
}

func TestTypoRetriedFuzzilyWithSuggestion(t *testing.T) {
	ix := sampleIndex(t)
	// "Azerbajan" (one letter missing) occurs nowhere; "azerbaijan" is common.
	res := run(t, ix, search.Request{Query: query.Term{Text: "azerbajan"}})
	if !res.Fuzzy || res.Total == 0 {
		t.Fatalf("fuzzy %v, total %d", res.Fuzzy, res.Total)
	}
	if res.DidYouMean != "azerbaijan" {
		t.Errorf("did you mean %q", res.DidYouMean)
	}
	if s := strings.Join(snippets(res.Hits[0]), " "); !strings.Contains(s, "<mark>Azerbaijan</mark>") {
		t.Errorf("fuzzy match not marked: %q", s)
	}
	// A known word is not touched; a short unknown word is not made fuzzy.
	if res := run(t, ix, search.Request{Query: query.Term{Text: "azerbaijan"}}); res.Fuzzy || res.DidYouMean != "" {
		t.Errorf("correct word: fuzzy %v, did you mean %q", res.Fuzzy, res.DidYouMean)
	}
	if res := run(t, ix, search.Request{Query: query.Term{Text: "bakx"}}); res.Fuzzy || res.Total != 0 {
		t.Errorf("short word: fuzzy %v, total %d", res.Fuzzy, res.Total)
	}
}

func TestProximityRanksCloseTermsHigher(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	filler := strings.Repeat("The committee met again on Tuesday to hear more evidence. ", 4)
	ix.Put(
		// Same words, same length: only the distance between the terms differs.
		corpus.Article{ID: "far", Title: "Report", Body: "Coffee rose. " + filler + "Prices discussed."},
		corpus.Article{ID: "near", Title: "Report", Body: "Discussed rose. " + filler + "Coffee prices."},
	)
	res := run(t, ix, search.Request{Query: query.And{Nodes: []query.Node{query.Term{Text: "coffee"}, query.Term{Text: "prices"}}}})
	if res.Total != 2 || res.Hits[0].ID != "near" || res.Hits[0].Score <= res.Hits[1].Score {
		t.Fatalf("hits %+v", res.Hits)
	}
}

// Batches written at once keep their length totals in separate slots; after
// reopening, the totals must cover every article written, exactly once.
func TestLengthStatsAddUpAcrossWritersAndReopen(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var articles []corpus.Article
	var want lengthStats
	for i := range 40 {
		a := corpus.Article{ID: fmt.Sprint("a", i), Title: "Oil prices", Body: strings.Repeat("crude oil rose again ", i+1)}
		articles = append(articles, a)
		want.add(a.Title, a.Body)
	}
	seq := func(yield func(corpus.Article, error) bool) {
		for _, a := range articles {
			if !yield(a, nil) {
				return
			}
		}
	}
	if _, err := ix.Ingest(context.Background(), seq, IngestOptions{BatchSize: 3, Writers: 3}); err != nil {
		t.Fatal(err)
	}
	if ix.stats != want {
		t.Errorf("in memory: %+v, want %+v", ix.stats, want)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.stats != want {
		t.Errorf("after reopening: %+v, want %+v", ix.stats, want)
	}
	used := 0
	for _, s := range ix.slotStats {
		if s.Docs > 0 {
			used++
		}
	}
	if used < 2 {
		t.Errorf("%d writer slots used, want the batches spread over several", used)
	}
}

// TestPhraseMarksCrossingFragmentEdgesStayBalanced: a phrase match that
// crosses an edge of a fragment used to slice out of range and panic (a
// 500 for "of trade" and "mln dlrs" on Reuters-21578).
func TestPhraseMarksCrossingFragmentEdgesStayBalanced(t *testing.T) {
	ix := sharedReuters(t)
	for _, q := range []string{`"of trade"`, `"mln dlrs"`} {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), search.Request{Query: n, Size: 100, Fragments: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			for _, s := range snippets(h) {
				if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
					t.Errorf("%s: unbalanced marks in %q", q, s)
				}
			}
		}
	}
}

// marked is a fragment with its matches in <mark>, unescaped: escaping is
// the server's part.
func marked(f search.Fragment) string { return f.Mark("<mark>", "</mark>") }

// snippets are a hit's fragments, marked.
func snippets(h search.Hit) []string {
	out := []string{}
	for _, f := range h.Fragments {
		out = append(out, marked(f))
	}
	return out
}

// TestMadeUpDateCursorIsRefused: a query without text sorts by date, and
// a cursor that is valid base64 but no date key ("garbage") was taken as
// a place in that order (200) where a ranked query refused it (400).
func TestMadeUpDateCursorIsRefused(t *testing.T) {
	ix := sampleIndex(t)
	for _, q := range []query.Node{nil, query.Term{Text: "aliyev"}} {
		for _, sort := range []string{"", search.ByDate, search.ByDateDesc} {
			_, err := ix.Search(context.Background(), search.Request{Query: q, Sort: sort, After: "garbage"})
			var bad *search.BadRequestError
			if !errors.As(err, &bad) {
				t.Errorf("query %v, sort %q, after=garbage: %v, want a bad request", q, sort, err)
			}
		}
	}
	res := run(t, ix, search.Request{Sort: search.ByDate, Size: 2})
	if res.Next == "" {
		t.Fatal("no cursor")
	}
	if _, err := ix.Search(context.Background(), search.Request{Sort: search.ByDate, Size: 2, After: res.Next}); err != nil {
		t.Errorf("a real cursor: %v", err)
	}
}
