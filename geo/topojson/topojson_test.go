package topojson

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// A hand-made topology: two squares sharing an edge (arc 1), quantised.
const twoSquares = `{"type":"Topology","transform":{"scale":[1,1],"translate":[10,20]},
 "objects":{"shapes":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","id":"A","properties":{"name":"left"},"arcs":[[0,1]]},
  {"type":"MultiPolygon","id":2,"properties":{"name":"right"},"arcs":[[[2,1]]]},
  {"type":"Polygon","id":"R","arcs":[[-3,-2]]},
  {"type":null,"id":"empty"}]}},
 "arcs":[[[1,0],[-1,0],[0,1],[1,0]], [[1,1],[0,-1]], [[1,0],[1,0],[0,1],[-1,0]]]}`

func TestDecode(t *testing.T) {
	got, err := Decode(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	shapes := got["shapes"]
	if len(shapes) != 3 {
		t.Fatalf("%d features, want 3", len(shapes))
	}
	left := shapes[0]
	if left.ID != "A" || left.Properties["name"] != "left" {
		t.Errorf("left = %+v", left)
	}
	wantLeft := orb.Ring{{11, 20}, {10, 20}, {10, 21}, {11, 21}, {11, 20}}
	if ring := left.Geometry.(orb.Polygon)[0]; !ring.Equal(wantLeft) {
		t.Errorf("left ring = %v, want %v", ring, wantLeft)
	}
	right := shapes[1]
	if right.ID != "2" {
		t.Errorf("numeric id decoded as %q", right.ID)
	}
	wantRight := orb.Ring{{11, 20}, {12, 20}, {12, 21}, {11, 21}, {11, 20}}
	if ring := right.Geometry.(orb.MultiPolygon)[0][0]; !ring.Equal(wantRight) {
		t.Errorf("right ring = %v, want %v", ring, wantRight)
	}
	wantReversed := orb.Ring{{11, 21}, {12, 21}, {12, 20}, {11, 20}, {11, 21}}
	if ring := shapes[2].Geometry.(orb.Polygon)[0]; !ring.Equal(wantReversed) {
		t.Errorf("reversed ring = %v, want %v", ring, wantReversed)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not json", "nope"},
		{"not a topology", `{"type":"FeatureCollection"}`},
		{"bad arc index", `{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[[5]]}},"arcs":[]}`},
		{"short point", `{"type":"Topology","objects":{},"arcs":[[[1]]]}`},
		{"unknown geometry", `{"type":"Topology","objects":{"o":{"type":"Spiral","arcs":[]}},"arcs":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(strings.NewReader(tt.in)); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(twoSquares)
	f.Add(`{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[[-1]]}},"arcs":[[[0,0],[1,1]]]}`)
	f.Fuzz(func(t *testing.T, s string) {
		Decode(strings.NewReader(s)) // must not panic
	})
}
