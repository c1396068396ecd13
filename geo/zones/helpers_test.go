package zones

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// parseGrid builds a grid from rows of digits written top row first, as a
// map reads; '.' is unassigned.
func parseGrid(minLon, minLat, step float64, rows ...string) Grid {
	g := Grid{MinLon: minLon, MinLat: minLat, Step: step, Rows: len(rows)}
	if len(rows) > 0 {
		g.Cols = len(rows[0])
	}
	g.Labels = make([]int, g.Cols*g.Rows)
	for r, line := range rows {
		row := len(rows) - 1 - r
		for c, ch := range line {
			label := -1
			if ch != '.' {
				label = int(ch - '0')
			}
			g.Labels[row*g.Cols+c] = label
		}
	}
	return g
}

// randomGrid paints cells with labels 0..labels-1, leaving about one cell
// in ten unassigned.
func randomGrid(rng *rand.Rand, cols, rows, labels int) Grid {
	g := Grid{MinLon: 30.5, MinLat: 44.25, Step: 0.25, Cols: cols, Rows: rows, Labels: make([]int, cols*rows)}
	for k := range g.Labels {
		if rng.Intn(10) == 0 {
			g.Labels[k] = -1
		} else {
			g.Labels[k] = rng.Intn(labels)
		}
	}
	return g
}

// voronoiGrid paints each cell with the label of its nearest seed, giving
// blob-shaped areas like real control maps.
func voronoiGrid(rng *rand.Rand, cols, rows, labels, seeds int) Grid {
	type seed struct {
		x, y  float64
		label int
	}
	ss := make([]seed, seeds)
	for k := range ss {
		ss[k] = seed{rng.Float64() * float64(cols), rng.Float64() * float64(rows), k % labels}
	}
	g := Grid{MinLon: 22, MinLat: 44, Step: 0.05, Cols: cols, Rows: rows, Labels: make([]int, cols*rows)}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			best := math.Inf(1)
			for _, s := range ss {
				if d := math.Hypot(float64(c)+0.5-s.x, float64(r)+0.5-s.y); d < best {
					best, g.Labels[r*cols+c] = d, s.label
				}
			}
		}
	}
	return g
}

// countCells counts cells per label.
func countCells(g Grid) map[int]int {
	n := make(map[int]int)
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			if l := g.At(c, r); l >= 0 {
				n[l]++
			}
		}
	}
	return n
}

// countGroups counts 4-connected groups of cells per label by recursive
// flood fill, independently of the package's own numbering.
func countGroups(g Grid) map[int]int {
	seen := make([]bool, g.Cols*g.Rows)
	var fill func(c, r, label int)
	fill = func(c, r, label int) {
		if g.At(c, r) != label || seen[r*g.Cols+c] {
			return
		}
		seen[r*g.Cols+c] = true
		fill(c+1, r, label)
		fill(c-1, r, label)
		fill(c, r+1, label)
		fill(c, r-1, label)
	}
	n := make(map[int]int)
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			if l := g.At(c, r); l >= 0 && !seen[r*g.Cols+c] {
				n[l]++
				fill(c, r, l)
			}
		}
	}
	return n
}

// checkPolygons verifies the invariants every output of Polygons must meet:
// one entry per painted label, valid geometry, the right area and number of
// polygons, and every cell centre covered by its own label only.
func checkPolygons(t testing.TB, g Grid, got map[int]orb.MultiPolygon) {
	t.Helper()
	cells, groups := countCells(g), countGroups(g)
	if len(got) != len(cells) {
		t.Fatalf("got %d labels, want %d", len(got), len(cells))
	}
	for label, mp := range got {
		if err := Valid(mp); err != nil {
			t.Fatalf("label %d: %v\n%v", label, err, mp)
		}
		want := float64(cells[label]) * g.Step * g.Step
		if a := planar.Area(mp); math.Abs(a-want) > 1e-9*math.Max(1, want) {
			t.Errorf("label %d: area %g, want %g", label, a, want)
		}
		if len(mp) != groups[label] {
			t.Errorf("label %d: %d polygons, want %d", label, len(mp), groups[label])
		}
	}
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			centre := g.point(vertex{c, r})
			centre[0] += g.Step / 2
			centre[1] += g.Step / 2
			for label, mp := range got {
				if in := planar.MultiPolygonContains(mp, centre); in != (label == g.At(c, r)) {
					t.Fatalf("cell (%d,%d) labelled %d: inside label %d = %v", c, r, g.At(c, r), label, in)
				}
			}
		}
	}
}
