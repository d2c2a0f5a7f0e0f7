package index

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
)

// filterKey is how keyword values are compared in filters: folded,
// lower-cased, with runs of white space as one space.
func filterKey(v string) string {
	return strings.Join(strings.Fields(textnorm.Key(v)), " ")
}
