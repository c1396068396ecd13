package zones

import "github.com/paulmach/orb"

// Grid is a regular lon/lat raster of labels. Labels[row*Cols+col] is the
// label of the cell whose lower-left corner is
// (MinLon+col*Step, MinLat+row*Step). A label of -1 (or any negative value)
// marks an unassigned cell. Step must be positive; cells missing from a
// short Labels slice count as unassigned.
type Grid struct {
	MinLon, MinLat, Step float64
	Cols, Rows           int
	Labels               []int
}

// At returns the label of the cell at (col, row), or -1 outside the grid.
func (g Grid) At(col, row int) int {
	if col < 0 || row < 0 || col >= g.Cols || row >= g.Rows {
		return -1
	}
	i := row*g.Cols + col
	if i >= len(g.Labels) || g.Labels[i] < 0 {
		return -1
	}
	return g.Labels[i]
}

// vertex is a cell corner in grid units: (i, j) is the lower-left corner of
// cell (i, j). Tracing works in integers so that comparisons are exact; only
// the finished rings are converted to lon/lat.
type vertex struct{ i, j int }

// point converts a grid vertex to lon/lat. Every vertex on a grid line gets
// bit-identical coordinates, so axis-aligned segments stay exactly aligned.
func (g Grid) point(v vertex) orb.Point {
	return orb.Point{g.MinLon + float64(v.i)*g.Step, g.MinLat + float64(v.j)*g.Step}
}

// direction of a unit step along a grid line, counter-clockwise from east.
type direction int

const (
	east direction = iota
	north
	west
	south
)

func (d direction) left() direction  { return (d + 1) % 4 }
func (d direction) right() direction { return (d + 3) % 4 }

func (d direction) step(v vertex) vertex {
	switch d {
	case east:
		return vertex{v.i + 1, v.j}
	case north:
		return vertex{v.i, v.j + 1}
	case west:
		return vertex{v.i - 1, v.j}
	default:
		return vertex{v.i, v.j - 1}
	}
}

// sides returns the cells to the left and right of the unit edge leaving v
// in direction d.
func (d direction) sides(v vertex) (left, right vertex) {
	switch d {
	case east:
		return vertex{v.i, v.j}, vertex{v.i, v.j - 1}
	case north:
		return vertex{v.i - 1, v.j}, vertex{v.i, v.j}
	case west:
		return vertex{v.i - 1, v.j - 1}, vertex{v.i - 1, v.j}
	default:
		return vertex{v.i, v.j - 1}, vertex{v.i - 1, v.j - 1}
	}
}

// headingOf returns the direction from a to an axis-aligned b.
func headingOf(a, b vertex) direction {
	switch {
	case b.i > a.i:
		return east
	case b.j > a.j:
		return north
	case b.i < a.i:
		return west
	default:
		return south
	}
}

// mergeCollinear drops vertices of a closed vertex cycle (no repeated
// closing vertex) where the path goes straight on.
func mergeCollinear(cycle []vertex) []vertex {
	n := len(cycle)
	out := make([]vertex, 0, n)
	for k, v := range cycle {
		prev, next := cycle[(k+n-1)%n], cycle[(k+1)%n]
		if headingOf(prev, v) != headingOf(v, next) {
			out = append(out, v)
		}
	}
	return out
}
