package index

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// termFacets are the keyword facets by name, with their index fields.
var termFacets = func() map[string]string {
	m := map[string]string{}
	for _, f := range facet.All {
		m[f.Name] = f.Field
	}
	return m
}()

// Search runs req.
func (ix *Index) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	return ix.search(ctx, req, searchOptions{suggest: true})
}

// searchOptions are what Folio's own searches ask of the index beyond a
// request.
type searchOptions struct {
	suggest bool     // look for a name variant that finds more when the request finds few
	exact   bool     // entity filters match the name as given, not its variants
	ranking *Ranking // DefaultRanking when nil
}

// search runs req.
func (ix *Index) search(ctx context.Context, req search.Request, opt searchOptions) (*search.Result, error) {
	start := time.Now()
	rank := DefaultRanking
	if opt.ranking != nil {
		rank = *opt.ranking
	}
	cost := &searchCost{}
	ctx = withCost(ctx, cost)
	q, c, spell, err := ix.bleveQuery(ctx, req, opt.exact, rank)
	if err != nil {
		return nil, err
	}
	size := req.Size
	if size <= 0 {
		size = 10
	}
	from := 0
	if req.After == "" && req.Page > 1 {
		from = (req.Page - 1) * size
	}
	scored := len(c.matches.terms)+len(c.matches.phrases)+len(c.matches.prefixes)+len(c.matches.fuzzy) > 0
	order := sortOrder(req.Sort, scored)
	ranked := order[0] == "-_score"
	// A page that ends among the hits that demoting copies reordered gets
	// a cursor holding its rank, not its score: the order there is not
	// the score's (see rankCursor).
	after := req.After
	if ranked && after != "" {
		r, ok, err := decodeRankCursor(after)
		if err != nil {
			return nil, err
		}
		if ok {
			from, after = r, ""
		}
	}
	col := &hitCollector{ranked: ranked, n: from + size}
	dedup := rank.Dedup && ranked && after == ""
	if dedup {
		col.n += search.DedupExtra // copies moved down make room for hits below
	}
	// Feedback reranks the first search.FeedbackRerank hits, whatever the page.
	feedback := rank.FeedbackDocs > 0 && !req.NoExpand && ranked && after == "" && len(c.matches.terms) > 0
	if feedback {
		col.n = max(col.n, search.FeedbackRerank) // any of them may reach the page
		col.flashes = rank.HeadlineBody && ix.flashesMarked
		col.keep = true // feedback reads the hits' postings by their numbers
		defer col.release()
		// Those past the page's ranks and the copies' are read only if a
		// step needs them: the flashes, the stored text feedback may
		// score, the hits it brings to the page.
		eager := from + size + search.DedupExtra
		col.stored, col.lazy = func(i int) bool { return i < eager }, true
	}
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	if col.ranked {
		// The collector keeps the hits; Bleve only scores and counts.
		sr.From, sr.Sort = 0, bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	} else {
		sr.Fields = []string{fStored}
		sr.SortBy(order)
	}
	if after != "" {
		after, err := decodeCursor(after, len(order))
		if err != nil {
			return nil, err
		}
		if err := checkCursor(after, col.ranked); err != nil {
			return nil, err
		}
		if col.ranked {
			score, _ := strconv.ParseFloat(after[0], 64)
			col.after = &scoreCursor{score: score, id: after[1]}
		} else {
			sr.SetSearchAfter(after)
		}
	}
	facetSize := req.FacetSize
	if facetSize <= 0 {
		facetSize = 10
	}
	plan := &facetPlan{terms: map[string]string{}, size: facetSize, date: req.WantsFacet(facet.Date), cols: &ix.cols}
	for name, field := range termFacets {
		if req.WantsFacet(name) {
			plan.terms[name] = field
		}
	}
	if len(plan.terms) > 0 || plan.date {
		col.facets = plan
	}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, err := ix.bleve.SearchInContext(col.install(ix.withBM25Stats(ctx)), sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &search.Result{Total: res.Total, Facets: col.facetVals, Fuzzy: spell.fuzzy}
	if out.Facets == nil {
		out.Facets = map[string][]search.FacetValue{}
	}
	if spell.didYouMean != nil {
		out.DidYouMean = query.Format(spell.didYouMean)
	}
	out.Matched = c.filters.matched
	hits := res.Hits
	reordered := 0   // the ranks that demoting copies reordered
	end := res.Total // past the matches: the ranks of the articles feedback added
	var expansion []string
	var clauses []*bm25TermQuery // feedback's words, nil when it found none
	if col.ranked {
		hits = col.hits
		// A query that matched few articles, all of them here, is followed
		// by the articles of its subject it did not match; one that
		// matched one article, too few to learn the subject's other words
		// from, by the articles holding some of its words.
		filled := feedback && c.fillable && len(c.matches.terms) >= 2 && uint64(len(hits)) == res.Total && len(hits) < rank.FeedbackFill
		fillN, fillShow := rank.FeedbackFill-len(hits), from+size+search.DedupExtra-len(hits)
		var fill *filling
		if filled {
			fill = newFilling(c, fillN, fillShow)
		}
		if feedback {
			if rank.HeadlineBody {
				var moved bool
				if hits, moved, err = ix.headlinesAsBodies(ctx, c, rank, hits); err != nil {
					return nil, err
				}
				if moved {
					reordered = min(len(hits), search.FeedbackRerank)
				}
			}
			if hits, clauses, expansion, err = ix.rerank(ctx, c, rank, hits, col.snap, fill); err != nil {
				return nil, err
			}
			if expansion != nil {
				reordered = min(len(hits), search.FeedbackRerank)
				out.Expansion = expansion
			}
		}
		if dedup {
			var moved int
			if hits, moved, err = demoteCopies(hits); err != nil {
				return nil, err
			}
			reordered = max(reordered, moved)
		}
		if filled && (clauses != nil || len(hits) == 1) {
			var more []*bsearch.DocumentMatch
			if fill != nil && fill.scored {
				more = fill.ranked // scored with the matches
			} else {
				if more, err = ix.fill(ctx, c, clauses, hits, fillN, fillShow); err != nil {
					return nil, err
				}
			}
			if dedup {
				if more, _, err = demoteCopies(more); err != nil {
					return nil, err
				}
			}
			hits = append(hits, more...)
			end += uint64(len(more))
			reordered = max(reordered, len(hits))
		}
		hits = hits[:min(len(hits), from+size)]
		if len(hits) > from {
			hits = hits[from:]
		} else {
			hits = nil
		}
	}
	hl := ix.newHighlighter(ctx, &c.matches, req.Fragments)
	for _, h := range hits {
		hit, err := ix.hit(h, hl, req.WithBody)
		if err != nil {
			return nil, err
		}
		if err := hl.meter.check(); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out.Hits = append(out.Hits, hit)
	}
	switch n := len(hits); {
	case n < size || uint64(from+n) >= end:
	case from+n <= reordered:
		out.Next = rankCursor(from + n)
	default:
		out.Next = encodeCursor(hits[n-1])
	}
	if opt.suggest && out.DidYouMean == "" && (len(c.filters.missed) > 0 || out.Total < search.VariantBelow) {
		if err := ix.suggestVariant(ctx, req, c.filters.missed, out); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	out.Cost = cost.snapshot()
	return out, nil
}

// bleveQuery compiles req's text query (after spelling correction), filters
// and date range into one Bleve query.
func (ix *Index) bleveQuery(ctx context.Context, req search.Request, exact bool, rank Ranking) (bq.Query, *compiler, correction, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, nil, correction{}, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, correction{}, fmt.Errorf("search: %w", err)
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap == nil {
		return nil, nil, correction{}, fmt.Errorf("search: %w", bleve.ErrorIndexClosed) // a closed index has no snapshot
	}
	defer r.Close()
	exp := newExpansions(ctx, r, req.MaxExpansions)
	spell, err := ix.spellcheck(ctx, r, exp, ix.commonWords(req.Query))
	var bad *search.BadRequestError
	if errors.As(err, &bad) {
		return nil, nil, spell, bad
	}
	if err != nil {
		return nil, nil, spell, fmt.Errorf("search: %w", err)
	}
	rs := &resolver{ix: ix, r: r, exact: exact}
	c := &compiler{ix: ix, ctx: ctx, exp: exp, filters: rs, rank: rank, fillable: rank.FeedbackFill > 0 && search.Fillable(spell.node)}
	textQuery, err := c.compile(spell.node, false)
	switch {
	case exp.err != nil:
		return nil, nil, spell, fmt.Errorf("search: %w", exp.err)
	case errors.As(err, &bad):
		return nil, nil, spell, bad
	case err != nil:
		return nil, nil, spell, &search.BadRequestError{Msg: err.Error()}
	}
	conj := []bq.Query{}
	if textQuery != nil {
		conj = append(conj, textQuery)
	}
	names := make([]string, 0, len(req.Filters))
	for name := range req.Filters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range req.Filters[name] {
			q, err := rs.filter(name, v, false)
			switch {
			case errors.As(err, &bad):
				return nil, nil, spell, bad
			case err != nil:
				return nil, nil, spell, fmt.Errorf("search: %w", err)
			}
			conj = append(conj, unscoredQuery{q})
		}
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		conj = append(conj, unscoredQuery{c.dateRange(query.DateRange{From: req.From, To: req.To})})
	}
	if textQuery != nil {
		c.filterClauses = append(c.filterClauses, conj[1:]...)
	}
	var q bq.Query
	switch len(conj) {
	case 0:
		q = bleve.NewMatchAllQuery()
	case 1:
		q = conj[0]
		if m, ok := q.(*maxScoreQuery); ok {
			m.root = true // its score is the one the collector keeps
		}
	default:
		q = bleve.NewConjunctionQuery(conj...)
	}

	return q, c, spell, nil
}

// sortOrder is the Bleve sort for a request's sort name. The ID breaks
// ties so that cursors page deterministically (in date orders, inside the
// sort key). Date orders leave the score
// out: scores shift as articles are added, and a cursor holding one would
// then skip or repeat hits. A query without text ranks nothing, so its
// relevance order is newest first.
func sortOrder(name string, scored bool) []string {
	switch {
	case name == search.ByDate:
		return []string{fSortDate}
	case name == search.ByDateDesc || !scored:
		return []string{"-" + fSortDate}
	}
	return []string{"-_score", "_id"}
}

// fArticle caches a match's decoded article among its fields, so that
// the ranking's steps and the page decode it once.
const fArticle = "\x00article"

// matchArticle is the article of a match with its stored article.
func matchArticle(h *bsearch.DocumentMatch) (*corpus.Article, error) {
	if a, ok := h.Fields[fArticle].(*corpus.Article); ok {
		return a, nil
	}
	rec, err := matchRecord(h)
	if err != nil {
		return nil, err
	}
	if rec.article == nil {
		if _, err := articleOf(h.ID, rec.json); err != nil {
			return nil, err // with its reason
		}
		return nil, fmt.Errorf("stored article %s is damaged", h.ID)
	}
	a := *rec.article // shared below its top level: read only
	a.ID = h.ID
	h.Fields[fArticle] = &a
	return &a, nil
}

// matchRecord is the inflated stored record of a match, inflated once
// however many of a search's steps read it (feedback, copies, flashes,
// the page).
func matchRecord(h *bsearch.DocumentMatch) (inflatedRecord, error) {
	if rec, ok := h.Fields[fRecord].(inflatedRecord); ok {
		return rec, nil
	}
	stored, _, err := storedOf(h)
	if err != nil {
		return inflatedRecord{}, err
	}
	rec, err := inflateCached(stored)
	if err != nil {
		return inflatedRecord{}, fmt.Errorf("stored article %s is damaged: %w", h.ID, err)
	}
	if h.Fields == nil {
		h.Fields = map[string]any{}
	}
	h.Fields[fRecord] = rec
	return rec, nil
}

// fRecord keys, in a match's fields, its inflatedRecord.
const fRecord = "\x00record"

// matchCopyKey is the search.CopyKey of a match's title and body.
func matchCopyKey(h *bsearch.DocumentMatch) (string, error) {
	rec, err := matchRecord(h)
	if err != nil {
		return "", err
	}
	if rec.copyKey != "" {
		return rec.copyKey, nil
	}
	title, body, err := matchText(h) // the text unread, with its error
	if err != nil {
		return "", err
	}
	return search.CopyKey(title, body), nil
}

// matchText is the title and body of a match's stored article.
func matchText(h *bsearch.DocumentMatch) (title, body string, err error) {
	if a, ok := h.Fields[fArticle].(*corpus.Article); ok {
		return a.Title, a.Body, nil
	}
	rec, err := matchRecord(h)
	if err != nil {
		return "", "", err
	}
	if rec.article != nil {
		return rec.article.Title, rec.article.Body, nil
	}
	return textOf(h.ID, rec.json)
}

// hit builds a Hit from a Bleve match and its stored article.
func (ix *Index) hit(h *bsearch.DocumentMatch, hl *highlighter, withBody bool) (search.Hit, error) {
	a, err := matchArticle(h)
	if err != nil {
		return search.Hit{}, err
	}
	out := search.Hit{ID: h.ID, URL: a.URL, Date: a.Date, Score: h.Score, Values: map[string][]string{}}
	for _, f := range facet.All {
		out.Values[f.Name] = slices.Clone(f.Values(a)) // a's are shared (inflatedRecords)
	}
	if withBody {
		out.Body = a.Body
	}
	out.Title = hl.title(a.Title)
	out.Fragments = hl.bodyFragments(a.Body)
	return out, nil
}

// A cursor is the sort values of the last hit of a page, each base64
// encoded (date sort values are binary), joined by dots. Bleve reports a
// score sort value as "_score"; the cursor holds the score itself, which
// search-after compares against.
func encodeCursor(h *bsearch.DocumentMatch) string {
	parts := make([]string, len(h.Sort))
	for i, v := range h.Sort {
		if v == "_score" {
			v = strconv.FormatFloat(h.Score, 'g', -1, 64)
		}
		parts[i] = base64.RawURLEncoding.EncodeToString([]byte(v))
	}
	return strings.Join(parts, ".")
}

// errBadCursor is the answer to an after cursor Folio did not make.
var errBadCursor = &search.BadRequestError{Msg: "invalid after cursor: pass the next value of a previous response with the same sort"}

func decodeCursor(s string, n int) ([]string, error) {
	parts := strings.Split(s, ".")
	bad := errBadCursor
	if len(parts) != n {
		return nil, bad
	}
	out := make([]string, n)
	for i, p := range parts {
		v, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			return nil, bad
		}
		out[i] = string(v)
	}
	return out, nil
}

