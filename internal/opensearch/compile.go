package opensearch

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
	"github.com/folio-search/folio/internal/textnorm"
)

// proximitySlop and proximityBoost are Bleve's: the bare terms of an AND
// standing within eight words of each other in the body earn a bonus.
const (
	proximitySlop  = 8
	proximityBoost = 1.0
)

// obj is a piece of the query DSL.
type obj = map[string]any

// matches are the positive leaves of a query, by the field they concern
// ("" for title and body): what its hits have marked.
type matches struct {
	terms    []leaf // words matched on the stemmed fields
	phrases  []query.Phrase
	prefixes []leaf
	fuzzy    []query.Fuzzy
}

type leaf struct{ field, text string }

// compiler turns Folio's query tree into the query DSL.
type compiler struct {
	m matches
	v variants // entity filters by their name variants
}

// textFields are the stemmed fields a query field names, with their boosts.
func textFields(field string) ([]string, error) {
	switch field {
	case "":
		return []string{fTitle, fBody}, nil
	case "title":
		return []string{fTitle}, nil
	case "body":
		return []string{fBody}, nil
	case "quote":
		return []string{fQuote}, nil
	}
	return nil, &search.BadRequestError{Msg: fmt.Sprintf("unknown text field %q", field)}
}

func boost(f string) float64 {
	if f == fTitle {
		return titleBoost
	}
	return 1
}

// either is a disjunction of per-field clauses.
func either(per []any) obj {
	if len(per) == 1 {
		return per[0].(obj)
	}
	return obj{"bool": obj{"should": per, "minimum_should_match": 1}}
}

// compile returns the DSL of n. negated is true inside an exclusion,
// whose words are not marked.
func (c *compiler) compile(n query.Node, negated bool) (obj, error) {
	switch n := n.(type) {
	case nil, query.MatchAll:
		return obj{"match_all": obj{}}, nil
	case query.And:
		return c.and(n.Nodes, negated)
	case query.Or:
		var should []any
		for _, child := range n.Nodes {
			q, err := c.compile(child, negated)
			if err != nil {
				return nil, err
			}
			should = append(should, q)
		}
		return obj{"bool": obj{"should": should, "minimum_should_match": 1}}, nil
	case query.Not:
		q, err := c.compile(n.Node, !negated)
		if err != nil {
			return nil, err
		}
		return obj{"bool": obj{"must": obj{"match_all": obj{}}, "must_not": q}}, nil
	case query.Term:
		fields, err := textFields(n.Field)
		if err != nil {
			return nil, err
		}
		var per []any
		for _, f := range fields {
			// A word that analyses into several tokens (AT&T) needs them
			// all; a stop word alone constrains nothing.
			per = append(per, obj{"match": obj{f: obj{"query": n.Text, "operator": "and", "boost": boost(f), "zero_terms_query": "all"}}})
		}
		if !negated {
			c.m.terms = append(c.m.terms, leaf{markedIn(n.Field), n.Text})
		}
		return either(per), nil
	case query.Phrase:
		fields, err := textFields(n.Field)
		if err != nil {
			return nil, err
		}
		var per []any
		for _, f := range fields {
			per = append(per, obj{"match_phrase": obj{f + exact: obj{"query": strings.Join(n.Words, " "), "slop": n.Slop, "boost": boost(f)}}})
		}
		if !negated {
			n.Field = markedIn(n.Field)
			c.m.phrases = append(c.m.phrases, n)
		}
		return either(per), nil
	case query.Prefix:
		fields, err := textFields(n.Field)
		if err != nil {
			return nil, err
		}
		var per []any
		for _, f := range fields {
			per = append(per, obj{"prefix": obj{f + exact: obj{"value": n.Text, "boost": boost(f)}}})
		}
		if !negated && n.Field != "quote" {
			c.m.prefixes = append(c.m.prefixes, leaf{n.Field, n.Text})
		}
		return either(per), nil
	case query.Fuzzy:
		fields, err := textFields(n.Field)
		if err != nil {
			return nil, err
		}
		var per []any
		for _, f := range fields {
			per = append(per, obj{"fuzzy": obj{f + exact: fuzzy(n, boost(f))}})
		}
		if !negated && n.Field != "quote" {
			c.m.fuzzy = append(c.m.fuzzy, n)
		}
		return either(per), nil
	case query.Filter:
		if n.Field == "speaker" {
			// Who said one of the article's quotes, by the speaker's key.
			return obj{"term": obj{fSpeakerKey: facet.Key(n.Value)}}, nil
		}
		return c.filter(n.Field, n.Value, negated)
	case query.DateRange:
		return dateRange(n.From, n.To), nil
	}
	return nil, fmt.Errorf("opensearch: unknown query node %T", n)
}

// markedIn is the query field whose stored field shows a leaf's matches:
// a quote's words are marked where the body holds them, as Bleve marks
// them; prefixes and fuzzy words of quote: are not marked (nor in Bleve).
func markedIn(field string) string {
	if field == "quote" {
		return "body"
	}
	return field
}

// fuzzy is the fuzzy clause of z: Folio's distance, or the cluster's
// AUTO (by word length) when the query gave none.
func fuzzy(z query.Fuzzy, boost float64) obj {
	var distance any = "AUTO"
	if z.Distance > 0 {
		distance = z.Distance
	}
	// Bleve counts a swap of neighbours as one edit, and so does the DSL.
	return obj{"value": z.Text, "fuzziness": distance, "transpositions": true, "boost": boost}
}

