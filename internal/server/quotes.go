package server

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/search"
)

// QuotesResponse is the JSON of GET /api/quotes (DESIGN.md): the shape of
// /api/search, each hit a quote.
type QuotesResponse struct {
	Query  string                         `json:"query"`
	Total  uint64                         `json:"total"`
	TookMS float64                        `json:"took_ms"`
	Hits   []QuoteHit                     `json:"hits"`
	Facets map[string][]search.FacetValue `json:"facets"`
	Next   *string                        `json:"next"`
}

// QuoteHit is one quote of /api/quotes, as its first appearance gives it.
type QuoteHit struct {
	ID          string     `json:"id"`
	Text        string     `json:"text"`
	TextHTML    string     `json:"text_html"` // escaped, matches in <mark>
	Speaker     string     `json:"speaker"`
	SpeakerKind string     `json:"speaker_kind"`
	Cue         string     `json:"cue"`
	ArticleID   string     `json:"article_id"`
	Title       string     `json:"title"`
	URL         string     `json:"url,omitempty"`
	Date        *time.Time `json:"date"`
	Start       int        `json:"start"`
	End         int        `json:"end"`
	InTitle     bool       `json:"in_title"` // start and end are in the title
	First       struct {
		ArticleID string     `json:"article_id"`
		Date      *time.Time `json:"date"`
	} `json:"first"`
	Count    int      `json:"count"`
	Articles []string `json:"articles"` // at most search.MaxQuoteArticles
}

// quoteFacets are the facets /api/quotes offers.
var quoteFacets = []string{search.QuoteFacetSpeaker, search.QuoteFacetDate}

// AnswerQuotes is the API's answer to the query q with its result res.
func AnswerQuotes(q string, res *search.QuoteResult) QuotesResponse {
	out := QuotesResponse{
		Query: q, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits: make([]QuoteHit, 0, len(res.Hits)), Facets: res.Facets,
	}
	if out.Facets == nil {
		out.Facets = map[string][]search.FacetValue{}
	}
	for _, h := range res.Hits {
		o := QuoteHit{
			ID: h.ID, Text: h.Text.Text, TextHTML: markHTML(h.Text), Speaker: h.Speaker, SpeakerKind: h.SpeakerKind,
			Cue: h.Cue, ArticleID: h.ArticleID, Title: h.Title, URL: h.URL, Date: h.Date, Start: h.Start, End: h.End, InTitle: h.InTitle,
			Count: h.Count, Articles: h.Articles,
		}
		o.First.ArticleID, o.First.Date = h.First.ArticleID, h.First.Date
		if o.Articles == nil {
			o.Articles = []string{}
		}
		out.Hits = append(out.Hits, o)
	}
	if res.Next != "" {
		out.Next = &res.Next
	}
	return out
}

func (s *Server) quotes(c echo.Context) error {
	qs, ok := s.engine.(search.QuoteSearcher)
	if !ok {
		return apiError(http.StatusNotImplemented, "not_implemented", "this engine has no quote index", -1)
	}
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	req, q, err := s.parseQuotes(v)
	if err != nil {
		return err
	}
	return answerInSlot(s, c, func(ctx context.Context) (*search.QuoteResult, error) { return qs.SearchQuotes(ctx, req) },
		func(res *search.QuoteResult) any { return AnswerQuotes(q, res) })
}

// parseQuotes validates the parameters of a search of quotes, as
// parseSearch those of a search.
func (s *Server) parseQuotes(v url.Values) (search.QuoteRequest, string, error) {
	lim := s.cfg.Search
	var req search.QuoteRequest
	node, q, err := s.parseQ(v)
	if err != nil {
		return req, q, err
	}
	req.Query = node
	if req.Speakers, err = listParam(v, "speaker"); err != nil {
		return req, q, err
	}
	if req.Tags, err = listParam(v, "tag"); err != nil {
		return req, q, err
	}
	if req.From, req.To, err = dateRangeParams(v); err != nil {
		return req, q, err
	}
	if req.Sort, err = sortParam(v); err != nil {
		return req, q, err
	}
	if req.Size, err = intParam(v, "size", lim.DefaultSize, 1, lim.MaxSize, "search.max_size"); err != nil {
		return req, q, err
	}
	if req.FacetSize, err = intParam(v, "facet_size", lim.FacetSize, 1, lim.MaxFacetSize, "search.max_facet_size"); err != nil {
		return req, q, err
	}
	req.After = v.Get("after")
	if req.Facets, err = facetsParam(v, quoteFacets); err != nil {
		return req, q, err
	}
	return req, q, nil
}

// articleJSON is an article of GET /api/articles/{id}: the article, its
// quotes always listed (an empty list when it has none).
type articleJSON struct {
	*corpus.Article
	Quotes []articleQuote `json:"quotes"`
}

// articleQuote is a quote of an article, with byte offsets into its body
// (or its title, for a headline's quote).
type articleQuote struct {
	Text        string `json:"text"`
	Speaker     string `json:"speaker"`
	SpeakerKind string `json:"speaker_kind"`
	Cue         string `json:"cue"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	InTitle     bool   `json:"in_title"`
}

func newArticleJSON(a *corpus.Article) articleJSON {
	out := articleJSON{Article: a, Quotes: make([]articleQuote, 0, len(a.Quotes))}
	for _, q := range a.Quotes {
		kind := q.SpeakerKind
		if kind == "" {
			kind = corpus.SpeakerUnknown
		}
		out.Quotes = append(out.Quotes, articleQuote{Text: q.Text, Speaker: q.Speaker, SpeakerKind: kind, Cue: q.Cue, Start: q.Start, End: q.End, InTitle: q.InTitle})
	}
	return out
}
