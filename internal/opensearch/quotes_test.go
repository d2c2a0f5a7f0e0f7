package opensearch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// quoted is an article with one attributed quote.
func quoted() corpus.Article {
	body := "The minister, asked about his wealth, said: “I am not a poor man.” The markets did not move."
	text := "I am not a poor man."
	i := strings.Index(body, text)
	return corpus.Article{ID: "q1", Title: "Minister on wealth", Body: body, Quotes: []corpus.Quote{{
		Text: text, Speaker: "Ilham Aliyev", SpeakerKind: corpus.SpeakerPerson, Cue: "said", Start: i, End: i + len(text),
	}}}
}

// ids runs q on e and returns the IDs of its hits.
func ids(t *testing.T, e *Engine, q string, fragments int) (*search.Result, []string) {
	t.Helper()
	n, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(context.Background(), search.Request{Query: n, Fragments: fragments})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return res, out
}

// TestQuoteFieldsAddedToOlderIndex opens the engine on an index made
// without the quote fields, as by an earlier Folio: Open adds them, and
// an article written then is found by speaker: and quote:.
func TestQuoteFieldsAddedToOlderIndex(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	name := fmt.Sprintf("folio-test-%d-%d", os.Getpid(), indexes.Add(1))
	tpl := template(Config{Index: name})["template"].(map[string]any)
	mappings := tpl["mappings"].(map[string]any)
	props := mappings["properties"].(map[string]any)
	delete(props, fQuote)
	delete(props, fSpeakerKey)
	body, _ := json.Marshal(map[string]any{"settings": tpl["settings"], "mappings": mappings})
	req, _ := http.NewRequest(http.MethodPut, clusterURLs[0]+"/"+name, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("creating %s: status %d", name, res.StatusCode)
	}
	t.Cleanup(func() {
		req, _ := http.NewRequest(http.MethodDelete, clusterURLs[0]+"/"+name, nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	})
	e, err := Open(context.Background(), Config{URLs: clusterURLs, Index: name})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.WriteBatch(context.Background(), []corpus.Article{quoted()}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`speaker:"Ilham Aliyev"`, `quote:"poor man"`} {
		if _, got := ids(t, e, q, 0); len(got) != 1 {
			t.Errorf("%s: hits %v, want [q1]", q, got)
		}
	}
}

// TestQuoteMarked checks that a quote's phrase is marked where the body
// holds it, as the Bleve engine marks it, and that an excluded speaker's
// words are not.
func TestQuoteMarked(t *testing.T) {
	e := openTest(t)
	defer e.Close()
	if err := e.WriteBatch(context.Background(), []corpus.Article{quoted()}); err != nil {
		t.Fatal(err)
	}
	res, got := ids(t, e, `quote:"poor man"`, 1)
	if len(got) != 1 || len(res.Hits[0].Fragments) != 1 {
		t.Fatalf("hits %v, want [q1] with a fragment", got)
	}
	f := res.Hits[0].Fragments[0]
	var marked []string
	for _, s := range f.Spans {
		marked = append(marked, f.Text[s.Start:s.End])
	}
	if len(marked) != 1 || marked[0] != "poor man" {
		t.Errorf("marked %q in %q, want [\"poor man\"]", marked, f.Text)
	}
	if _, got := ids(t, e, `markets -speaker:"ilham aliyev"`, 0); len(got) != 0 {
		t.Errorf("markets -speaker: hits %v, want none", got)
	}
}
