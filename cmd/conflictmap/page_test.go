package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/web"
)

// TestMapPageInChromium serves the bundled articles with the built binary
// and runs web/e2e in Debian's headless Chromium through playwright-core:
// markers, timeline, popups, sources, measure, exports, the add-article
// form, keyboard reach, phone width and no console errors. Screenshots go
// to web/e2e/out (or $CONFLICTMAP_SCREENSHOTS).
//
// Without chromium, node or `make web` it skips, unless
// CONFLICTMAP_REQUIRE_BROWSER is set, as `make test` (and so CI) sets it.
func TestMapPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary and headless Chromium: skipped in -short mode")
	}
	root := gazettest.RepoRoot()
	missing := func(what string) {
		if os.Getenv("CONFLICTMAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("%s: the map page's browser test cannot run (run `make web`; CI installs chromium)", what)
		}
		t.Skipf("%s: install chromium and run `make web` to test the map page in a browser", what)
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		missing("chromium not found")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found")
	}
	if _, err := os.Stat(filepath.Join(root, "web", "node_modules", "playwright-core")); err != nil {
		missing("playwright-core is not installed in web/node_modules")
	}
	if !web.HasLeaflet(web.Files()) {
		missing("Leaflet is not bundled in web/static/vendor")
	}

	dir := t.TempDir()
	bin := buildBinary(t, root, dir)
	env := subprocessEnv(t)
	db := filepath.Join(dir, "page.db")
	runBinary(t, bin, env, importArgs(db)...)
	srv := startServe(t, bin, env, db, filepath.Join(root, "testdata", "articles"))

	out := os.Getenv("CONFLICTMAP_SCREENSHOTS")
	if out == "" {
		out = filepath.Join(root, "web", "e2e", "out")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", filepath.Join("e2e", "map.test.mjs"))
	cmd.Dir = filepath.Join(root, "web")
	cmd.Env = append(env, "BASE_URL="+srv.base, "TOKEN="+serveToken, "OUT_DIR="+out, "CHROMIUM="+chromium)
	report, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the map page failed in Chromium: %v\n%s\nserver log:\n%s", err, report, clip(srv.stderr.String()))
	}
	t.Logf("web/e2e in Chromium:\n%s\nscreenshots in %s", report, out)
}
