package server

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// hitObject is a hit as the API shows it (DESIGN.md): the article's fields,
// a key per facet of the facet table, the score, and with withHTML the
// title and body fragments rendered as HTML; without it (exports) the body
// instead.
func hitObject(h search.Hit, withHTML bool) object {
	var o object
	if withHTML {
		o = object{{"id", h.ID}, {"title", h.Title.Text}, {"title_html", markHTML(h.Title)}}
		if h.URL != "" {
			o = append(o, member{"url", h.URL})
		}
		o = append(o, member{"date", h.Date})
	} else {
		o = object{{"id", h.ID}, {"date", h.Date}, {"title", h.Title.Text}}
		if h.URL != "" {
			o = append(o, member{"url", h.URL})
		}
	}
	for _, f := range facet.All {
		values := h.Values[f.Name]
		switch {
		case f.Single && len(values) > 0:
			o = append(o, member{f.HitKey, values[0]})
		case f.Single:
		case values == nil:
			o = append(o, member{f.HitKey, []string{}})
		default:
			o = append(o, member{f.HitKey, values})
		}
	}
	o = append(o, member{"score", h.Score})
	if withHTML {
		snippets := make([]string, len(h.Fragments))
		for i, f := range h.Fragments {
			snippets[i] = markHTML(f)
		}
		o = append(o, member{"snippets", snippets})
		if h.Body != "" {
			o = append(o, member{"body", h.Body})
		}
	} else {
		o = append(o, member{"body", h.Body})
	}
	return o
}

// markHTML renders a fragment as HTML: its text escaped, each match in
// <mark>.
func markHTML(f search.Fragment) string {
	var b strings.Builder
	f.Pieces(func(text string, marked bool) {
		if marked {
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(text))
		if marked {
			b.WriteString("</mark>")
		}
	})
	return b.String()
}

// object is a JSON object whose members keep their order, so that
// answers read the same whatever builds them.
type object []member

type member struct {
	key   string
	value any
}

// MarshalJSON writes the members in order. Values are written without
// HTML escaping; an encoder that escapes (Echo's) escapes the whole.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(m.key); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode ends each value with a newline
		b.WriteByte(':')
		if err := enc.Encode(m.value); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
