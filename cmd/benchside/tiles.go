package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// tileRef is one tile address.
type tileRef struct {
	Z, X, Y int
}

func (t tileRef) path(ext string) string {
	return fmt.Sprintf("/tiles/%d/%d/%d.%s", t.Z, t.X, t.Y, ext)
}

// chooseTiles picks up to n distinct tiles that hold events, spread over
// zooms 0 to maxZoom: the tiles a map of the data asks for, with content
// in every one (an empty vector tile is a 204, which a file server
// cannot mimic).
func chooseTiles(area loadtest.Area, n, maxZoom int, rng *rand.Rand) []tileRef {
	byZoom := make([][]tileRef, maxZoom+1)
	for z := 0; z <= maxZoom; z++ {
		seen := map[tileRef]bool{}
		for _, p := range area.Events {
			t := maptile.At(p, maptile.Zoom(z))
			r := tileRef{int(t.Z), int(t.X), int(t.Y)}
			if !seen[r] {
				seen[r] = true
				byZoom[z] = append(byZoom[z], r)
			}
		}
		sort.Slice(byZoom[z], func(i, j int) bool { return byZoom[z][i].X*1e7+byZoom[z][i].Y < byZoom[z][j].X*1e7+byZoom[z][j].Y })
		rng.Shuffle(len(byZoom[z]), func(i, j int) { byZoom[z][i], byZoom[z][j] = byZoom[z][j], byZoom[z][i] })
	}
	// round robin over the zooms, so that every zoom is in the sample
	var out []tileRef
	for k := 0; len(out) < n; k++ {
		added := false
		for z := 0; z <= maxZoom && len(out) < n; z++ {
			if k < len(byZoom[z]) {
				out = append(out, byZoom[z][k])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// tileSet is the tiles of one format that both servers serve.
type tileSet struct {
	ext   string
	paths []string
	bytes int64 // total size
}

// fetchTiles downloads each tile once from conflictmap (uncompressed)
// and writes it under dir with the same path, for the file server. Empty
// tiles (204) are left out.
func fetchTiles(ctx context.Context, c *http.Client, base, dir, ext string, tiles []tileRef) (tileSet, error) {
	ts := tileSet{ext: ext}
	for _, t := range tiles {
		p := t.path(ext)
		body, status, err := get(ctx, c, base+p)
		if err != nil {
			return ts, err
		}
		if status == http.StatusNoContent {
			continue
		}
		if status != http.StatusOK {
			return ts, fmt.Errorf("fetch %s: status %d", p, status)
		}
		file := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return ts, err
		}
		if err := os.WriteFile(file, body, 0o644); err != nil {
			return ts, err
		}
		ts.paths = append(ts.paths, p)
		ts.bytes += int64(len(body))
	}
	if len(ts.paths) == 0 {
		return ts, fmt.Errorf("no %s tile with content among %d", ext, len(tiles))
	}
	return ts, nil
}

// get fetches a URL and reads its body.
func get(ctx context.Context, c *http.Client, url string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("read %s: %w", url, err)
	}
	return body, resp.StatusCode, nil
}

// fileServer is the baseline: net/http's FileServer over the fetched
// tiles, in this process, on a loopback port.
type fileServer struct {
	base string
	srv  *http.Server
}

func startFileServer(dir string) (*fileServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("file server: %w", err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	return &fileServer{base: "http://" + l.Addr().String(), srv: srv}, nil
}

func (f *fileServer) close() { f.srv.Close() }

// measured is one server's figures in one round.
type measured struct {
	lat  []time.Duration
	wall time.Duration
	errs int
	// first is the latency of the first request of a cold round.
	first time.Duration
}

func (m measured) rps() float64 {
	if m.wall <= 0 {
		return 0
	}
	return float64(len(m.lat)) / m.wall.Seconds()
}

func (m measured) p50() time.Duration { return loadtest.Summarize(m.lat).P50 }

// errStatus is an answer other than 200 while measuring.
var errStatus = errors.New("unexpected status")

// timedGet fetches url and reads the body, returning the latency.
func timedGet(ctx context.Context, c *http.Client, url string) (time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		return d, err
	}
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("%w %d for %s", errStatus, resp.StatusCode, url)
	}
	return d, nil
}

// hammer makes n requests over paths with conc concurrent clients, as
// fast as they go: warm throughput and latency.
func hammer(ctx context.Context, c *http.Client, base string, paths []string, n, conc int) measured {
	var next atomic.Int64
	var mu sync.Mutex
	var m measured
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					break
				}
				d, err := timedGet(ctx, c, base+paths[i%len(paths)])
				if err != nil {
					errs++
					continue
				}
				lat = append(lat, d)
			}
			mu.Lock()
			m.lat = append(m.lat, lat...)
			m.errs += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	m.wall = time.Since(start)
	return m
}

