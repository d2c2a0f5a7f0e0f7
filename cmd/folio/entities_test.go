package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const curationNews = `{"id":"a1","title":"Blair speaks on health","body":"Prime Minister Tony Blair said the NHS needed more money. Mr Blair told MPs in London that Labour would act.\n\n\"We will deliver,\" said Mr Blair."}
{"id":"a2","title":"Blair in Brussels","body":"Mr Blair arrived in Brussels on Monday. Blair said the European Union must change, and Gordon Brown agreed."}
{"id":"a3","title":"Film wins Oscar","body":"The film won an Oscar on Sunday in Los Angeles. Oscar winners were cheered by fans, Steven Spielberg said."}
{"id":"a4","title":"Amazon profits","body":"Online shop Amazon said profits rose in the United States. Amazon sells books and music, chief executive Jeff Bezos said."}
`

const curationRules = `# Folio entity curation
- merge: Tony Blair
  into: Anthony Blair
  type: PER
- retype: Brussels
  to: ORG
- split: Amazon
  type: LOC
  when:
    - word: shop
      type: ORG
- hide: Steven Spielberg
- alias: [NHS]
  name: National Health Service
`

// entityValues runs a search and returns each hit's people, organisations
// and places, as "id person…|org…|place…".
func entityValues(t *testing.T, dir, q string) []string {
	t.Helper()
	stdout, stderr, code := folio(t, dir, "search", "--data-dir", "data", "--json", q)
	if code != 0 {
		t.Fatalf("search %s: exit %d: %s", q, code, stderr)
	}
	var res struct {
		Hits []struct {
			ID                 string
			Person, Org, Place []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID+" "+strings.Join(h.Person, ",")+"|"+strings.Join(h.Org, ",")+"|"+strings.Join(h.Place, ","))
	}
	slices.Sort(out)
	return out
}

func TestEntitiesApplyAndReingest(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "news.jsonl"), []byte(curationNews), 0o644)
	if _, stderr, code := folio(t, dir, "ingest", "--data-dir", "data", "news.jsonl"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	before := entityValues(t, dir, "*")
	// The model's entities, which the rules correct.
	for _, want := range []string{"a1 Tony Blair|", "a2 Tony Blair,Gordon Brown|European Union|Brussels", "a3 Steven Spielberg||Los Angeles", "a4 Jeff Bezos||Amazon,United States"} {
		if !slices.ContainsFunc(before, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Fatalf("before the rules, no hit starts %q: %q", want, before)
		}
	}

	// A file with an error names its line, and nothing is written.
	rules := filepath.Join(dir, "data", "entities.yaml")
	os.WriteFile(rules, []byte("- hide: x\n- retype: Oscar\n  to: AWARD\n"), 0o644)
	_, stderr, code := folio(t, dir, "entities", "apply", "--data-dir", "data")
	if code != 2 || !strings.Contains(stderr, `entities.yaml:2: to "AWARD" is not an entity type`) {
		t.Fatalf("bad file: exit %d: %s", code, stderr)
	}

	os.WriteFile(rules, []byte(curationRules), 0o644)
	stdout, stderr, code := folio(t, dir, "entities", "apply", "--data-dir", "data")
	if code != 0 {
		t.Fatalf("entities apply: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`line 2: merge PER "Tony Blair" into "Anthony Blair": 2 articles, 2 entities, 1 quote speakers`,
		`line 5: retype "Brussels" to ORG: 1 articles, 1 entities`,
		`line 7: split LOC "Amazon" by "shop"→ORG: 1 articles, 1 entities`,
		`line 12: hide "Steven Spielberg": 1 articles, 1 entities`,
		`line 13: alias ["NHS"] to "National Health Service": 1 articles, 1 entities`,
		"read 4 articles, rewrote 4",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("apply output lacks %q:\n%s", want, stdout)
		}
	}
	want := []string{
		"a1 Anthony Blair|National Health Service,Labour|London",
		"a2 Anthony Blair,Gordon Brown|Brussels,European Union|",
		"a3 ||Los Angeles",
		"a4 Jeff Bezos|Amazon|United States",
	}
	if got := entityValues(t, dir, "*"); !slices.Equal(got, want) {
		t.Errorf("after apply:\n got %q\nwant %q", got, want)
	}
	// The quote's speaker is renamed with the person.
	if got := entityValues(t, dir, `speaker:"Anthony Blair"`); len(got) != 1 || !strings.HasPrefix(got[0], "a1 ") {
		t.Errorf(`speaker:"Anthony Blair" = %q`, got)
	}
	// A second run changes nothing, and the audit has both runs.
	stdout, _, _ = folio(t, dir, "entities", "apply", "--data-dir", "data")
	if !strings.Contains(stdout, "rewrote 0") {
		t.Errorf("second apply rewrote articles:\n%s", stdout)
	}
	audit, _ := os.ReadFile(filepath.Join(dir, "data", "entities.audit.jsonl"))
	if n := strings.Count(string(audit), "\n"); n != 10 {
		t.Errorf("audit has %d lines, want 10:\n%s", n, audit)
	}

	// The rules survive a re-ingest of the same file: ingest applies them.
	if _, stderr, code := folio(t, dir, "ingest", "--data-dir", "data", "news.jsonl"); code != 0 {
		t.Fatalf("re-ingest: exit %d: %s", code, stderr)
	}
	if got := entityValues(t, dir, "*"); !slices.Equal(got, want) {
		t.Errorf("after re-ingest:\n got %q\nwant %q", got, want)
	}
}
