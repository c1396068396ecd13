package zones

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// goldenMap is a small control map with the awkward cases together: an
// enclave, an unassigned hole, islands, corner contacts and a three-way
// junction.
var goldenMap = parseGrid(36.5, 47.0, 0.1,
	"000011122222",
	"000011122.22",
	"0200111122..",
	"0000.11112..",
	"00000111122.",
	"0.0001111222",
	"00..01.11122",
	"000001011112",
)

// TestGolden renders goldenMap's areas and frontlines as GeoJSON and
// compares them with testdata/zones.golden.geojson (go test -update
// rewrites it).
func TestGolden(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	areas := Polygons(goldenMap)
	labels := make([]int, 0, len(areas))
	for label := range areas {
		labels = append(labels, label)
	}
	sort.Ints(labels)
	for _, label := range labels {
		f := geojson.NewFeature(areas[label])
		f.Properties["kind"] = "area"
		f.Properties["label"] = label
		fc.Append(f)
	}
	fronts := Frontlines(goldenMap)
	keys := make([][2]int, 0, len(fronts))
	for key := range fronts {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(x, y int) bool {
		return keys[x][0] < keys[y][0] || (keys[x][0] == keys[y][0] && keys[x][1] < keys[y][1])
	})
	for _, key := range keys {
		f := geojson.NewFeature(fronts[key])
		f.Properties["kind"] = "frontline"
		f.Properties["left"] = key[0]
		f.Properties["right"] = key[1]
		fc.Append(f)
	}
	got, err := json.MarshalIndent(fc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')

	path := filepath.Join("testdata", "zones.golden.geojson")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; inspect it and run go test -update if the change is intended", path)
	}
	checkPolygons(t, goldenMap, areas)
}
