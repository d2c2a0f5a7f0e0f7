package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

// hostPage is a site that embeds the widget, with a CSP that allows
// nothing but Folio's script and API: no inline code, no styles of its own.
const hostPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A news site</title>
<script src="%[1]s/widget.js" defer></script></head>
<body><h1>A news site</h1>
<folio-search facets="tag person" size="3" placeholder="Search the archive"></folio-search>
</body></html>`

// widgetSites starts Folio and a second site (another loopback origin)
// whose page embeds the widget; cors lists the origins Folio lets call its
// API, and host in it stands for the second site's origin.
func widgetSites(t *testing.T, cors ...string) (folio, host *httptest.Server) {
	t.Helper()
	var folioURL string
	host = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", fmt.Sprintf(
			"default-src 'none'; script-src %[1]s; connect-src %[1]s; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", folioURL))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, folioURL)
	}))
	t.Cleanup(host.Close)
	cfg := config.Default()
	for _, o := range cors {
		cfg.Server.CORSOrigins = append(cfg.Server.CORSOrigins, strings.ReplaceAll(o, "host", host.URL))
	}
	folio = foliotest.Serve(t, foliotest.NewIndex(t, "bundled"), cfg)
	folioURL = folio.URL
	return folio, host
}

// recordViolations makes every page record the CSP violations it meets,
// from before its own scripts run (the host page may run no inline code).
func recordViolations() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`})
		return err
	})
}

// shadow is an expression for an element inside the widget's shadow root.
func shadow(sel string) string {
	return fmt.Sprintf(`document.querySelector('folio-search').shadowRoot.querySelector(%q)`, sel)
}

