package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/quote"
	"github.com/folio-search/folio/internal/search"
)

// quotedPart is a passage of an article: plain text, or a quote between
// marks with its speaker and cue.
type quotedPart struct {
	text, open, close, speaker, kind, cue string
}

func plain(s string) quotedPart { return quotedPart{text: s} }

func said(open, text, close, speaker, cue string) quotedPart {
	kind := corpus.SpeakerPerson
	if speaker == "" {
		kind = corpus.SpeakerUnknown
	}
	return quotedPart{text: text, open: open, close: close, speaker: speaker, kind: kind, cue: cue}
}

// quotedArticle builds an article from parts, its quotes at their byte
// offsets in the body, as extraction gives them.
func quotedArticle(id, title, day string, tags []string, parts ...quotedPart) corpus.Article {
	a := corpus.Article{ID: id, Title: title, Tags: tags, URL: "https://news.example/" + id}
	if day != "" {
		d, _ := time.Parse("2006-01-02", day)
		a.Date = &d
	}
	var b strings.Builder
	for _, p := range parts {
		if p.open == "" {
			b.WriteString(p.text)
			continue
		}
		b.WriteString(p.open)
		start := b.Len()
		b.WriteString(p.text)
		a.Quotes = append(a.Quotes, corpus.Quote{Text: p.text, Speaker: p.speaker, SpeakerKind: p.kind, Cue: p.cue, Route: "explicit", Start: start, End: b.Len()})
		b.WriteString(p.close)
	}
	a.Body = b.String()
	return a
}

