package opensearch

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTLSAndBasicAuth puts the real node behind a TLS endpoint that asks
// for basic authentication, as a secured cluster does: the engine opens
// and searches it with the right password and the endpoint's CA file;
// a wrong password, a missing CA or a file with no certificate is a
// clear error at Open.
func TestTLSAndBasicAuth(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	node, err := url.Parse(clusterURLs[0])
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(node)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "folio" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="cluster"`)
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)

	ctx := context.Background()
	name := fmt.Sprintf("folio-test-tls-%d", os.Getpid())
	cfg := Config{URLs: []string{srv.URL}, Index: name, Username: "folio", Password: "s3cret", CAFile: ca, Replicas: 0}
	e, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open over TLS with the CA file and the password: %v", err)
	}
	defer e.Drop(ctx)
	defer e.Close()
	if n, err := e.Count(ctx); err != nil || n != 0 {
		t.Errorf("Count: %d, %v", n, err)
	}

	for _, c := range []struct {
		what string
		edit func(*Config)
		want string
	}{
		{"a wrong password", func(c *Config) { c.Password = "wrong" }, "401"},
		{"no CA file", func(c *Config) { c.CAFile = "" }, "certificate"},
		{"a CA file with no certificate", func(c *Config) { c.CAFile = notPEM }, "no PEM certificate"},
		{"a missing CA file", func(c *Config) { c.CAFile = filepath.Join(dir, "absent.pem") }, "opensearch.ca_file"},
	} {
		bad := cfg
		c.edit(&bad)
		e, err := Open(ctx, bad)
		if err == nil {
			e.Close()
			t.Errorf("Open with %s: no error", c.what)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open with %s: %v, want it to say %q", c.what, err, c.want)
		}
	}
}
