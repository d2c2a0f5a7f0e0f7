package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

func adminServer(t *testing.T, token string) string {
	cfg := config.Default()
	cfg.Server.AdminToken = token
	return foliotest.Serve(t, foliotest.NewIndex(t, "bundled"), cfg).URL
}

func do(t *testing.T, method, url, token, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const upload = `{"id": "up-1", "title": "Harbour reopens", "body": "The harbour of Baku reopened."}
{"id": "up-2", "title": "Broken"
{"id": "up-3", "title": "Harbour fees", "body": "Fees at the harbour rose.", "date": "2024-02-30"}
`

func TestAdminRoutesNeedTheToken(t *testing.T) {
	base := adminServer(t, "s3cret-token")
	for _, token := range []string{"", "wrong", "s3cret-toke", "s3cret-token2"} {
		if code, _ := do(t, "POST", base+"/api/ingest", token, "application/x-ndjson", upload); code != 401 {
			t.Errorf("ingest with token %q: %d, want 401", token, code)
		}
		if code, _ := do(t, "DELETE", base+"/api/articles/x", token, "", ""); code != 401 {
			t.Errorf("delete with token %q: %d, want 401", token, code)
		}
	}
	var res searchResult
	get(t, base, searchPath("harbour"), 200, &res)
	if res.Total != 0 {
		t.Fatalf("refused ingest changed the index: %d hits", res.Total)
	}

	code, body := do(t, "POST", base+"/api/ingest", "s3cret-token", "application/x-ndjson", upload)
	var out struct {
		Indexed  int
		Rejected []struct {
			Line   int
			Reason string
		}
		Total int
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || code != 200 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	if out.Indexed != 1 || len(out.Rejected) != 2 || out.Rejected[0].Line != 2 || out.Rejected[1].Line != 3 || out.Total != 7 {
		t.Errorf("ingest answer %s", body)
	}
	get(t, base, searchPath("harbour"), 200, &res)
	if res.Total != 1 || res.Hits[0].ID != "up-1" || len(res.Hits[0].Place) == 0 {
		t.Errorf("after ingest: %+v (want up-1 with its places)", res.Hits)
	}
	if code, _ := do(t, "POST", base+"/api/ingest", "s3cret-token", "text/plain", upload); code != 415 {
		t.Errorf("wrong content type: %d", code)
	}

	if code, _ := do(t, "DELETE", base+"/api/articles/up-1", "s3cret-token", "", ""); code != 204 {
		t.Errorf("delete: %d", code)
	}
	if code, _ := do(t, "DELETE", base+"/api/articles/up-1", "s3cret-token", "", ""); code != 404 {
		t.Errorf("second delete: %d", code)
	}
	get(t, base, searchPath("harbour"), 200, &res)
	if res.Total != 0 {
		t.Errorf("deleted article still found")
	}
}

func TestAdminRoutesOffWithoutToken(t *testing.T) {
	base := adminServer(t, "")
	if code, _ := do(t, "POST", base+"/api/ingest", "", "application/x-ndjson", upload); code != 404 {
		t.Errorf("ingest without configured token: %d, want 404", code)
	}
	if code, _ := do(t, "POST", base+"/api/ingest", "anything", "application/x-ndjson", upload); code != 404 {
		t.Errorf("ingest with a token when none is configured: %d, want 404", code)
	}
}

func TestMetricsAndSecurityHeaders(t *testing.T) {
	base := adminServer(t, "")
	var res searchResult
	get(t, base, searchPath("aliyev"), 200, &res)
	code, body := do(t, "GET", base+"/metrics", "", "", "")
	for _, want := range []string{`folio_http_requests_total{route="/api/search",status="200"} 1`, "folio_index_articles 6", "folio_http_request_duration_seconds_bucket"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed by default")
	}
}
