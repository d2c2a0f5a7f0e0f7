package relevance

import (
	"strings"
	"testing"
)

func TestReutersQueries(t *testing.T) {
	qs := ReutersQueries()
	if len(qs) < 40 {
		t.Fatalf("%d judged queries, want at least 40", len(qs))
	}
	phrases := 0
	for _, q := range qs {
		if strings.Contains(q.Text, `"`) {
			phrases++
		}
	}
	if phrases < 5 {
		t.Errorf("%d queries with a quoted phrase, want a handful", phrases)
	}
}

func TestParseQueries(t *testing.T) {
	qs, err := ParseQueries("t", strings.NewReader("# comment\n\ncoffee prices\tcoffee\n\"trade deficit\"\ttrade, bop\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[1].Text != `"trade deficit"` || strings.Join(qs[1].Tags, "|") != "trade|bop" || qs[1].Line != 4 {
		t.Fatalf("got %+v", qs)
	}
	for _, bad := range []string{
		"coffee prices\n",           // no tab
		"coffee prices\t\n",         // no tag
		"\"coffee prices\tcoffee\n", // unbalanced quote
		"a\tx\na\ty\n",              // duplicate
		"# only a comment\n",
	} {
		if _, err := ParseQueries("t", strings.NewReader(bad)); err == nil {
			t.Errorf("ParseQueries(%q) did not fail", bad)
		}
	}
}
