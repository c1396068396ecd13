package server_test

import (
	"bytes"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/server"
)

// tripoliZ6 is the z6 tile holding Tripoli.
var tripoliZ6 = maptile.At(tripoli, 6)

func tilePath(layer string, t maptile.Tile, query string) string {
	p := "/tiles/"
	if layer != "" {
		p += layer + "/"
	}
	p += strings.Join([]string{strconv.Itoa(int(t.Z)), strconv.Itoa(int(t.X)), strconv.Itoa(int(t.Y))}, "/") + ".mvt"
	if query != "" {
		p += "?" + query
	}
	return p
}

// TestTiles: status, type and content of vector tiles.
func TestTiles(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantLayers []string // all of these, and no other
	}{
		{"all layers", tilePath("", tripoliZ6, ""), 200, []string{"zones", "frontlines", "estimates", "distances", "places", "events"}},
		{"one layer", tilePath("events", tripoliZ6, ""), 200, []string{"events"}},
		{"the world at z0", "/tiles/0/0/0.mvt", 200, nil},
		{"an empty tile", "/tiles/22/0/0.mvt", 204, nil},
		{"x past the edge", "/tiles/6/64/0.mvt", 400, nil},
		{"y past the edge", "/tiles/6/0/64.mvt", 400, nil},
		{"zoom past 22", "/tiles/23/0/0.mvt", 400, nil},
		{"negative zoom", "/tiles/-1/0/0.mvt", 400, nil},
		{"non-numeric x", "/tiles/3/x/0.mvt", 400, nil},
		{"a huge number", "/tiles/3/99999999999999999999/0.mvt", 400, nil},
		{"unknown layer", "/tiles/roads/1/0/0.mvt", 404, nil},
		{"bad date", "/tiles/1/0/0.mvt?date=soon", 400, nil},
		{"unknown parameter", "/tiles/1/0/0.mvt?style=dark", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.get(t, tt.path)
			if tt.wantStatus >= 400 {
				checkProblem(t, res, tt.wantStatus)
				return
			}
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.status, tt.wantStatus, clip(res.body))
			}
			if res.status == http.StatusNoContent {
				if len(res.body) != 0 {
					t.Errorf("204 with %d bytes", len(res.body))
				}
				return
			}
			if ct := mediaType(res.header); ct != "application/vnd.mapbox-vector-tile" {
				t.Errorf("Content-Type %q", ct)
			}
			layers, err := mvt.Unmarshal(res.body)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, l := range layers {
				names = append(names, l.Name)
				if l.Version != 2 || l.Extent != 4096 || len(l.Features) == 0 {
					t.Errorf("layer %s: version %d, extent %d, %d features", l.Name, l.Version, l.Extent, len(l.Features))
				}
			}
			if tt.wantLayers != nil && strings.Join(names, ",") != strings.Join(tt.wantLayers, ",") {
				t.Errorf("layers %v, want %v", names, tt.wantLayers)
			}
		})
	}
}