func openTemp(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func searchQuotes(t *testing.T, ix *Index, req search.QuoteRequest) *search.QuoteResult {
	t.Helper()
	res, err := ix.SearchQuotes(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustParse(t *testing.T, q string) query.Node {
	t.Helper()
	n, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const backDown = "We will not back down from this fight, whatever the cost to our party"

// lineageArticles carry one quote in three mark styles on three dates,
// written in an order that is not the dates'.
func lineageArticles() []corpus.Article {
	return []corpus.Article{
		quotedArticle("c-tass", "Minister vows to fight on", "2024-03-12", []string{"politics"},
			plain("The minister was defiant. "), said("«", strings.ToUpper(backDown[:7])+backDown[7:]+"!", "»", "Jane Holt", "said"), plain(" she said on Tuesday.")),
		quotedArticle("a-wire", "Holt defiant over budget", "2024-03-10", []string{"budget"},
			plain("Jane Holt said: "), said("“", backDown+".", "”", "Jane Holt", "said"), plain(" Her critics disagreed.")),
		quotedArticle("b-daily", "Budget row deepens", "2024-03-11", []string{"budget"},
			plain("Asked about the vote, "), said(`"`, "We will not back down from this fight - whatever the cost to our party", `,"`, "Jane Holt", "told reporters"), plain(" Holt told reporters.")),
	}
}

func TestQuoteLineageIsOneRecordWithItsFirstAppearance(t *testing.T) {
	ix := openTemp(t)
	arts := lineageArticles()
	// Three batches, the earliest article last.
	for _, a := range []corpus.Article{arts[0], arts[2], arts[1]} {
		if err := ix.Put(a); err != nil {
			t.Fatal(err)
		}
	}
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")})
	if res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("want one quote record, got %d: %+v", res.Total, res.Hits)
	}
	h := res.Hits[0]
	if h.Count != 3 || !slices.Equal(h.Articles, []string{"a-wire", "b-daily", "c-tass"}) {
		t.Errorf("lineage: count %d articles %v, want 3 [a-wire b-daily c-tass]", h.Count, h.Articles)
	}
	if h.First.ArticleID != "a-wire" || h.ArticleID != "a-wire" || h.First.Date.Format("2006-01-02") != "2024-03-10" {
		t.Errorf("first appearance %+v, want a-wire on 2024-03-10", h.First)
	}
	if h.Speaker != "Jane Holt" || h.SpeakerKind != "person" || h.Cue != "said" || h.Title != "Holt defiant over budget" {
		t.Errorf("hit %+v", h)
	}
	body := arts[1].Body
	if body[h.Start:h.End] != backDown+"." {
		t.Errorf("start/end %d..%d give %q", h.Start, h.End, body[h.Start:h.End])
	}
	if got := h.Text.Mark("[", "]"); !strings.Contains(got, "[fight]") {
		t.Errorf("text not marked: %q", got)
	}
	// Quotes are not articles.
	if n, _ := ix.Count(context.Background()); n != 3 {
		t.Errorf("Count = %d, want 3 articles", n)
	}
	all, err := ix.Search(context.Background(), search.Request{Size: 100})
	if err != nil || all.Total != 3 {
		t.Fatalf("article search saw %v (%v), want 3 articles", all.Total, err)
	}
}

func TestQuoteNearVariantJoinsItsRecord(t *testing.T) {
	ix := openTemp(t)
	arts := lineageArticles()
	// One word of fourteen changed: 13 of 14 words shared (0.93).
	variant := quotedArticle("d-post", "Holt: no retreat", "2024-03-09", nil,
		said("‘", "We will not back down from this fight, whatever the cost to my party", "’", "Jane Holt", "said"), plain(" said Ms Holt."))
	// Two words changed: 12 of 14 (0.86), a quote of its own.
	other := quotedArticle("e-gazette", "Rival replies", "2024-03-13", nil,
		said(`"`, "We will not back down from this fight, whatever the cost to the country", `"`, "Tom Reyes", "replied"), plain(" Reyes replied."))
	if err := ix.Put(append(arts, variant, other)...); err != nil {
		t.Fatal(err)
	}
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight"), Sort: search.ByDate})
	if res.Total != 2 {
		t.Fatalf("want 2 records (variant joined, other apart), got %d: %+v", res.Total, res.Hits)
	}
	if h := res.Hits[0]; h.Count != 4 || h.First.ArticleID != "d-post" {
		t.Errorf("grouped record: count %d first %s, want 4 d-post", h.Count, h.First.ArticleID)
	}
	if h := res.Hits[1]; h.Count != 1 || h.ArticleID != "e-gazette" {
		t.Errorf("other record: %+v", h)
	}
}

func TestQuoteLineageFollowsReingestAndDelete(t *testing.T) {
	ix := openTemp(t)
	arts := lineageArticles()
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
	// The first appearance is written again with another quote.
	changed := quotedArticle("a-wire", "Holt softens", "2024-03-10", []string{"budget"},
		plain("Jane Holt said: "), said("“", "We are ready to talk to anyone about the budget", "”", "Jane Holt", "said"))
	if err := ix.Put(changed); err != nil {
		t.Fatal(err)
	}
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")})
	if res.Total != 1 || res.Hits[0].Count != 2 || res.Hits[0].First.ArticleID != "b-daily" || slices.Contains(res.Hits[0].Articles, "a-wire") {
		t.Fatalf("after re-ingest: %+v", res.Hits)
	}
	talk := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "talk")})
	if talk.Total != 1 || talk.Hits[0].ArticleID != "a-wire" {
		t.Fatalf("the new quote: %+v", talk.Hits)
	}
	if err := ix.Delete(context.Background(), "b-daily"); err != nil {
		t.Fatal(err)
	}
	res = searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")})
	if res.Total != 1 || res.Hits[0].Count != 1 || !slices.Equal(res.Hits[0].Articles, []string{"c-tass"}) {
		t.Fatalf("after delete: %+v", res.Hits)
	}
	if err := ix.Delete(context.Background(), "c-tass"); err != nil {
		t.Fatal(err)
	}
	if res = searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")}); res.Total != 0 {
		t.Fatalf("a quote no article carries is left: %+v", res.Hits)
	}
	// The article keeps its quotes as stored.
	a, err := ix.Article(context.Background(), "a-wire")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Quotes) != 1 || a.Quotes[0] != changed.Quotes[0] {
		t.Errorf("stored quotes %+v, want %+v", a.Quotes, changed.Quotes)
	}
}

