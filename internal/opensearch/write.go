package opensearch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/linking"
)

// bulkRetries is how many times documents the cluster turned away for
// backpressure (429) or a shard in transit are sent again.
const bulkRetries = 6

// source is an article as stored: its own JSON, with the values of the
// entity facets beside it so that they are indexed and counted, and its
// quotes' words and speakers' keys so that quote: and speaker: find it.
func source(a *corpus.Article) ([]byte, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	if a.Body == "" {
		// A flash is indexed without a body, so that a search tells it
		// by a body that does not exist (headline.go). The key is the
		// article's own: no type an article holds has a body.
		data = bytes.Replace(data, []byte(`,"body":""`), nil, 1)
	}
	var extra []string
	for _, f := range facet.All {
		if f.EntityType == "" {
			continue
		}
		v, err := json.Marshal(f.Values(a))
		if err != nil {
			return nil, err
		}
		extra = append(extra, fmt.Sprintf("%q:%s", f.Field, v))
	}
	texts, speakers := quoteValues(a)
	for _, fv := range []struct {
		field  string
		values []string
	}{{fQuote, texts}, {fSpeakerKey, speakers}} {
		if len(fv.values) == 0 {
			continue
		}
		js, err := json.Marshal(fv.values)
		if err != nil {
			return nil, err
		}
		extra = append(extra, fmt.Sprintf("%q:%s", fv.field, js))
	}
	if len(extra) == 0 {
		return data, nil
	}
	return append(data[:len(data)-1], ","+strings.Join(extra, ",")+"}"...), nil
}

// RejectedError lists the articles of a batch the cluster refused, each
// with its reason.
type RejectedError struct {
	Reasons map[string]string // by article ID
}

func (e *RejectedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "opensearch: %d article(s) rejected:", len(e.Reasons))
	for id, r := range e.Reasons {
		fmt.Fprintf(&b, " %s (%s);", id, r)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// WriteBatch upserts articles by ID with the bulk API. Documents refused
// for backpressure (429) or an unavailable shard are sent again, with a
// growing pause; any other refusal is reported, every article by ID, in a
// *RejectedError. The bulk request asks for refresh=wait_for, so that a
// written batch is searchable when WriteBatch returns, without forcing a
// refresh of its own per batch. A batch is not atomic on a cluster: the
// articles written before an error stay written (upserting them again is
// harmless). People and organisations named by surname or initials alone
// are linked first to the full names the index knows (linkstore.go).
func (e *Engine) WriteBatch(ctx context.Context, articles []corpus.Article) error {
	defer e.wrote()
	for _, l := range []*linking.Linker{&e.persons, &e.orgs} {
		if err := l.Link(ctx, linkStore{e}, articles); err != nil {
			return err
		}
	}
	pending := make([]int, len(articles))
	for i := range pending {
		pending[i] = i
	}
	lines := make([][]byte, len(articles))
	for i := range articles {
		src, err := source(&articles[i])
		if err != nil {
			return fmt.Errorf("opensearch: article %s: %w", articles[i].ID, err)
		}
		meta, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": articles[i].ID}})
		lines[i] = append(append(append(meta, '\n'), src...), '\n')
	}
	rejected := map[string]string{}
	pause := 100 * time.Millisecond
	for attempt := 0; len(pending) > 0; attempt++ {
		var body bytes.Buffer
		for _, i := range pending {
			body.Write(lines[i])
		}
		var got struct {
			Errors bool `json:"errors"`
			Items  []map[string]struct {
				Status int             `json:"status"`
				Error  json.RawMessage `json:"error"`
			} `json:"items"`
		}
		if err := e.do(ctx, http.MethodPost, "/"+e.index+"/_bulk?refresh=wait_for", body.Bytes(), &got); err != nil {
			return err
		}
		if len(got.Items) != len(pending) {
			return fmt.Errorf("opensearch: bulk answered %d items for %d articles", len(got.Items), len(pending))
		}
		var again []int
		for k, item := range got.Items {
			i := pending[k]
			r := item["index"]
			switch {
			case r.Status/100 == 2:
			case (r.Status == http.StatusTooManyRequests || r.Status == http.StatusServiceUnavailable) && attempt < bulkRetries:
				again = append(again, i)
			default:
				rejected[articles[i].ID] = fmt.Sprintf("status %d: %s", r.Status, r.Error)
			}
		}
		pending = again
		if len(pending) > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("opensearch: %w", ctx.Err())
			case <-time.After(pause):
			}
			pause *= 2
		}
	}
	if len(rejected) > 0 {
		return &RejectedError{Reasons: rejected}
	}
	return nil
}

// Delete removes an article; an absent one is no error. The deletion is
// visible to searches when Delete returns.
func (e *Engine) Delete(ctx context.Context, id string) error {
	defer e.wrote()
	err := e.do(ctx, http.MethodDelete, "/"+e.index+"/_doc/"+url.PathEscape(id)+"?refresh=wait_for", nil, nil)
	var se *statusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// quoteValues are the words of a's quotes, each once, and the keys of
// their speakers, each once, in the order of a.Quotes.
func quoteValues(a *corpus.Article) (texts, speakers []string) {
	seen := map[string]bool{}
	for _, q := range a.Quotes {
		// A quote of no words is no quote, nor its speaker's (as in Bleve).
		if !strings.ContainsFunc(q.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		if t := strings.ToValidUTF8(q.Text, "\uFFFD"); !seen["t"+t] {
			seen["t"+t] = true
			texts = append(texts, t)
		}
		if k := facet.Key(q.Speaker); k != "" && !seen["s"+k] {
			seen["s"+k] = true
			speakers = append(speakers, k)
		}
	}
	return texts, speakers
}
