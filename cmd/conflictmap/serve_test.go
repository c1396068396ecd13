package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// serveToken is the write token the served binary is started with; the
// test checks that it never reaches the log.
const serveToken = "t0k3n"

// wantCollections are the layers the map serves, in order.
var wantCollections = []string{"places", "events", "estimates", "distances", "zones", "frontlines"}

// TestServeBinary runs the built binary end to end: `gazetteer import`,
// then `serve` on the fixture gazetteer with the bundled articles. It checks
// the OGC API through net/http and GDAL, the write token, a graceful
// shutdown with a write in flight, and a restart on the same database.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the conflictmap binary and runs it as a server: skipped in -short mode")
	}
	root := gazettest.RepoRoot()
	dir := t.TempDir()
	bin := buildBinary(t, root, dir)
	env := subprocessEnv(t)
	db := filepath.Join(dir, "serve.db")
	runBinary(t, bin, env, importArgs(db)...)
	articles := filepath.Join(root, "testdata", "articles")
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}

	first := startServe(t, bin, env, db, articles)
	counts := checkCollections(t, client, first.base)
	if n := apiArticleCount(t, client, first.base); n != 8 {
		t.Fatalf("first run stored %d articles, want the 8 of %s\n%s", n, articles, clip(first.stderr.String()))
	}
	t.Run("gdal", func(t *testing.T) { checkGDAL(t, first.base, counts, dir) })
	t.Run("token", func(t *testing.T) { checkWriteToken(t, client, first.base) })

	before := apiArticleCount(t, client, first.base)
	id := shutdownWithWriteInFlight(t, first)
	checkIntegrity(t, db)

	second := startServe(t, bin, env, db, articles)
	if n := apiArticleCount(t, client, second.base); n != before+1 {
		t.Errorf("after a restart the store has %d articles, want %d (%d before the shutdown and the one written during it)", n, before+1, before)
	}
	if strings.Contains(second.stderr.String(), "first run:") {
		t.Errorf("the restart ingested the bundled articles again:\n%s", clip(second.stderr.String()))
	}
	if status := getStatus(t, client, fmt.Sprintf("%s/api/articles/%d", second.base, id)); status != http.StatusOK {
		t.Errorf("GET the article written during the shutdown after a restart: status %d, want 200", status)
	}
	second.stop(t)

	for i, p := range []*serveProc{first, second} {
		log := p.stderr.String()
		for _, secret := range []string{serveToken, wrongToken} {
			if strings.Contains(log, secret) {
				t.Errorf("run %d: the server log contains the token %q:\n%s", i+1, secret, clip(log))
			}
		}
	}
}

// buildBinary builds ./cmd/conflictmap into dir.
func buildBinary(t *testing.T, root, dir string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the binary: %v", err)
	}
	bin := filepath.Join(dir, "conflictmap")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", bin, "./cmd/conflictmap")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// subprocessEnv is the environment of the binary and of GDAL: this
// process's, without conflictmap settings, with the hermetic folders of
// newVars, and with no proxy for the loopback server.
func subprocessEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONFLICTMAP_") {
			env = append(env, kv)
		}
	}
	for k, v := range newVars(t, "") {
		env = append(env, k+"="+v)
	}
	return append(env, "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
}

// runBinary runs one command line of the binary to completion.
func runBinary(t *testing.T, bin string, env []string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("conflictmap %s: %v\n%s", strings.Join(args, " "), err, clip(string(out)))
	}
}

// syncBuffer collects a subprocess's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveProc is a running `conflictmap serve`.
type serveProc struct {
	cmd        *exec.Cmd
	addr, base string
	stderr     *syncBuffer
	// done is closed when the process has exited; err is then its Wait error.
	done chan struct{}
	err  error
}

// freeAddr is a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startServe starts the server and waits until /healthz answers. The
// process is killed at the end of the test if it is still running.
func startServe(t *testing.T, bin string, env []string, db, articles string) *serveProc {
	t.Helper()
	addr := freeAddr(t)
	p := &serveProc{addr: addr, base: "http://" + addr, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", db, "--articles", articles, "--token", serveToken)
	p.cmd.Env = env
	p.cmd.Stdout = p.stderr
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start conflictmap serve: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	p.waitHealthy(t, 60*time.Second)
	return p
}

func (p *serveProc) waitHealthy(t *testing.T, timeout time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("conflictmap serve exited before it was healthy: %v\n%s", p.err, clip(p.stderr.String()))
		default:
		}
		resp, err := client.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("conflictmap serve was not healthy after %v:\n%s", timeout, clip(p.stderr.String()))
}

// wait waits for the process to exit and checks that it exits with 0.
func (p *serveProc) wait(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		t.Fatalf("conflictmap serve did not exit within %v of SIGTERM:\n%s", timeout, clip(p.stderr.String()))
	}
	if p.err != nil {
		t.Errorf("conflictmap serve exited with %v after SIGTERM, want exit code 0:\n%s", p.err, clip(p.stderr.String()))
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	p.wait(t, 20*time.Second)
}