// speechArticles is a small archive of speeches: which speaker said what
// is known, for counting facets against.
func speechArticles() []corpus.Article {
	var out []corpus.Article
	speakers := []string{"Jane Holt", "Tom Reyes", "Ana Silva"}
	topics := []string{"the budget", "the railway", "the harbour", "schools"}
	gains := strings.Fields("jobs growth trade wealth hope pride order safety calm health homes skills roads power water light trust peace work money food care art sport")
	more := strings.Fields("tourism investment exports savings optimism dignity stability security quiet fitness housing training transport energy irrigation brightness confidence harmony employment income nutrition support culture leisure")
	places := strings.Fields("Leeds York Hull Derby Bath Wells Ely Truro Exeter Bristol Cardiff Newport Swansea Oxford Reading Slough Luton Dover Kent Crewe Stoke Preston Bolton Wigan")
	for i := 0; i < 24; i++ {
		sp := speakers[i%3]
		topic := topics[i%4]
		day := fmt.Sprintf("2024-%02d-%02d", 1+i/8, 1+i)
		out = append(out, quotedArticle(fmt.Sprintf("s%02d", i), fmt.Sprintf("%s on %s", sp, topic), day, []string{[]string{"politics", "economy"}[i%2]},
			plain(fmt.Sprintf("Speaking on day %d about %s, ", i, topic)),
			said("“", fmt.Sprintf("Our plan for %s will bring %s and %s to %s", topic, gains[i], more[i], places[i]), "”", sp, "said"),
			plain(" the speaker said. Critics called the plan for "+topic+" a mistake.")))
	}
	return out
}

func TestQuoteSearchFiltersFacetsAndPages(t *testing.T) {
	ix := openTemp(t)
	arts := speechArticles()
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
	// Facets against the input.
	want := map[string]int{}
	months := map[string]int{}
	for _, a := range arts {
		if strings.Contains(a.Quotes[0].Text, "railway") || strings.Contains(a.Quotes[0].Text, "harbour") {
			want[a.Quotes[0].Speaker]++
			months[a.Date.Format("2006-01")]++
		}
	}
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "railway OR harbour"), FacetSize: 10})
	if int(res.Total) != 12 {
		t.Fatalf("total %d, want 12", res.Total)
	}
	for _, fv := range res.Facets["speaker"] {
		if want[fv.Value] != fv.Count {
			t.Errorf("speaker %s: %d, want %d", fv.Value, fv.Count, want[fv.Value])
		}
		delete(want, fv.Value)
	}
	if len(want) > 0 {
		t.Errorf("speakers missing from the facet: %v", want)
	}
	for _, fv := range res.Facets["date"] {
		if months[fv.Value] != fv.Count {
			t.Errorf("month %s: %d, want %d", fv.Value, fv.Count, months[fv.Value])
		}
	}
	if len(res.Facets["date"]) != len(months) {
		t.Errorf("date facet %v, want months %v", res.Facets["date"], months)
	}
	// Speakers, tags and dates filter.
	res = searchQuotes(t, ix, search.QuoteRequest{Speakers: []string{"jane holt"}, Tags: []string{"Politics"},
		From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Size: 100})
	for _, h := range res.Hits {
		if h.Speaker != "Jane Holt" || h.Date.Month() < 2 {
			t.Errorf("filtered hit %+v", h)
		}
	}
	n := 0
	for i, a := range arts {
		if i%3 == 0 && i%2 == 0 && a.Date.Month() >= 2 {
			n++
		}
	}
	if int(res.Total) != n || n == 0 {
		t.Errorf("filtered total %d, want %d", res.Total, n)
	}
	// speaker: in the query language, the same.
	res2 := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, `speaker:"Jane Holt" tag:politics date:2024-02..`), Size: 100})
	if res2.Total != res.Total {
		t.Errorf("speaker: in the query gives %d, the parameter %d", res2.Total, res.Total)
	}
	// Pages in every order, without gaps or repeats.
	for _, sort := range []string{"", search.ByDate, search.ByDateDesc} {
		for _, q := range []string{"", "plan bring"} {
			seen := map[string]bool{}
			req := search.QuoteRequest{Query: mustParse(t, q), Sort: sort, Size: 5, Facets: []string{}}
			var prev *time.Time
			for page := 0; ; page++ {
				r := searchQuotes(t, ix, req)
				for _, h := range r.Hits {
					if seen[h.ID] {
						t.Errorf("sort %q q %q: %s repeated", sort, q, h.ID)
					}
					seen[h.ID] = true
					if sort == search.ByDate && prev != nil && h.Date.Before(*prev) {
						t.Errorf("sort date: %v after %v", h.Date, prev)
					}
					prev = h.Date
				}
				if r.Next == "" {
					break
				}
				req.After = r.Next
				if page > 10 {
					t.Fatal("paging does not end")
				}
			}
			if len(seen) != len(arts) {
				t.Errorf("sort %q q %q: paged %d quotes, want %d", sort, q, len(seen), len(arts))
			}
		}
	}
	if _, err := ix.SearchQuotes(context.Background(), search.QuoteRequest{After: "!!"}); err == nil {
		t.Error("a bad cursor is accepted")
	}
}

