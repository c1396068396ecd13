package zones

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestPolygons(t *testing.T) {
	tests := []struct {
		name string
		grid Grid
		want map[int]orb.MultiPolygon
	}{
		{
			name: "empty grid",
			grid: Grid{Step: 1},
			want: map[int]orb.MultiPolygon{},
		},
		{
			name: "nothing painted",
			grid: parseGrid(0, 0, 1, "..", ".."),
			want: map[int]orb.MultiPolygon{},
		},
		{
			name: "single cell",
			grid: parseGrid(10, 20, 1, "0"),
			want: map[int]orb.MultiPolygon{
				0: {{{{10, 20}, {11, 20}, {11, 21}, {10, 21}, {10, 20}}}},
			},
		},
		{
			name: "single cell off origin with fractional step",
			grid: parseGrid(10, 20, 0.5, "...", ".3.", "..."),
			want: map[int]orb.MultiPolygon{
				3: {{{{10.5, 20.5}, {11, 20.5}, {11, 21}, {10.5, 21}, {10.5, 20.5}}}},
			},
		},
		{
			name: "row merges collinear vertices",
			grid: parseGrid(0, 0, 1, "000"),
			want: map[int]orb.MultiPolygon{
				0: {{{{0, 0}, {3, 0}, {3, 1}, {0, 1}, {0, 0}}}},
			},
		},
		{
			name: "L shape",
			grid: parseGrid(0, 0, 1,
				"0.",
				"00"),
			want: map[int]orb.MultiPolygon{
				0: {{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}},
			},
		},
		{
			name: "ring of cells around unassigned hole",
			grid: parseGrid(0, 0, 1,
				"000",
				"0.0",
				"000"),
			want: map[int]orb.MultiPolygon{
				0: {{
					{{0, 0}, {3, 0}, {3, 3}, {0, 3}, {0, 0}},
					{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
				}},
			},
		},
		{
			name: "enclave of another label",
			grid: parseGrid(0, 0, 1,
				"000",
				"010",
				"000"),
			want: map[int]orb.MultiPolygon{
				0: {{
					{{0, 0}, {3, 0}, {3, 3}, {0, 3}, {0, 0}},
					{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
				}},
				1: {{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}}},
			},
		},
		{
			name: "two islands",
			grid: parseGrid(0, 0, 1, "0.0"),
			want: map[int]orb.MultiPolygon{
				0: {
					{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
					{{{2, 0}, {3, 0}, {3, 1}, {2, 1}, {2, 0}}},
				},
			},
		},
		{
			name: "diagonal cells are separate polygons",
			grid: parseGrid(0, 0, 1,
				".0",
				"0."),
			want: map[int]orb.MultiPolygon{
				0: {
					{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
					{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}},
				},
			},
		},
		{
			name: "checkerboard of two labels",
			grid: parseGrid(0, 0, 1,
				"10",
				"01"),
			want: map[int]orb.MultiPolygon{
				0: {
					{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
					{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}},
				},
				1: {
					{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}},
					{{{0, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 1}}},
				},
			},
		},
		{
			// The hole cell touches the outside at a corner only, so the
			// outline and the hole meet at (1,1): two rings sharing a
			// vertex, not one ring that touches itself.
			name: "hole touching outline at a corner",
			grid: parseGrid(0, 0, 1,
				"000",
				"0.0",
				".00"),
			want: map[int]orb.MultiPolygon{
				0: {{
					{{1, 0}, {3, 0}, {3, 3}, {0, 3}, {0, 1}, {1, 1}, {1, 0}},
					{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
				}},
			},
		},
		{
			name: "island inside a hole",
			grid: parseGrid(0, 0, 1,
				"00000",
				"0...0",
				"0.0.0",
				"0...0",
				"00000"),
			want: map[int]orb.MultiPolygon{
				0: {
					{
						{{0, 0}, {5, 0}, {5, 5}, {0, 5}, {0, 0}},
						{{1, 1}, {1, 4}, {4, 4}, {4, 1}, {1, 1}},
					},
					{{{2, 2}, {3, 2}, {3, 3}, {2, 3}, {2, 2}}},
				},
			},
		},
		{
			name: "two holes meeting at a corner",
			grid: parseGrid(0, 0, 1,
				"0000",
				"0.00",
				"00.0",
				"0000"),
			want: map[int]orb.MultiPolygon{
				0: {{
					{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
					{{2, 1}, {2, 2}, {3, 2}, {3, 1}, {2, 1}},
					{{1, 2}, {1, 3}, {2, 3}, {2, 2}, {1, 2}},
				}},
			},
		},
		{
			name: "short labels slice counts as unassigned",
			grid: Grid{Step: 1, Cols: 2, Rows: 2, Labels: []int{4}},
			want: map[int]orb.MultiPolygon{
				4: {{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Polygons(tt.grid)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Polygons() =\n%v\nwant\n%v", got, tt.want)
			}
			checkPolygons(t, tt.grid, got)
		})
	}
}

func TestPolygonsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 50; i++ {
		g := randomGrid(rng, 20, 15, 3)
		t.Run(fmt.Sprintf("grid %d", i), func(t *testing.T) {
			checkPolygons(t, g, Polygons(g))
		})
	}
}

func TestPolygonsVoronoi(t *testing.T) {
	g := voronoiGrid(rand.New(rand.NewSource(3)), 60, 40, 3, 9)
	checkPolygons(t, g, Polygons(g))
}

func BenchmarkPolygons(b *testing.B) {
	g := voronoiGrid(rand.New(rand.NewSource(1)), 200, 160, 3, 12)
	b.ReportAllocs()
	for b.Loop() {
		Polygons(g)
	}
}

// FuzzPolygons reads a grid of up to 8×8 cells from bytes: the first two
// give the size, each further byte one cell's label in -1..2 (missing cells
// are unassigned).
func FuzzPolygons(f *testing.F) {
	f.Add([]byte{0, 0, 1})
	f.Add([]byte{1, 1, 1, 0, 0, 1})
	f.Add([]byte{2, 2, 1, 1, 1, 1, 0, 1, 0, 1, 1})
	f.Add([]byte{2, 2, 1, 1, 1, 0, 1, 1, 1, 1, 1})
	f.Add([]byte{7, 7, 9, 200, 13, 4, 5, 6, 7, 8, 255, 0, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			t.Skip("too short to give a grid size")
		}
		g := Grid{MinLon: -3, MinLat: 51, Step: 0.5, Cols: int(data[0]%8) + 1, Rows: int(data[1]%8) + 1}
		g.Labels = make([]int, g.Cols*g.Rows)
		for k := range g.Labels {
			g.Labels[k] = -1
			if 2+k < len(data) {
				g.Labels[k] = int(data[2+k]%4) - 1
			}
		}
		checkPolygons(t, g, Polygons(g))
	})
}
