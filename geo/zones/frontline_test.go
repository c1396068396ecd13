package zones

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestFrontline(t *testing.T) {
	tests := []struct {
		name   string
		grid   Grid
		a, b   int
		want   orb.MultiLineString
		length float64
	}{
		{
			name: "two halves give one straight line",
			grid: parseGrid(10, 20, 0.5,
				"0011",
				"0011",
				"0011"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{11, 20}, {11, 21.5}}},
			length: 1.5,
		},
		{
			name: "swapped labels reverse the line",
			grid: parseGrid(10, 20, 0.5,
				"0011",
				"0011",
				"0011"),
			a: 1, b: 0,
			want:   orb.MultiLineString{{{11, 21.5}, {11, 20}}},
			length: 1.5,
		},
		{
			name: "L boundary is one polyline",
			grid: parseGrid(0, 0, 1,
				"011",
				"011",
				"000"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{3, 1}, {1, 1}, {1, 3}}},
			length: 4,
		},
		{
			name: "staircase is one polyline",
			grid: parseGrid(0, 0, 1,
				"011",
				"001",
				"000"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{3, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 3}}},
			length: 4,
		},
		{
			name: "enclave gives a closed loop",
			grid: parseGrid(0, 0, 1,
				"000",
				"010",
				"000"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}},
			length: 4,
		},
		{
			name: "line ends where unassigned cells interrupt it",
			grid: parseGrid(0, 0, 1,
				"01",
				"..",
				"01"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{1, 0}, {1, 1}}, {{1, 2}, {1, 3}}},
			length: 2,
		},
		{
			name: "checkerboard splits at the four-way vertex",
			grid: parseGrid(0, 0, 1,
				"10",
				"01"),
			a: 0, b: 1,
			want: orb.MultiLineString{
				{{1, 0}, {1, 1}},
				{{1, 1}, {0, 1}},
				{{1, 1}, {2, 1}},
				{{1, 2}, {1, 1}},
			},
			length: 4,
		},
		{
			name: "three-way junction ends the line",
			grid: parseGrid(0, 0, 1,
				"02",
				"01"),
			a: 0, b: 1,
			want:   orb.MultiLineString{{{1, 0}, {1, 1}}},
			length: 1,
		},
		{
			name: "corner contact is no frontline",
			grid: parseGrid(0, 0, 1,
				".1",
				"0."),
			a: 0, b: 1,
		},
		{
			name: "same label",
			grid: parseGrid(0, 0, 1, "01"),
			a:    1, b: 1,
		},
		{
			name: "unassigned label",
			grid: parseGrid(0, 0, 1, "0."),
			a:    0, b: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Frontline(tt.grid, tt.a, tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Frontline() = %v, want %v", got, tt.want)
			}
			if l := planar.Length(got); math.Abs(l-tt.length) > 1e-12 {
				t.Errorf("length %g, want %g", l, tt.length)
			}
		})
	}
}

