package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/folio-search/folio/internal/foliotest"
)

// TestPageNameVariants: a person filter typed as a variant finds the
// person and the page says which name matched; a phrase spelling a name
// otherwise offers the known spelling as a link, with its count.
func TestPageNameVariants(t *testing.T) {
	srv := foliotest.NewServer(t, "bundled")
	want, _ := apiSearch(t, srv.URL, url.Values{"person": {"Ilham Aliyev"}})
	if want == 0 {
		t.Fatal("no article of Ilham Aliyev in the sample")
	}
	tb := newTab(t, srv)
	tb.do("opening a variant filter", chromedp.Navigate(srv.URL+"/?"+url.Values{"person": {"Ilham Əliyev"}}.Encode()))
	tb.settled("results")
	if got := tb.shownTotal(); got != want {
		t.Errorf("person=Ilham Əliyev shows %d articles, want %d", got, want)
	}
	if got := tb.text("#notice .matched"); !strings.Contains(got, "Ilham Aliyev") {
		t.Errorf("notice says %q, want the matched name", got)
	}

	// A search's feedback words are shown with the results, as the API
	// gives them.
	var expanded struct{ Expansion []string }
	get := func(q string) {
		resp, err := http.Get(srv.URL + "/api/search?" + url.Values{"q": {q}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&expanded); err != nil {
			t.Fatal(err)
		}
	}
	get("aliyev")
	if len(expanded.Expansion) == 0 {
		t.Fatal("the API gives no feedback words for aliyev")
	}
	tb.do("searching a word", chromedp.Navigate(srv.URL+"/?"+url.Values{"q": {"aliyev"}}.Encode()))
	tb.settled("results")
	tb.waitFor("the feedback words", `document.querySelector('#notice .expansion')`)
	if got := tb.text("#notice .expansion-words"); got != strings.Join(expanded.Expansion, ", ") {
		t.Errorf("feedback words shown %q, want %q", got, strings.Join(expanded.Expansion, ", "))
	}

	// A query of two words that matches few articles is followed by
	// articles with one of them, marked as such, after the matches.
	var few struct {
		Total int
		Hits  []struct{ ID string }
	}
	resp, err := http.Get(srv.URL + "/api/search?" + url.Values{"q": {"aliyev baku"}, "size": {"10"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&few)
	resp.Body.Close()
	if err != nil || len(few.Hits) <= few.Total {
		t.Fatalf("aliyev baku: %v, %d hits for %d matches: nothing added, nothing to show", err, len(few.Hits), few.Total)
	}
	tb.do("searching two words", chromedp.Navigate(srv.URL+"/?"+url.Values{"q": {"aliyev baku"}}.Encode()))
	tb.settled("results")
	marks := eval[[]bool](tb, `[...document.querySelectorAll('#results > li')].map((li) => li.classList.contains('partial') && li.querySelector('.partial-note') !== null)`)
	if len(marks) != len(few.Hits) {
		t.Fatalf("%d results shown, the API gives %d", len(marks), len(few.Hits))
	}
	for i, partial := range marks {
		if partial != (i >= few.Total) {
			t.Errorf("result %d marked partial: %v, want %v (%d matches)", i+1, partial, i >= few.Total, few.Total)
		}
	}

	phrase, _ := apiSearch(t, srv.URL, url.Values{"q": {`"Ilham Aliyev"`}})
	tb.do("searching a variant phrase", chromedp.Navigate(srv.URL+"/?"+url.Values{"q": {`"Ilham Aliev"`}}.Encode()))
	tb.settled("no results")
	tb.waitFor("the suggestion", `document.querySelector('#notice a.did-you-mean')`)
	if got := eval[string](tb, `document.querySelector('#notice a.did-you-mean').parentElement.textContent`); !strings.Contains(got, "ilham aliyev") || !strings.Contains(got, "article") {
		t.Errorf("suggestion reads %q", got)
	}
	// A click event on the link itself: the page handles it as a plain
	// click on any of its links.
	eval[bool](tb, `(document.querySelector("#notice a.did-you-mean").click(), true)`)
	tb.waitFor("the suggested search", `new URLSearchParams(location.search).get('q') === '"ilham aliyev"'`)
	tb.settled("the suggested results")
	if got := tb.shownTotal(); got != phrase || got == 0 {
		t.Errorf("the suggestion shows %d articles, want %d", got, phrase)
	}
	tb.screenshot("did-you-mean", 0)
}

// TestPageRelatedFromChip: the Related button beside an entity chip lists
// who appears with the entity, by type, with exports; a name in the list
// adds its filter.
func TestPageRelatedFromChip(t *testing.T) {
	srv := foliotest.NewServer(t, "bundled")
	tb := newTab(t, srv)
	tb.do("opening a person filter", chromedp.Navigate(srv.URL+"/?person=Ilham+Aliyev"))
	tb.settled("results")
	tb.do("asking who appears with him", chromedp.Click(chromedp.CSS(`#chips button.chip-related[data-name="Ilham Aliyev"]`)))
	tb.waitFor("the related list", `document.querySelector('#related .related-list li') || document.querySelector('#related .related-error')`)
	if got := tb.text("#related h2"); got != "Who appears with Ilham Aliyev" {
		t.Errorf("heading %q", got)
	}
	if n := eval[int](tb, `document.querySelectorAll('#related .related-item').length`); n == 0 {
		t.Fatal("no related entity listed")
	}
	if href := eval[string](tb, `document.querySelector('#related a[download="related.csv"]').href`); !strings.Contains(href, "format=csv") || !strings.Contains(href, "name=Ilham+Aliyev") {
		t.Errorf("CSV export link %q", href)
	}
	first := tb.text("#related .related-item a.related-name")
	facet := eval[string](tb, `document.querySelector('#related .related-item').closest('ol').dataset.facet`)
	tb.screenshot("related", 0)
	tb.do("choosing a related entity", chromedp.Click(chromedp.CSS("#related .related-item a.related-name")))
	tb.waitFor("its filter", `new URLSearchParams(location.search).getAll('`+facet+`').length > 0`)
	tb.settled("the narrowed results")
	if got := tb.location().Query()[facet]; !contains(got, first) {
		t.Errorf("URL %s= is %q, want %q among them", facet, got, first)
	}
	if got := tb.location().Query()["person"]; !contains(got, "Ilham Aliyev") {
		t.Errorf("URL person= is %q; the chip's own filter was lost", got)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
