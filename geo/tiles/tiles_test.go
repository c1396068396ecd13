package tiles_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/conflictmap/conflictmap/geo/tiles"
)

func feature(id any, g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	f.Properties = props
	return f
}

// tripoliTile is the z8 tile holding Tripoli (13.19E, 32.89N).
var tripoliTile = maptile.At(orb.Point{13.18733, 32.88743}, 8)

func TestTileEncodesWhatLiesInIt(t *testing.T) {
	square := orb.Polygon{{{12.9, 32.7}, {13.4, 32.7}, {13.4, 33.1}, {12.9, 33.1}, {12.9, 32.7}}}
	// a clockwise exterior (wrong for RFC 7946) must still come out right
	clockwise := orb.Polygon{{{12.9, 32.7}, {12.9, 33.1}, {13.4, 33.1}, {13.4, 32.7}, {12.9, 32.7}}}
	tests := []struct {
		name      string
		f         *geojson.Feature
		tile      maptile.Tile
		wantEmpty bool
		wantID    uint64
	}{
		{"a point inside", feature(2210247, orb.Point{13.18733, 32.88743}, geojson.Properties{"name": "Tripoli"}), tripoliTile, false, 2210247},
		{"a point in another tile", feature(1, orb.Point{20.07, 32.11}, nil), tripoliTile, true, 0},
		{"a string id hashes", feature("ev-1", orb.Point{13.18733, 32.88743}, nil), tripoliTile, false, tiles.FeatureID("ev-1")},
		{"a polygon across the tile", feature(7, square, nil), tripoliTile, false, 7},
		{"a clockwise polygon", feature(8, clockwise, nil), tripoliTile, false, 8},
		{"a line across", feature(9, orb.LineString{{10, 32.8}, {16, 33.0}}, nil), tripoliTile, false, 9},
		{"a polygon far smaller than a pixel at z0", feature(10, orb.Polygon{{{13, 32}, {13.001, 32}, {13.001, 32.001}, {13, 32}}}, nil), maptile.New(0, 0, 0), true, 0},
		{"a point at z0", feature(11, orb.Point{13.18733, 32.88743}, nil), maptile.New(0, 0, 0), false, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source := orb.Clone(tt.f.Geometry)
			l := tiles.NewLayer("test", []*geojson.Feature{tt.f})
			layers := tiles.Tile(tt.tile, l)
			if !reflect.DeepEqual(source, tt.f.Geometry) {
				t.Fatalf("tiling changed the source geometry")
			}
			if tt.wantEmpty {
				if len(layers) != 0 {
					t.Fatalf("want an empty tile, got %d layers", len(layers))
				}
				return
			}
			data, err := tiles.Marshal(layers)
			if err != nil {
				t.Fatal(err)
			}
			vt, err := mvt.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(vt) != 1 || vt[0].Version != 2 || vt[0].Extent != tiles.Extent || len(vt[0].Features) != 1 {
				t.Fatalf("layers %+v", vt)
			}
			f := vt[0].Features[0]
			if id, _ := f.ID.(float64); uint64(id) != tt.wantID {
				t.Errorf("id %v, want %d", f.ID, tt.wantID)
			}
			checkTileGeometry(t, f.Geometry)
			checkCommands(t, layers)
		})
	}
}

// checkTileGeometry: inside the buffered tile, exteriors positive.
func checkTileGeometry(t *testing.T, g orb.Geometry) {
	t.Helper()
	b := g.Bound()
	if b.Min[0] < -tiles.Buffer || b.Min[1] < -tiles.Buffer || b.Max[0] > tiles.Extent+tiles.Buffer || b.Max[1] > tiles.Extent+tiles.Buffer {
		t.Errorf("bound %v outside the buffered tile", b)
	}
	var polys orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for k, r := range p {
			a := shoelace(r)
			if k == 0 && a <= 0 || k > 0 && a >= 0 {
				t.Errorf("ring %d has area %v: exteriors must be positive, holes negative", k, a)
			}
		}
	}
}

