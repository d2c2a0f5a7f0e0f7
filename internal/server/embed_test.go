package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

// TestCORSFromEnvList checks that a list of origins in the environment
// allows each of them, and that a script on those sites may read the
// export's row count and the paging links.
func TestCORSFromEnvList(t *testing.T) {
	t.Chdir(t.TempDir()) // no config.yaml
	t.Setenv("FOLIO_SERVER_CORS_ORIGINS", "https://a.example https://b.example")
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := foliotest.Serve(t, foliotest.NewIndex(t, "bundled"), cfg)
	for _, origin := range []string{"https://a.example", "https://b.example", "https://c.example"} {
		req, _ := http.NewRequest("GET", ts.URL+"/api/export?format=csv&q=aliyev", nil)
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		allowed := resp.Header.Get("Access-Control-Allow-Origin")
		if origin == "https://c.example" {
			if allowed != "" {
				t.Errorf("%s is not configured but allowed", origin)
			}
			continue
		}
		if allowed != origin {
			t.Errorf("%s: Access-Control-Allow-Origin %q", origin, allowed)
		}
		exposed := resp.Header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"X-Total-Count", "Link"} {
			if !strings.Contains(exposed, h) {
				t.Errorf("%s: Access-Control-Expose-Headers %q lacks %s", origin, exposed, h)
			}
		}
	}
}

// TestFrameAncestors checks that framing is refused by default and allowed
// to the configured sites alone.
func TestFrameAncestors(t *testing.T) {
	ix := foliotest.NewIndex(t, "bundled")
	headers := func(cfg *config.Config) http.Header {
		ts := foliotest.Serve(t, ix, cfg)
		resp, err := http.Get(ts.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header
	}
	h := headers(config.Default())
	if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("default: X-Frame-Options %q, CSP %q", h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
	}

	t.Chdir(t.TempDir())
	t.Setenv("FOLIO_SERVER_FRAME_ANCESTORS", "https://a.example https://b.example")
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	h = headers(cfg)
	if h.Get("X-Frame-Options") != "" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors https://a.example https://b.example;") {
		t.Errorf("configured: X-Frame-Options %q, CSP %q", h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
	}

	t.Setenv("FOLIO_SERVER_FRAME_ANCESTORS", "https://a.example; script-src *")
	if _, err := config.Load("", nil); err == nil || !strings.Contains(err.Error(), "frame_ancestors") {
		t.Errorf("a directive smuggled in: %v", err)
	}
}