// and is a conjunction: exclusions go to must_not, and the bare terms
// earn a proximity bonus as in Bleve.
func (c *compiler) and(nodes []query.Node, negated bool) (obj, error) {
	var must, mustNot, should, optional []any
	for _, child := range nodes {
		if not, ok := child.(query.Not); ok {
			q, err := c.compile(not.Node, !negated)
			if err != nil {
				return nil, err
			}
			mustNot = append(mustNot, q)
			continue
		}
		q, err := c.compile(child, negated)
		if err != nil {
			return nil, err
		}
		if t, ok := child.(query.Term); ok && !negated && plainWord(t) {
			optional = append(optional, q)
			continue
		}
		must = append(must, q)
	}
	// Minimum-should-match, as in Bleve: a long query needs only most of
	// its plain words.
	if k := search.ShouldMatch(len(optional), search.MSMFrom, search.MSMShare); k < len(optional) {
		must = append(must, obj{"bool": obj{"should": optional, "minimum_should_match": k}})
	} else {
		must = append(must, optional...)
	}
	if p := proximity(nodes, negated); p != nil {
		should = append(should, p)
	}
	if h := titleCoverage(nodes, negated); h != nil {
		should = append(should, h)
	}
	if len(must) == 0 {
		must = append(must, obj{"match_all": obj{}})
	}
	b := obj{"must": must}
	if len(mustNot) > 0 {
		b["must_not"] = mustNot
	}
	if len(should) > 0 {
		b["should"] = should
	}
	return obj{"bool": b}, nil
}

// plainWord reports whether minimum-should-match may leave t out: a bare
// word of title and body, one token, not +required, not a stop word
// (which Bleve drops from the query altogether).
func plainWord(t query.Term) bool {
	return t.Field == "" && !t.Required && !search.IsStopWord(t.Text) &&
		!strings.ContainsFunc(t.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// proximity is the optional sloppy phrase of an AND's bare terms on the
// body's exact field, or nil for fewer than two.
func proximity(nodes []query.Node, negated bool) obj {
	if negated {
		return nil
	}
	var words []string
	for _, n := range nodes {
		if t, ok := n.(query.Term); ok && t.Field == "" && !strings.ContainsFunc(t.Text, func(r rune) bool { return r == ' ' }) {
			words = append(words, t.Text)
		}
	}
	if len(words) < 2 {
		return nil
	}
	return obj{"match_phrase": obj{fBody + exact: obj{"query": strings.Join(words, " "), "slop": proximitySlop, "boost": proximityBoost}}}
}

// titleCoverage is the optional clause, as in Bleve, for a headline that
// holds every bare word of an AND (stop words aside), or nil for fewer
// than two: a headline names what a story is about.
func titleCoverage(nodes []query.Node, negated bool) obj {
	if negated {
		return nil
	}
	var must []any
	for _, n := range nodes {
		t, ok := n.(query.Term)
		if !ok || t.Field != "" || search.IsStopWord(t.Text) ||
			strings.ContainsFunc(t.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			continue
		}
		must = append(must, obj{"match": obj{fTitle: obj{"query": t.Text}}})
	}
	if len(must) < 2 {
		return nil
	}
	return obj{"bool": obj{"must": must}}
}

// filter is a match on a keyword facet: of the canonical names an
// entity filter's value stands for (variants.go), and otherwise of the
// value as written, whatever the case.
func (c *compiler) filter(name, value string, negated bool) (obj, error) {
	f, ok := facet.ByName(name)
	if !ok {
		return nil, &search.BadRequestError{Msg: fmt.Sprintf("unknown filter %q", name)}
	}
	if f.EntityType != "" {
		if q, ok := c.v.entityFilter(f, value, negated); ok {
			return q, nil
		}
	}
	return obj{"term": obj{f.Field + key: textnorm.Key(value)}}, nil
}

// dateRange matches dates in [from, to); a zero side is open.
func dateRange(from, to time.Time) obj {
	r := obj{}
	if !from.IsZero() {
		r["gte"] = from.UTC().Format(time.RFC3339Nano)
	}
	if !to.IsZero() {
		r["lt"] = to.UTC().Format(time.RFC3339Nano)
	}
	return obj{"range": obj{fDate: r}}
}

// requestQuery is the whole query of req: its text query, scored, and
// its filters and dates, not scored.
func (c *compiler) requestQuery(req *search.Request) (obj, error) {
	text := req.Query
	// A query of only stop words would match everything: it is the
	// phrase of its words. The index's stop filter drops exactly these.
	if p, ok := search.CommonWordsPhrase(text, search.IsStopWord); ok {
		text = p
	}
	q, err := c.compile(text, false)
	if err != nil {
		return nil, err
	}
	filters, err := c.requestFilters(req)
	if err != nil {
		return nil, err
	}
	if len(filters) == 0 {
		return q, nil
	}
	return obj{"bool": obj{"must": q, "filter": filters}}, nil
}

// requestFilters are the clauses of a request's filters and date range.
func (c *compiler) requestFilters(req *search.Request) ([]any, error) {
	var filters []any
	for name, values := range req.Filters {
		for _, v := range values {
			f, err := c.filter(name, v, false)
			if err != nil {
				return nil, err
			}
			filters = append(filters, f)
		}
		if len(values) == 0 {
			if _, ok := facet.ByName(name); !ok {
				return nil, &search.BadRequestError{Msg: fmt.Sprintf("unknown filter %q", name)}
			}
		}
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		filters = append(filters, dateRange(req.From, req.To))
	}
	return filters, nil
}

// scored reports whether the query ranks anything: one of filters and
// dates alone has no relevance and sorts newest first.
func (m *matches) scored() bool {
	return len(m.terms)+len(m.phrases)+len(m.prefixes)+len(m.fuzzy) > 0
}
