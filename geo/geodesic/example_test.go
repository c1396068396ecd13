package geodesic_test

import (
	"fmt"

	"github.com/conflictmap/conflictmap/geo/geodesic"
)

// The nearly antipodal example of Karney (2013), Tables 4–6.
func ExampleEllipsoid_Inverse() {
	s12, azi1, azi2 := geodesic.WGS84().Inverse(-30, 0, 29.9, 179.8)
	fmt.Printf("%.3f m, azi1 %.6f°, azi2 %.6f°\n", s12, azi1, azi2)
	// Output: 19989832.828 m, azi1 161.890525°, azi2 18.090737°
}

// The direct example of Karney (2013), Table 2.
func ExampleEllipsoid_Direct() {
	lat2, lon2, azi2 := geodesic.WGS84().Direct(40, 0, 30, 10e6)
	fmt.Printf("%.8f %.8f %.8f\n", lat2, lon2, azi2)
	// Output: 41.79331021 137.84490004 149.09016932
}

func ExampleDistance() {
	// Wellington, NZ to Salamanca, Spain.
	fmt.Printf("%.3f km\n", geodesic.Distance(-41.32, 174.81, 40.96, -5.50)/1000)
	// Output: 19959.679 km
}

func ExampleDestination() {
	// 20000 km south-west of Perth, Australia.
	lat, lon := geodesic.Destination(-32.06, 115.74, 225, 20000e3)
	fmt.Printf("%.8f, %.8f\n", lat, lon)
	// Output: 32.11195529, -63.95925278
}

func ExampleEllipsoid_Line() {
	// A geodesic from Tokyo to San Francisco crosses the antimeridian;
	// longitudes are unrolled so a web map draws it the short way.
	pts := geodesic.WGS84().Line(35.68, 139.69, 37.77, -122.42, 2000e3)
	for _, p := range pts {
		fmt.Printf("[%.2f, %.2f]\n", p[0], p[1])
	}
	// Output:
	// [139.69, 35.68]
	// [156.34, 43.28]
	// [176.63, 47.87]
	// [198.97, 48.41]
	// [220.02, 44.74]
	// [237.58, 37.77]
}
