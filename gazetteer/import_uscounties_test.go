package gazetteer

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestParseCountyFIPS(t *testing.T) {
	tests := []struct {
		fips          string
		state, county string
		wantErr       bool
	}{
		{"21125", "KY", "125", false},
		{"22079", "LA", "079", false},
		{"11001", "DC", "001", false},
		{"72001", "", "", true}, // Puerto Rico: a GeoNames country of its own
		{"03001", "", "", true}, // no state has FIPS 03
		{"2112", "", "", true},
		{"211250", "", "", true},
		{"2112x", "", "", true},
		{"", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.fips, func(t *testing.T) {
			state, county, err := ParseCountyFIPS(tt.fips)
			if tt.wantErr {
				if !errors.Is(err, ErrNotUSCounty) {
					t.Errorf("err = %v, want ErrNotUSCounty", err)
				}
				return
			}
			if err != nil || state != tt.state || county != tt.county {
				t.Errorf("= %q %q %v, want %q %q", state, county, err, tt.state, tt.county)
			}
		})
	}
}

func FuzzParseCountyFIPS(f *testing.F) {
	f.Add("21125")
	f.Add("72001")
	f.Fuzz(func(t *testing.T, fips string) {
		state, county, err := ParseCountyFIPS(fips)
		if err != nil {
			return
		}
		if len(state) != 2 || len(county) != 3 || fips[2:] != county || usStateFIPS[fips[:2]] != state {
			t.Fatalf("accepted %q as %q %q", fips, state, county)
		}
	})
}

func TestCountyKey(t *testing.T) {
	tests := []struct{ census, geonames string }{
		{"Laurel", "Laurel County"},
		{"St. Mary's", "Saint Mary's County"},
		{"Ste. Genevieve", "Sainte Genevieve County"},
		{"De Witt", "DeWitt County"},
		{"Le Flore", "LeFlore County"},
		{"Rapides", "Rapides Parish"},
		{"Richmond", "City of Richmond"},
		{"Charles City", "Charles City County"},
		{"Wrangell", "City and Borough of Wrangell"},
		{"San Francisco", "City and County of San Francisco"},
		{"Aleutians West", "Aleutians West Census Area"},
	}
	for _, tt := range tests {
		t.Run(tt.census, func(t *testing.T) {
			if a, b := countyKey(tt.census), countyKey(tt.geonames); a != b {
				t.Errorf("countyKey(%q) = %q, countyKey(%q) = %q", tt.census, a, tt.geonames, b)
			}
		})
	}
}

func TestInteriorPoint(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}
	// a U: its centroid falls in the notch
	u := orb.Polygon{{{0, 0}, {6, 0}, {6, 6}, {5, 6}, {5, 1}, {1, 1}, {1, 6}, {0, 6}, {0, 0}}}
	tests := []struct {
		name string
		g    orb.Geometry
		want orb.Point // {NaN, NaN}: only inside
	}{
		{"square: its centroid", square, orb.Point{2, 2}},
		{"U: a point of an arm", u, orb.Point{math.NaN(), math.NaN()}},
		{"islands: inside the larger", orb.MultiPolygon{square, {{{10, 10}, {10.1, 10}, {10.1, 10.1}, {10, 10}}}}, orb.Point{math.NaN(), math.NaN()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := interiorPoint(tt.g)
			if !contains(tt.g, p) {
				t.Errorf("interiorPoint = %v, outside", p)
			}
			if !math.IsNaN(tt.want[0]) && planar.Distance(p, tt.want) > 1e-9 {
				t.Errorf("interiorPoint = %v, want %v", p, tt.want)
			}
		})
	}
}

var fixtureAdmin2Units = []Admin2Unit{
	{"US.KY.125", "Laurel County"}, {"US.LA.079", "Rapides Parish"},
	{"US.KY.195", "Pike County"}, {"US.OH.131", "Pike County"}, {"SY.09.167355", "Manbij District"},
}

func TestReadCounties(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "gazetteer", "counties-10m.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		units []Admin2Unit
		want  CountyReport
		// code: a county that must be placed, inside box
		code string
		box  BBox
	}{
		{"by code", fixtureAdmin2Units, CountyReport{ByCode: 4}, "US.KY.125", BBox{-84.37, 36.93, -83.85, 37.33}},
		{"by name when the code moved", []Admin2Unit{{"US.LA.999", "Rapides Parish"}}, CountyReport{ByName: 1, Unmatched: 3},
			"US.LA.999", BBox{-93, 30.85, -92.05, 31.55}},
		{"by state and name: Pike of Kentucky, not of Ohio", []Admin2Unit{{"US.KY.999", "Pike County"}}, CountyReport{ByName: 1, Unmatched: 3},
			"US.KY.999", BBox{-82.8, 37.15, -81.9, 37.8}},
		{"no units", nil, CountyReport{Unmatched: 4}, "", BBox{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shapes, rep, err := readCounties(bytes.NewReader(data), tt.units)
			if err != nil {
				t.Fatal(err)
			}
			if rep != tt.want {
				t.Errorf("report %+v, want %+v", rep, tt.want)
			}
			if tt.code == "" {
				return
			}
			s := shapes[tt.code]
			if s == nil {
				t.Fatalf("%s not placed: %v", tt.code, shapes)
			}
			if p := s.point; p[0] < tt.box[0] || p[0] > tt.box[2] || p[1] < tt.box[1] || p[1] > tt.box[3] {
				t.Errorf("%s at %v, outside %v", tt.code, p, tt.box)
			}
			e := s.extent
			if e[0] < tt.box[0] || e[2] > tt.box[2] || e[1] < tt.box[1] || e[3] > tt.box[3] || e[2]-e[0] < 0.2 {
				t.Errorf("%s extent %v, want most of %v", tt.code, e, tt.box)
			}
		})
	}
}

func FuzzReadCounties(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "gazetteer", "counties-10m.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"type":"Topology","arcs":[[[0,0],[1,0],[0,1],[-1,0],[0,-1]]],"objects":{"counties":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"21125","properties":{"name":"Laurel"},"arcs":[[0]]}]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		shapes, _, err := readCounties(bytes.NewReader(b), fixtureAdmin2Units)
		if err != nil {
			return
		}
		for code, s := range shapes {
			e, p := s.extent, s.point
			if !onGlobe(orb.Bound{Min: orb.Point{e[0], e[1]}, Max: orb.Point{e[2], e[3]}}) ||
				!(p[0] >= e[0] && p[0] <= e[2] && p[1] >= e[1] && p[1] <= e[3]) {
				t.Fatalf("%s: point %v, extent %v", code, p, e)
			}
		}
	})
}
