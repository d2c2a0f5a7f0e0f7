package server

import (
	"html"
	"reflect"
	"strings"
	"time"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/search"
)

// A hit's JSON (DESIGN.md) has the article's fields, a key per facet of
// the facet table, and the score. Its Go type is built once from the
// table (reflect.StructOf), so encoding/json writes hits in order and at
// its own speed, with no map and no hand-written encoder.
var (
	// searchHit is a hit of /api/search: the title and body fragments
	// rendered as HTML.
	searchHit = newHitShape(
		[]reflect.StructField{field("ID", "id", ""), field("Title", "title", ""), field("TitleHTML", "title_html", ""),
			field("URL", "url,omitempty", ""), field("Date", "date", (*time.Time)(nil))},
		[]reflect.StructField{field("Score", "score", 0.0), field("Snippets", "snippets", []string(nil)), field("Body", "body,omitempty", "")})
	// exportHit is a hit of a JSON Lines export: the body, no HTML.
	exportHit = newHitShape(
		[]reflect.StructField{field("ID", "id", ""), field("Date", "date", (*time.Time)(nil)), field("Title", "title", ""),
			field("URL", "url,omitempty", "")},
		[]reflect.StructField{field("Score", "score", 0.0), field("Body", "body", "")})
)

// hitShape is a struct type for a hit: fields before the facets, a field
// F<i> per facet of facet.All, fields after.
type hitShape struct {
	typ reflect.Type
	at  map[string]int // field index by Go name
}

func field(name, tag string, zero any) reflect.StructField {
	return reflect.StructField{Name: name, Type: reflect.TypeOf(zero), Tag: reflect.StructTag(`json:"` + tag + `"`)}
}

func newHitShape(before, after []reflect.StructField) hitShape {
	fields := append([]reflect.StructField{}, before...)
	for i, f := range facet.All {
		if f.Single {
			fields = append(fields, field(facetField(i), f.HitKey+",omitempty", ""))
		} else {
			fields = append(fields, field(facetField(i), f.HitKey, []string(nil)))
		}
	}
	fields = append(fields, after...)
	s := hitShape{typ: reflect.StructOf(fields), at: map[string]int{}}
	for i, f := range fields {
		s.at[f.Name] = i
	}
	return s
}

func facetField(i int) string { return "F" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

// set sets the field name, if the shape has it.
func (s hitShape) set(v reflect.Value, name string, x any) {
	if i, ok := s.at[name]; ok {
		v.Field(i).Set(reflect.ValueOf(x))
	}
}

// hitObject is h as the API shows it: for /api/search with withHTML (the
// title and body fragments as HTML), for an export without (the body).
func hitObject(h search.Hit, withHTML bool) any {
	shape := exportHit
	if withHTML {
		shape = searchHit
	}
	v := reflect.New(shape.typ).Elem()
	shape.set(v, "ID", h.ID)
	shape.set(v, "Title", h.Title.Text)
	shape.set(v, "URL", h.URL)
	shape.set(v, "Date", h.Date)
	shape.set(v, "Score", h.Score)
	shape.set(v, "Body", h.Body)
	for i, f := range facet.All {
		values := h.Values[f.Name]
		switch {
		case f.Single && len(values) > 0:
			shape.set(v, facetField(i), values[0])
		case f.Single:
		case values == nil:
			shape.set(v, facetField(i), []string{})
		default:
			shape.set(v, facetField(i), values)
		}
	}
	if withHTML {
		shape.set(v, "TitleHTML", markHTML(h.Title))
		snippets := make([]string, len(h.Fragments))
		for i, f := range h.Fragments {
			snippets[i] = markHTML(f)
		}
		shape.set(v, "Snippets", snippets)
	}
	return v.Interface()
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
