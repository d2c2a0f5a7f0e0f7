package web_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/folio-search/folio/internal/foliotest"
)

// netEntity is one related entity, as the API lists it or as the page
// draws it.
type netEntity struct {
	Facet string  `json:"facet"`
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Score float64 `json:"score"`
}

// relatedAnswer is GET /api/entities/related as the network reads it.
type relatedAnswer struct {
	Entity struct {
		Matched []string
	}
	Related map[string][]netEntity
	Slices  []sliceAnswer
}

type sliceAnswer struct {
	Period   string
	Articles int
	Related  map[string][]netEntity
}

// apiRelated asks the API who appears with an entity within a search.
func apiRelated(t *testing.T, base string, search url.Values, facet, name string) relatedAnswer {
	t.Helper()
	p := url.Values{}
	for k, v := range search {
		p[k] = slices.Clone(v)
	}
	p.Set("type", facet)
	p.Set("name", name)
	p.Set("size", "15")
	p.Set("slice", "year")
	res, err := http.Get(base + "/api/entities/related?" + p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body relatedAnswer
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /api/entities/related?%s: HTTP %d, %v", p.Encode(), res.StatusCode, err)
	}
	return body
}

// topRelated is what the network must draw: the 15 highest scores over
// all types, ties broken by shared articles, type and name.
func topRelated(related map[string][]netEntity) []netEntity {
	order := []string{"person", "org", "place"}
	var all []netEntity
	for _, facet := range order {
		for _, e := range related[facet] {
			e.Facet = facet
			all = append(all, e)
		}
	}
	slices.SortStableFunc(all, func(a, b netEntity) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.Count != b.Count:
			return b.Count - a.Count
		case a.Facet != b.Facet:
			return slices.Index(order, a.Facet) - slices.Index(order, b.Facet)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return all[:min(len(all), 15)]
}

// drawnNode is a node of the network as the page drew it.
type drawnNode struct {
	Facet string  `json:"facet"`
	Name  string  `json:"name"`
	X     float64 `json:"x"` // the shape's centre
	Y     float64 `json:"y"`
	Size  float64 `json:"size"`  // the shape's width
	Edge  float64 `json:"edge"`  // its edge's stroke width
	Label string  `json:"label"` // the text shown
	Box   box     `json:"box"`   // the label's bounding box
}

type box struct{ X, Y, W, H float64 }

func (a box) overlaps(b box) bool {
	const slack = 0.5 // touching is not overlapping
	return a.X+slack < b.X+b.W && b.X+slack < a.X+a.W && a.Y+slack < b.Y+b.H && b.Y+slack < a.Y+a.H
}

type drawnNetwork struct {
	CentreName  string      `json:"centreName"`
	CentreLabel string      `json:"centreLabel"`
	CX          float64     `json:"cx"`
	CY          float64     `json:"cy"`
	Width       float64     `json:"width"` // the drawing's size
	Height      float64     `json:"height"`
	CentreBox   box         `json:"centreBox"`
	Nodes       []drawnNode `json:"nodes"`
}

// network reads the drawing: the centre, and each node in order with its
// geometry and its edge.
func (tb *tab) network() drawnNetwork {
	tb.t.Helper()
	js := eval[string](tb, `(() => {
		const root = document.querySelector('#related svg.net-svg');
		if (!root) return 'null';
		const box = (n) => { const b = n.getBBox(); return { x: b.x + b.width / 2, y: b.y + b.height / 2, w: b.width }; };
		const rect = (n) => { const b = n.getBBox(); return { X: b.x, Y: b.y, W: b.width, H: b.height }; };
		const c = root.querySelector('.net-centre');
		const cb = box(c.querySelector('.net-shape'));
		const edges = [...root.querySelectorAll('.net-edge')];
		return JSON.stringify({
			centreName: c.dataset.name, centreLabel: c.querySelector('.net-centre-label').textContent, cx: cb.x, cy: cb.y,
			width: root.viewBox.baseVal.width, height: root.viewBox.baseVal.height, centreBox: rect(c.querySelector('.net-centre-label')),
			nodes: [...root.querySelectorAll('a.net-node')].map((a, i) => {
				const b = box(a.querySelector('.net-shape'));
				return { facet: a.dataset.facet, name: a.dataset.name, x: b.x, y: b.y, size: b.w,
					edge: edges[i] ? Number(edges[i].getAttribute('stroke-width')) : -1, label: a.querySelector('text').textContent, box: rect(a.querySelector('text')) };
			}),
		});
	})()`)
	var n drawnNetwork
	if js == "null" {
		tb.fail("reading the network", fmt.Errorf("no <svg class=net-svg> in the related view"))
	}
	if err := json.Unmarshal([]byte(js), &n); err != nil {
		tb.fail("reading the network", err)
	}
	return n
}

// checkNetwork compares the drawing with the API's answer: one node per
// entity it ranks highest, in its order, the first at the top, sizes
// following shared articles and edges following scores.
func checkNetwork(t *testing.T, got drawnNetwork, centre string, want []netEntity) {
	t.Helper()
	if got.CentreName != centre || got.CentreLabel != centre {
		t.Errorf("centre is %q labelled %q, want %q", got.CentreName, got.CentreLabel, centre)
	}
	if len(got.Nodes) != len(want) {
		t.Fatalf("network has %d nodes, the API lists %d entities: %+v", len(got.Nodes), len(want), want)
	}
	for i, w := range want {
		g := got.Nodes[i]
		if g.Facet != w.Facet || g.Name != w.Name {
			t.Errorf("node %d is %s %q, want %s %q", i+1, g.Facet, g.Name, w.Facet, w.Name)
		}
		if !strings.HasPrefix(w.Name, strings.TrimSuffix(g.Label, "…")) {
			t.Errorf("node %d is labelled %q for %q", i+1, g.Label, w.Name)
		}
		if math.Hypot(g.X-got.CX, g.Y-got.CY) < 60 {
			t.Errorf("node %q at (%.0f, %.0f) sits on the centre (%.0f, %.0f)", g.Name, g.X, g.Y, got.CX, got.CY)
		}
		if i > 0 && g.Edge > got.Nodes[i-1].Edge {
			t.Errorf("edge to %q (score %.2f) is %.2f wide, to %q (score %.2f) %.2f", w.Name, w.Score, g.Edge, want[i-1].Name, want[i-1].Score, got.Nodes[i-1].Edge)
		}
		if w.Score < want[0].Score/2 && !(g.Edge < got.Nodes[0].Edge) {
			t.Errorf("edge to %q (score %.2f) is as wide as to %q (score %.2f)", w.Name, w.Score, want[0].Name, want[0].Score)
		}
		for j, v := range want {
			if v.Facet == w.Facet && v.Count < w.Count && !(got.Nodes[j].Size < g.Size) {
				t.Errorf("%q (%d together) is drawn %.1f wide, %q (%d) %.1f", v.Name, v.Count, got.Nodes[j].Size, w.Name, w.Count, g.Size)
			}
		}
	}
	// Labels stay readable: inside the drawing and clear of each other.
	for i, g := range got.Nodes {
		b := g.Box
		if b.X < 0 || b.Y < 0 || b.X+b.W > got.Width || b.Y+b.H > got.Height {
			t.Errorf("label %q at %+v leaves the %.0f×%.0f drawing", g.Label, b, got.Width, got.Height)
		}
		if b.overlaps(got.CentreBox) {
			t.Errorf("label %q covers the centre's label", g.Label)
		}
		for _, h := range got.Nodes[:i] {
			if b.overlaps(h.Box) {
				t.Errorf("labels %q %+v and %q %+v overlap", g.Label, b, h.Label, h.Box)
			}
		}
	}
	if len(got.Nodes) > 0 {
		if top := got.Nodes[0]; math.Abs(top.X-got.CX) > 1 || top.Y >= got.CY {
			t.Errorf("the strongest association is at (%.0f, %.0f), not straight above the centre (%.0f, %.0f)", top.X, top.Y, got.CX, got.CY)
		}
	}
}

// TestPageRelatedNetwork: the related view draws the entity's network in
// SVG beside the list, node for node as the API ranks it, with the
// exports in view; a node (by keyboard or pointer) adds its filter and
// re-centres the network on it, and Back brings the first centre back.
func TestPageRelatedNetwork(t *testing.T) {
	srv := foliotest.NewServer(t, "bundled")
	tb := newTab(t, srv)
	const centre = "Ilham Aliyev"
	tb.do("opening a person filter", chromedp.Navigate(srv.URL+"/?person=Ilham+Aliyev"))
	tb.settled("results")
	tb.do("asking who appears with him", chromedp.Click(chromedp.CSS(`#chips button.chip-related[data-name="Ilham Aliyev"]`)))
	tb.waitFor("the network", `document.querySelector('#related svg.net-svg') || document.querySelector('#related .related-error')`)

	// The association is measured in the search without the entity's own filter.
	want := topRelated(apiRelated(t, srv.URL, url.Values{}, "person", centre).Related)
	if len(want) < 2 {
		t.Fatalf("the API lists %d entities related to %s; the sample should give several", len(want), centre)
	}
	checkNetwork(t, tb.network(), centre, want)
	if n := eval[int](tb, `document.querySelectorAll('#related .related-list .related-item').length`); n == 0 {
		t.Error("the ranked list is gone from beside the network")
	}
	for _, format := range []string{"csv", "graphml"} {
		sel := fmt.Sprintf(`#related a[download="related.%s"]`, format)
		if !eval[bool](tb, `(() => { const a = document.querySelector('`+sel+`'); return !!a && a.getClientRects().length > 0 && a.href.includes('format=`+format+`'); })()`) {
			t.Errorf("the %s export link is missing or hidden", format)
		}
	}
	tb.screenshot("network", 0)
	tb.screenshot("network-phone", 390)

	// Enter on the strongest node: its filter is added and it is the new centre.
	first := want[0]
	tb.do("focusing the first node", chromedp.Focus(chromedp.CSS(`#related a.net-node[data-rank="1"]`)))
	if got := eval[string](tb, `document.activeElement.dataset.name || ''`); got != first.Name {
		t.Fatalf("focus is on %q, want the node %q", got, first.Name)
	}
	// The network is one Tab stop; arrow keys walk its nodes in rank order.
	if n := eval[int](tb, `document.querySelectorAll('#related a.net-node[tabindex="0"]').length`); n != 1 {
		t.Errorf("%d nodes are in the Tab order, want 1", n)
	}
	tb.do("moving to the next node", chromedp.KeyEvent(kb.ArrowRight))
	if got := eval[string](tb, `document.activeElement.dataset.rank || ''`); got != "2" {
		t.Errorf("ArrowRight moved focus to node %q, want 2", got)
	}
	tb.do("moving back", chromedp.KeyEvent(kb.ArrowLeft))
	if got := eval[string](tb, `document.activeElement.dataset.name || ''`); got != first.Name {
		t.Fatalf("ArrowLeft moved focus to %q, want %q", got, first.Name)
	}
	tb.do("pressing Enter on it", chromedp.KeyEvent(kb.Enter))
	tb.waitFor("its filter", fmt.Sprintf(`new URLSearchParams(location.search).getAll(%q).includes(%q)`, first.Facet, first.Name))
	tb.settled("the narrowed results")
	tb.waitFor("the network re-centred", fmt.Sprintf(`document.querySelector('#related .net-centre')?.dataset.name === %q && document.querySelector('#related').getAttribute('aria-busy') === 'false'`, first.Name))
	if got := tb.location().Query()["person"]; !contains(got, centre) {
		t.Errorf("URL person= is %q; the first centre's filter was lost", got)
	}
	if got, want := tb.location().Query().Get("related"), first.Facet+":"+first.Name; got != want {
		t.Errorf("URL related= is %q, want %q", got, want)
	}
	if !eval[bool](tb, `document.querySelector('#related').contains(document.activeElement)`) {
		t.Error("keyboard focus left the related view when it re-centred")
	}
	search := url.Values{"person": {centre}}
	second := topRelated(apiRelated(t, srv.URL, search, first.Facet, first.Name).Related)
	checkNetwork(t, tb.network(), first.Name, second)

	// A pointer on a node of the new network does the same.
	if len(second) > 0 {
		next := second[0]
		tb.do("clicking a node", chromedp.Click(chromedp.CSS(`#related a.net-node[data-rank="1"] .net-shape`)))
		tb.waitFor("the node's filter", fmt.Sprintf(`new URLSearchParams(location.search).getAll(%q).includes(%q)`, next.Facet, next.Name))
		tb.settled("the results")
		tb.waitFor("the network re-centred again", fmt.Sprintf(`document.querySelector('#related .net-centre')?.dataset.name === %q`, next.Name))
		tb.do("going back", chromedp.NavigateBack())
	}

	tb.do("going back", chromedp.NavigateBack())
	tb.settled("the first search")
	tb.waitFor("the first network", fmt.Sprintf(`document.querySelector('#related .net-centre')?.dataset.name === %q && document.querySelector('#related').getAttribute('aria-busy') === 'false'`, centre))
	checkNetwork(t, tb.network(), centre, want)

	// The view is part of the URL: a reload (or a shared link) opens it.
	tb.do("reloading", chromedp.Reload())
	tb.settled("the reloaded search")
	tb.waitFor("the network after a reload", fmt.Sprintf(`document.querySelector('#related .net-centre')?.dataset.name === %q`, centre))
	checkNetwork(t, tb.network(), centre, want)

	// Closing it takes it out of the URL and hands focus to its chip's button.
	tb.do("closing the view", chromedp.Click(chromedp.CSS(`#related .related-close`)))
	tb.waitFor("the view closed", `document.querySelector('#related').hidden && !new URLSearchParams(location.search).has('related')`)
	if got := eval[string](tb, `document.activeElement.classList.contains('chip-related') ? document.activeElement.dataset.name : ''`); got != centre {
		t.Errorf("after closing, focus is on %q, want the Related button of %s", got, centre)
	}
}

// summits writes seven dated reports of leaders meeting, three in 2022
// and four in 2023, so the related entities differ by year.
func summits(t *testing.T) string {
	t.Helper()
	reports := []struct{ date, body string }{
		{"2022-03-10", "Ilham Aliyev met Nikol Pashinyan in Brussels to discuss the peace treaty. Charles Michel hosted the talks at the European Council."},
		{"2022-05-22", "Ilham Aliyev and Nikol Pashinyan spoke again in Brussels. Charles Michel said the European Council would keep helping."},
		{"2022-09-14", "Nikol Pashinyan told parliament in Yerevan that Ilham Aliyev had broken the ceasefire."},
		{"2023-02-18", "Ilham Aliyev met Recep Tayyip Erdogan in Ankara after the earthquake. The Turkish president thanked Azerbaijan."},
		{"2023-06-01", "Recep Tayyip Erdogan welcomed Ilham Aliyev to Ankara for his inauguration. Both praised the pipeline."},
		{"2023-10-05", "Ilham Aliyev visited Ankara where Recep Tayyip Erdogan promised investment."},
		{"2023-11-11", "Emmanuel Macron met Nikol Pashinyan in Paris to talk about security."},
	}
	var b strings.Builder
	for i, r := range reports {
		line, _ := json.Marshal(map[string]string{
			"id": fmt.Sprintf("summit-%d", i+1), "title": fmt.Sprintf("Summit report %d", i+1), "date": r.date + "T10:00:00Z", "body": r.body,
		})
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "summits.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPageRelatedNetworkByYear: when the answer has several years, a
// control redraws the network for one year, as the API's slice for that
// year ranks it, and the year stays chosen when the centre moves.
func TestPageRelatedNetworkByYear(t *testing.T) {
	srv := foliotest.NewServer(t, summits(t))
	const centre = "Ilham Aliyev"
	answer := apiRelated(t, srv.URL, url.Values{}, "person", centre)
	var periods []string
	for _, sl := range answer.Slices {
		periods = append(periods, sl.Period)
	}
	if !slices.Equal(periods, []string{"2022", "2023"}) {
		t.Fatalf("the API slices %s's articles into %q, want 2022 and 2023", centre, periods)
	}

	tb := newTab(t, srv)
	tb.do("opening a person filter", chromedp.Navigate(srv.URL+"/?person=Ilham+Aliyev"))
	tb.settled("results")
	tb.do("asking who appears with him", chromedp.Click(chromedp.CSS(`#chips button.chip-related[data-name="Ilham Aliyev"]`)))
	tb.waitFor("the year control", `document.querySelector('#related select.net-period')`)
	if got := eval[[]string](tb, `[...document.querySelectorAll('#related select.net-period option')].map((o) => o.value)`); !slices.Equal(got, []string{"", "2022", "2023"}) {
		t.Errorf("the year control offers %q", got)
	}
	checkNetwork(t, tb.network(), centre, topRelated(answer.Related))

	for n, sl := range answer.Slices {
		tb.do("choosing "+sl.Period, chromedp.SetValue(chromedp.CSS(`#related select.net-period`), sl.Period))
		eval[bool](tb, `document.querySelector('#related select.net-period').dispatchEvent(new Event('change')) || true`)
		want := topRelated(sl.Related)
		if len(want) == 0 {
			t.Fatalf("no one appears with %s in %s", centre, sl.Period)
		}
		checkNetwork(t, tb.network(), centre, want)
		if label := eval[string](tb, `document.querySelector('#related svg.net-svg').getAttribute('aria-label')`); !strings.Contains(label, "in "+sl.Period) {
			t.Errorf("the network for %s is labelled %q", sl.Period, label)
		}
		if n == 0 {
			tb.screenshot("network-"+sl.Period, 0)
		}
	}
	// The year chosen last stays as the centre moves.
	last := answer.Slices[len(answer.Slices)-1]
	next := topRelated(last.Related)[0]
	tb.do("clicking a node", chromedp.Click(chromedp.CSS(`#related a.net-node[data-rank="1"] .net-shape`)))
	tb.waitFor("the network re-centred", fmt.Sprintf(`document.querySelector('#related .net-centre')?.dataset.name === %q`, next.Name))
	moved := apiRelated(t, srv.URL, url.Values{"person": {centre}}, next.Facet, next.Name)
	i := slices.IndexFunc(moved.Slices, func(sl sliceAnswer) bool { return sl.Period == last.Period })
	if i < 0 {
		t.Fatalf("the API has no %s slice for %s", last.Period, next.Name)
	}
	if got := eval[string](tb, `document.querySelector('#related select.net-period')?.value ?? 'none'`); got != last.Period {
		t.Errorf("after re-centring the network shows %q, want %s", got, last.Period)
	}
	checkNetwork(t, tb.network(), next.Name, topRelated(moved.Slices[i].Related))
}

// crowd writes reports of Ilham Aliyev meeting nine leaders in nine
// cities, 2 to 4 times each, and some about the weather: eighteen
// entities related to him, more than the network draws.
func crowd(t *testing.T) string {
	t.Helper()
	people := []string{"Nikol Pashinyan", "Recep Tayyip Erdogan", "Vladimir Putin", "Emmanuel Macron", "Charles Michel", "Antony Blinken", "Olaf Scholz", "Kassym-Jomart Tokayev", "Hikmet Hajiyev"}
	places := []string{"Yerevan", "Ankara", "Moscow", "Paris", "Brussels", "Washington", "Berlin", "Astana", "Tbilisi"}
	var b strings.Builder
	write := func(body string) {
		n := strings.Count(b.String(), "\n") + 1
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("crowd-%d", n), "title": fmt.Sprintf("Report %d", n), "body": body})
		b.Write(line)
		b.WriteByte('\n')
	}
	for k, p := range people {
		for range 2 + k%3 {
			write(fmt.Sprintf("Ilham Aliyev met %s in %s on Tuesday. The talks in %s lasted two hours, officials said.", p, places[k], places[k]))
		}
	}
	for range 12 {
		write("Rain is expected across the region this week, forecasters said on Monday.")
	}
	path := filepath.Join(t.TempDir(), "crowd.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPageRelatedNetworkCrowded: with more related entities than it
// draws, the network keeps the 15 highest scores of any type, and its
// labels stay clear of each other beside the list and on a phone.
func TestPageRelatedNetworkCrowded(t *testing.T) {
	srv := foliotest.NewServer(t, crowd(t))
	const centre = "Ilham Aliyev"
	answer := apiRelated(t, srv.URL, url.Values{}, "person", centre)
	listed := 0
	for _, list := range answer.Related {
		listed += len(list)
	}
	if listed <= 15 {
		t.Fatalf("the API lists %d entities related to %s, want more than 15", listed, centre)
	}
	want := topRelated(answer.Related)

	tb := newTab(t, srv)
	tb.do("opening a person filter", chromedp.Navigate(srv.URL+"/?person=Ilham+Aliyev"))
	tb.settled("results")
	tb.do("asking who appears with him", chromedp.Click(chromedp.CSS(`#chips button.chip-related[data-name="Ilham Aliyev"]`)))
	tb.waitFor("the network", `document.querySelector('#related svg.net-svg')`)
	got := tb.network()
	if got.Width < 500 {
		t.Errorf("beside the list the network is %.0f px wide, want its full 560", got.Width)
	}
	checkNetwork(t, got, centre, want)
	tb.screenshot("crowded", 0)

	tb.do("narrowing to a phone", chromedp.EmulateViewport(390, 812))
	tb.waitFor("the network redrawn", `document.querySelector('#related svg.net-svg')?.viewBox.baseVal.width < 400`)
	checkNetwork(t, tb.network(), centre, want)
	tb.screenshot("crowded-phone", 390)
}

// TestPageRelatedFromURL: related= opens the view only on one of the
// search's entity filters; anything else leaves it closed, and an entity
// the index does not know gets a message, not a broken drawing.
func TestPageRelatedFromURL(t *testing.T) {
	srv := foliotest.NewServer(t, "bundled")
	tb := newTab(t, srv)
	closed := []url.Values{
		{"person": {"Ilham Aliyev"}, "related": {"person:Nikol Pashinyan"}}, // not a filter
		{"person": {"Ilham Aliyev"}, "related": {"Ilham Aliyev"}},           // no type
		{"person": {"Ilham Aliyev"}, "related": {"tag:Ilham Aliyev"}},       // not an entity facet
		{"person": {"Ilham Aliyev"}, "related": {":Ilham Aliyev"}},
		{"related": {"person:Ilham Aliyev"}},
	}
	for _, v := range closed {
		tb.do("opening "+v.Encode(), chromedp.Navigate(srv.URL+"/?"+v.Encode()))
		tb.settled("results")
		if eval[bool](tb, `!document.querySelector('#related').hidden`) {
			t.Errorf("?%s opened the related view", v.Encode())
		}
	}

	hostile := `<img src=x onerror="document.title='owned'">`
	v := url.Values{"person": {hostile}, "related": {"person:" + hostile}}
	tb.do("opening an unknown entity", chromedp.Navigate(srv.URL+"/?"+v.Encode()))
	tb.settled("results")
	tb.waitFor("the message", `document.querySelector('#related .related-error')`)
	if got := tb.text("#related .related-error"); !strings.Contains(got, "could not be listed") {
		t.Errorf("message %q", got)
	}
	if eval[bool](tb, `!!document.querySelector('#related svg.net-svg') || document.title === 'owned'`) {
		t.Error("an unknown entity drew a network or ran its name")
	}
}
