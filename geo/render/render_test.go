package render_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/render"
)

var update = flag.Bool("update", false, "rewrite the golden images")

func testMap(t testing.TB) *render.Map {
	t.Helper()
	fonts, err := render.NewFonts()
	if err != nil {
		t.Fatal(err)
	}
	land, _ := render.NewCountry("XX", "Testland", orb.Polygon{{{10, 28}, {20, 28}, {20, 34}, {10, 34}, {10, 28}}, {{14, 30}, {14, 31}, {15, 31}, {15, 30}, {14, 30}}})
	base := render.NewBasemap([]render.Country{land}, []render.City{
		{Name: "Bigtown", Point: orb.Point{12, 32}, Population: 3_000_000},
		{Name: "Smallville", Point: orb.Point{17, 30}, Population: 2_000},
	})
	feature := func(g orb.Geometry, props geojson.Properties) *geojson.Feature {
		f := geojson.NewFeature(g)
		f.Properties = props
		return f
	}
	return &render.Map{Base: base, Fonts: fonts, Layers: map[string][]*geojson.Feature{
		"zones": {
			feature(orb.MultiPolygon{{{{10, 28}, {15, 28}, {15, 34}, {10, 34}, {10, 28}}}}, geojson.Properties{"actor": "Blue side"}),
			feature(orb.MultiPolygon{{{{15, 28}, {20, 28}, {20, 34}, {15, 34}, {15, 28}}}}, geojson.Properties{"actor": "Red side"}),
		},
		"frontlines": {feature(orb.MultiLineString{{{15, 28}, {15, 34}}}, geojson.Properties{"contested": false})},
		// a dashed line from far off every tile across them
		"distances": {feature(orb.LineString{{-60, 27}, {60, 27}}, geojson.Properties{})},
		"places":    {feature(orb.Point{12, 32}, geojson.Properties{"name": "Bigtown"})},
		"events": {
			feature(orb.Point{15, 31}, geojson.Properties{"event_type": "Battles", "fatalities": 9.0}),
			feature(orb.Point{17, 30}, geojson.Properties{"event_type": "Protests", "fatalities": 0.0}),
		},
	}}
}

// TestTileGolden draws a synthetic map and compares it with the golden
// image, within a tolerance for rasteriser differences across machines.
func TestTileGolden(t *testing.T) {
	m := testMap(t)
	for _, tt := range []struct {
		name  string
		tile  maptile.Tile
		scale float64
	}{
		{"z5", maptile.At(orb.Point{15, 31}, 5), 1},
		{"z5@2x", maptile.At(orb.Point{15, 31}, 5), 2},
		{"z3", maptile.At(orb.Point{15, 31}, 3), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			img := m.Tile(tt.tile, tt.scale)
			if want := int(256 * tt.scale); img.Bounds().Dx() != want || img.Bounds().Dy() != want {
				t.Fatalf("size %v, want %d", img.Bounds(), want)
			}
			checkGolden(t, img, "tile-"+tt.name+".png")
		})
	}
}

// TestTileDrawsWhereThingsAre reads pixels: sea, a hole in the land
// showing the sea under the zone's tint, two zones' tints and an event's
// colour where they belong.
func TestTileDrawsWhereThingsAre(t *testing.T) {
	m := testMap(t)
	tile := maptile.At(orb.Point{15, 31}, 5)
	img := m.Tile(tile, 1)
	at := func(p orb.Point) color.RGBA {
		x, y := render.WorldPixel(p, 5, 256)
		return img.RGBAAt(int(x)-int(tile.X)*256, int(y)-int(tile.Y)*256)
	}
	sea, hole, land := at(orb.Point{12, 25}), at(orb.Point{14.5, 30.5}), at(orb.Point{12.5, 29})
	if sea.B <= sea.R {
		t.Errorf("sea pixel %v is not blue", sea)
	}
	if hole == land || hole.R >= land.R { // the sea is less red than the land
		t.Errorf("the hole in the land %v is drawn like the land around it %v", hole, land)
	}
	if blue, red := at(orb.Point{12.5, 29}), at(orb.Point{18, 33}); blue == red {
		t.Errorf("the two actors' zones share a colour %v", blue)
	}
	// the dashed line from far away crosses the sea east of Testland
	dashes := 0
	for lon := 20.5; lon < 22.5; lon += 0.02 {
		if at(orb.Point{lon, 27}) != sea {
			dashes++
		}
	}
	if dashes < 10 || dashes > 90 {
		t.Errorf("%d of 100 pixels along the dashed line are drawn, want dashes and gaps", dashes)
	}
	if battle := at(orb.Point{15, 31}); !(battle.R > 150 && battle.G < 90) {
		t.Errorf("the battle's pixel %v is not red", battle)
	}
}

