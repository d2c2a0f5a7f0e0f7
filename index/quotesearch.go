package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// maxQuoteFilterMatches bounds the quotes that a quote: or speaker: part
// of an article search may match: the articles carrying them become a list
// of IDs.
const maxQuoteFilterMatches = 20000

// quoteFacetMonths bounds the months of the quote date facet.
const quoteFacetMonths = 100000

// SearchQuotes runs req on the quote index.
func (ix *Index) SearchQuotes(ctx context.Context, req search.QuoteRequest) (*search.QuoteResult, error) {
	start := time.Now()
	ctx = withCost(ctx, &searchCost{})
	r, err := ix.quoteReader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	c := &compiler{ix: ix, ctx: ctx, exp: newExpansions(ctx, r, 0), quotes: true}
	var conj []bq.Query
	tq, err := c.compile(quoteTree(ix.commonWords(req.Query)), false)
	var bad *search.BadRequestError
	switch {
	case c.exp.err != nil:
		return nil, fmt.Errorf("search quotes: %w", c.exp.err)
	case errors.As(err, &bad):
		return nil, bad
	case err != nil:
		return nil, &search.BadRequestError{Msg: err.Error()}
	case tq != nil:
		conj = append(conj, tq)
	}
	if len(req.Speakers) > 0 {
		var any []bq.Query
		for _, s := range req.Speakers {
			any = append(any, termQuery(fqSpeakerKey, facet.Key(s)))
		}
		conj = append(conj, disjunction(any))
	}
	for _, t := range req.Tags {
		q, err := filterQuery("tag", t)
		if err != nil {
			return nil, &search.BadRequestError{Msg: err.Error()}
		}
		conj = append(conj, q)
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		conj = append(conj, dateQuery(query.DateRange{From: req.From, To: req.To}))
	}
	var q bq.Query = bleve.NewMatchAllQuery()
	if len(conj) == 1 {
		q = conj[0]
	} else if len(conj) > 1 {
		q = bleve.NewConjunctionQuery(conj...)
	}

	size := req.Size
	if size <= 0 {
		size = 10
	}
	scored := len(c.matches.terms)+len(c.matches.phrases)+len(c.matches.prefixes)+len(c.matches.fuzzy) > 0
	order := sortOrder(req.Sort, scored)
	// One hit more than the page tells whether there is a next page.
	sr := bleve.NewSearchRequestOptions(q, size+1, 0, false)
	sr.Fields = []string{fqRecord}
	sr.SortBy(order)
	if req.After != "" {
		after, err := decodeCursor(req.After, len(order))
		if err != nil {
			return nil, err
		}
		if err := checkCursor(after, order[0] == "-_score"); err != nil {
			return nil, err
		}
		sr.SetSearchAfter(after)
	}
	facetSize := req.FacetSize
	if facetSize <= 0 {
		facetSize = 10
	}
	if req.WantsFacet(search.QuoteFacetSpeaker) {
		sr.AddFacet(search.QuoteFacetSpeaker, bleve.NewFacetRequest(fqSpeaker, facetSize))
	}
	if req.WantsFacet(search.QuoteFacetDate) {
		sr.AddFacet(fMonth, bleve.NewFacetRequest(fMonth, quoteFacetMonths))
		sr.AddFacet(fDay, bleve.NewFacetRequest(fDay, 31))
	}
	res, err := ix.quotes.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search quotes: %w", err)
	}
	out := &search.QuoteResult{Total: res.Total, Facets: map[string][]search.FacetValue{}}
	if fr := res.Facets[search.QuoteFacetSpeaker]; fr != nil {
		out.Facets[search.QuoteFacetSpeaker] = facetValues(fr)
	}
	if fr := res.Facets[fMonth]; fr != nil {
		months := facetValues(fr)
		var days []search.FacetValue
		if len(months) == 1 {
			days = facetValues(res.Facets[fDay])
		}
		out.Facets[search.QuoteFacetDate] = search.DateHistogram(months, days)
	}
	hits := res.Hits
	if len(hits) > size {
		hits = hits[:size]
		out.Next = encodeCursor(hits[size-1])
	}
	hl := ix.newHighlighter(ctx, &c.matches, 0)
	for _, h := range hits {
		hit, err := quoteHit(h, hl)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Took = time.Since(start)
	return out, nil
}

func (ix *Index) quoteReader() (bindex.IndexReader, error) {
	adv, err := ix.quotes.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search quotes: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search quotes: %w", err)
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap == nil {
		return nil, fmt.Errorf("search quotes: %w", bleve.ErrorIndexClosed)
	}
	return r, nil
}