// TestTileEventsFollowItems: a tile's events are the items in its
// buffered bound, with the same ids whatever the date, and a date keeps
// only that day's events.
func TestTileEventsFollowItems(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	b := tripoliZ6.Bound(64.0 / 4096)
	bbox := func(b orb.Bound) string {
		return strings.Join([]string{ftoa(b.Min[0]), ftoa(b.Min[1]), ftoa(b.Max[0]), ftoa(b.Max[1])}, ",")
	}
	for _, date := range []string{"", "2019-04-04", "2019-04-06"} {
		q, tq := "limit=10000&bbox="+bbox(b), ""
		if date != "" {
			q += "&datetime=" + date
			tq = "date=" + date
		}
		want := ts.items(t, "/collections/events/items?"+q).NumberMatched
		if date == "" && want == 0 {
			t.Fatal("no events in the tile's bound: the test needs some")
		}
		res := ts.get(t, tilePath("events", tripoliZ6, tq))
		got := 0
		if res.status == http.StatusOK {
			layers, err := mvt.Unmarshal(res.body)
			if err != nil {
				t.Fatal(err)
			}
			got = len(layers[0].Features)
		}
		if got != want {
			t.Errorf("date %q: tile has %d events, items %d", date, got, want)
		}
	}
	// a cached tile answers 304 to its ETag, and gzip when asked
	path := tilePath("", tripoliZ6, "")
	first := ts.get(t, path)
	if etag := first.header.Get("ETag"); etag == "" {
		t.Error("no ETag")
	} else if res := ts.get(t, path, "If-None-Match", etag); res.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.status)
	}
	for _, tt := range []struct {
		accept, want string
	}{{"gzip", "gzip"}, {"br, gzip;q=0.8", "gzip"}, {"gzip;q=0", ""}, {"identity", ""}} {
		res := ts.get(t, path, "Accept-Encoding", tt.accept)
		if got := res.header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tt.accept, got, tt.want)
		}
		if !bytes.Equal(res.body, first.body) {
			t.Errorf("Accept-Encoding %q: the tile differs once decoded", tt.accept)
		}
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TestTileJSON: TileJSON 3.0.0 with absolute URLs and the layers.
func TestTileJSON(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	var tj struct {
		TileJSON     string    `json:"tilejson"`
		Tiles        []string  `json:"tiles"`
		MinZoom      int       `json:"minzoom"`
		MaxZoom      int       `json:"maxzoom"`
		Bounds       []float64 `json:"bounds"`
		Center       []float64 `json:"center"`
		VectorLayers []struct {
			ID          string            `json:"id"`
			Fields      map[string]string `json:"fields"`
			MinZoom     *int              `json:"minzoom"`
			MaxZoom     *int              `json:"maxzoom"`
			Description string            `json:"description"`
		} `json:"vector_layers"`
	}
	ts.getJSON(t, "/tiles.json", "application/json", &tj)
	if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.HasPrefix(tj.Tiles[0], ts.URL+"/tiles/{z}/{x}/{y}.mvt") {
		t.Errorf("tilejson %q, tiles %v", tj.TileJSON, tj.Tiles)
	}
	if tj.MinZoom != 0 || tj.MaxZoom != 22 || len(tj.Bounds) != 4 || len(tj.Center) != 3 {
		t.Errorf("zooms %d-%d, bounds %v, center %v", tj.MinZoom, tj.MaxZoom, tj.Bounds, tj.Center)
	}
	if !(tj.Bounds[0] <= tripoli[0] && tripoli[0] <= tj.Bounds[2] && tj.Bounds[1] <= tripoli[1] && tripoli[1] <= tj.Bounds[3]) {
		t.Errorf("bounds %v leave out Tripoli", tj.Bounds)
	}
	ids := map[string]bool{}
	for _, l := range tj.VectorLayers {
		ids[l.ID] = true
		if l.MinZoom == nil || l.MaxZoom == nil || l.Description == "" {
			t.Errorf("layer %s lacks zooms or a description", l.ID)
		}
		if l.ID == "events" && l.Fields["event_type"] != "String" {
			t.Errorf("events fields %v lack event_type as String", l.Fields)
		}
	}
	for _, id := range []string{"events", "places", "zones", "frontlines"} {
		if !ids[id] {
			t.Errorf("no vector layer %s", id)
		}
	}
	// the date a client asks for carries into the tile URLs
	ts.getJSON(t, "/tiles.json?date=2019-04-07", "application/json", &tj)
	if !strings.HasSuffix(tj.Tiles[0], "?date=2019-04-07") {
		t.Errorf("tiles %v do not carry the date", tj.Tiles)
	}
}

func FuzzParseTile(f *testing.F) {
	for _, s := range [][3]string{{"0", "0", "0"}, {"22", "4194303", "4194303"}, {"23", "0", "0"}, {"-1", "0", "0"}, {"6", "64", "1"}, {"3", "x", "0"}, {"05", "+1", "1e2"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := server.ParseTile(z, x, y)
		if err != nil {
			return
		}
		if tile.Z > 22 || !tile.Valid() {
			t.Errorf("ParseTile(%q, %q, %q) = %v, an invalid tile", z, x, y, tile)
		}
	})
}

// TestRasterTiles: PNG tiles at 1x and 2x; raster tiles have no per-layer
// form; bad addresses and dates are 4xx.
func TestRasterTiles(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	tests := []struct {
		path       string
		wantStatus int
		wantSize   int
	}{
		{strings.TrimSuffix(tilePath("", tripoliZ6, ""), ".mvt") + ".png", 200, 256},
		{strings.TrimSuffix(tilePath("", tripoliZ6, ""), ".mvt") + "@2x.png", 200, 512},
		{"/tiles/0/0/0.png?date=2019-04-07", 200, 256},
		{"/tiles/22/0/0.png", 200, 256}, // open sea: still a tile
		{"/tiles/events/6/34/25.png", 404, 0},
		{"/tiles/6/34/25.gif", 404, 0},
		{"/tiles/6/64/0.png", 400, 0},
		{"/tiles/6/34/25@3x.png", 400, 0},
		{"/tiles/6/34/25.png?date=later", 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := ts.get(t, tt.path)
			if tt.wantStatus >= 400 {
				checkProblem(t, res, tt.wantStatus)
				return
			}
			if res.status != tt.wantStatus || mediaType(res.header) != "image/png" {
				t.Fatalf("status %d, type %q: %s", res.status, mediaType(res.header), clip(res.body))
			}
			img, err := png.Decode(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tt.wantSize || b.Dy() != tt.wantSize {
				t.Errorf("size %v, want %d", b, tt.wantSize)
			}
		})
	}
}
