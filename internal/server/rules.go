package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/folio-search/folio/internal/curate"
)

// maxRuleBytes bounds the body of a rule: one rule is a few lines.
const maxRuleBytes = 64 << 10

// SetCuration sets the entities file whose rules the admin API extends.
func (s *Server) SetCuration(f *curate.File) { s.curation = f }

type ruleResponse struct {
	Rule        curate.Rule   `json:"rule"` // as stored, with its line in the file
	Description string        `json:"description"`
	Changed     curate.Counts `json:"changed"` // what it changed in the index
	Read        int           `json:"read"`    // articles read
	Written     int           `json:"written"` // articles rewritten
}

type auditResponse struct {
	File  string         `json:"file"`
	Rules []ruleListed   `json:"rules"`
	Audit []curate.Entry `json:"audit"` // oldest first
}

type ruleListed struct {
	curate.Rule
	Description string `json:"description"`
}

// addRule appends a rule to the entities file and applies it, alone, to
// every article of the index (the rules before it were applied already);
// the audit records what it changed. Rules are added one at a time.
func (s *Server) addRule(c echo.Context) error {
	if s.curation == nil {
		return apiError(http.StatusNotFound, "not_found", "entity curation is not set up on this server", -1)
	}
	if ct := c.Request().Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return apiError(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the rule as JSON with Content-Type: application/json", -1)
	}
	limit := int64(maxRuleBytes)
	if m := s.cfg.Server.MaxBodyBytes; m > 0 {
		limit = min(limit, m)
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	dec.DisallowUnknownFields()
	var r curate.Rule
	if err := dec.Decode(&r); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apiError(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("a rule is at most %d bytes", limit), -1)
		}
		return apiError(http.StatusBadRequest, "bad_rule", "the rule is not valid JSON: "+err.Error(), -1)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apiError(http.StatusBadRequest, "bad_rule", "send one rule, a JSON object", -1)
	}
	r.Line = 0
	if err := r.Check(); err != nil {
		return apiError(http.StatusBadRequest, "bad_rule", err.Error(), -1)
	}
	// Applying reads every article: on a large index that takes longer
	// than a search may, so it gets an ingest's time.
	if t := s.cfg.Server.IngestTimeout; t > 0 {
		rc := http.NewResponseController(c.Response())
		rc.SetWriteDeadline(time.Now().Add(t + s.cfg.Server.WriteTimeout))
	}
	s.curating.Lock()
	defer s.curating.Unlock()
	added, err := s.curation.Add(r)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rep, err := curate.Reapply(ctx, s.engine, &curate.Set{Rules: []curate.Rule{added}}, s.cfg.Ingest.BatchSize)
	if err != nil {
		// The rule is in the file: ingest applies it from now on, and
		// `folio entities apply` finishes the index.
		return err
	}
	if err := s.curation.Record(rep, "api"); err != nil {
		s.log.Warn("recording the audit of an entity rule", "err", err)
	}
	return c.JSON(http.StatusCreated, ruleResponse{
		Rule: added, Description: added.String(), Changed: rep.Counts[0], Read: rep.Read, Written: rep.Written,
	})
}

// ruleAudit lists the rules of the entities file and what each run of them
// changed.
func (s *Server) ruleAudit(c echo.Context) error {
	if s.curation == nil {
		return apiError(http.StatusNotFound, "not_found", "entity curation is not set up on this server", -1)
	}
	audit, err := s.curation.Audit()
	if err != nil {
		return err
	}
	out := auditResponse{File: s.curation.Path, Rules: []ruleListed{}, Audit: audit}
	for _, r := range s.curation.Rules().Rules {
		out.Rules = append(out.Rules, ruleListed{Rule: r, Description: r.String()})
	}
	return c.JSON(http.StatusOK, out)
}
