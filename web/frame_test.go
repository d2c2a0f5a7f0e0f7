package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/folio-search/folio/internal/config"
	"github.com/folio-search/folio/internal/foliotest"
)

// TestPageFramedOnlyByConfiguredSites: a page on a second loopback
// origin shows Folio's page in an iframe. Chromium refuses to show it by
// default, and shows it once server.frame_ancestors names that origin.
func TestPageFramedOnlyByConfiguredSites(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (%v); apt-get install chromium", err)
	}
	var folioURL atomic.Value
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>A news site</title><iframe id="folio" src="%s/?q=aliyev" width="800" height="600"></iframe>`, folioURL.Load())
	}))
	defer site.Close()
	ix := foliotest.NewIndex(t, "bundled")

	for _, allowed := range []bool{false, true} {
		cfg := config.Default()
		if allowed {
			cfg.Server.FrameAncestors = []string{site.URL}
		}
		folio := foliotest.Serve(t, ix, cfg)
		folioURL.Store(folio.URL)
		frame := framedURL(t, site.URL)
		shown := strings.HasPrefix(frame.URL, folio.URL+"/") && frame.UnreachableURL == ""
		if shown != allowed {
			t.Errorf("frame_ancestors %q: the framed page is at %q (unreachable %q); shown %v, want %v",
				cfg.Server.FrameAncestors, frame.URL, frame.UnreachableURL, shown, allowed)
		}
	}
}

// framedURL opens the page at site in a fresh headless Chromium and
// returns its first child frame once that has finished loading.
func framedURL(t *testing.T, site string) *cdp.Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate(site), chromedp.WaitReady(chromedp.ID("folio"))); err != nil {
		t.Fatalf("opening %s: %v", site, err)
	}
	// The frame is done once its document has loaded or failed to.
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.readyState === 'complete'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s to load: %v", site, err)
	}
	var frame *cdp.Frame
	err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		if len(res.FrameTree.ChildFrames) == 0 {
			return fmt.Errorf("the page has no frame")
		}
		frame = res.FrameTree.ChildFrames[0].Frame
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return frame
}