// getJSON decodes the JSON answer of a GET that must succeed.
func getJSON(t *testing.T, client *http.Client, url string, v any) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200\n%s", url, resp.StatusCode, clip(string(body)))
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, clip(string(body)))
	}
}

func getStatus(t *testing.T, client *http.Client, url string) int {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func apiArticleCount(t *testing.T, client *http.Client, base string) int {
	t.Helper()
	var list struct {
		Count int `json:"count"`
	}
	getJSON(t, client, base+"/api/articles", &list)
	return list.Count
}

// checkCollections checks that /collections lists the four layers and
// returns each layer's numberMatched.
func checkCollections(t *testing.T, client *http.Client, base string) map[string]int {
	t.Helper()
	var doc struct {
		Collections []struct {
			ID string `json:"id"`
		} `json:"collections"`
	}
	getJSON(t, client, base+"/collections", &doc)
	var ids []string
	for _, c := range doc.Collections {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, wantCollections) {
		t.Fatalf("/collections lists %v, want %v", ids, wantCollections)
	}
	counts := map[string]int{}
	for _, id := range wantCollections {
		var items struct {
			NumberMatched *int `json:"numberMatched"`
		}
		getJSON(t, client, base+"/collections/"+id+"/items", &items)
		if items.NumberMatched == nil {
			t.Fatalf("/collections/%s/items has no numberMatched", id)
		}
		if *items.NumberMatched == 0 {
			t.Errorf("/collections/%s/items matches no feature after the first run", id)
		}
		counts[id] = *items.NumberMatched
	}
	return counts
}

// checkGDAL reads the server with GDAL's OGC API - Features driver: every
// layer with the feature count the server reports, and a copy of the
// events into a GeoPackage, which makes GDAL follow the next links.
func checkGDAL(t *testing.T, base string, counts map[string]int, dir string) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not found: install gdal-bin to check the server with GDAL (CI installs it)")
	}
	ogr2ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr not found: install gdal-bin to check the server with GDAL (CI installs it)")
	}
	env := append(subprocessEnv(t), "GDAL_HTTP_TIMEOUT=20", "GDAL_HTTP_MAX_RETRY=0", "CPL_DEBUG=OFF")
	src := "OAPIF:" + base
	got := ogrFeatureCounts(runGDAL(t, env, ogrinfo, "-ro", "-so", "-al", src))
	for _, id := range wantCollections {
		n, ok := got[id]
		switch {
		case !ok:
			t.Errorf("ogrinfo does not list the layer %s with a feature count", id)
		case n != counts[id]:
			t.Errorf("ogrinfo: layer %s has Feature Count %d, want numberMatched %d", id, n, counts[id])
		}
	}

	// GDAL's MVT driver reads a vector tile: its events layer holds the
	// events the items endpoint finds in the tile's buffered bound
	tile := maptile.At(orb.Point{13.18733, 32.88743}, 6) // Tripoli
	b := tile.Bound(64.0 / 4096)
	var inTile struct {
		NumberMatched int `json:"numberMatched"`
	}
	getJSON(t, &http.Client{Timeout: 30 * time.Second}, fmt.Sprintf("%s/collections/events/items?limit=1&bbox=%f,%f,%f,%f", base, b.Min[0], b.Min[1], b.Max[0], b.Max[1]), &inTile)
	mvt := fmt.Sprintf("MVT:%s/tiles/%d/%d/%d.mvt", base, tile.Z, tile.X, tile.Y)
	got = ogrFeatureCounts(runGDAL(t, env, ogrinfo, "-ro", "-so", "-al", mvt))
	if inTile.NumberMatched == 0 || got["events"] != inTile.NumberMatched {
		t.Errorf("ogrinfo %s: %d events, want the %d in the tile's bound", mvt, got["events"], inTile.NumberMatched)
	}
	if got["places"] == 0 {
		t.Errorf("ogrinfo %s: no places layer: %v", mvt, got)
	}

	// GDAL mosaics the raster tiles as an XYZ layer (its WMS driver's TMS
	// service, as QGIS's "XYZ Tiles" does): a view of Tripoli at z8
	if gdalTranslate, err := exec.LookPath("gdal_translate"); err == nil {
		xml := filepath.Join(dir, "xyz.xml")
		def := `<GDAL_WMS><Service name="TMS"><ServerUrl>` + base + `/tiles/${z}/${x}/${y}.png</ServerUrl></Service>` +
			`<DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY>` +
			`<LowerRightX>20037508.34</LowerRightX><LowerRightY>-20037508.34</LowerRightY><TileLevel>8</TileLevel>` +
			`<TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin></DataWindow>` +
			`<Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>4</BandsCount></GDAL_WMS>`
		if err := os.WriteFile(xml, []byte(def), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "xyz.png")
		runGDAL(t, env, gdalTranslate, "-q", "-of", "PNG", "-projwin_srs", "EPSG:4326", "-projwin", "12.5", "33.2", "14", "32", "-outsize", "512", "0", xml, out)
		checkMosaic(t, out)
	}

	gpkg := filepath.Join(dir, "events.gpkg")
	runGDAL(t, env, ogr2ogr, "-f", "GPKG", gpkg, src, "events")
	got = ogrFeatureCounts(runGDAL(t, env, ogrinfo, "-ro", "-so", gpkg, "events"))
	if got["events"] != counts["events"] {
		t.Errorf("ogr2ogr copied %d events into the GeoPackage, want %d", got["events"], counts["events"])
	}
}