func TestArticleSearchByQuoteAndSpeaker(t *testing.T) {
	ix := openTemp(t)
	arts := speechArticles()
	// Quoted words in the body but outside any quote do not count.
	arts = append(arts, quotedArticle("x-outside", "Railway plan", "2024-01-05", nil,
		plain("Our plan for the railway will bring growth, the report says, with no quote at all.")))
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
	ids := func(q string) []string {
		t.Helper()
		res, err := ix.Search(context.Background(), search.Request{Query: mustParse(t, q), Size: 100, Fragments: 1})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(`quote:"plan for the railway"`); !slices.Equal(got, []string{"s01", "s05", "s09", "s13", "s17", "s21"}) {
		t.Errorf(`quote:"plan for the railway" = %v`, got)
	}
	if got := ids(`"plan for the railway"`); !slices.Contains(got, "x-outside") {
		t.Errorf("a plain phrase should still find the article without quotes: %v", got)
	}
	if got := ids(`speaker:"tom reyes" quote:railway`); !slices.Equal(got, []string{"s01", "s13"}) {
		t.Errorf(`speaker:"tom reyes" quote:railway = %v`, got)
	}
	if got := ids(`speaker:"Ana Silva" -quote:schools`); len(got) != 6 {
		t.Errorf(`speaker:"Ana Silva" -quote:schools = %v, want 6`, got)
	}
	if got := ids(`speaker:nobody`); len(got) != 0 {
		t.Errorf("speaker:nobody = %v", got)
	}
	res, err := ix.Search(context.Background(), search.Request{Query: mustParse(t, `quote:"plan for the railway"`), Size: 1, Fragments: 1})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Hits[0].Fragments[0].Mark("[", "]"); !strings.Contains(f, "[plan for the railway]") {
		t.Errorf("the quote is not marked in the body: %q", f)
	}
}

func TestQuoteKeyFoldsMarksCaseSpaceAndPunctuation(t *testing.T) {
	for _, c := range [][2]string{
		{"“Don’t  PANIC,” ", "dont panic"},
		{"don't panic!", "dont panic"},
		{"«The government’s plan — a\nfailure…»", "the governments plan a failure"},
		{"The governments plan: a failure.", "the governments plan a failure"},
		{"Étude, café", "étude café"},
		{" ... ", ""},
	} {
		if got := quoteKey(c[0]); got != c[1] {
			t.Errorf("quoteKey(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

// TestHeadlineQuotesAreIndexed writes articles whose headlines quote: a
// quote found only in the headline is a record whose offsets point into
// the title, and one the body repeats keeps the body's appearance.
func TestHeadlineQuotesAreIndexed(t *testing.T) {
	ix := openTemp(t)
	holt := corpus.Entity{Type: "PER", Name: "Jane Holt", Mentions: []corpus.Mention{{Start: 0, End: 9}}}
	only := corpus.Article{ID: "h1", Title: "'We will win the election in May,' says Holt",
		Body: "Jane Holt spoke in Leeds on Friday about the vote. She was confident of her party's chances.", Entities: []corpus.Entity{holt}}
	repeated := corpus.Article{ID: "h2", Title: "'Taxes must fall for working families,' says Holt",
		Body: `Jane Holt spoke in York. "Taxes must fall for working families," she said.`, Entities: []corpus.Entity{holt}}
	for _, a := range []*corpus.Article{&only, &repeated} {
		a.Quotes = quote.All(a)
	}
	if len(only.Quotes) != 1 || !only.Quotes[0].InTitle {
		t.Fatalf("h1: quotes %+v, want one of the headline", only.Quotes)
	}
	if err := ix.Put(only, repeated); err != nil {
		t.Fatal(err)
	}

	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "election")})
	if res.Total != 1 {
		t.Fatalf("election: %d quotes, want the headline's", res.Total)
	}
	h := res.Hits[0]
	if !h.InTitle || only.Title[h.Start:h.End] != h.Text.Text || h.Speaker != "Jane Holt" {
		t.Errorf("headline quote hit %+v: want it in the title at its offsets, said by Jane Holt", h)
	}
	got, err := ix.Article(context.Background(), "h1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Quotes) != 1 || !got.Quotes[0].InTitle || got.Quotes[0].Text != "We will win the election in May," {
		t.Errorf("stored h1 quotes %+v", got.Quotes)
	}

	res = searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "taxes")})
	if res.Total != 1 || res.Hits[0].InTitle || res.Hits[0].Count != 1 {
		t.Fatalf("taxes: %+v, want one record, the body's appearance", res.Hits)
	}
	if h := res.Hits[0]; repeated.Body[h.Start:h.End] != h.Text.Text {
		t.Errorf("taxes: offsets %d-%d do not hold %q in the body", h.Start, h.End, h.Text.Text)
	}
}

