package server_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/search"
)

type quotesResult struct {
	Query  string
	Total  int
	TookMS *float64 `json:"took_ms"`
	Hits   []apiQuote
	Facets map[string][]search.FacetValue
	Next   *string
}

// apiQuote is a hit of GET /api/quotes as DESIGN.md describes it.
type apiQuote struct {
	ID          string     `json:"id"`
	Text        string     `json:"text"`
	TextHTML    string     `json:"text_html"`
	Speaker     string     `json:"speaker"`
	SpeakerKind string     `json:"speaker_kind"`
	Cue         string     `json:"cue"`
	ArticleID   string     `json:"article_id"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Date        *time.Time `json:"date"`
	Start       int        `json:"start"`
	End         int        `json:"end"`
	InTitle     *bool      `json:"in_title"`
	First       struct {
		ArticleID string     `json:"article_id"`
		Date      *time.Time `json:"date"`
	} `json:"first"`
	Count    int      `json:"count"`
	Articles []string `json:"articles"`
}

// quoteArticle is an article of one quote: lead, the quote between the
// marks, then tail; the quote's offsets are found in the body.
func quoteArticle(id, day, lead, open, text, close, tail, speaker, cue string, tags ...string) corpus.Article {
	d, _ := time.Parse("2006-01-02", day)
	body := lead + open + text + close + tail
	start := len(lead + open)
	return corpus.Article{
		ID: id, Title: "Report " + id, URL: "https://news.example/" + id, Date: &d, Tags: tags, Body: body,
		Quotes: []corpus.Quote{{Text: text, Speaker: speaker, SpeakerKind: corpus.SpeakerPerson, Cue: cue, Route: "explicit", Start: start, End: start + len(text)}},
	}
}

// quoteServer serves an index of a quote carried by three articles and
// fifteen quotes by three speakers.
func quoteServer(t *testing.T) (string, []corpus.Article) {
	t.Helper()
	const line = "The harbour will stay open & <safe> for every boat that needs it"
	arts := []corpus.Article{
		quoteArticle("h2", "2023-05-03", "The mayor repeated: ", "«", line, "»", " she said.", "Mara Quill", "said", "ports"),
		quoteArticle("h1", "2023-05-01", "Mara Quill said: ", "“", line, "”", " Critics were unmoved.", "Mara Quill", "said", "ports"),
		quoteArticle("h3", "2023-06-09", "Quill told the council: ", `"`, strings.ToUpper(line[:1])+line[1:]+".", `"`, "", "Mara Quill", "told the council", "council"),
	}
	speakers := []string{"Mara Quill", "Olu Benn", "Ines Vardy"}
	words := strings.Fields("bridges ferries tunnels canals trams buses rails roads docks piers quays locks weirs dams ports")
	others := strings.Fields("housing library hospital school stadium museum theatre market garden airport college clinic prison station park")
	for i, w := range words {
		arts = append(arts, quoteArticle(fmt.Sprintf("s%02d", i), fmt.Sprintf("2023-%02d-%02d", 1+i%6, 1+i),
			"At the hearing, ", "‘", fmt.Sprintf("Funding for %s must come before any new %s scheme", w, others[i]), "’", " the official said.",
			speakers[i%3], "said", []string{"ports", "council"}[i%2]))
	}
	ix, err := index.Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(arts...); err != nil {
		t.Fatal(err)
	}
	return foliotest.Serve(t, ix, config.Default()).URL, arts
}

func quotesPath(params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Add(params[i], params[i+1])
	}
	return "/api/quotes?" + v.Encode()
}

func TestQuotesOverHTTP(t *testing.T) {
	base, arts := quoteServer(t)
	var res quotesResult
	get(t, base, quotesPath("q", "harbour boat"), 200, &res)
	if res.Total != 1 || len(res.Hits) != 1 || res.Query != "harbour boat" || res.TookMS == nil || res.Next != nil {
		t.Fatalf("want one quote: %+v", res)
	}
	h := res.Hits[0]
	if h.Count != 3 || !slices.Equal(h.Articles, []string{"h1", "h2", "h3"}) || h.First.ArticleID != "h1" ||
		h.First.Date.Format("2006-01-02") != "2023-05-01" || h.ArticleID != "h1" || h.Title != "Report h1" {
		t.Errorf("lineage: %+v", h)
	}
	if h.Speaker != "Mara Quill" || h.SpeakerKind != "person" || h.Cue != "said" || h.URL != "https://news.example/h1" {
		t.Errorf("speaker and cue: %+v", h)
	}
	if !strings.Contains(h.TextHTML, "<mark>harbour</mark>") || !strings.Contains(h.TextHTML, "&amp; &lt;safe&gt;") || strings.Contains(h.TextHTML, "<safe>") {
		t.Errorf("text_html = %q", h.TextHTML)
	}
	if arts[1].Body[h.Start:h.End] != h.Text || h.InTitle == nil || *h.InTitle {
		t.Errorf("offsets %d..%d (in_title %v) do not hold the text in the body", h.Start, h.End, h.InTitle)
	}

	// Facets over every quote, against the input.
	want := map[string]int{"Mara Quill": 1}
	for _, a := range arts[3:] {
		want[a.Quotes[0].Speaker]++
	}
	get(t, base, quotesPath("facet_size", "10"), 200, &res)
	if res.Total != 16 {
		t.Errorf("total %d, want 16 quotes", res.Total)
	}
	got := map[string]int{}
	for _, fv := range res.Facets["speaker"] {
		got[fv.Value] = fv.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("speaker facet %v, want %v", got, want)
	}
	sum := 0
	for _, fv := range res.Facets["date"] {
		sum += fv.Count
	}
	if sum != 16 {
		t.Errorf("date facet %v sums to %d", res.Facets["date"], sum)
	}

	// Repeated speakers, a tag, dates.
	get(t, base, quotesPath("speaker", "olu benn", "speaker", "Ines Vardy", "tag", "council", "from", "2023-02", "to", "2023-06", "size", "50"), 200, &res)
	n := 0
	for _, a := range arts[3:] {
		sp, m := a.Quotes[0].Speaker, a.Date.Month()
		if (sp == "Olu Benn" || sp == "Ines Vardy") && slices.Contains(a.Tags, "council") && m >= 2 && m <= 6 {
			n++
		}
	}
	if res.Total != n || n == 0 {
		t.Errorf("filtered total %d, want %d", res.Total, n)
	}
	for _, h := range res.Hits {
		if h.Speaker == "Mara Quill" {
			t.Errorf("speaker filter let %+v through", h)
		}
	}

	// Cursors page through everything once, in each order.
	for _, sort := range []string{"relevance", "date", "-date"} {
		for _, q := range []string{"", "funding scheme"} {
			seen := map[string]bool{}
			path := quotesPath("q", q, "sort", sort, "size", "4", "facets", "none")
			for page := 0; ; page++ {
				var p quotesResult
				get(t, base, path, 200, &p)
				if len(p.Facets) != 0 {
					t.Errorf("facets=none gave %v", p.Facets)
				}
				for _, h := range p.Hits {
					if seen[h.ID] {
						t.Errorf("%s %q: %s twice", sort, q, h.ID)
					}
					seen[h.ID] = true
				}
				if p.Next == nil {
					break
				}
				path = quotesPath("q", q, "sort", sort, "size", "4", "facets", "none", "after", *p.Next)
				if page > 10 {
					t.Fatal("paging does not end")
				}
			}
			want := 16
			if q != "" {
				want = 15
			}
			if len(seen) != want {
				t.Errorf("%s %q: paged %d quotes, want %d", sort, q, len(seen), want)
			}
		}
	}
}

func TestQuotesBadParametersGet400(t *testing.T) {
	base, _ := quoteServer(t)
	for _, bad := range []string{
		quotesPath("sort", "loudest"),
		quotesPath("size", "0"),
		quotesPath("size", "ten"),
		quotesPath("size", "100000"),
		quotesPath("from", "May"),
		quotesPath("from", "2023-06", "to", "2023-01"),
		quotesPath("facets", "person"),
		quotesPath("facet_size", "-1"),
		quotesPath("speaker", " "),
		quotesPath("tag", ""),
		quotesPath("after", "not a cursor"),
		quotesPath("q", `"unclosed`),
		quotesPath("q", strings.Repeat("word ", 1000)),
		"/api/quotes?q=%zz",
	} {
		var e errorBody
		get(t, base, bad, 400, &e)
		if e.Error.Message == "" || e.Error.Code == "" {
			t.Errorf("%s: 400 without a message: %+v", bad, e)
		}
	}
}

