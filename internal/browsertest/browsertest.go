// Package browsertest starts headless Chromium for the tests that look at
// a page as a person would (the papers, the workbench), with the flags
// that work on a machine without network, and keeps their screenshots.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Context starts a browser with a window of width × height and returns a
// context to drive it with chromedp; the browser stops when the test ends.
// Without Chromium the test is skipped, except under CI, where it fails.
// limit bounds a browser that never answers, so that the test cannot hang;
// it is not a timing assertion.
func Context(t testing.TB, width, height int, limit time.Duration) context.Context {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium found (chromium, chromium-browser, google-chrome, headless-shell) and CI is set: install it, e.g. apt-get install chromium")
		}
		t.Skip("no Chromium found (chromium, chromium-browser, google-chrome, headless-shell): the page is not looked at in a browser; install chromium to run this test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelLimit := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelLimit(); cancelCtx(); cancelAlloc() })
	return ctx
}

// ArtifactDir is where a test keeps its screenshots: $HOTRO_ARTIFACTS, or
// testdata/artifacts of the package, with sub below it when given.
func ArtifactDir(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("HOTRO_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