func shoelace(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

// checkCommands reads the encoded command streams: no LineTo may have a
// zero-length move.
func checkCommands(t *testing.T, layers mvt.Layers) {
	t.Helper()
	vt, err := mvt.MarshalToVectorTile(layers)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range vt.Layers {
		for _, f := range l.Features {
			g := f.Geometry
			for i := 0; i < len(g); {
				cmd, count := g[i]&7, int(g[i]>>3)
				i++
				switch cmd {
				case 1, 2: // MoveTo, LineTo
					for k := 0; k < count; k++ {
						if i+1 >= len(g) {
							t.Fatalf("truncated command stream")
						}
						if cmd == 2 && g[i] == 0 && g[i+1] == 0 {
							t.Errorf("feature %d: a zero-length LineTo", f.GetId())
						}
						i += 2
					}
				case 7: // ClosePath
				default:
					t.Fatalf("unknown command %d", cmd)
				}
			}
		}
	}
}

// TestSnappedPointsMakeNoZeroMoves: a dense line whose points snap
// together at low zoom still encodes without zero-length moves.
func TestSnappedPointsMakeNoZeroMoves(t *testing.T) {
	var line orb.LineString
	var ring orb.Ring
	for i := range 2000 {
		line = append(line, orb.Point{10 + float64(i)*0.003, 30 + float64(i%3)*0.0001})
	}
	for i := range 500 {
		ring = append(ring, orb.Point{12 + float64(i)*0.004, 31})
	}
	ring = append(ring, orb.Point{14, 33}, orb.Point{12, 33}, orb.Point{12, 31})
	l := tiles.NewLayer("dense", []*geojson.Feature{feature(1, line, nil), feature(2, orb.Polygon{ring}, nil)})
	for z := maptile.Zoom(0); z <= 10; z += 2 {
		tile := maptile.At(orb.Point{12.5, 31.5}, z)
		layers := tiles.Tile(tile, l)
		checkCommands(t, layers)
		for _, ml := range layers {
			for _, f := range ml.Features {
				checkTileGeometry(t, f.Geometry)
			}
		}
	}
}

// TestTileFlattensProperties: MVT holds scalars; lists become JSON text.
func TestTileFlattensProperties(t *testing.T) {
	f := feature(1, orb.Point{13.18733, 32.88743}, geojson.Properties{
		"name": "Tripoli", "fatalities": 3.0, "contested": true, "sources": []any{"a", "b"}, "none": nil,
	})
	data, err := tiles.Marshal(tiles.Tile(tripoliTile, tiles.NewLayer("events", []*geojson.Feature{f})))
	if err != nil {
		t.Fatal(err)
	}
	vt, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	got := vt[0].Features[0].Properties
	want := geojson.Properties{"name": "Tripoli", "fatalities": 3.0, "contested": true, "sources": `["a","b"]`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("properties %v, want %v", got, want)
	}
}

// BenchmarkTile: cold tiles at z5, z8 and z12 over 100,000 events
// scattered across Libya.
func BenchmarkTile(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	fs := make([]*geojson.Feature, 0, 100000)
	for i := range 100000 {
		p := orb.Point{9.5 + rng.Float64()*15.5, 19.5 + rng.Float64()*13.5}
		fs = append(fs, feature(i, p, geojson.Properties{"event_type": "Battles", "fatalities": float64(rng.IntN(20)), "date": "2019-04-07"}))
	}
	l := tiles.NewLayer("events", fs)
	for _, z := range []maptile.Zoom{5, 8, 12} {
		tile := maptile.At(orb.Point{13.18733, 32.88743}, z)
		b.Run(fmt.Sprintf("z%02d", z), func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := tiles.Marshal(tiles.Tile(tile, l)); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// TestRandomShapesEncodeCleanly: random walks with steps about one grid
// unit, the sizes where snapping merges points, encode without
// zero-length moves and with exteriors wound right.
func TestRandomShapesEncodeCleanly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tile := maptile.New(4400, 3200, 13)
	b := tile.Bound()
	unit := (b.Max[0] - b.Min[0]) / tiles.Extent
	for n := range 300 {
		start := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		walk := orb.LineString{start}
		for range 50 {
			last := walk[len(walk)-1]
			walk = append(walk, orb.Point{last[0] + (rng.Float64()*3-1.5)*unit, last[1] + (rng.Float64()*3-1.5)*unit})
		}
		ring := orb.Ring(append(orb.LineString{}, walk...))
		ring = append(ring, orb.Point{start[0] + 200*unit, start[1]}, start)
		l := tiles.NewLayer("walk", []*geojson.Feature{feature(n, walk, nil), feature(n+1000, orb.Polygon{ring}, nil)})
		layers := tiles.Tile(tile, l)
		checkCommands(t, layers)
		for _, ml := range layers {
			for _, f := range ml.Features {
				checkTileGeometry(t, f.Geometry)
			}
		}
		if t.Failed() {
			t.Fatalf("walk %d", n)
		}
	}
}