func runGDAL(t *testing.T, env []string, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, clip(string(out)))
	}
	if strings.Contains(string(out), "ERROR") {
		t.Errorf("%s %s reported an error:\n%s", filepath.Base(bin), strings.Join(args, " "), clip(string(out)))
	}
	return string(out)
}

// ogrFeatureCounts reads the "Feature Count:" of each layer in ogrinfo's
// summary output.
func ogrFeatureCounts(out string) map[string]int {
	counts := map[string]int{}
	layer := ""
	for _, line := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(line, "Layer name: "); ok {
			layer = strings.TrimSpace(name)
		}
		if n, ok := strings.CutPrefix(line, "Feature Count: "); ok && layer != "" {
			if v, err := strconv.Atoi(strings.TrimSpace(n)); err == nil {
				counts[layer] = v
			}
		}
	}
	return counts
}

// wrongToken is a bearer token the server must refuse, and not log.
const wrongToken = "not-the-t0k3n-9f3b"

// checkWriteToken posts an article without a token, with a wrong one and
// with the right one.
func checkWriteToken(t *testing.T, client *http.Client, base string) {
	tests := []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer " + wrongToken, http.StatusForbidden},
		{"right token", "Bearer " + serveToken, http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "date 2023-05-02\n\nFighting was reported near Misrata on Tuesday, officials said (" + tt.name + ").\n"
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/api/articles", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "text/plain; charset=utf-8")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("POST /api/articles: %v", err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Errorf("POST /api/articles: status %d, want %d\n%s", resp.StatusCode, tt.want, clip(string(got)))
			}
		})
	}
}

// shutdownWithWriteInFlight sends SIGTERM while a POST is in its handler,
// still reading its body. It checks that the server stops listening but
// waits, that the POST then completes with 201 and that the process exits
// with 0. It returns the id of the posted article.
//
// A GET of the fixture's layers takes about a millisecond, so it cannot be
// made to be in flight when the signal arrives; a body sent in two halves
// holds the handler open for as long as the test needs.
func shutdownWithWriteInFlight(t *testing.T, p *serveProc) int64 {
	t.Helper()
	body := []byte("date 2023-05-03\n\nShelling hit the outskirts of Sirte on Wednesday, residents said. " +
		"The article was sent while the server was shutting down.\n")
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /api/articles HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", p.addr, serveToken, len(body))
	half := len(body) / 2
	if _, err := conn.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	// the server must have read the headers and entered the handler
	// before the signal: once shutting down, it drops a request whose
	// headers arrive late
	time.Sleep(300 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	waitNotListening(t, p)
	select {
	case <-p.done:
		t.Fatalf("conflictmap serve exited with a request in flight: %v\n%s", p.err, clip(p.stderr.String()))
	default:
	}
	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("send the rest of the body after SIGTERM: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the POST in flight at SIGTERM got no response: %v\n%s", err, clip(p.stderr.String()))
	}
	defer resp.Body.Close()
	var posted struct {
		Article struct {
			ID int64 `json:"id"`
		} `json:"article"`
	}
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the POST in flight at SIGTERM: status %d, want 201\n%s", resp.StatusCode, clip(string(got)))
	}
	if err := json.Unmarshal(got, &posted); err != nil || posted.Article.ID <= 0 {
		t.Fatalf("the POST in flight at SIGTERM: no article id in %s (%v)", clip(string(got)), err)
	}
	p.wait(t, 20*time.Second)
	if !strings.Contains(p.stderr.String(), "shutting down") {
		t.Errorf("the server did not log its shutdown:\n%s", clip(p.stderr.String()))
	}
	return posted.Article.ID
}

// waitNotListening waits until the server has closed its listener: the
// shutdown has begun.
func waitNotListening(t *testing.T, p *serveProc) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				return
			}
		} else {
			c.Close()
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("conflictmap serve still accepts connections 10s after SIGTERM:\n%s", clip(p.stderr.String()))
}

// checkIntegrity runs SQLite's integrity check on the database the server
// left behind.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatalf("open the database after the shutdown: %v", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	if res != "ok" {
		t.Errorf("integrity check after the shutdown: %s", res)
	}
}

// checkMosaic requires a PNG of GDAL's mosaic with land, sea and more:
// not one colour, not an error tile.
func checkMosaic(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("GDAL's mosaic %s: %v", path, err)
	}
	colours := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	if b.Dx() != 512 || len(colours) < 20 {
		t.Errorf("GDAL's mosaic of the raster tiles is %v with %d colours: want 512 wide with the map drawn", b, len(colours))
	}
}