// TestQuoteLineageAcrossPendingBatches writes an ingest's batches one by
// one, as ingest does, before it finishes: a variant and a rewrite of an
// article in later batches meet the records of earlier ones that are not
// written yet, and Close writes what is pending.
func TestQuoteLineageAcrossPendingBatches(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	arts := lineageArticles()
	variant := quotedArticle("d-post", "Holt: no retreat", "2024-03-09", nil,
		said("‘", "We will not back down from this fight, whatever the cost to my party", "’", "Jane Holt", "said"), plain(" said Ms Holt."))
	changed := quotedArticle("a-wire", "Holt softens", "2024-03-10", []string{"budget"},
		plain("Jane Holt said: "), said("“", "We are ready to talk to anyone about the budget", "”", "Jane Holt", "said"))
	for _, batch := range [][]corpus.Article{arts[:1], arts[1:], {variant}, {changed}} {
		if err := ix.WriteBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if res := searchQuotes(t, ix, search.QuoteRequest{}); res.Total != 0 {
		t.Errorf("%d quotes searchable before the ingest finished, want them pending", res.Total)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")})
	if res.Total != 1 {
		t.Fatalf("fight: %d records, want 1: %+v", res.Total, res.Hits)
	}
	if h := res.Hits[0]; h.Count != 3 || h.First.ArticleID != "d-post" || slices.Contains(h.Articles, "a-wire") {
		t.Errorf("fight: count %d, articles %v, want d-post first, b-daily, c-tass, and no a-wire", h.Count, h.Articles)
	}
	if res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "talk")}); res.Total != 1 || res.Hits[0].Count != 1 {
		t.Errorf("talk: %+v", res.Hits)
	}
}

