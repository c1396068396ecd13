package geodesic

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Tolerances for the comparisons with reference values computed in high
// precision. The task requirement is 1 mm and ~1e-9°; the implementation
// actually agrees to a few nanometres, so the distance check is tighter.
const (
	distTol  = 1e-6 // metres
	angleTol = 1e-9 // degrees
)

// angleDiff returns |a − b| reduced modulo 360, so that e.g. 180 and -180,
// or longitudes 197 and -163, compare equal.
func angleDiff(a, b float64) float64 {
	return math.Abs(math.Remainder(a-b, 360))
}

// vector is one line of testdata/geographiclib_testcases.txt.
type vector struct {
	lat1, lon1, azi1, lat2, lon2, azi2, s12 float64
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/geographiclib_testcases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 7 {
			t.Fatalf("bad test vector line %q", line)
		}
		var x [7]float64
		for i, s := range fs {
			if x[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("bad number in %q: %v", line, err)
			}
		}
		vs = append(vs, vector{x[0], x[1], x[2], x[3], x[4], x[5], x[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no test vectors")
	}
	return vs
}

// TestGeographicLibVectors checks Inverse and Direct against the reference
// geodesics of GeographicLib's regression suite (see the testdata header).
func TestGeographicLibVectors(t *testing.T) {
	g := WGS84()
	vs := loadVectors(t)
	var maxDS, maxDAzi, maxDPos, maxDAzi2 float64
	for i, v := range vs {
		t.Run(fmt.Sprintf("inverse/%02d", i), func(t *testing.T) {
			s, a1, a2 := g.Inverse(v.lat1, v.lon1, v.lat2, v.lon2)
			ds := math.Abs(s - v.s12)
			da := math.Max(angleDiff(a1, v.azi1), angleDiff(a2, v.azi2))
			maxDS = math.Max(maxDS, ds)
			maxDAzi = math.Max(maxDAzi, da)
			if !(ds <= distTol) {
				t.Errorf("s12 = %.10f, want %.10f (|err| = %.3g m)", s, v.s12, ds)
			}
			if !(da <= angleTol) {
				t.Errorf("azi1, azi2 = %.15g, %.15g, want %.15g, %.15g", a1, a2, v.azi1, v.azi2)
			}
		})
		t.Run(fmt.Sprintf("direct/%02d", i), func(t *testing.T) {
			lat2, lon2, a2 := g.Direct(v.lat1, v.lon1, v.azi1, v.s12)
			dp := math.Max(math.Abs(lat2-v.lat2), angleDiff(lon2, v.lon2))
			da := angleDiff(a2, v.azi2)
			maxDPos = math.Max(maxDPos, dp)
			maxDAzi2 = math.Max(maxDAzi2, da)
			if !(dp <= angleTol) {
				t.Errorf("lat2, lon2 = %.15g, %.15g, want %.15g, %.15g", lat2, lon2, v.lat2, v.lon2)
			}
			if !(da <= angleTol) {
				t.Errorf("azi2 = %.15g, want %.15g", a2, v.azi2)
			}
			if lon2 < -180 || lon2 > 180 {
				t.Errorf("lon2 = %v not reduced to [-180, 180]", lon2)
			}
		})
	}
	t.Logf("%d GeographicLib vectors: inverse max |Δs| = %.3g m, max |Δazi| = %.3g°; "+
		"direct max |Δlat|,|Δlon| = %.3g°, max |Δazi2| = %.3g°",
		len(vs), maxDS, maxDAzi, maxDPos, maxDAzi2)
}

// inverseCase is a published inverse example. Tolerances reflect the number
// of digits published.
type inverseCase struct {
	name                   string
	e                      Ellipsoid
	lat1, lon1, lat2, lon2 float64
	s12, sTol              float64
	azi1, azi2, aziTol     float64 // aziTol < 0: azimuths not checked
}

func publishedInverse() []inverseCase {
	wgs := WGS84()
	sphere := NewEllipsoid(6.4e6, 0)
	prolate := NewEllipsoid(6.4e6, -1.0/300)
	return []inverseCase{
		// Karney (2013), "Algorithms for geodesics", Table 3: a short line,
		// distance published to 1e-6 m; the azimuths as quoted by
		// independent test suites to 1e-8°.
		{"Karney2013/table3_short", wgs, -30.12345, 0, -30.12344, 0.00005,
			4.944208, 0.5e-6, 77.04353354, 77.04350845, 1e-8},
		// Karney (2013), Tables 4–6: nearly antipodal points solved via the
		// astroid starting guess and Newton's method.
		{"Karney2013/table5_nearly_antipodal", wgs, -30, 0, 29.9, 179.8,
			19989832.827610, 0.5e-6, 161.89052473633, 18.09073724574, 0.5e-11},

		// GeographicLib regression tests "GeodSolveN" (geodesictest.js in
		// npm geographiclib-geodesic 2.2.0, mirrored in the C++/Java/Python
		// suites). Tolerances are the ones used there.
		{"GeodSolve0/JFK-CDG", wgs, 40.6, -73.8, 49.01666667, 2.55,
			5853226, 0.5, 53.47022, 111.59367, 0.5e-5},
		{"GeodSolve4/short_0.072m", wgs, 36.493349428792, 0, 36.49334942879201, .0000008,
			0.072, 0.5e-3, 0, 0, -1},
		{"GeodSolve6/antipodal_a", wgs, 88.202499451857, 0, -88.202499451857, 179.981022032992859592,
			20003898.214, 0.5e-3, 0, 0, -1},
		{"GeodSolve6/antipodal_b", wgs, 89.262080389218, 0, -89.262080389218, 179.992207982775375662,
			20003925.854, 0.5e-3, 0, 0, -1},
		{"GeodSolve6/antipodal_c", wgs, 89.333123580033, 0, -89.333123580032997687, 179.99295812360148422,
			20003926.881, 0.5e-3, 0, 0, -1},
		{"GeodSolve9/antipodal", wgs, 56.320923501171, 0, -56.320923501171, 179.664747671772880215,
			19993558.287, 0.5e-3, 0, 0, -1},
		{"GeodSolve10/antipodal", wgs, 52.784459512564, 0, -52.784459512563990912, 179.634407464943777557,
			19991596.095, 0.5e-3, 0, 0, -1},
		{"GeodSolve11/antipodal", wgs, 48.522876735459, 0, -48.52287673545898293, 179.599720456223079643,
			19989144.774, 0.5e-3, 0, 0, -1},
		{"GeodSolve33/equatorial_179", wgs, 0, 0, 0, 179,
			19926189, 0.5, 90, 90, 0.5e-5},
		{"GeodSolve33/equatorial_179.5", wgs, 0, 0, 0, 179.5,
			19980862, 0.5, 55.96650, 124.03350, 0.5e-5},
		{"GeodSolve33/equatorial_antipodal", wgs, 0, 0, 0, 180,
			20003931, 0.5, 0, 180, 0.5e-5},
		{"GeodSolve33/near_equatorial_antipodal", wgs, 0, 0, 1, 180,
			19893357, 0.5, 0, 180, 0.5e-5},
		{"GeodSolve33/sphere_179", sphere, 0, 0, 0, 179,
			19994492, 0.5, 90, 90, 0.5e-5},
		{"GeodSolve33/sphere_antipodal", sphere, 0, 0, 0, 180,
			20106193, 0.5, 0, 180, 0.5e-5},
		{"GeodSolve33/sphere_1_180", sphere, 0, 0, 1, 180,
			19994492, 0.5, 0, 180, 0.5e-5},
		{"GeodSolve33/prolate_179", prolate, 0, 0, 0, 179,
			19994492, 0.5, 90, 90, 0.5e-5},
		{"GeodSolve33/prolate_antipodal", prolate, 0, 0, 0, 180,
			20106193, 0.5, 90, 90, 0.5e-5},
		{"GeodSolve33/prolate_0.5_180", prolate, 0, 0, 0.5, 180,
			20082617, 0.5, 33.02493, 146.97364, 0.5e-5},
		{"GeodSolve33/prolate_1_180", prolate, 0, 0, 1, 180,
			20027270, 0.5, 0, 180, 0.5e-5},
		{"GeodSolve59/near_meridional_antipodal", wgs, 5, 0.00000000000001, 10, 180,
			18345191.174332713, 5e-9, 0.000000000000035, 179.99999999999996, 1.5e-14},
		{"GeodSolve74/short_39m", wgs, 54.1589, 15.3872, 54.1591, 15.3877,
			39.527686385, 5e-9, 55.723110355, 55.723515675, 5e-9},
		{"GeodSolve76/Wellington-Salamanca", wgs, -(41 + 19.0/60), 174 + 49.0/60, 40 + 58.0/60, -(5 + 30.0/60),
			19960543.857179, 0.5e-6, 160.39137649664, 19.50042925176, 0.5e-11},
		{"GeodSolve78/NGS_nonconvergent", wgs, 27.2, 0, -27.1, 179.5,
			19974354.765767, 0.5e-6, 45.82468716758, 134.22776532670, 0.5e-11},
		{"GeodSolve80/coincident", wgs, 20.001, 0, 20.001, 0,
			0, 1e-8, 180, 180, 1e-13},
		{"GeodSolve80/coincident_pole", wgs, 90, 0, 90, 180,
			0, 1e-8, 0, 180, 1e-13},
		{"GeodSolve92/short_0.264m", wgs, 37.757540000000006, -122.47018, 37.75754, -122.470177,
			0.264, 0.5e-3, 89.99999923, 90.00000106, 1e-7},
		{"GeodSolve99/antipodal", wgs, 45, 0, -45, 179.572719,
			19987083.007, 0.5e-3, 90.00000028, 90.00000028, 1e-8},

		// README of npm geographiclib-geodesic 2.2.0: Wellington, NZ to
		// Salamanca, Spain prints "19959679.267 m".
		{"README/Wellington-Salamanca", wgs, -41.32, 174.81, 40.96, -5.50,
			19959679.267, 0.5e-3, 0, 0, -1},

		// WGS84 meridian quadrant, 10 001 965.729 m (tabulated e.g. in the
		// Wikipedia article "Latitude"): meridional and polar cases.
		{"meridian/equator_to_north_pole", wgs, 0, 0, 90, 0,
			10001965.729, 0.5e-3, 0, 0, 1e-13},
		{"meridian/south_pole_to_equator", wgs, -90, 30, 0, 30,
			10001965.729, 0.5e-3, 0, 0, 1e-13},
		{"meridian/pole_to_pole", wgs, -90, 0, 90, 0,
			2 * 10001965.729, 1e-3, 0, 0, 1e-13},
		// Along the equator a geodesic is a circle of radius a, so these
		// are exact by construction: s = a Δλ.
		{"equator/quarter", wgs, 0, 0, 0, 90,
			6378137 * math.Pi / 2, 1e-8, 90, 90, 1e-13},
		{"equator/one_degree_westward", wgs, 0, 0.5, 0, -0.5,
			6378137 * math.Pi / 180, 1e-8, -90, -90, 1e-13},
		{"equator/across_antimeridian", wgs, 0, 179, 0, -179,
			6378137 * 2 * math.Pi / 180, 1e-8, 90, 90, 1e-13},
	}
}

func TestPublishedInverse(t *testing.T) {
	for _, c := range publishedInverse() {
		t.Run(c.name, func(t *testing.T) {
			s, a1, a2 := c.e.Inverse(c.lat1, c.lon1, c.lat2, c.lon2)
			if !(math.Abs(s-c.s12) <= c.sTol) {
				t.Errorf("s12 = %.9f, want %.9f ± %g", s, c.s12, c.sTol)
			}
			if c.aziTol >= 0 {
				if !(angleDiff(a1, c.azi1) <= c.aziTol) || !(angleDiff(a2, c.azi2) <= c.aziTol) {
					t.Errorf("azi1, azi2 = %.14g, %.14g, want %.14g, %.14g ± %g",
						a1, a2, c.azi1, c.azi2, c.aziTol)
				}
			}
		})
	}
}

// TestJFKToSIN is the GeographicLib documentation's waypoint example
// (JFK 40.640, -73.779 to SIN 1.359, 103.989). No value of the distance is
// printed in that documentation, so the reference here was computed with
// GeographicLib itself (npm geographiclib-geodesic 2.2.0, Geodesic.WGS84):
// s12 = 15347613.648737406 m, azi1 = 3.3087992170396454°,
// azi2 = 177.48554297097704°.
func TestJFKToSIN(t *testing.T) {
	s, a1, a2 := WGS84().Inverse(40.640, -73.779, 1.359, 103.989)
	if !(math.Abs(s-15347613.648737406) <= distTol) {
		t.Errorf("s12 = %.9f, want 15347613.648737406", s)
	}
	if !(angleDiff(a1, 3.3087992170396454) <= angleTol) || !(angleDiff(a2, 177.48554297097704) <= angleTol) {
		t.Errorf("azi1, azi2 = %.15g, %.15g", a1, a2)
	}
}

type directCase struct {
	name                  string
	e                     Ellipsoid
	lat1, lon1, azi1, s12 float64
	lat2, lon2, azi2      float64
	posTol, aziTol        float64
}

func publishedDirect() []directCase {
	wgs := WGS84()
	return []directCase{
		// Karney (2013), Table 2.
		{"Karney2013/table2", wgs, 40, 0, 30, 10e6,
			41.79331020506, 137.84490004377, 149.09016931807, 0.5e-11, 0.5e-11},
		// GeographicLib regression tests (see publishedInverse).
		{"GeodSolve1/JFK_NE", wgs, 40.63972222, -73.77888889, 53.5, 5850e3,
			49.01467, 2.56106, 111.62947, 0.5e-5, 0.5e-5},
		{"GeodSolve61/west_going_tiny_azimuth", wgs, 45, 0, -0.000000000000000003, 1e7,
			45.30632, -180, 180, 0.5e-5, 0.5e-5},
		{"GeodSolve65/meridional_south", wgs, 30, 0, 180, 1e7,
			-60.23169, 0, 180, 0.5e-5, 0.5e-5},
		{"GeodSolve65/over_south_pole", wgs, 30, 0, 180, 2e7,
			-30.03547, 180, 0, 0.5e-5, 0.5e-5},
		{"GeodSolve71/midpoint", wgs, 1, 2, 45, 5e6,
			30.92625, 37.54640, 55.43104, 0.5e-5, 0.5e-5},
		{"GeodSolve73/backwards_from_pole", wgs, 90, 10, 180, -1e6,
			81.04623, -170, 0, 0.5e-5, 0.5e-5},
		// README of npm geographiclib-geodesic 2.2.0: 20000 km SW of Perth
		// prints "(32.11195529, -63.95925278)".
		{"README/Perth_SW_20000km", wgs, -32.06, 115.74, 225, 20000e3,
			32.11195529, -63.95925278, 0, 0.5e-8, -1},
		// Exact: an equatorial geodesic is a circle of radius a.
		{"equator/eastward", wgs, 0, 170, 90, 6378137 * 20 * math.Pi / 180,
			0, -170, 90, 1e-12, 1e-12},
	}
}

func TestPublishedDirect(t *testing.T) {
	for _, c := range publishedDirect() {
		t.Run(c.name, func(t *testing.T) {
			lat2, lon2, a2 := c.e.Direct(c.lat1, c.lon1, c.azi1, c.s12)
			if !(math.Abs(lat2-c.lat2) <= c.posTol) || !(angleDiff(lon2, c.lon2) <= c.posTol) {
				t.Errorf("lat2, lon2 = %.12f, %.12f, want %.12f, %.12f ± %g",
					lat2, lon2, c.lat2, c.lon2, c.posTol)
			}
			if c.aziTol >= 0 && !(angleDiff(a2, c.azi2) <= c.aziTol) {
				t.Errorf("azi2 = %.12f, want %.12f ± %g", a2, c.azi2, c.aziTol)
			}
		})
	}
}

// TestDirectToPole is GeodSolve5: a geodesic that ends exactly at the
// north pole, where the longitude and azimuth are determined only as a
// pair.
func TestDirectToPole(t *testing.T) {
	lat2, lon2, azi2 := WGS84().Direct(0.01777745589997, 30, 0, 10e6)
	if math.Abs(lat2-90) > 0.5e-5 {
		t.Errorf("lat2 = %v, want 90", lat2)
	}
	if lon2 < 0 {
		if math.Abs(lon2+150) > 0.5e-5 || math.Abs(math.Abs(azi2)-180) > 0.5e-5 {
			t.Errorf("lon2, azi2 = %v, %v, want -150, ±180", lon2, azi2)
		}
	} else if math.Abs(lon2-30) > 0.5e-5 || math.Abs(azi2) > 0.5e-5 {
		t.Errorf("lon2, azi2 = %v, %v, want 30, 0", lon2, azi2)
	}
}

// TestInverseSymmetries checks relations that hold exactly for the true
// solution: swapping the points, reflecting in the equator, and shifting
// the longitudes leave the distance unchanged.
func TestInverseSymmetries(t *testing.T) {
	g := WGS84()
	for i, v := range loadVectors(t) {
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			s, a1, a2 := g.Inverse(v.lat1, v.lon1, v.lat2, v.lon2)
			sw, b1, b2 := g.Inverse(v.lat2, v.lon2, v.lat1, v.lon1)
			if angleDiff(b1, a2+180) > angleTol || angleDiff(b2, a1+180) > angleTol {
				t.Errorf("swapped azimuths %v, %v; want reverses of %v, %v", b1, b2, a2, a1)
			}
			sr, r1, r2 := g.Inverse(-v.lat1, v.lon1, -v.lat2, v.lon2)
			if angleDiff(r1, 180-a1) > angleTol || angleDiff(r2, 180-a2) > angleTol {
				t.Errorf("reflected azimuths %v, %v; want %v, %v", r1, r2, 180-a1, 180-a2)
			}
			ss, _, _ := g.Inverse(v.lat1, v.lon1+720, v.lat2, v.lon2-360)
			for _, c := range []struct {
				what string
				s    float64
			}{{"swapped", sw}, {"reflected", sr}, {"shifted", ss}} {
				if math.Abs(c.s-s) > distTol {
					t.Errorf("%s: s12 = %.9f, want %.9f", c.what, c.s, s)
				}
			}
		})
	}
}

