package searchtest

import (
	"os"
	"strings"
	"testing"
)

// TestConformanceRowsCoverREADME checks that the suite has cases for every row of the
// README's query syntax table, and only for rows it has: a row added to
// the table fails here until the suite covers it.
func TestConformanceRowsCoverREADME(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Query language\n")
	if !ok {
		t.Fatal(`README.md has no "## Query language" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	table := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue // not a row of syntax: the header, the rule, prose
		}
		cell := strings.TrimSpace(strings.Split(strings.TrimPrefix(line, "| "), " | ")[0])
		table[cell] = true
	}
	if len(table) < 10 {
		t.Fatalf("read %d rows of the query syntax table; has its form changed?", len(table))
	}
	covered := map[string]bool{}
	for _, cell := range syntaxGroups {
		covered[cell] = true
		if cell != "" && !table[cell] {
			t.Errorf("the suite covers %s, which the README's table does not have", cell)
		}
	}
	for cell := range table {
		if !covered[cell] {
			t.Errorf("README row %s has no cases in the suite (syntaxGroups)", cell)
		}
	}
	groups := map[string]int{}
	s := &suite{fx: loadFixture(t)}
	for _, r := range s.syntaxRows() {
		group, _, _ := strings.Cut(r.name, "/")
		if _, ok := syntaxGroups[group]; !ok {
			t.Errorf("row %s: group %q is not in syntaxGroups", r.name, group)
		}
		groups[group]++
	}
	for group := range syntaxGroups {
		if groups[group] == 0 {
			t.Errorf("group %s has no rows", group)
		}
	}
}
