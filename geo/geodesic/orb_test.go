package geodesic

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// orbCase is a pair of points for the comparison with orb.
type orbCase struct {
	name                   string
	lat1, lon1, lat2, lon2 float64
}

// orbCases are the WGS84 cases of this file's sibling tests: the published
// examples and the GeographicLib regression vectors.
func orbCases(t testing.TB) []orbCase {
	var cs []orbCase
	wgs := WGS84()
	for _, c := range publishedInverse() {
		if c.e != wgs {
			continue
		}
		cs = append(cs, orbCase{c.name, c.lat1, c.lon1, c.lat2, c.lon2})
	}
	cs = append(cs, orbCase{"JFK-SIN", 40.640, -73.779, 1.359, 103.989})
	for i, v := range loadVectors(t) {
		cs = append(cs, orbCase{fmt.Sprintf("GeographicLib_vector_%02d", i), v.lat1, v.lon1, v.lat2, v.lon2})
	}
	return cs
}

// TestOrbSphericalError reports how far orb's spherical distances are from
// the ellipsoidal geodesic distance on the same cases. orb's geo.Distance
// is an equirectangular ("fast") approximation on a sphere of radius
// 6378137 m; geo.DistanceHaversine is the exact great-circle distance on
// that sphere. The figures are logged (run with -v) so they can be quoted.
// The test fails only if the haversine error exceeds what a sphere of
// radius a can produce against WGS84 (< 0.7 %), i.e. if something is
// broken.
func TestOrbSphericalError(t *testing.T) {
	g := WGS84()
	var maxAbsEq, maxRelEq, maxAbsHv, maxRelHv float64
	var worstEq, worstHv string
	t.Logf("%-40s %16s %14s %9s %14s %9s", "case", "geodesic (m)",
		"Δ Distance(m)", "rel %", "Δ Haversine(m)", "rel %")
	for _, c := range orbCases(t) {
		s, _, _ := g.Inverse(c.lat1, c.lon1, c.lat2, c.lon2)
		p1 := orb.Point{c.lon1, c.lat1}
		p2 := orb.Point{c.lon2, c.lat2}
		eq := orbgeo.Distance(p1, p2) - s
		hv := orbgeo.DistanceHaversine(p1, p2) - s
		relEq, relHv := 0.0, 0.0
		if s > 0 {
			relEq = 100 * eq / s
			relHv = 100 * hv / s
		}
		t.Logf("%-40s %16.3f %14.3f %9.4f %14.3f %9.4f", c.name, s, eq, relEq, hv, relHv)
		if math.Abs(eq) > maxAbsEq {
			maxAbsEq = math.Abs(eq)
		}
		if math.Abs(hv) > maxAbsHv {
			maxAbsHv = math.Abs(hv)
		}
		if s > 1 { // relative error of sub-metre lines is not meaningful
			if math.Abs(relEq) > maxRelEq {
				maxRelEq, worstEq = math.Abs(relEq), c.name
			}
			if math.Abs(relHv) > maxRelHv {
				maxRelHv, worstHv = math.Abs(relHv), c.name
			}
		}
		if s > 1 && math.Abs(relHv) > 0.7 {
			t.Errorf("%s: haversine differs by %.3f %%, more than a sphere of radius a allows", c.name, relHv)
		}
	}
	t.Logf("orb geo.Distance (equirectangular): max |error| %.1f m, max relative %.3f %% (%s)",
		maxAbsEq, maxRelEq, worstEq)
	t.Logf("orb geo.DistanceHaversine (great circle, R = 6378137 m): max |error| %.1f m, max relative %.3f %% (%s)",
		maxAbsHv, maxRelHv, worstHv)
}

func BenchmarkOrbDistance(b *testing.B) {
	p1, p2 := orb.Point{-73.779, 40.640}, orb.Point{103.989, 1.359}
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += orbgeo.Distance(p1, p2)
	}
	_ = sink
}

func BenchmarkOrbDistanceHaversine(b *testing.B) {
	p1, p2 := orb.Point{-73.779, 40.640}, orb.Point{103.989, 1.359}
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += orbgeo.DistanceHaversine(p1, p2)
	}
	_ = sink
}
