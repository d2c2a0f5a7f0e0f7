package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/folio-search/folio/internal/facet"
)

// A RelatedFinder lists the entities that appear with one entity: who
// appears with whom. It is an interface apart from Engine, as
// QuoteSearcher is; callers ask for it with a type assertion.
type RelatedFinder interface {
	// Related runs one request; errors are as Engine.Search's.
	Related(ctx context.Context, req RelatedRequest) (*RelatedResult, error)
}

// Time slices of a RelatedResult.
const (
	SliceNone  = ""
	SliceYear  = "year"
	SliceMonth = "month"
)

// RelatedRequest asks for the entities most associated with one entity
// in the articles a search matches.
type RelatedRequest struct {
	Facet string // the entity's facet: person, org or place
	Name  string // as typed: name variants match, as in filters
	// Search narrows the articles: its Query, Filters, From and To; the
	// rest is ignored.
	Search Request
	// ListFacets are the entity facets to list; nil for every one.
	ListFacets []string
	// Size is how many entities each facet lists, 20 when 0; each slice
	// lists as many, of those met there at least once.
	Size int
	// MinCount is the fewest articles an entity must share with the
	// entity to be listed, 2 when 0: a single meeting scores high by
	// chance alone.
	MinCount int
	Slice    string // SliceNone, SliceYear or SliceMonth
}

// RelatedResult is the association of one entity with the others.
type RelatedResult struct {
	// Names are the canonical names the request's name stood for; none
	// when it names no entity.
	Names []string
	// Articles is how many of the matching articles name the entity;
	// Total how many articles match.
	Articles int
	Total    uint64
	Related  map[string][]RelatedEntity // by facet name, most associated first
	Slices   []RelatedSlice             // in time order; none without Slice
	Took     time.Duration
}

// RelatedEntity is an entity seen with the one asked about.
type RelatedEntity struct {
	Name string
	// Count is how many articles name both; Articles how many matching
	// articles name this one.
	Count, Articles int
	// Score is Dunning's log-likelihood ratio (G²) of the two appearing
	// together as often as they do; PMI their pointwise mutual
	// information, in bits.
	Score, PMI float64
}

// RelatedSlice is the association within one year or month.
type RelatedSlice struct {
	Period   string // "1987" or "1987-03"
	Articles int    // articles of the period naming the entity
	Related  map[string][]RelatedEntity
}

// Association scores the co-occurrence of two entities in n articles,
// of which a name the first, b the second and k both: Dunning's G² and
// PMI in bits. G² is 0 when they meet no more often than chance has
// them meet, so that ranking by it lists attraction only.
func Association(k, a, b, n int) (g2, pmi float64) {
	if k <= 0 || a <= 0 || b <= 0 || n <= 0 {
		return 0, 0
	}
	fk, fa, fb, fn := float64(k), float64(a), float64(b), float64(n)
	pmi = math.Log2(fk * fn / (fa * fb))
	if fk*fn <= fa*fb {
		return 0, pmi
	}
	// The 2×2 table of articles: both, the first only, the second only,
	// neither; G² = 2 Σ observed·ln(observed/expected).
	obs := [4]float64{fk, fa - fk, fb - fk, fn - fa - fb + fk}
	exp := [4]float64{fa * fb / fn, fa * (fn - fb) / fn, (fn - fa) * fb / fn, (fn - fa) * (fn - fb) / fn}
	for i := range obs {
		if obs[i] > 0 && exp[i] > 0 {
			g2 += obs[i] * math.Log(obs[i]/exp[i])
		}
	}
	return 2 * g2, pmi
}

// RankRelated orders entities most associated first (by score, then by
// shared articles, then by name, so that every engine lists ties alike)
// and keeps the first size.
func RankRelated(list []RelatedEntity, size int) []RelatedEntity {
	sort.Slice(list, func(x, y int) bool {
		if list[x].Score != list[y].Score {
			return list[x].Score > list[y].Score
		}
		if list[x].Count != list[y].Count {
			return list[x].Count > list[y].Count
		}
		return list[x].Name < list[y].Name
	})
	return list[:min(len(list), size)]
}

// Facets is the facet of the request's entity and the entity facets to
// list, or a *BadRequestError when Facet is no entity facet.
func (r *RelatedRequest) Facets() (entity facet.Facet, list []facet.Facet, err error) {
	entity, ok := facet.ByName(r.Facet)
	if !ok || entity.EntityType == "" {
		return entity, nil, &BadRequestError{Msg: fmt.Sprintf("type %q is not an entity facet (person, org or place)", r.Facet)}
	}
	for _, g := range facet.All {
		if g.EntityType != "" && (r.ListFacets == nil || slices.Contains(r.ListFacets, g.Name)) {
			list = append(list, g)
		}
	}
	return entity, list, nil
}

// Limits are the request's Size and MinCount with their defaults.
func (r *RelatedRequest) Limits() (size, minCount int) {
	return cmp.Or(max(r.Size, 0), 20), cmp.Or(max(r.MinCount, 0), 2)
}