func TestArticleListsItsQuotes(t *testing.T) {
	base, arts := quoteServer(t)
	var a struct {
		ID     string
		Body   string
		Quotes []struct {
			Text        string `json:"text"`
			Speaker     string `json:"speaker"`
			SpeakerKind string `json:"speaker_kind"`
			Cue         string `json:"cue"`
			Start       int    `json:"start"`
			End         int    `json:"end"`
			InTitle     *bool  `json:"in_title"`
		}
	}
	get(t, base, "/api/articles/h3", 200, &a)
	if len(a.Quotes) != 1 {
		t.Fatalf("quotes %+v", a.Quotes)
	}
	q := a.Quotes[0]
	if a.Body[q.Start:q.End] != q.Text || q.Text != arts[2].Quotes[0].Text || q.Speaker != "Mara Quill" || q.SpeakerKind != "person" || q.Cue != "told the council" || q.InTitle == nil || *q.InTitle {
		t.Errorf("quote %+v", q)
	}
	// An article without quotes lists none, as an empty list.
	ix := foliotest.NewIndex(t, "bundled")
	var raw map[string]any
	var all searchResult
	srv := foliotest.Serve(t, ix, config.Default())
	get(t, srv.URL, "/api/search?size=1", 200, &all)
	get(t, srv.URL, "/api/articles/"+url.PathEscape(all.Hits[0].ID), 200, &raw)
	if qs, ok := raw["quotes"].([]any); !ok || len(qs) != 0 {
		t.Errorf("quotes of an article without: %#v", raw["quotes"])
	}
}

func TestSearchByQuoteAndSpeakerOverHTTP(t *testing.T) {
	base, _ := quoteServer(t)
	ids := func(q string) []string {
		var res searchResult
		get(t, base, searchPath(q, "size", "100"), 200, &res)
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(`quote:"stay open"`); !slices.Equal(got, []string{"h1", "h2", "h3"}) {
		t.Errorf(`quote:"stay open" = %v`, got)
	}
	// "the mayor repeated" is in h2's body, not in a quote.
	if got := ids(`quote:"mayor repeated"`); len(got) != 0 {
		t.Errorf(`quote:"mayor repeated" = %v`, got)
	}
	if got := ids(`speaker:"olu benn" quote:ferries`); !slices.Equal(got, []string{"s01"}) {
		t.Errorf(`speaker:"olu benn" quote:ferries = %v`, got)
	}
	var res quotesResult
	get(t, base, quotesPath("q", `speaker:"Olu Benn" funding`), 200, &res)
	if res.Total != 5 {
		t.Errorf("quotes of Olu Benn about funding: %d, want 5", res.Total)
	}
	_ = context.Background
}
