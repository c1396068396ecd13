package geodesic

import (
	"math"
	"testing"
)

// FuzzInverse checks, for any finite latitudes in [-90, 90] and finite
// longitudes, that Inverse returns finite, in-range results and that
// travelling the returned distance along the returned azimuth (Direct)
// lands on the second point.
func FuzzInverse(f *testing.F) {
	seeds := [][4]float64{
		{40.6, -73.8, 49.01666667, 2.55},
		{-30, 0, 29.9, 179.8}, // nearly antipodal
		{0, 0, 0, 180},        // antipodal on the equator
		{0, 0, 0.5, 179.7},    // near the antipodal cut
		{89.9, 0, -89.9, 180}, // polar, antipodal
		{90, 0, -90, 0},       // pole to pole
		{0, 0, 0, 179.5},      // equatorial, not shortest
		{36.493349428792, 0, 36.49334942879201, .0000008}, // 7 cm
		{1e-300, 0, -1e-300, 1e-300},                      // coincident-ish, tiny values
		{45, 1e15, -45, -1e15},                            // large longitudes
		{-0, -0, 0, 0},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	g := WGS84()
	const halfMeridian = 20003931.4586255 // longest possible geodesic
	f.Fuzz(func(t *testing.T, lat1, lon1, lat2, lon2 float64) {
		for _, x := range []float64{lat1, lon1, lat2, lon2} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Skip("non-finite input")
			}
		}
		// Fold latitudes into [-90, 90] (exactly) rather than discarding
		// the input, so that random floats still exercise the solver.
		lat1 = math.Remainder(lat1, 180)
		lat2 = math.Remainder(lat2, 180)
		s, a1, a2 := g.Inverse(lat1, lon1, lat2, lon2)
		for _, v := range []float64{s, a1, a2} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Inverse(%v, %v, %v, %v) = %v, %v, %v", lat1, lon1, lat2, lon2, s, a1, a2)
			}
		}
		if s < 0 || s > halfMeridian+1e-6 {
			t.Fatalf("distance %v out of range", s)
		}
		if math.Abs(a1) > 180 || math.Abs(a2) > 180 {
			t.Fatalf("azimuths %v, %v out of range", a1, a2)
		}

		// Round trip.
		lat3, lon3, _ := g.Direct(lat1, lon1, a1, s)
		if math.IsNaN(lat3) || math.IsNaN(lon3) {
			t.Fatalf("Direct(%v, %v, %v, %v) = %v, %v", lat1, lon1, a1, s, lat3, lon3)
		}
		if miss, _, _ := g.Inverse(lat2, lon2, lat3, lon3); !(miss <= 1e-6) {
			t.Fatalf("Direct(Inverse) misses point 2 by %v m (s12 = %v, azi1 = %v, end %v, %v)",
				miss, s, a1, lat3, lon3)
		}

		// The distance does not depend on the direction of travel.
		if r, _, _ := g.Inverse(lat2, lon2, lat1, lon1); math.Abs(r-s) > 1e-6 {
			t.Fatalf("reverse distance %v, forward %v", r, s)
		}
	})
}