// TestOverThePole checks that a geodesic between meridians 180° apart runs
// over the pole, with exactly twice the length of the half to the pole.
func TestOverThePole(t *testing.T) {
	g := WGS84()
	for _, lat := range []float64{89.999, 60, 45, 1, -30, -89} {
		t.Run(fmt.Sprint(lat), func(t *testing.T) {
			pole := math.Copysign(90, lat)
			half, _, _ := g.Inverse(lat, 10, pole, 10)
			s, a1, a2 := g.Inverse(lat, 10, lat, -170)
			if math.Abs(s-2*half) > distTol {
				t.Errorf("s12 = %.9f, want 2 × %.9f", s, half)
			}
			// North: leave heading 0 and arrive heading 180; south: the
			// reverse.
			w1, w2 := 0.0, 180.0
			if lat < 0 {
				w1, w2 = 180, 0
			}
			if angleDiff(a1, w1) > angleTol || angleDiff(a2, w2) > angleTol {
				t.Errorf("azi1, azi2 = %v, %v, want %v, %v", a1, a2, w1, w2)
			}
		})
	}
}

func TestConvenience(t *testing.T) {
	t.Run("Distance", func(t *testing.T) {
		want, _, _ := WGS84().Inverse(-30, 0, 29.9, 179.8)
		if got := Distance(-30, 0, 29.9, 179.8); got != want {
			t.Errorf("Distance = %v, want %v", got, want)
		}
	})
	t.Run("Destination", func(t *testing.T) {
		lat2, lon2 := Destination(40, 0, 30, 10e6)
		if math.Abs(lat2-41.79331020506) > 0.5e-11 || math.Abs(lon2-137.84490004377) > 0.5e-11 {
			t.Errorf("Destination = %v, %v", lat2, lon2)
		}
	})
	t.Run("NaN_inputs_give_NaN", func(t *testing.T) {
		// Cf. GeographicLib's GeodSolve14, 55, 84 and 94.
		g := WGS84()
		nan, inf := math.NaN(), math.Inf(1)
		for _, in := range [][4]float64{
			{0, 0, 1, nan}, {nan, 0, 0, 90}, {nan, 0, 90, 9}, {0, 0, nan, 90}, {0, inf, 0, 90}, {0, 0, 0, -inf},
		} {
			s, a1, a2 := g.Inverse(in[0], in[1], in[2], in[3])
			if !math.IsNaN(s) || !math.IsNaN(a1) || !math.IsNaN(a2) {
				t.Errorf("Inverse%v = %v, %v, %v, want NaNs", in, s, a1, a2)
			}
		}
		for _, in := range [][4]float64{
			{0, 0, 90, nan}, {0, 0, 90, inf}, {0, 0, nan, 1000}, {0, 0, inf, 1000}, {nan, 0, 90, 1000}, {inf, 0, 90, 1000},
		} {
			lat, lon, azi := g.Direct(in[0], in[1], in[2], in[3])
			if !math.IsNaN(lat) || !math.IsNaN(lon) || !math.IsNaN(azi) {
				t.Errorf("Direct%v = %v, %v, %v, want NaNs", in, lat, lon, azi)
			}
		}
		// A bad start longitude only spoils the end longitude.
		for _, lon1 := range []float64{nan, inf} {
			lat, lon, azi := g.Direct(0, lon1, 90, 1000)
			if lat != 0 || !math.IsNaN(lon) || azi != 90 {
				t.Errorf("Direct(0, %v, 90, 1000) = %v, %v, %v, want 0, NaN, 90", lon1, lat, lon, azi)
			}
		}
	})
	t.Run("invalid_latitude_gives_NaN", func(t *testing.T) {
		if s := Distance(91, 0, 0, 0); !math.IsNaN(s) {
			t.Errorf("Distance with lat 91 = %v, want NaN", s)
		}
		if lat, _ := Destination(-90.5, 0, 0, 1000); !math.IsNaN(lat) {
			t.Errorf("Destination from lat -90.5 = %v, want NaN", lat)
		}
	})
}