func TestFrontlines(t *testing.T) {
	tests := []struct {
		name string
		grid Grid
		want map[[2]int]orb.MultiLineString
	}{
		{
			name: "three labels meeting at a junction",
			grid: parseGrid(0, 0, 1,
				"02",
				"01"),
			want: map[[2]int]orb.MultiLineString{
				{0, 1}: {{{1, 0}, {1, 1}}},
				{0, 2}: {{{1, 1}, {1, 2}}},
				{1, 2}: {{{2, 1}, {1, 1}}},
			},
		},
		{
			name: "unassigned cells have no frontline",
			grid: parseGrid(0, 0, 1, "0.1"),
			want: map[[2]int]orb.MultiLineString{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Frontlines(tt.grid); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Frontlines() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFrontlinesRandom checks on random grids that Frontlines agrees with
// Frontline, that the lines add up to one cell side per contact, and that
// every line keeps the smaller label on its left and is maximal.
func TestFrontlinesRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 50; i++ {
		g := randomGrid(rng, 20, 15, 3)
		t.Run(fmt.Sprintf("grid %d", i), func(t *testing.T) {
			all := Frontlines(g)
			contacts := countContacts(g)
			if len(all) != len(contacts) {
				t.Fatalf("%d pairs, want %d", len(all), len(contacts))
			}
			for key, mls := range all {
				if one := Frontline(g, key[0], key[1]); !reflect.DeepEqual(one, mls) {
					t.Errorf("pair %v: Frontline differs from Frontlines", key)
				}
				want := float64(contacts[key]) * g.Step
				if l := planar.Length(mls); math.Abs(l-want) > 1e-9 {
					t.Errorf("pair %v: length %g, want %g", key, l, want)
				}
				checkLines(t, g, key, mls)
			}
		})
	}
}

// countContacts counts cell sides between each pair of labels.
func countContacts(g Grid) map[[2]int]int {
	n := make(map[[2]int]int)
	add := func(a, b int) {
		if a >= 0 && b >= 0 && a != b {
			n[[2]int{min(a, b), max(a, b)}]++
		}
	}
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			if c+1 < g.Cols {
				add(g.At(c, r), g.At(c+1, r))
			}
			if r+1 < g.Rows {
				add(g.At(c, r), g.At(c, r+1))
			}
		}
	}
	return n
}

// checkLines checks that each unit step of every line has key[0] on its
// left and key[1] on its right, and that lines are maximal: every interior
// vertex joins exactly two contact sides and every end joins one, three or
// four, except on a loop through degree-two vertices only.
func checkLines(t *testing.T, g Grid, key [2]int, mls orb.MultiLineString) {
	t.Helper()
	for _, ls := range mls {
		for k := 0; k+1 < len(ls); k++ {
			a, b := ls[k], ls[k+1]
			steps := int(math.Round(planar.Distance(a, b) / g.Step))
			for s := 0; s < steps; s++ {
				f := (float64(s) + 0.5) / float64(steps)
				mid := orb.Point{a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f}
				dx, dy := (b[0]-a[0])/float64(steps)/2, (b[1]-a[1])/float64(steps)/2
				left := orb.Point{mid[0] - dy, mid[1] + dx}
				right := orb.Point{mid[0] + dy, mid[1] - dx}
				if l, r := labelAt(g, left), labelAt(g, right); l != key[0] || r != key[1] {
					t.Fatalf("pair %v: step near %v has %d on the left, %d on the right", key, mid, l, r)
				}
			}
		}
		for k := 1; k+1 < len(ls); k++ {
			if d := contactDegree(g, key, ls[k]); d != 2 {
				t.Errorf("pair %v: line passes through %v where %d sides meet", key, ls[k], d)
			}
		}
		first, last := contactDegree(g, key, ls[0]), contactDegree(g, key, ls[len(ls)-1])
		loop := ls[0] == ls[len(ls)-1] && first == 2
		if !loop && (first == 2 || last == 2) {
			t.Errorf("pair %v: line %v ends where it could go on", key, ls)
		}
	}
}

// contactDegree counts the cell sides between key[0] and key[1] that meet
// at grid vertex p.
func contactDegree(g Grid, key [2]int, p orb.Point) int {
	i := int(math.Round((p[0] - g.MinLon) / g.Step))
	j := int(math.Round((p[1] - g.MinLat) / g.Step))
	pair := func(c1, r1, c2, r2 int) int {
		a, b := g.At(c1, r1), g.At(c2, r2)
		if (a == key[0] && b == key[1]) || (a == key[1] && b == key[0]) {
			return 1
		}
		return 0
	}
	return pair(i-1, j-1, i, j-1) + pair(i-1, j, i, j) + // sides below and above
		pair(i-1, j-1, i-1, j) + pair(i, j-1, i, j) // sides left and right
}

// labelAt returns the label of the cell containing p.
func labelAt(g Grid, p orb.Point) int {
	return g.At(int(math.Floor((p[0]-g.MinLon)/g.Step)), int(math.Floor((p[1]-g.MinLat)/g.Step)))
}

func BenchmarkFrontlines(b *testing.B) {
	g := voronoiGrid(rand.New(rand.NewSource(1)), 200, 160, 3, 12)
	b.ReportAllocs()
	for b.Loop() {
		Frontlines(g)
	}
}
