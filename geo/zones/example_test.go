package zones_test

import (
	"fmt"

	"github.com/conflictmap/conflictmap/geo/zones"
)

func ExamplePolygons() {
	// Two rows of three 0.5° cells; labels are listed bottom row first.
	g := zones.Grid{
		MinLon: 30, MinLat: 50, Step: 0.5, Cols: 3, Rows: 2,
		Labels: []int{
			0, 0, 1,
			0, 1, 1,
		},
	}
	areas := zones.Polygons(g)
	fmt.Println(areas[0])
	fmt.Println(areas[1])
	fmt.Println(zones.Valid(areas[0]), zones.Valid(areas[1]))
	// Output:
	// [[[[30 50] [31 50] [31 50.5] [30.5 50.5] [30.5 51] [30 51] [30 50]]]]
	// [[[[31 50] [31.5 50] [31.5 51] [30.5 51] [30.5 50.5] [31 50.5] [31 50]]]]
	// <nil> <nil>
}

func ExampleFrontline() {
	g := zones.Grid{
		MinLon: 30, MinLat: 50, Step: 0.5, Cols: 3, Rows: 2,
		Labels: []int{
			0, 0, 1,
			0, 1, 1,
		},
	}
	// The line keeps label 0 on its left.
	fmt.Println(zones.Frontline(g, 0, 1))
	// Output:
	// [[[31 50] [31 50.5] [30.5 50.5] [30.5 51]]]
}