// coldPass requests every path once from both servers, one request at a
// time and alternating which goes first, on new connections: the first
// request of each tile since the server started. Throughput is
// sequential: requests over the summed latencies.
func coldPass(ctx context.Context, cm, st string, paths []string, rng *rand.Rand) (measured, measured) {
	order := append([]string(nil), paths...)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	cmc := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: 1, RawBodies: true})
	stc := loadtest.Client(loadtest.ClientOptions{Timeout: time.Minute, Conns: 1, RawBodies: true})
	defer cmc.CloseIdleConnections()
	defer stc.CloseIdleConnections()
	var a, b measured
	one := func(m *measured, c *http.Client, url string) {
		d, err := timedGet(ctx, c, url)
		if err != nil {
			m.errs++
			return
		}
		if len(m.lat) == 0 {
			m.first = d
		}
		m.lat = append(m.lat, d)
		m.wall += d
	}
	for i, p := range order {
		if i%2 == 0 {
			one(&a, cmc, cm+p)
			one(&b, stc, st+p)
		} else {
			one(&b, stc, st+p)
			one(&a, cmc, cm+p)
		}
	}
	return a, b
}

// comparison is conflictmap against the file server for one format and
// state, over the rounds.
type comparison struct {
	Format string `json:"format"`
	State  string `json:"state"` // warm or cold
	Tiles  int    `json:"tiles"`
	Rounds int    `json:"rounds"`
	// medians over the rounds
	CMRPS       float64 `json:"conflictmap_rps"`
	StaticRPS   float64 `json:"static_rps"`
	RPSRatio    float64 `json:"rps_ratio"` // conflictmap / static, per round, then the median
	CMP50ms     float64 `json:"conflictmap_p50_ms"`
	StaticP50ms float64 `json:"static_p50_ms"`
	P50Ratio    float64 `json:"p50_ratio"`
	Errors      int     `json:"errors"`
}

// compare reduces per-round figures to medians; each ratio is taken
// within a round (both servers measured side by side) before the median,
// which cancels most of a shared machine's drift.
func compare(format, state string, tiles int, cm, st []measured) comparison {
	c := comparison{Format: format, State: state, Tiles: tiles, Rounds: len(cm)}
	var cmRPS, stRPS, rpsR, cmP, stP, pR []float64
	for i := range cm {
		a, b := cm[i], st[i]
		c.Errors += a.errs + b.errs
		if len(a.lat) == 0 || len(b.lat) == 0 {
			continue
		}
		cmRPS, stRPS = append(cmRPS, a.rps()), append(stRPS, b.rps())
		rpsR = append(rpsR, a.rps()/b.rps())
		cmP, stP = append(cmP, loadtest.Ms(a.p50())), append(stP, loadtest.Ms(b.p50()))
		pR = append(pR, float64(a.p50())/float64(b.p50()))
	}
	c.CMRPS, c.StaticRPS, c.RPSRatio = loadtest.Median(cmRPS), loadtest.Median(stRPS), loadtest.Median(rpsR)
	c.CMP50ms, c.StaticP50ms, c.P50Ratio = loadtest.Median(cmP), loadtest.Median(stP), loadtest.Median(pR)
	return c
}
