package main

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// TestExportMBTiles: an MBTiles 1.3 file with its metadata, gzipped MVT
// in TMS rows, that GDAL opens.
func TestExportMBTiles(t *testing.T) {
	_, vars := ingested(t, "libya-01.txt", "libya-02.txt", "libya-03.txt")
	out := filepath.Join(t.TempDir(), "libya.mbtiles")
	res := run(t, vars, nil, "export", "--format", "mbtiles", "--minzoom", "0", "--maxzoom", "8", "-o", out)
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("export failed:\n%v", res)
	}
	if !strings.Contains(res.stderr, "zoom 8/8:") || !strings.Contains(res.stderr, "wrote "+out) {
		t.Errorf("no progress or summary on stderr:\n%s", res.stderr)
	}
	db, err := sql.Open("sqlite3", out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	meta := map[string]string{}
	rows, err := db.Query(`SELECT name, value FROM metadata`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		meta[k] = v
	}
	rows.Close()
	for k, want := range map[string]string{"format": "pbf", "minzoom": "0", "maxzoom": "8", "version": "1.3"} {
		if meta[k] != want {
			t.Errorf("metadata %s = %q, want %q", k, meta[k], want)
		}
	}
	var tj struct {
		VectorLayers []struct{ ID string } `json:"vector_layers"`
	}
	if err := json.Unmarshal([]byte(meta["json"]), &tj); err != nil || len(tj.VectorLayers) == 0 {
		t.Errorf("metadata json %q: %v", meta["json"], err)
	}
	// the tile holding Tripoli, by its TMS row
	tile := maptile.At(orb.Point{13.18733, 32.88743}, 6)
	var data []byte
	if err := db.QueryRow(`SELECT tile_data FROM tiles WHERE zoom_level = 6 AND tile_column = ? AND tile_row = ?`,
		tile.X, (1<<6)-1-tile.Y).Scan(&data); err != nil {
		t.Fatalf("Tripoli's z6 tile at its TMS row: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("tile is not gzipped: %v", err)
	}
	raw, _ := io.ReadAll(zr)
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, l := range layers {
		names[l.Name] = true
	}
	if !names["events"] || !names["zones"] {
		t.Errorf("Tripoli's tile has layers %v, want events and zones", names)
	}

	if ogrinfo, err := exec.LookPath("ogrinfo"); err == nil {
		out, err := exec.Command(ogrinfo, "-ro", "-so", out).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "MBTiles") || !strings.Contains(string(out), "events") {
			t.Errorf("ogrinfo: %v\n%s", err, out)
		}
	} else {
		t.Log("ogrinfo not found: GDAL's reading of the file is not checked (CI installs gdal-bin)")
	}
}

// TestExportOtherFormats: GeoJSON of every layer, ACLED CSV and PNG.
func TestExportOtherFormats(t *testing.T) {
	_, vars := ingested(t, "libya-01.txt", "libya-02.txt", "libya-03.txt")
	dir := t.TempDir()
	for _, f := range []string{"geojson", "csv", "png"} {
		out := filepath.Join(dir, "out."+f)
		if res := run(t, vars, nil, "export", "--format", f, "-o", out); res.code != 0 || res.stdout != "" {
			t.Fatalf("export %s failed:\n%v", f, res)
		}
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "out.geojson"))
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	layers := map[string]int{}
	for _, f := range fc.Features {
		l, _ := f.Properties["layer"].(string)
		layers[l]++
	}
	for _, l := range []string{"events", "places", "zones", "frontlines"} {
		if layers[l] == 0 {
			t.Errorf("geojson has no %s features (%v)", l, layers)
		}
	}
	f, _ := os.Open(filepath.Join(dir, "out.csv"))
	header, err := csv.NewReader(f).Read()
	f.Close()
	if err != nil || strings.Join(header, ",") != strings.Join(acledColumns, ",") {
		t.Errorf("csv header %v (%v), want ACLED's columns", header, err)
	}
	f, _ = os.Open(filepath.Join(dir, "out.png"))
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 1024 {
		t.Errorf("png: %v", err)
	}
}

func TestExportBadOptions(t *testing.T) {
	_, vars := ingested(t, "libya-01.txt")
	out := filepath.Join(t.TempDir(), "x")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--format", "mbtiles"}, "needs -o"},
		{[]string{"export", "--format", "shp", "-o", out}, "--format must be"},
		{[]string{"export", "--format", "mbtiles", "--maxzoom", "23", "-o", out}, "zooms must satisfy"},
		{[]string{"export", "--format", "mbtiles", "--minzoom", "5", "--maxzoom", "4", "-o", out}, "zooms must satisfy"},
		{[]string{"export", "--format", "mbtiles", "--bbox", "1,2", "-o", out}, "--bbox"},
		{[]string{"export", "--format", "geojson", "--date", "soon", "-o", out}, "date"},
	} {
		checkOneLineError(t, run(t, vars, nil, tt.args...), 2, tt.want)
	}
}
