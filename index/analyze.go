package index

import "github.com/blevesearch/bleve/v2/analysis"

// analyze returns the terms an analyzer makes of s.
func (ix *Index) analyze(a analysis.Analyzer, s string) []string {
	ts := a.Analyze([]byte(s))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}
