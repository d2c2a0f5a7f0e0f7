package server

import (
	"context"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/search"
)

// maxSuggestLen bounds the text of a suggestion request, in characters:
// a search box's text as it is typed, far below search.max_query_len.
const maxSuggestLen = 100

// maxSuggestions bounds the size parameter of /api/suggest.
const maxSuggestions = 20

// SuggestResponse is the JSON of GET /api/suggest.
type SuggestResponse struct {
	Query       string           `json:"query"`
	TookMS      float64          `json:"took_ms"`
	Suggestions []SuggestionJSON `json:"suggestions"`
}

// SuggestionJSON is one completion of /api/suggest.
type SuggestionJSON struct {
	Kind  string     `json:"kind"` // term, entity or title
	Text  string     `json:"text"`
	Query string     `json:"query"`           // what to search for when it is chosen
	Facet string     `json:"facet,omitempty"` // entity: person, org or place
	Type  string     `json:"type,omitempty"`  // entity: PER, ORG or LOC
	Count int        `json:"count"`
	ID    string     `json:"id,omitempty"` // title: the article
	Date  *time.Time `json:"date,omitempty"`
	Fuzzy bool       `json:"fuzzy"`
	Score float64    `json:"score"`
}

func (s *Server) suggest(c echo.Context) error {
	sg, ok := s.engine.(search.Suggester)
	if !ok {
		return apiError(http.StatusNotImplemented, "not_implemented", "this engine offers no suggestions", -1)
	}
	v, err := queryParams(c)
	if err != nil {
		return err
	}
	q := v.Get("q")
	if !utf8.ValidString(q) {
		return apiError(http.StatusBadRequest, "bad_query", "q is not valid UTF-8", -1)
	}
	if n := utf8.RuneCountInString(q); n > maxSuggestLen {
		return apiError(http.StatusBadRequest, "query_too_long",
			fmt.Sprintf("q has %d characters; suggestions take at most %d", n, maxSuggestLen), maxSuggestLen)
	}
	size, err := intParam(v, "size", 8, 1, maxSuggestions, fmt.Sprintf("at most %d", maxSuggestions))
	if err != nil {
		return err
	}
	start := time.Now()
	return answerInSlot(s, c, func(ctx context.Context) ([]search.Suggestion, error) {
		return sg.Suggest(ctx, search.SuggestRequest{Text: q, Size: size})
	}, func(res []search.Suggestion) any {
		out := SuggestResponse{Query: q, Suggestions: make([]SuggestionJSON, 0, len(res))}
		for _, r := range res {
			out.Suggestions = append(out.Suggestions, SuggestionJSON{
				Kind: r.Kind, Text: r.Text, Query: r.Query, Facet: r.Facet, Type: r.Type, Count: r.Count,
				ID: r.ArticleID, Fuzzy: r.Fuzzy, Score: r.Score,
			})
		}
		out.TookMS = float64(time.Since(start).Microseconds()) / 1000
		return out
	})
}
