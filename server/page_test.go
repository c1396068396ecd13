package server_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/server"
)

// TestMapPage checks / is the map page for browsers and the OGC landing
// document for API clients, and how the page's files are served.
func TestMapPage(t *testing.T) {
	ts := seeded(t)
	tests := []struct {
		name, path string
		headers    []string
		status     int
		mediaType  string
		contains   string
	}{
		{"browser", "/", []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, 200, "text/html", `<div id="map"`},
		{"f=html", "/?f=html", nil, 200, "text/html", `src="/web/app.js"`},
		{"API client", "/", []string{"Accept", "application/json"}, 200, "application/json", `"conformance"`},
		{"no Accept", "/", nil, 200, "application/json", `"rel":"alternate"`},
		{"f=json wins over a browser", "/?f=json", []string{"Accept", "text/html"}, 200, "application/json", `"links"`},
		{"script", "/web/app.js", nil, 200, "text/javascript", "L.map("},
		{"style", "/web/app.css", nil, 200, "text/css", "#map"},
		{"icon", "/web/favicon.svg", nil, 200, "image/svg+xml", "<svg"},
		{"index only at /", "/web/index.html", nil, 404, "application/problem+json", "no file"},
		{"missing file", "/web/nope.js", nil, 404, "application/problem+json", "no file"},
		{"folder", "/web/", nil, 404, "application/problem+json", "no file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.get(t, tt.path, tt.headers...)
			if res.status != tt.status || mediaType(res.header) != tt.mediaType || !strings.Contains(string(res.body), tt.contains) {
				t.Fatalf("GET %s: %d %s, want %d %s containing %q\n%s", tt.path, res.status, mediaType(res.header), tt.status, tt.mediaType, tt.contains, clip(res.body))
			}
			if tt.status != 200 {
				return
			}
			if tt.path == "/" && !strings.Contains(res.header.Get("Vary"), "Accept") {
				t.Errorf("GET /: Vary %q, want Accept (the answer depends on it)", res.header.Get("Vary"))
			}
			if tt.mediaType == "text/html" {
				csp := res.header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("the page's Content-Security-Policy %q should keep it to its own origin", csp)
				}
			}
			etag := res.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again := ts.get(t, tt.path, append([]string{"If-None-Match", etag}, tt.headers...)...)
			if again.status != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match: %d, want 304", tt.path, again.status)
			}
		})
	}
}

// TestPageIsSelfContained checks the page loads nothing from elsewhere:
// every script, style and image it names is served by this server.
func TestPageIsSelfContained(t *testing.T) {
	ts := seeded(t)
	page := ts.get(t, "/?f=html")
	for _, attr := range []string{`src="`, `href="`} {
		rest := string(page.body)
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			ref := rest[:strings.IndexByte(rest, '"')]
			switch {
			case strings.HasPrefix(ref, "#"):
			case strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//"):
				if ref == "/static.png" {
					continue // the export link, filled in by the page
				}
				if res := ts.get(t, ref); res.status != http.StatusOK {
					t.Errorf("the page names %s, which answers %d", ref, res.status)
				}
			default:
				t.Errorf("the page loads %q from outside the server", ref)
			}
		}
	}
	script := ts.get(t, "/web/app.js")
	for _, bad := range []string{"unpkg.com", "cdn.", "googleapis", "fetch('http", "fetch(`http"} {
		if bytes.Contains(script.body, []byte(bad)) {
			t.Errorf("app.js mentions %q", bad)
		}
	}
}

// TestGeodesicEndpoint checks the measure tool's API against a known
// distance and its refusals.
func TestGeodesicEndpoint(t *testing.T) {
	ts := seeded(t)
	var f struct {
		Geometry struct {
			Type        string       `json:"type"`
			Coordinates [][2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]float64 `json:"properties"`
	}
	// Tripoli to Gharyan (GeoNames points): 80.85 km on WGS84, as the
	// estimates layer's measured_km gives it
	res := ts.getJSON(t, "/api/geodesic?from=32.88743,13.18733&to=32.17222,13.02028", "application/geo+json", &f)
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, clip(res.body))
	}
	if km := f.Properties["km"]; math.Abs(km-80.85) > 0.05 {
		t.Errorf("Tripoli → Gharyan: %.3f km, want 80.85", km)
	}
	if b := f.Properties["initial_bearing"]; b < 185 || b > 195 {
		t.Errorf("initial bearing %.1f°, want about 190° (south, a little west)", b)
	}
	if f.Geometry.Type != "LineString" || len(f.Geometry.Coordinates) < 9 {
		t.Errorf("geometry %s with %d points, want a LineString densified every 10 km", f.Geometry.Type, len(f.Geometry.Coordinates))
	}
	bad := []string{
		"/api/geodesic", "/api/geodesic?from=32,13", "/api/geodesic?from=91,0&to=0,0", "/api/geodesic?from=0,181&to=0,0",
		"/api/geodesic?from=NaN,0&to=0,0", "/api/geodesic?from=a,b&to=0,0", "/api/geodesic?from=0,0&to=1,1&x=1",
		"/api/geodesic?from=0,0&from=1,1&to=0,0", "/api/geodesic?from=0,0&to=1,1&f=xml",
	}
	for _, path := range bad {
		checkProblem(t, ts.get(t, path), http.StatusBadRequest)
	}
}

