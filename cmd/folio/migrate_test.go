package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateToOpenSearch ingests the bundled corpus into Bleve, migrates
// it into a real node's index with progress and the count check, and
// searches the cluster with the same answers as Bleve's. A second run
// refuses the filled index unless --replace.
func TestMigrateToOpenSearch(t *testing.T) {
	url := clusterURL(t)
	name := throwawayIndex(t, url, "migrate")
	dir := t.TempDir()
	data := "FOLIO_DATA_DIR=" + filepath.Join(dir, "data")
	if _, errOut, code := folioEnv(t, dir, []string{data}, "ingest", "--ner=false", "--quotes=false", "bundled"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s", code, errOut)
	}
	cluster := []string{data, "FOLIO_OPENSEARCH_URLS=" + url, "FOLIO_OPENSEARCH_INDEX=" + name, "FOLIO_OPENSEARCH_REPLICAS=0"}

	stdout, errOut, code := folioEnv(t, dir, cluster, "migrate", "--to", "opensearch", "--batch-size", "1")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, stdout, errOut)
	}
	if !strings.Contains(stdout, "count check passed") || !strings.Contains(errOut, "(100%)") ||
		strings.Count(errOut, "migrated ") < 5 {
		t.Errorf("migrate's output lacks its progress or count check:\n%s%s", stdout, errOut)
	}
	t.Logf("%s%s", errOut, stdout)

	// The same queries give the same totals and first hits on both.
	for _, q := range []string{"aliyev", `"not a poor man"`, "oil OR london", "azerbaijan -grozny"} {
		var answers [2]struct {
			Total int
			Hits  []struct{ ID string }
		}
		for i, env := range [][]string{{data}, append(cluster, "FOLIO_INDEX_BACKEND=opensearch")} {
			out, errOut, code := folioEnv(t, dir, env, "search", "--json", "--sort", "date", "--", q)
			if code != 0 || json.Unmarshal([]byte(out), &answers[i]) != nil {
				t.Fatalf("search %s: exit %d %s %s", q, code, out, errOut)
			}
		}
		if answers[0].Total == 0 || answers[0].Total != answers[1].Total ||
			len(answers[1].Hits) == 0 || answers[0].Hits[0].ID != answers[1].Hits[0].ID {
			t.Errorf("%s: Bleve %+v, OpenSearch %+v", q, answers[0], answers[1])
		}
	}

	if _, errOut, code := folioEnv(t, dir, cluster, "migrate", "--to", "opensearch"); code == 0 || !strings.Contains(errOut, "--replace") {
		t.Errorf("migrate into a filled index: exit %d\n%s", code, errOut)
	}
	if stdout, errOut, code := folioEnv(t, dir, cluster, "migrate", "--to", "opensearch", "--replace"); code != 0 || !strings.Contains(stdout, "count check passed") {
		t.Errorf("migrate --replace: exit %d\n%s%s", code, stdout, errOut)
	}
	if _, errOut, code := folioEnv(t, dir, cluster, "migrate", "--to", "solr"); code == 0 || !strings.Contains(errOut, "--to must be opensearch") {
		t.Errorf("migrate --to solr: exit %d\n%s", code, errOut)
	}
}
