package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/index"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

// quoteArchive is a few articles whose quotes are set as extraction sets
// them: one line carried by three articles, and lines of two speakers.
func quoteArchive(t *testing.T) []corpus.Article {
	t.Helper()
	art := func(id, day, lead, text, tail, speaker string) corpus.Article {
		d, _ := time.Parse("2006-01-02", day)
		body := lead + "“" + text + "”" + tail
		start := len(lead + "“")
		return corpus.Article{ID: id, Title: "Harbour report " + id, Date: &d, Tags: []string{"ports"}, Body: body,
			Quotes: []corpus.Quote{{Text: text, Speaker: speaker, SpeakerKind: corpus.SpeakerPerson, Cue: "said", Start: start, End: start + len(text)}}}
	}
	const line = "The harbour will stay open for every boat that needs it"
	arts := []corpus.Article{
		art("h2", "2023-05-03", "The mayor repeated it on Wednesday. ", line, " she said.", "Mara Quill"),
		art("h1", "2023-05-01", "Mara Quill spoke at the quay. ", line, " Critics were unmoved.", "Mara Quill"),
		art("h3", "2023-06-09", "At the council, Quill again. ", line+".", " The vote is next week.", "Mara Quill"),
	}
	others := strings.Fields("housing schools clinics parks")
	for i, w := range strings.Fields("ferries tunnels canals trams") {
		arts = append(arts, art(fmt.Sprintf("b%d", i), fmt.Sprintf("2023-0%d-10", 1+i), "Olu Benn answered. ",
			fmt.Sprintf("The harbour budget must pay for %s and %s first", w, others[i]), " he said.", "Olu Benn"))
	}
	return arts
}

func TestPageQuotesViewAndArticleQuotes(t *testing.T) {
	ix, err := index.Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(quoteArchive(t)...); err != nil {
		t.Fatal(err)
	}
	srv := foliotest.Serve(t, ix, config.Default())
	tb := newTab(t, srv)

	// From the article results, the Quotes tab shows the same search's quotes.
	tb.do("opening a search", chromedp.Navigate(srv.URL+"/?q=harbour"))
	tb.settled("the article results")
	tb.do("opening the Quotes view", chromedp.Click(chromedp.ID("view-quotes")))
	tb.waitFor("quotes", `document.querySelector('#results .quote-group')`)
	tb.settled("the quotes")
	if loc := tb.location(); loc.Query().Get("view") != "quotes" || loc.Query().Get("q") != "harbour" {
		t.Errorf("quotes URL %s", loc)
	}
	speakers := eval[[]string](tb, `[...document.querySelectorAll('#results .quote-group')].map(g => g.dataset.speaker + ':' + g.querySelectorAll('.quote').length)`)
	if strings.Join(speakers, " ") != "Mara Quill:1 Olu Benn:4" && strings.Join(speakers, " ") != "Olu Benn:4 Mara Quill:1" {
		t.Errorf("groups by speaker: %v, want Mara Quill with 1 quote and Olu Benn with 4", speakers)
	}
	if marked := tb.text(`#results .quote-group[data-speaker="Mara Quill"] .quote-text mark`); !strings.EqualFold(marked, "harbour") {
		t.Errorf("the match is not marked in the quote: %q", marked)
	}
	if carried := tb.text(`#results .quote-group[data-speaker="Mara Quill"] .quote-carried`); !strings.Contains(carried, "3 articles") {
		t.Errorf("lineage count %q", carried)
	}
	// The timeline counts quotes by first appearance: five of them.
	bars := eval[[]string](tb, `document.getElementById('timeline').hidden ? [] : [...document.querySelectorAll('#timeline-chart .bar')].map(b => b.getAttribute('aria-label'))`)
	counted := 0
	for _, b := range bars {
		var n int
		if _, err := fmt.Sscanf(b[strings.LastIndex(b, ": ")+2:], "%d", &n); err == nil && strings.Contains(b, "quote") {
			counted += n
		}
	}
	if counted != 5 {
		t.Errorf("timeline of the quotes %v counts %d quotes, want 5", bars, counted)
	}

	// A quote links to its passage in its first article, which lists its
	// quotes with speakers and the first appearance.
	tb.do("opening a quote's article", chromedp.Click(chromedp.CSS(`#results .quote-group[data-speaker="Mara Quill"] .quote-link`)))
	tb.waitFor("the article's quotes", `!document.getElementById('article-view').hidden && document.querySelector('.article-quote')`)
	if loc := tb.location(); loc.Path != "/articles/h1" || !strings.HasPrefix(loc.Fragment, "quote-") {
		t.Errorf("quote link went to %s", loc)
	}
	if eval[int](tb, `document.querySelectorAll('.article-quote.quote-target').length`) != 1 {
		t.Error("the quoted passage is not picked out")
	}
	if who := tb.text(".article-quote .quote-speaker"); who != "Mara Quill" {
		t.Errorf("speaker shown %q", who)
	}
	// From a later copy, the first appearance is one click away.
	tb.do("opening a later copy", chromedp.Navigate(srv.URL+"/articles/h3"))
	tb.waitFor("its first appearance", `document.querySelector('.article-quote .quote-first:not([hidden])')`)
	if first := eval[string](tb, `document.querySelector('.quote-first').dataset.first`); first != "h1" {
		t.Errorf("first appearance links to %q, want h1", first)
	}
	tb.do("following it", chromedp.Click(chromedp.CSS(".quote-first")))
	tb.waitFor("the first article", `location.pathname === '/articles/h1' && document.querySelector('#article h1')?.textContent === 'Harbour report h1'`)
}
