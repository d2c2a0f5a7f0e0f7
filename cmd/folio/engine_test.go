package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// clusterURL is a real OpenSearch node: FOLIO_OPENSEARCH_URLS's first,
// or one that the tests share, started on first use with
// testcluster/start.sh and stopped by TestMain. Without Java or Maven the
// test skips, unless FOLIO_OPENSEARCH_REQUIRED is set.
// throwawayIndex names an index of the cluster at url for one test, and
// deletes it when the test ends.
func throwawayIndex(t *testing.T, url, what string) string {
	name := fmt.Sprintf("folio-%s-test-%d", what, os.Getpid())
	t.Cleanup(func() {
		req, _ := http.NewRequest(http.MethodDelete, url+"/"+name, nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	})
	return name
}

func clusterURL(t *testing.T) string {
	url, _ := testCluster(t)
	return url
}

var shared struct {
	once      sync.Once
	port, dir string
	err       error
}

// stopCluster stops the shared node, if a test started it.
func stopCluster() {
	if shared.port != "" && shared.err == nil {
		exec.Command(filepath.Join(shared.dir, "stop.sh"), shared.port).Run()
	}
}

// testCluster is clusterURL with a function that kills or starts the
// node again (testcluster/node.sh), nil for a cluster the tests did not
// start.
func testCluster(t *testing.T) (url string, node func(action string)) {
	t.Helper()
	if urls := os.Getenv("FOLIO_OPENSEARCH_URLS"); urls != "" {
		return strings.FieldsFunc(urls, func(r rune) bool { return r == ',' || r == ' ' })[0], nil
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("FOLIO_OPENSEARCH_REQUIRED") != "" {
				t.Fatalf("%s is not installed", tool)
			}
			t.Skipf("no OpenSearch node: %s is not installed and FOLIO_OPENSEARCH_URLS is not set", tool)
		}
	}
	shared.once.Do(func() {
		shared.port = strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
		shared.dir, _ = filepath.Abs("../../internal/opensearch/testcluster")
		if out, err := exec.Command(filepath.Join(shared.dir, "start.sh"), "1", shared.port).CombinedOutput(); err != nil {
			shared.err = fmt.Errorf("start.sh: %v\n%s", err, out)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return "http://127.0.0.1:" + shared.port, func(action string) {
		t.Helper()
		if out, err := exec.Command(filepath.Join(shared.dir, "node.sh"), shared.port, "0", action).CombinedOutput(); err != nil {
			t.Fatalf("node.sh %s: %v\n%s", action, err, out)
		}
	}
}

// TestServeFromOpenSearch: with index.backend opensearch, folio serve
// fills an empty index on the cluster from the bundled corpus and
// answers the API from it, and folio search reads the same index. When
// the node is down, searches and /healthz are a 503 that says so, and
// they answer again once it is back, with no restart of Folio.
func TestServeFromOpenSearch(t *testing.T) {
	url, node := testCluster(t)
	name := throwawayIndex(t, url, "cmd")
	dir := t.TempDir()
	env := []string{"FOLIO_INDEX_BACKEND=opensearch", "FOLIO_OPENSEARCH_URLS=" + url,
		"FOLIO_OPENSEARCH_INDEX=" + name, "FOLIO_OPENSEARCH_REPLICAS=0", "FOLIO_DATA_DIR=" + filepath.Join(dir, "data")}
	addr := freeAddr(t)
	cmd := exec.Command(folioBin, "serve", "--addr", addr)
	cmd.Dir, cmd.Env = dir, append(cleanEnv(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var resp *http.Response
	var err error
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + `/api/search?q=%22not+a+poor+man%22`); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, stderr.String())
	}
	var res struct {
		Total int
		Hits  []struct {
			Title    string
			Snippets []string
		}
	}
	json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if res.Total != 1 || !strings.Contains(res.Hits[0].Title, "London") ||
		len(res.Hits[0].Snippets) == 0 || !strings.Contains(res.Hits[0].Snippets[0], "<mark>not a poor man</mark>") {
		t.Errorf("search answer: %+v\n%s", res, stderr.String())
	}
	if !strings.Contains(stderr.String(), "from OpenSearch") {
		t.Errorf("stderr does not say it serves from OpenSearch:\n%s", stderr.String())
	}
	// No Bleve index was built beside it.
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("a data dir was made: %v", err)
	}
	stdout, errOut, code := folioEnv(t, dir, env, "search", "--json", "aliyev")
	var got struct{ Total int }
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || got.Total == 0 {
		t.Errorf("folio search on the cluster: exit %d, %s %s", code, stdout, errOut)
	}
	checkNameVariants(t, "http://"+addr)
	checkRelated(t, "http://"+addr)

	if node == nil {
		t.Log("FOLIO_OPENSEARCH_URLS names the cluster: its node is not stopped")
		return
	}
	node("kill")
	for _, path := range []string{"/api/search?q=aliyev", "/healthz", "/api/articles/x"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error  struct{ Code, Message string }
			Status string
			Reason string
		}
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		msg := body.Error.Message + body.Reason
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(msg, "unavailable") ||
			strings.Contains(msg, url) {
			t.Errorf("%s with the node down: %d %+v", path, resp.StatusCode, body)
		}
	}
	node("start")
	// The node answers HTTP before it has recovered its shards: searches
	// are 503 for a moment, then 200 with the same answer.
	var status, total int
	start := time.Now()
	for time.Since(start) < 60*time.Second {
		resp, err := http.Get("http://" + addr + `/api/search?q=%22not+a+poor+man%22`)
		if err != nil {
			t.Fatal(err)
		}
		status = resp.StatusCode
		var again struct{ Total int }
		json.NewDecoder(resp.Body).Decode(&again)
		resp.Body.Close()
		if total = again.Total; status == http.StatusOK {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if status != http.StatusOK || total != 1 {
		t.Fatalf("after the node came back: %d, total %d\n%s", status, total, stderr.String())
	}
	t.Logf("searches answered again %s after the node answered HTTP", time.Since(start).Round(time.Millisecond))
}

// checkNameVariants checks the name variants of the bundled corpus's
// Ilham Aliyev through the API at base: filters in other spellings find
// his articles and say so, and a phrase and a filter that spell him
// otherwise get a suggestion that finds them.
func checkNameVariants(t *testing.T, base string) {
	t.Helper()
	type answer struct {
		Total             uint64
		Matched           map[string][]string
		DidYouMean        *string             `json:"did_you_mean"`
		DidYouMeanTotal   uint64              `json:"did_you_mean_total"`
		DidYouMeanFilters map[string][]string `json:"did_you_mean_filters"`
	}
	get := func(query url.Values) answer {
		t.Helper()
		resp, err := http.Get(base + "/api/search?" + query.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var a answer
		if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&a) != nil {
			t.Fatalf("%s: status %d", query.Encode(), resp.StatusCode)
		}
		return a
	}
	canon := get(url.Values{"person": {"Ilham Aliyev"}})
	if canon.Total == 0 {
		t.Fatal("no article of Ilham Aliyev on the cluster")
	}
	for _, typed := range []string{"Ilham Aliev", "Ilham Əliyev", "Ильхам Алиев"} {
		for _, q := range []url.Values{{"person": {typed}}, {"q": {`person:"` + typed + `"`}}} {
			if a := get(q); a.Total != canon.Total || !slices.Equal(a.Matched["person"], []string{"Ilham Aliyev"}) {
				t.Errorf("%s: %d articles, matched %v; want %d, Ilham Aliyev", q.Encode(), a.Total, a.Matched, canon.Total)
			}
		}
	}
	phrase := get(url.Values{"q": {`"Ilham Aliyev"`}})
	if a := get(url.Values{"q": {`"Ilham Aliev"`}}); a.Total != 0 || a.DidYouMean == nil || *a.DidYouMean != `"ilham aliyev"` || a.DidYouMeanTotal != phrase.Total {
		t.Errorf(`"Ilham Aliev": %d articles, did you mean %v (%d); want 0, "ilham aliyev" (%d)`, a.Total, a.DidYouMean, a.DidYouMeanTotal, phrase.Total)
	}
	if a := get(url.Values{"person": {"Ilhan Alyev"}}); a.Total != 0 || !slices.Equal(a.DidYouMeanFilters["person"], []string{"Ilham Aliyev"}) || a.DidYouMeanTotal != canon.Total {
		t.Errorf("person=Ilhan Alyev: %d articles, suggested %v (%d); want 0, Ilham Aliyev (%d)", a.Total, a.DidYouMeanFilters, a.DidYouMeanTotal, canon.Total)
	}
}

// checkRelated: who appears with whom answers from the cluster, the
// entity named by a variant of its name (year slices asked, though the
// bundled articles have no dates); a name of no one is a 404.
func checkRelated(t *testing.T, base string) {
	t.Helper()
	get := func(query url.Values, out any) int {
		t.Helper()
		resp, err := http.Get(base + "/api/entities/related?" + query.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil && resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	var all, his struct{ Total uint64 }
	for q, out := range map[string]any{"q=*": &all, "person=Ilham+Aliyev": &his} {
		resp, err := http.Get(base + "/api/search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(out)
		resp.Body.Close()
	}
	var got struct {
		Entity   struct{ Matched []string }
		Articles int
		Total    uint64
		Related  map[string][]struct {
			Name  string
			Count int
		}
	}
	code := get(url.Values{"type": {"person"}, "name": {"Ilham Aliev"}, "min_count": {"1"}, "slice": {"year"}}, &got)
	listed := 0
	for _, l := range got.Related {
		listed += len(l)
	}
	if code != http.StatusOK || !slices.Equal(got.Entity.Matched, []string{"Ilham Aliyev"}) ||
		uint64(got.Articles) != his.Total || got.Total != all.Total || listed == 0 {
		t.Errorf("related to Ilham Aliev: status %d, matched %v in %d of %d articles, %d entities; want 200, Ilham Aliyev in %d of %d, with entities",
			code, got.Entity.Matched, got.Articles, got.Total, listed, his.Total, all.Total)
	}
	if code := get(url.Values{"type": {"person"}, "name": {"Nobody Atall"}}, nil); code != http.StatusNotFound {
		t.Errorf("related to no one: status %d; want 404", code)
	}
}

// TestIngestIntoOpenSearch: with index.backend opensearch, folio ingest
// writes into the cluster, with the entities it computes, and makes no
// Bleve index.
func TestIngestIntoOpenSearch(t *testing.T) {
	url := clusterURL(t)
	name := throwawayIndex(t, url, "ingest")
	dir := t.TempDir()
	env := []string{"FOLIO_INDEX_BACKEND=opensearch", "FOLIO_OPENSEARCH_URLS=" + url,
		"FOLIO_OPENSEARCH_INDEX=" + name, "FOLIO_OPENSEARCH_REPLICAS=0", "FOLIO_DATA_DIR=" + filepath.Join(dir, "data")}
	_, errOut, code := folioEnv(t, dir, env, "ingest", "--quotes=false", "bundled")
	if code != 0 || !strings.Contains(errOut, "indexed 6 articles") || !strings.Contains(errOut, "the index holds 6") {
		t.Fatalf("ingest into the cluster: exit %d\n%s", code, errOut)
	}
	stdout, errOut, code := folioEnv(t, dir, env, "search", "--json", "aliyev")
	var got struct {
		Total  int
		Facets map[string][]struct{ Value string }
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || got.Total != 6 {
		t.Fatalf("search the cluster: exit %d %s %s", code, stdout, errOut)
	}
	found := false
	for _, v := range got.Facets["person"] {
		found = found || v.Value == "Ilham Aliyev"
	}
	if !found {
		t.Errorf("no person Ilham Aliyev among the facets: %v", got.Facets)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("a data dir was made: %v", err)
	}
}