// TestQuoteIndexCreationCutShort opens an index whose quote index was
// being made when its process died: the half-made one is dropped and made
// again, and the articles' index is untouched.
func TestQuoteIndexCreationCutShort(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(lineageArticles()...); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	quotes := dir + "/" + quotesDir
	if err := os.RemoveAll(quotes); err != nil {
		t.Fatal(err)
	}
	// A creation cut short before its schema was written.
	if err := os.MkdirAll(quotes+".creating", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(quotes+".creating/index_meta.json", []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(context.Background()); n != 3 {
		t.Errorf("%d articles, want 3", n)
	}
	if _, err := os.Stat(quotes + ".creating"); !os.IsNotExist(err) {
		t.Errorf("the half-made quote index is left: %v", err)
	}
}

// TestShortQuotesDoNotTravel gives two articles the same one-word quote
// from different speakers: a word or two in common is no lineage, so each
// keeps its record and speaker: finds only the article that names him.
func TestShortQuotesDoNotTravel(t *testing.T) {
	ix := openTemp(t)
	arts := []corpus.Article{
		quotedArticle("p1", "Holt wins vote", "2024-05-01", nil,
			plain("Jane Holt said she was "), said("“", "delighted", "”", "Jane Holt", "said"), plain(" with the result.")),
		quotedArticle("p2", "Club promoted", "2024-05-02", nil,
			plain("The manager was "), said("“", "delighted", "”", "", ""), plain(" after the match.")),
		quotedArticle("p3", "Holt repeats pledge", "2024-05-03", nil,
			plain("Holt said: "), said("“", "We will build the bridge", "”", "Jane Holt", "said")),
		quotedArticle("p4", "Bridge pledge reported", "2024-05-04", nil,
			plain("The paper quoted her: "), said("“", "We will build the bridge", "”", "", "")),
	}
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
	if res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "delighted")}); res.Total != 2 || res.Hits[0].Count != 1 {
		t.Errorf("delighted: %d records (first carried by %d), want 2 of their own", res.Total, res.Hits[0].Count)
	}
	if res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "bridge")}); res.Total != 1 || res.Hits[0].Count != 2 {
		t.Errorf("bridge: %+v, want one record in two articles", res.Hits)
	}
	res, err := ix.Search(context.Background(), search.Request{Query: mustParse(t, `speaker:"Jane Holt" quote:delighted`), Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != "p1" {
		t.Errorf(`speaker:"Jane Holt" quote:delighted: %d hits, want p1 alone`, res.Total)
	}
}

// An optimizing ingest ends with the quote index in one segment: each
// Put wrote a segment of its own, and a record that a later write changed
// is no longer kept twice.
func TestOptimizingIngestMergesQuotes(t *testing.T) {
	// Only Optimize merges: Bleve's background merger would merge the
	// small segments whenever it got round to it.
	defer func(old func() map[string]any) { backgroundMergeOptions = old }(backgroundMergeOptions)
	backgroundMergeOptions = func() map[string]any {
		return map[string]any{"MaxSegmentSize": maxSegmentDocs, "MaxSegmentsPerTier": 1000, "FloorSegmentSize": 1}
	}
	ix := openTemp(t)
	arts := lineageArticles()
	for _, a := range []corpus.Article{arts[0], speechArticles()[0]} {
		if err := ix.Put(a); err != nil {
			t.Fatal(err)
		}
	}
	quoteSegments := func() []int {
		t.Helper()
		return sizesOf(t, ix.quotes)
	}
	if got := quoteSegments(); len(got) != 2 {
		t.Fatalf("quote segments before %v, want two", got)
	}
	// The lineage's record is written again, in a segment of its own.
	if _, err := ix.Ingest(context.Background(), seqOf(arts[1:]...), IngestOptions{BatchSize: 2, Writers: 1, Optimize: true}); err != nil {
		t.Fatal(err)
	}
	if got := quoteSegments(); !slices.Equal(got, []int{2}) {
		t.Errorf("quote segments after %v, want [2]", got)
	}
	res := searchQuotes(t, ix, search.QuoteRequest{Query: mustParse(t, "fight")})
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Count != 3 {
		t.Fatalf("want one record of three articles, got %d: %+v", res.Total, res.Hits)
	}
}

// A record whose quote was written again and again indexes each speaker,
// variant, word, tag and article once, in the order they first appear,
// whatever the repeats between them.
func TestQuoteRecordDocumentOfRepeatedAppearances(t *testing.T) {
	ix := openTemp(t)
	day := func(d int) *time.Time { t := time.Date(2024, 12, d, 0, 0, 0, 0, time.UTC); return &t }
	seen := func(article, text, speaker string, d int, tags ...string) quoteSeen {
		return quoteSeen{Article: article, Date: day(d), Tags: tags, Text: text, Norm: quoteKey(text), Speaker: speaker}
	}
	const a, b = "the harbour opens to ships at dawn", "the harbour opens to all ships at dawn"
	rec := &quoteRecord{Seen: []quoteSeen{
		seen("x1", a, "Ilham Aliyev", 1, "Baku"), seen("x2", a, "Ilham Aliyev", 2, "Baku", "Ports"),
		seen("x3", b, "", 3, "Ports"), seen("x1", a, "Ilham Aliyev", 4, "Baku"),
		seen("x4", a, "Heydar Aliyev", 5), seen("x5", b, "Ilham Aliyev", 6, "Baku"),
	}}
	d, err := rec.document("q1", ix.quotes.Mapping(), ix.positional, ix.packedPositions)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range d.Fields {
		switch f := f.(type) {
		case *keywordsField:
			got[f.Name()] = append(got[f.Name()], f.values...)
		default:
			if f.Name() != fqRecord {
				got[f.Name()] = append(got[f.Name()], string(f.Value()))
			}
		}
	}
	want := map[string][]string{
		fqArticles:      {"x1", "x2", "x3", "x4", "x5"},
		fqSpeaker:       {"Ilham Aliyev", "Heydar Aliyev"},
		fqSpeakerKey:    {"ilham aliyev", "heydar aliyev"},
		fqNorm:          {normHash(a), normHash(b)},
		keyField(fqTag): {"baku", "ports"},
	}
	for field, w := range want {
		if !slices.Equal(got[field], w) {
			t.Errorf("%s: %q, want %q", field, got[field], w)
		}
	}
	words := strings.Fields(strings.Join(got[fqWords], " "))
	slices.Sort(words)
	if w := []string{"all", "at", "dawn", "harbour", "opens", "ships", "the", "to"}; !slices.Equal(words, w) {
		t.Errorf("words %q, want each of %q once", words, w)
	}
}