func TestWidgetOnAnotherOrigin(t *testing.T) {
	folio, host := widgetSites(t, "host")
	tb := newTab(t, host)
	tb.others = []string{folio.URL}

	tb.do("opening the host page", recordViolations(), chromedp.Navigate(host.URL+"/"))
	tb.waitFor("the widget", shadow("input"))
	// The shadow root's stylesheet applies although the page allows no styles.
	if b := eval[string](tb, `getComputedStyle(`+shadow("input")+`).boxSizing`); b != "border-box" {
		t.Errorf("the widget's input has box-sizing %q: its stylesheet did not apply", b)
	}
	if role := eval[string](tb, shadow("input")+`.getAttribute('role')`); role != "combobox" {
		t.Errorf("the input's role is %q, want combobox", role)
	}

	// Typing asks for suggestions across origins.
	tb.do("typing", chromedp.Evaluate[chromedp.Void](shadow("input")+`.focus()`))
	for _, c := range "aliy" {
		tb.do("typing "+string(c), pressKey(string(c), "Key"+strings.ToUpper(string(c)), int64(strings.ToUpper(string(c))[0])))
	}
	tb.waitFor("suggestions", shadow(`[role=listbox]:not([hidden]) [role=option]`))
	if e := eval[string](tb, shadow("input")+`.getAttribute('aria-expanded')`); e != "true" {
		t.Errorf("aria-expanded is %q with suggestions shown", e)
	}
	options := eval[[]string](tb, `[...`+shadow("[role=listbox]")+`.querySelectorAll('[role=option] .text')].map((o) => o.textContent)`)
	if !containsFold(options, "Ilham Aliyev") {
		t.Errorf("suggestions for \"aliy\" are %q, want Ilham Aliyev among them", options)
	}
	tb.screenshot("suggestions", 0)

	// Down arrow moves the active option; Escape closes the list, which
	// the arrow opens again; Enter chooses.
	tb.do("pressing down twice", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	active := eval[string](tb, shadow("input")+`.getAttribute('aria-activedescendant')`)
	if want := eval[string](tb, shadow(`[role=option]:nth-child(2)`)+`.id`); active != want {
		t.Errorf("after two down arrows the active option is %q, want the second, %q", active, want)
	}
	if sel := eval[string](tb, shadow(`[role=option]:nth-child(2)`)+`.getAttribute('aria-selected')`); sel != "true" {
		t.Errorf("the second option has aria-selected=%q", sel)
	}
	tb.do("pressing up", chromedp.KeyEvent(kb.ArrowUp))
	tb.waitFor("the first option active", shadow(`[role=option]:nth-child(1)`)+`.getAttribute('aria-selected') === 'true'`)
	tb.do("pressing escape", chromedp.KeyEvent(kb.Escape))
	tb.waitFor("the list closed", shadow("[role=listbox]")+`.hidden && `+shadow("input")+`.getAttribute('aria-expanded') === 'false'`)
	tb.do("pressing down", chromedp.KeyEvent(kb.ArrowDown))
	tb.waitFor("the list open again", `!`+shadow("[role=listbox]")+`.hidden`)
	chosen := eval[string](tb, shadow(`[role=option][aria-selected=true]`)+`.dataset.i`)
	tb.do("pressing enter", chromedp.KeyEvent(kb.Enter))

	// Enter searched for the chosen suggestion: results with marked
	// snippets, the facets the site asked for, a link to Folio's page.
	tb.waitFor("results", shadow(".results li .title"))
	value := eval[string](tb, shadow("input")+`.value`)
	if chosen != "0" || value == "aliy" {
		t.Errorf("enter on option %s left the input at %q", chosen, value)
	}
	tb.waitFor("a marked match", shadow(".results li mark"))
	if n := eval[int](tb, shadow(".results")+`.querySelectorAll('li').length`); n < 1 || n > 3 {
		t.Errorf("%d results shown, want 1 to 3 (size=3)", n)
	}
	facets := eval[[]string](tb, `[...new Set([...`+shadow(".facets")+`.querySelectorAll('button')].map((b) => b.dataset.facet))]`)
	for _, f := range facets {
		if f != "tag" && f != "person" {
			t.Errorf("facet %q shown; the page asked for tag and person", f)
		}
	}
	if len(facets) == 0 {
		t.Error("no facets shown; the page asked for tag and person")
	}
	more := eval[string](tb, shadow("a.more")+`.href`)
	if !strings.HasPrefix(more, folio.URL+"/?q=") {
		t.Errorf("the link to the full page is %q, want it on Folio", more)
	}
	// Marks are elements made from the API's text, never parsed HTML.
	if n := eval[int](tb, shadow(".results")+`.querySelectorAll(':not(ol,li,a,div,p,mark,button,span)').length`); n != 0 {
		t.Errorf("%d unexpected elements in the results", n)
	}

	// A facet narrows the results.
	before := eval[string](tb, shadow(".results .status")+`.textContent`)
	tb.do("choosing a facet", chromedp.Evaluate[chromedp.Void](shadow(".facets button")+`.click()`))
	tb.waitFor("the facet pressed", shadow(`.facets button[aria-pressed=true]`))
	tb.screenshot("results", 0)
	if after := eval[string](tb, shadow(".results .status")+`.textContent`); after == "" {
		t.Errorf("no summary after choosing a facet (before: %q)", before)
	}

	if v := eval[[]string](tb, `window.__violations`); len(v) > 0 {
		t.Errorf("CSP violations on the host page: %q", v)
	}
}

// Without the host's origin in server.cors_origins the browser keeps the
// API's answers from the widget.
func TestWidgetNeedsCORS(t *testing.T) {
	folio, host := widgetSites(t, "http://elsewhere.example")
	tb := newTab(t, host)
	tb.others = []string{folio.URL}
	tb.do("opening the host page", chromedp.Navigate(host.URL+"/"))
	tb.waitFor("the widget", shadow("input"))
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(() => 'read', () => 'blocked')`, folio.URL+"/api/suggest?q=al"), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got != "blocked" {
		t.Errorf("a fetch of the API from an origin not in cors_origins was %s", got)
	}
	// The widget gets no suggestions either (and throws nothing).
	tb.do("typing", chromedp.Evaluate[chromedp.Void](shadow("input")+`.focus()`))
	for _, c := range "aliy" {
		tb.do("typing "+string(c), pressKey(string(c), "Key"+strings.ToUpper(string(c)), int64(strings.ToUpper(string(c))[0])))
	}
	tb.do("waiting for an answer", chromedp.Sleep(800*time.Millisecond))
	if open := eval[bool](tb, `!`+shadow("[role=listbox]")+`.hidden`); open {
		t.Error("suggestions shown although the API's answers are not the page's to read")
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}
