package geodesic

import (
	"math"
	"testing"
)

func TestLine(t *testing.T) {
	g := WGS84()
	cases := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		maxSeg                 float64
		turns                  float64 // the last longitude is lon2 + 360·turns
	}{
		{"JFK-SIN", 40.640, -73.779, 1.359, 103.989, 500e3, 0},
		{"Tokyo-SF_across_antimeridian", 35.68, 139.69, 37.77, -122.42, 250e3, 1},
		{"westward_across_antimeridian", -17.7, -178.4, -33.9, 151.2, 100e3, -1},
		{"nearly_antipodal", -30, 0, 29.9, 179.8, 1000e3, 0},
		{"meridional", -10, 20, 60, 20, 777e3, 0},
		{"equatorial", 0, -10, 0, 30, 123e3, 0},
		{"short", 51.5, -0.12, 51.5001, -0.1201, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pts := g.Line(c.lat1, c.lon1, c.lat2, c.lon2, c.maxSeg)
			s12, _, _ := g.Inverse(c.lat1, c.lon1, c.lat2, c.lon2)
			wantN := int(math.Ceil(s12 / c.maxSeg))
			if len(pts) != wantN+1 {
				t.Fatalf("got %d points, want %d", len(pts), wantN+1)
			}
			first, last := pts[0], pts[len(pts)-1]
			if first != [2]float64{c.lon1, c.lat1} {
				t.Errorf("first point %v, want exactly [%v %v]", first, c.lon1, c.lat1)
			}
			wantLast := [2]float64{c.lon2 + 360*c.turns, c.lat2}
			if last != wantLast {
				t.Errorf("last point %v, want exactly %v", last, wantLast)
			}
			step := s12 / float64(wantN)
			for i := 1; i < len(pts); i++ {
				p, q := pts[i-1], pts[i]
				if math.Abs(q[0]-p[0]) >= 180 {
					t.Fatalf("longitude jumps from %v to %v at point %d", p[0], q[0], i)
				}
				d, _, _ := g.Inverse(p[1], p[0], q[1], q[0])
				if d > c.maxSeg*(1+1e-12) || math.Abs(d-step) > 1e-6 {
					t.Fatalf("segment %d is %v m, want %v (max %v)", i, d, step, c.maxSeg)
				}
				// Every point lies on the geodesic: distance from the
				// start is i·step.
				d1, _, _ := g.Inverse(c.lat1, c.lon1, q[1], q[0])
				if math.Abs(d1-float64(i)*step) > 1e-6 {
					t.Fatalf("point %d is %v m from the start, want %v", i, d1, float64(i)*step)
				}
			}
		})
	}
}

func TestLineDegenerate(t *testing.T) {
	g := WGS84()
	t.Run("coincident", func(t *testing.T) {
		pts := g.Line(10, 20, 10, 20, 1000)
		if len(pts) != 2 || pts[0] != [2]float64{20, 10} || pts[1] != [2]float64{20, 10} {
			t.Errorf("got %v", pts)
		}
	})
	t.Run("no_densification", func(t *testing.T) {
		for _, m := range []float64{0, -5, math.NaN()} {
			pts := g.Line(10, 20, -10, 40, m)
			if len(pts) != 2 || pts[0] != [2]float64{20, 10} || pts[1] != [2]float64{40, -10} {
				t.Errorf("maxSegmentMeters %v: got %v", m, pts)
			}
		}
	})
	t.Run("segment_count_clamped", func(t *testing.T) {
		pts := g.Line(0, 0, 10, 10, 1e-3)
		if len(pts) != MaxLineSegments+1 {
			t.Errorf("got %d points, want %d", len(pts), MaxLineSegments+1)
		}
	})
	t.Run("from_pole", func(t *testing.T) {
		// All intermediate points of a geodesic leaving the pole lie on
		// the meridian of the end point.
		pts := g.Line(90, 0, 0, 45, 1000e3)
		for i, p := range pts[1:] {
			if angleDiff(p[0], 45) > 1e-9 {
				t.Errorf("point %d: lon %v, want 45", i+1, p[0])
			}
		}
	})
}
