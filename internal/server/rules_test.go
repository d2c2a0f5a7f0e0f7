package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/curate"
	"github.com/folio-search/folio/internal/foliotest"
	"github.com/folio-search/folio/internal/server"
)

// curatedServer serves the sample with an entities file in t.TempDir(),
// its rules applied at ingest after the entities as in `folio serve`.
func curatedServer(t *testing.T) (base, rulesPath string) {
	t.Helper()
	cfg := config.Default()
	cfg.Server.AdminToken = "tok"
	rulesPath = filepath.Join(t.TempDir(), "entities.yaml")
	os.WriteFile(rulesPath, []byte("# kept as written\n- hide: Nobody At All\n"), 0o644)
	rules, err := curate.Open(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(foliotest.NewIndex(t, "bundled"), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	entities := foliotest.Enrich(t)
	srv.SetEnrich(func(a *corpus.Article) { entities(a); rules.Apply(a) })
	srv.SetCuration(rules)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL, rulesPath
}

func facetCount(t *testing.T, base, facet, value string) int {
	t.Helper()
	var res searchResult
	get(t, base, "/api/search?q=*&facet_size=200", 200, &res)
	for _, v := range res.Facets[facet] {
		if v.Value == value {
			return int(v.Count)
		}
	}
	return 0
}

func TestAddEntityRule(t *testing.T) {
	base, rulesPath := curatedServer(t)
	const long = "Organized Crime and Corruption Reporting Project"
	if n := facetCount(t, base, "org", long); n != 2 {
		t.Fatalf("the sample's org facet has %s %d times, want 2", long, n)
	}
	rule := `{"alias": ["` + long + `", "Corruption Reporting Project"], "name": "OCCRP", "type": "ORG"}`
	if code, _ := do(t, "POST", base+"/api/entities/rules", "", "application/json", rule); code != 401 {
		t.Errorf("no token: %d, want 401", code)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"merge": "Blair", "into": "Tony Blair"}`, "merge: type is required"},
		{`{"retype": "Oscar", "to": "AWARD"}`, `to \"AWARD\" is not an entity type`},
		{`{"hide": "x", "colour": "red"}`, "unknown field"},
		{`{"hide": "x"} {"hide": "y"}`, "send one rule"},
		{`[`, "not valid JSON"},
	} {
		code, body := do(t, "POST", base+"/api/entities/rules", "tok", "application/json", bad.body)
		if code != 400 || !strings.Contains(body, bad.want) {
			t.Errorf("%s: %d %s, want 400 with %q", bad.body, code, body, bad.want)
		}
	}
	if code, _ := do(t, "POST", base+"/api/entities/rules", "tok", "text/plain", rule); code != 415 {
		t.Errorf("text/plain: %d, want 415", code)
	}
	if code, _ := do(t, "POST", base+"/api/entities/rules", "tok", "application/json", `{"hide": "`+strings.Repeat("x", 70<<10)+`"}`); code != 413 {
		t.Errorf("a 70 KiB rule: %d, want 413", code)
	}
	if src, _ := os.ReadFile(rulesPath); strings.Count(string(src), "- ") != 1 {
		t.Fatalf("refused rules reached the file:\n%s", src)
	}

	code, body := do(t, "POST", base+"/api/entities/rules", "tok", "application/json", rule)
	if code != 201 {
		t.Fatalf("add rule: %d %s", code, body)
	}
	var added struct {
		Rule    curate.Rule
		Changed curate.Counts
		Read    int
		Written int
	}
	json.Unmarshal([]byte(body), &added)
	if added.Rule.Line != 3 || added.Changed.Articles != 2 || added.Changed.Entities != 2 || added.Read != 6 || added.Written != 2 {
		t.Errorf("add rule answered %s", body)
	}
	if n, m := facetCount(t, base, "org", "OCCRP"), facetCount(t, base, "org", long); n != 2 || m != 0 {
		t.Errorf("after the rule: OCCRP %d, %s %d; want 2 and 0", n, long, m)
	}
	src, _ := os.ReadFile(rulesPath)
	if !strings.HasPrefix(string(src), "# kept as written\n- hide: Nobody At All\n") || !strings.Contains(string(src), "name: OCCRP") {
		t.Errorf("entities file after the rule:\n%s", src)
	}

	// An article ingested afterwards gets the rule too.
	up := `{"id": "new-1", "title": "Reporters", "body": "A report by the Organized Crime and Corruption Reporting Project found that officials in Baku hid the funds."}` + "\n"
	if code, body := do(t, "POST", base+"/api/ingest", "tok", "application/x-ndjson", up); code != 200 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	if n := facetCount(t, base, "org", "OCCRP"); n != 3 {
		t.Errorf("after an ingest, OCCRP is on %d articles, want 3", n)
	}

	code, body = do(t, "GET", base+"/api/entities/rules/audit", "tok", "", "")
	var audit struct {
		Rules []struct {
			Description string
			Line        int
		}
		Audit []curate.Entry
	}
	if err := json.Unmarshal([]byte(body), &audit); code != 200 || err != nil {
		t.Fatalf("audit: %d %v %s", code, err, body)
	}
	if len(audit.Rules) != 2 || audit.Rules[1].Line != 3 || !strings.Contains(audit.Rules[1].Description, "OCCRP") {
		t.Errorf("audit rules = %+v", audit.Rules)
	}
	if len(audit.Audit) != 1 || audit.Audit[0].By != "api" || audit.Audit[0].Counts.Articles != 2 {
		t.Errorf("audit entries = %+v", audit.Audit)
	}
}