// TestBasemapTiles checks the raster tiles of the basemap alone, which the
// page draws its overlays on, differ from the tiles with every overlay.
func TestBasemapTiles(t *testing.T) {
	ts := seeded(t)
	// z6 tile over Tripoli and Gharyan
	base := ts.get(t, "/tiles/basemap/6/34/26.png")
	full := ts.get(t, "/tiles/6/34/26.png")
	for _, res := range []response{base, full} {
		if res.status != 200 || mediaType(res.header) != "image/png" {
			t.Fatalf("tile: %d %s", res.status, mediaType(res.header))
		}
		if _, err := png.Decode(bytes.NewReader(res.body)); err != nil {
			t.Fatalf("tile is not a PNG: %v", err)
		}
	}
	if bytes.Equal(base.body, full.body) {
		t.Error("the basemap tile has the overlays of the full tile")
	}
	if res := ts.get(t, "/tiles/basemap/6/34/26@2x.png"); res.status != 200 {
		t.Errorf("basemap @2x tile: %d", res.status)
	}
	checkProblem(t, ts.get(t, "/tiles/events/6/34/26.png"), http.StatusNotFound)
	checkProblem(t, ts.get(t, "/tiles/basemap/6/34/26.mvt"), http.StatusNotFound)
	checkProblem(t, ts.get(t, "/tiles/basemap/6/34/26.png?date=2019-04-05"), http.StatusBadRequest)
}

// TestBasemapTilesOutliveIngest checks a basemap tile keeps its ETag (so
// browsers and caches keep it) when an article changes the data, while the
// tile with overlays changes.
func TestBasemapTilesOutliveIngest(t *testing.T) {
	ts := newTestServer(t, testToken, false)
	base := ts.get(t, "/tiles/basemap/6/34/26.png")
	full := ts.get(t, "/tiles/6/34/26.png")
	post := ts.request(t, http.MethodPost, "/api/articles?date=2019-04-05&source=wire", []byte("Fighting broke out in Gharyan on Thursday, and five people were killed."),
		"Authorization", "Bearer "+testToken, "Content-Type", "text/plain")
	if post.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", post.status, clip(post.body))
	}
	if again := ts.get(t, "/tiles/basemap/6/34/26.png", "If-None-Match", base.header.Get("ETag")); again.status != http.StatusNotModified {
		t.Errorf("the basemap tile after an ingest: %d, want 304 for its ETag %s", again.status, base.header.Get("ETag"))
	}
	if again := ts.get(t, "/tiles/6/34/26.png", "If-None-Match", full.header.Get("ETag")); again.status != http.StatusOK {
		t.Errorf("the tile with overlays after an ingest: %d, want 200 (new data)", again.status)
	}
}

// TestStaticWithoutOverlays checks layers= (no overlay visible on the
// page) draws the basemap alone rather than failing.
func TestStaticWithoutOverlays(t *testing.T) {
	ts := seeded(t)
	res := ts.get(t, "/static.png?bbox=11,30,16,34&width=256&height=256&layers=")
	if res.status != 200 || mediaType(res.header) != "image/png" {
		t.Fatalf("layers=: %d %s\n%s", res.status, mediaType(res.header), clip(res.body))
	}
	all := ts.get(t, "/static.png?bbox=11,30,16,34&width=256&height=256")
	if bytes.Equal(res.body, all.body) {
		t.Error("layers= drew the overlays")
	}
}

func FuzzParseLatLon(f *testing.F) {
	for _, s := range []string{"32.9,13.2", " -85 , 180 ", "90,0", "1e2,0", "NaN,0", ",", "", "0,Inf", "0x10,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := server.ParseLatLon(s, 90)
		if err != nil {
			return
		}
		if !(p.Lat() >= -90 && p.Lat() <= 90 && p.Lon() >= -180 && p.Lon() <= 180) {
			t.Fatalf("ParseLatLon(%q) = %v: out of range", s, p)
		}
		if _, err := json.Marshal(p); err != nil {
			t.Fatal(err)
		}
	})
}