// commonWords searches a query of only stop words (`the`, `to be or not
// to be`) as the phrase of its words; see search.CommonWordsPhrase. A
// stop word here is one the stemming analyzer drops and the exact keeps.
func (ix *Index) commonWords(n query.Node) query.Node {
	p, ok := search.CommonWordsPhrase(n, func(w string) bool {
		return len(ix.analyze(ix.text, w)) == 0 && len(ix.analyze(ix.exact, w)) > 0
	})
	if !ok {
		return n
	}
	return p
}

// checkCursor refuses decoded cursor values that no hit could have: any
// other would be taken as a place in the order, and a made-up cursor would
// page from there. A relevance cursor is a score and an ID, a date
// order's a sort key (sortDateKey).
func checkCursor(after []string, ranked bool) error {
	if ranked {
		if _, err := strconv.ParseFloat(after[0], 64); err != nil || after[1] == "" {
			return errBadCursor
		}
		return nil
	}
	if !validDateKey(after[0]) {
		return errBadCursor
	}
	return nil
}

// validDateKey reports whether a cursor's value is a date order's sort key
// (sortDateKey): any other text would be taken as a place in the order,
// and a made-up cursor would page from there instead of being refused.
func validDateKey(key string) bool {
	date, id, ok := strings.Cut(key, " ")
	if !ok || id == "" {
		return false
	}
	if date == undatedSortKey {
		return true
	}
	_, err := time.Parse(sortDateLayout, date)
	return err == nil
}
