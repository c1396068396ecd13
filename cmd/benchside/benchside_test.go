package main

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
	}{
		{"defaults", nil, nil},
		{"small run", []string{"--rounds", "2", "--warm-requests", "50", "--json", "out.json"}, nil},
		{"zero rounds refused", []string{"--rounds", "0"}, loadtest.ErrUsage},
		{"zero tiles refused", []string{"--tiles", "0"}, loadtest.ErrUsage},
		{"zoom past 22 refused", []string{"--maxzoom", "23"}, loadtest.ErrUsage},
		{"zero timeout refused", []string{"--timeout", "0s"}, loadtest.ErrUsage},
		{"huge corpus refused", []string{"--parse-mib", "65"}, loadtest.ErrUsage},
		{"unknown flag", []string{"--base", "http://127.0.0.1"}, loadtest.ErrUsage},
		{"arguments refused", []string{"now"}, loadtest.ErrUsage},
		{"help", []string{"--help"}, loadtest.ErrHelp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, io.Discard)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("parseConfig(%q) = %v, want %v", tc.args, err, tc.wantErr)
			}
		})
	}
}

func TestChooseTiles(t *testing.T) {
	events := []orb.Point{{13.19, 32.89}, {15.09, 32.37}, {36.63, 35.93}, {44.2, 15.35}, {32.53, 15.59}}
	tests := []struct {
		name       string
		events     []orb.Point
		n, maxZoom int
		want       int
	}{
		{"asks for fewer than there are", events, 24, 12, 24},
		{"every tile holding an event when there are fewer", events[:1], 24, 3, 4},
		{"no events, no tiles", nil, 10, 12, 0},
		{"zoom 0 only", events, 10, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := chooseTiles(loadtest.Area{Events: tc.events}, tc.n, tc.maxZoom, rand.New(rand.NewPCG(1, 2)))
			if len(got) != tc.want {
				t.Fatalf("got %d tiles, want %d: %v", len(got), tc.want, got)
			}
			seen := map[tileRef]bool{}
			zooms := map[int]bool{}
			for _, tr := range got {
				if seen[tr] {
					t.Fatalf("tile %v twice", tr)
				}
				seen[tr] = true
				zooms[tr.Z] = true
				if !holdsEvent(tr, tc.events) {
					t.Fatalf("tile %v holds no event", tr)
				}
			}
			if tc.want > tc.maxZoom && len(zooms) != tc.maxZoom+1 {
				t.Fatalf("zooms %v: want every zoom from 0 to %d", zooms, tc.maxZoom)
			}
		})
	}
}

func holdsEvent(tr tileRef, events []orb.Point) bool {
	b := maptile.New(uint32(tr.X), uint32(tr.Y), maptile.Zoom(tr.Z)).Bound()
	for _, p := range events {
		if b.Contains(p) {
			return true
		}
	}
	return false
}

func TestCompare(t *testing.T) {
	ms := time.Millisecond
	// per round: conflictmap 100 requests in 1s, the file server 100 in 0.5s
	round := func(cmP50, stP50 time.Duration) (measured, measured) {
		a := measured{wall: time.Second, lat: []time.Duration{cmP50, cmP50, cmP50}}
		b := measured{wall: time.Second / 2, lat: []time.Duration{stP50, stP50, stP50}}
		return a, b
	}
	tests := []struct {
		name                        string
		cmP50s, stP50s              []time.Duration
		wantRPS, wantP50, wantCMP50 float64
	}{
		{"one round", []time.Duration{2 * ms}, []time.Duration{ms}, 0.5, 2, 2},
		{"median of the per-round ratios", []time.Duration{2 * ms, 3 * ms, 10 * ms}, []time.Duration{ms, ms, ms}, 0.5, 3, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cm, st []measured
			for i := range tc.cmP50s {
				a, b := round(tc.cmP50s[i], tc.stP50s[i])
				cm, st = append(cm, a), append(st, b)
			}
			c := compare("mvt", "warm", 24, cm, st)
			if c.RPSRatio != tc.wantRPS || c.P50Ratio != tc.wantP50 || c.CMP50ms != tc.wantCMP50 || c.Rounds != len(cm) {
				t.Fatalf("compare = %+v", c)
			}
		})
	}
	t.Run("errors are counted and an empty round skipped", func(t *testing.T) {
		a, b := round(2*ms, ms)
		c := compare("png", "cold", 1, []measured{a, {errs: 3}}, []measured{b, {errs: 1}})
		if c.Errors != 4 || c.RPSRatio != 0.5 {
			t.Fatalf("compare = %+v", c)
		}
	})
}

func TestMedianBytes(t *testing.T) {
	tests := []struct {
		name string
		in   []int64
		want int64
	}{
		{"none", nil, -1},
		{"unread only", []int64{-1}, -1},
		{"unread left out", []int64{100, -1, 300, 200}, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := medianBytes(tc.in); got != tc.want {
				t.Fatalf("medianBytes(%v) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

// TestFetchAndServeTiles runs the tile path against a fake tile server:
// empty tiles are left out, the file server serves the same bytes, and
// the cold pass and hammer count what they made.
func TestFetchAndServeTiles(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tiles/0/") {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte("tile " + r.URL.Path))
	}))
	defer fake.Close()
	ctx := context.Background()
	c := loadtest.Client(loadtest.ClientOptions{Timeout: 5 * time.Second, Conns: 2, RawBodies: true})
	dir := t.TempDir()
	tiles := []tileRef{{0, 0, 0}, {3, 4, 3}, {5, 17, 12}}
	ts, err := fetchTiles(ctx, c, fake.URL, dir, "mvt", tiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.paths) != 2 {
		t.Fatalf("paths %v: the empty z0 tile should be left out", ts.paths)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tiles", "3", "4", "3.mvt"))
	if err != nil || string(b) != "tile /tiles/3/4/3.mvt" {
		t.Fatalf("file: %q, %v", b, err)
	}
	fs, err := startFileServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	body, status, err := get(ctx, c, fs.base+ts.paths[0])
	if err != nil || status != http.StatusOK || !strings.HasPrefix(string(body), "tile /tiles/") {
		t.Fatalf("file server: %d %q %v", status, body, err)
	}
	a, s := coldPass(ctx, fake.URL, fs.base, ts.paths, rand.New(rand.NewPCG(1, 1)))
	if len(a.lat) != 2 || len(s.lat) != 2 || a.errs+s.errs != 0 || a.first <= 0 {
		t.Fatalf("cold pass: %+v / %+v", a, s)
	}
	m := hammer(ctx, c, fs.base, ts.paths, 50, 4)
	if len(m.lat) != 50 || m.errs != 0 || m.rps() <= 0 {
		t.Fatalf("hammer: %d latencies, %d errors", len(m.lat), m.errs)
	}
	bad := hammer(ctx, c, fs.base, []string{"/tiles/9/9/9.mvt"}, 3, 1)
	if bad.errs != 3 {
		t.Fatalf("a 404 must count as an error: %+v", bad)
	}
}