// facetValues are a Bleve term facet's buckets.
func facetValues(fr *bsearch.FacetResult) []search.FacetValue {
	out := []search.FacetValue{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, search.FacetValue{Value: t.Term, Count: t.Count})
	}
	return out
}

// decodeQuote reads a quote record from a search hit.
func decodeQuote(h *bsearch.DocumentMatch) (*quoteRecord, error) {
	stored, _ := h.Fields[fqRecord].(string)
	rec, err := decodeRecord(stored)
	if err != nil || len(rec.Seen) == 0 {
		return nil, fmt.Errorf("stored quote %s is damaged: %v", h.ID, err)
	}
	return rec, nil
}

// quoteHit builds a hit from a matched quote record.
func quoteHit(h *bsearch.DocumentMatch, hl *highlighter) (search.QuoteHit, error) {
	rec, err := decodeQuote(h)
	if err != nil {
		return search.QuoteHit{}, err
	}
	first := rec.Seen[0]
	ids := rec.articleIDs()
	hit := search.QuoteHit{
		ID: h.ID, Text: search.Fragment{Text: first.Text, Spans: hl.spans(fBody, first.Text)},
		Speaker: first.Speaker, SpeakerKind: first.Kind, Cue: first.Cue,
		ArticleID: first.Article, Title: first.Title, URL: first.URL, Date: first.Date,
		Start: first.Start, End: first.End, InTitle: first.InTitle,
		First: search.QuoteAppearance{ArticleID: first.Article, Date: first.Date},
		Count: len(ids), Articles: ids[:min(len(ids), search.MaxQuoteArticles)], Score: h.Score,
	}
	if hit.SpeakerKind == "" {
		hit.SpeakerKind = "unknown"
	}
	return hit, nil
}

// quoteTree is n for a search of quotes, where every text field is the
// quote's words: fields are dropped.
func quoteTree(n query.Node) query.Node {
	switch n := n.(type) {
	case query.And:
		out := query.And{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = quoteTree(c)
		}
		return out
	case query.Or:
		out := query.Or{Nodes: make([]query.Node, len(n.Nodes))}
		for i, c := range n.Nodes {
			out.Nodes[i] = quoteTree(c)
		}
		return out
	case query.Not:
		return query.Not{Node: quoteTree(n.Node)}
	case query.Term:
		n.Field = ""
		return n
	case query.Phrase:
		n.Field = ""
		return n
	case query.Prefix:
		n.Field = ""
		return n
	case query.Fuzzy:
		n.Field = ""
		return n
	}
	return n
}

// viaQuotes compiles n, a quote: or speaker: part of an article search,
// into the articles that carry a quote it matches.
func (c *compiler) viaQuotes(n query.Node, negated bool) (bq.Query, error) {
	r, err := c.ix.quoteReader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sub := &compiler{ix: c.ix, ctx: c.ctx, quotes: true, exp: &expansions{
		ctx: c.exp.ctx, r: r, max: c.exp.max - c.exp.used, counted: map[string]int{}, meter: c.exp.meter,
	}}
	q, err := sub.compile(quoteTree(n), negated)
	c.exp.used += sub.exp.used
	if sub.exp.err != nil {
		c.exp.err = sub.exp.err
	}
	if err != nil || q == nil {
		return nil, err
	}
	sr := bleve.NewSearchRequestOptions(q, maxQuoteFilterMatches, 0, false)
	sr.Fields = []string{fqRecord}
	sr.SortBy([]string{"_id"})
	res, err := c.ix.quotes.SearchInContext(c.ctx, sr)
	if err != nil {
		return nil, err
	}
	if res.Total > maxQuoteFilterMatches {
		return nil, &search.BadRequestError{Code: "query_too_complex",
			Msg: fmt.Sprintf("quote: and speaker: may match at most %d quotes; this matches %d: narrow it", maxQuoteFilterMatches, res.Total)}
	}
	seen := map[string]bool{}
	var ids []string
	for _, h := range res.Hits {
		rec, err := decodeQuote(h)
		if err != nil {
			return nil, err
		}
		for _, id := range rec.articleIDs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if !negated {
		// Mark the quote's words where the article's body holds them.
		for _, p := range sub.matches.phrases {
			p.field = fBody
			c.matches.phrases = append(c.matches.phrases, p)
		}
		for _, t := range sub.matches.terms {
			c.matches.terms = append(c.matches.terms, fieldText{fBody, t.text})
		}
	}
	if len(ids) == 0 {
		return bleve.NewMatchNoneQuery(), nil
	}
	return bleve.NewDocIDQuery(ids), nil
}