func meanDiff(a, b image.Image) float64 {
	if a.Bounds() != b.Bounds() {
		return math.Inf(1)
	}
	var sum float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p, q := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA), color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			sum += math.Abs(float64(p.R)-float64(q.R)) + math.Abs(float64(p.G)-float64(q.G)) + math.Abs(float64(p.B)-float64(q.B))
		}
	}
	return sum / float64(3*r.Dx()*r.Dy())
}

// timed runs fn in the benchmark loop and reports the median and p99.
func timed(b *testing.B, fn func()) {
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		fn()
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// withEvents adds n synthetic events over Testland.
func withEvents(m *render.Map, n int) *render.Map {
	rng := rand.New(rand.NewPCG(1, 2))
	types := []string{"Battles", "Explosions/Remote violence", "Protests", "Strategic developments"}
	for range n {
		f := geojson.NewFeature(orb.Point{10 + rng.Float64()*10, 28 + rng.Float64()*6})
		f.Properties = geojson.Properties{"event_type": types[rng.IntN(len(types))], "fatalities": float64(rng.IntN(30))}
		m.Layers["events"] = append(m.Layers["events"], f)
	}
	return m
}

// BenchmarkTile: one raster tile of the synthetic map with 2,000 events.
func BenchmarkTile(b *testing.B) {
	m := withEvents(testMap(b), 2000)
	tile := maptile.At(orb.Point{15, 31}, 5)
	timed(b, func() {
		if _, err := render.EncodePNG(m.Tile(tile, 1)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkStatic: a 1024×768 static image of the same map.
func BenchmarkStatic(b *testing.B) {
	m := withEvents(testMap(b), 2000)
	o := render.StaticOptions{Width: 1024, Height: 768, View: render.View{Bound: orb.Bound{Min: orb.Point{9, 27}, Max: orb.Point{21, 35}}, HasBound: true},
		Title: "Situation on 7 April 2019", Attribution: "GeoNames · Natural Earth"}
	timed(b, func() {
		if _, err := render.EncodePNG(m.Static(o)); err != nil {
			b.Fatal(err)
		}
	})
}

func TestFitZoom(t *testing.T) {
	libya := orb.Bound{Min: orb.Point{9, 19}, Max: orb.Point{25, 34}}
	tests := []struct {
		name     string
		b        orb.Bound
		w, h     int
		min, max float64
	}{
		{"Libya in 1024x768", libya, 1024, 768, 5, 6},
		{"a strip too thin for the margin", libya, 4096, 64, 0, 3},
		{"a point", orb.Bound{Min: orb.Point{13, 32}, Max: orb.Point{13, 32}}, 800, 600, 18, 18},
		{"the world", orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, 256, 256, 0, 0},
	}
	for _, tt := range tests {
		if z := render.FitZoom(tt.b, tt.w, tt.h, 40); math.IsNaN(z) || z < tt.min || z > tt.max {
			t.Errorf("%s: zoom %v, want %v..%v", tt.name, z, tt.min, tt.max)
		}
	}
}

// TestStaticGolden: a static image with its title, legend, scale bar and
// attribution, against the golden image.
func TestStaticGolden(t *testing.T) {
	m := testMap(t)
	img := m.Static(render.StaticOptions{Width: 640, Height: 480, View: render.View{Bound: orb.Bound{Min: orb.Point{9, 27}, Max: orb.Point{21, 35}}, HasBound: true},
		Title: "Situation on 7 April 2019", Attribution: "GeoNames (CC BY 4.0) · Natural Earth · sources: test"})
	checkGolden(t, img, "static.png")
}

// checkGolden compares img with testdata/name (rewritten with -update),
// within a tolerance for rasteriser differences across machines.
func checkGolden(t *testing.T, img image.Image, name string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		data, err := render.EncodePNG(img)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	want, err := png.Decode(bytes.NewReader(golden))
	if err != nil {
		t.Fatal(err)
	}
	if d := meanDiff(img, want); d > 1.5 {
		t.Errorf("differs from %s by %.2f per channel on average (tolerance 1.5)", path, d)
	}
}
