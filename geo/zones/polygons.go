package zones

import (
	"sort"

	"github.com/paulmach/orb"
)

// Polygons returns, for every label >= 0 in g, the union of its cells as a
// MultiPolygon in lon/lat, oriented per RFC 7946: exterior rings
// counter-clockwise, holes clockwise, every ring closed and free of
// self-intersections, with collinear vertices removed.
//
// Each 4-connected group of cells becomes one polygon, so cells touching
// only at a corner are separate polygons; a hole may share a single corner
// vertex with its exterior ring or another hole. Polygons of a label are
// ordered by their lowest, then leftmost cell. Every ring starts at its
// lowest, then leftmost vertex, and holes are ordered by that vertex.
func Polygons(g Grid) map[int]orb.MultiPolygon {
	if g.Cols <= 0 || g.Rows <= 0 {
		return map[int]orb.MultiPolygon{}
	}
	cells := pad(g)
	comp, compLabel := cells.components()
	polys := make([]orb.Polygon, len(compLabel))
	holes := make([][]orb.Ring, len(compLabel))

	t := newTracer(cells, g.Cols, g.Rows)
	for j := 0; j <= g.Rows; j++ {
		for i := 0; i <= g.Cols; i++ {
			v := vertex{i, j}
			if t.interior(v) {
				continue
			}
			for d := east; d <= south; d++ {
				label, ok := t.edge(v, d)
				if !ok || t.used(v, d) {
					continue
				}
				for _, cycle := range t.split(t.trace(v, d, label)) {
					cell, _ := headingOf(cycle[0], cycle[1]).sides(cycle[0])
					id := comp[cells.index(cell)]
					ring := g.ring(mergeCollinear(cycle))
					if doubledArea(cycle) > 0 {
						polys[id] = orb.Polygon{ring}
					} else {
						holes[id] = append(holes[id], ring)
					}
				}
			}
		}
	}

	out := make(map[int]orb.MultiPolygon)
	for id, p := range polys {
		sort.Slice(holes[id], func(x, y int) bool {
			a, b := holes[id][x][0], holes[id][y][0]
			return a[1] < b[1] || (a[1] == b[1] && a[0] < b[0])
		})
		p = append(p, holes[id]...)
		out[compLabel[id]] = append(out[compLabel[id]], p)
	}
	return out
}

// tracer follows the directed boundary edges of a grid. An edge leaving
// vertex v in direction d belongs to the label of the cell on its left and
// exists when the cell on its right has a different label, so every ring
// keeps its own label's cells on the left: exteriors come out
// counter-clockwise and holes clockwise without any reorientation.
type tracer struct {
	cells padded
	width int     // vertices per row
	seen  []uint8 // per vertex, bit d set once the edge leaving in direction d is traced
	pos   []int32 // per vertex, its index on the split stack, or -1
}

func newTracer(cells padded, cols, rows int) *tracer {
	n := (cols + 1) * (rows + 1)
	t := &tracer{cells: cells, width: cols + 1, seen: make([]uint8, n), pos: make([]int32, n)}
	for k := range t.pos {
		t.pos[k] = -1
	}
	return t
}

func (t *tracer) index(v vertex) int { return v.j*t.width + v.i }

func (t *tracer) used(v vertex, d direction) bool { return t.seen[t.index(v)]&(1<<d) != 0 }

// interior reports whether the four cells round v share one label, so that
// no boundary edge leaves v; most vertices of a control map are like this.
func (t *tracer) interior(v vertex) bool {
	k := t.cells.index(v)
	w := t.cells.width
	l := t.cells.labels[k]
	return t.cells.labels[k-1] == l && t.cells.labels[k-w] == l && t.cells.labels[k-w-1] == l
}

// edge reports whether a boundary edge leaves v in direction d, and whose.
func (t *tracer) edge(v vertex, d direction) (label int, ok bool) {
	l, r := d.sides(v)
	label = t.cells.at(l)
	return label, label >= 0 && label != t.cells.at(r)
}

// turn picks the edge of label leaving v after arriving heading h. At a
// saddle (two cells of label diagonal to each other, two other cells
// diagonal) two edges of label leave v; turning left keeps to the cell just
// walked past, which is what makes diagonal neighbours disconnected. The
// choice depends only on the grid, so it pairs incoming and outgoing edges
// one to one and every walk returns to its first edge.
func (t *tracer) turn(v vertex, h direction, label int) direction {
	for _, d := range [...]direction{h.left(), h, h.right()} {
		if l, ok := t.edge(v, d); ok && l == label {
			return d
		}
	}
	// In- and out-degree of a label are equal at every vertex.
	panic("zones: boundary edge without successor")
}

// trace walks the boundary of label from the edge leaving v0 in direction
// d0 until it comes back to that edge, and returns the vertices visited.
func (t *tracer) trace(v0 vertex, d0 direction, label int) []vertex {
	var cycle []vertex
	v, d := v0, d0
	for {
		t.seen[t.index(v)] |= 1 << d
		cycle = append(cycle, v)
		v = d.step(v)
		d = t.turn(v, d, label)
		if v == v0 && d == d0 {
			return cycle
		}
	}
}

// split cuts a closed walk into simple cycles at every vertex it visits
// more than once. Left turns at saddles keep diagonal cells apart, but a
// 4-connected region whose hole reaches its outline at a corner still walks
// through that corner twice (once on the outline, once round the hole);
// splitting there yields the outline and the hole as separate rings that
// share one vertex instead of one ring that touches itself.
func (t *tracer) split(walk []vertex) [][]vertex {
	var cycles [][]vertex
	stack := make([]vertex, 0, len(walk))
	for k := 0; k <= len(walk); k++ {
		v := walk[k%len(walk)]
		if p := t.pos[t.index(v)]; p >= 0 {
			cycle := append([]vertex(nil), stack[p:]...)
			for _, u := range cycle {
				t.pos[t.index(u)] = -1
			}
			cycles = append(cycles, cycle)
			stack = stack[:p]
		}
		t.pos[t.index(v)] = int32(len(stack))
		stack = append(stack, v)
	}
	t.pos[t.index(walk[0])] = -1
	return cycles
}

// doubledArea is twice the signed shoelace area of a vertex cycle, exact in
// integers: positive for counter-clockwise cycles.
func doubledArea(cycle []vertex) int {
	a := 0
	for k, v := range cycle {
		w := cycle[(k+1)%len(cycle)]
		a += v.i*w.j - w.i*v.j
	}
	return a
}

// ring converts a vertex cycle to a closed lon/lat ring that starts at the
// lowest, then leftmost vertex.
func (g Grid) ring(cycle []vertex) orb.Ring {
	start := 0
	for k, v := range cycle {
		if lowerLeft(v, cycle[start]) {
			start = k
		}
	}
	r := make(orb.Ring, 0, len(cycle)+1)
	for k := range cycle {
		r = append(r, g.point(cycle[(start+k)%len(cycle)]))
	}
	return append(r, r[0])
}

// padded holds a grid's labels inside a border of unassigned cells, so
// that looking at a neighbour needs no bounds check.
type padded struct {
	width  int
	labels []int
}

func pad(g Grid) padded {
	p := padded{width: g.Cols + 2, labels: make([]int, (g.Cols+2)*(g.Rows+2))}
	for k := range p.labels {
		p.labels[k] = -1
	}
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			p.labels[p.index(vertex{c, r})] = g.At(c, r)
		}
	}
	return p
}

// index returns the position of cell (c.i, c.j) in labels; the border
// cells are at -1 and Cols or Rows.
func (p padded) index(c vertex) int { return (c.j+1)*p.width + c.i + 1 }

func (p padded) at(c vertex) int { return p.labels[p.index(c)] }

// components numbers the 4-connected groups of equally labelled cells in
// row-major order of their first cell. comp holds each cell's group by
// padded index (-1 for unassigned cells) and labels each group's label.
func (p padded) components() (comp []int32, labels []int) {
	comp = make([]int32, len(p.labels))
	for k := range comp {
		comp[k] = -1
	}
	var stack []int
	for start, label := range p.labels {
		if label < 0 || comp[start] >= 0 {
			continue
		}
		id := int32(len(labels))
		labels = append(labels, label)
		comp[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, n := range [...]int{k + 1, k - 1, k + p.width, k - p.width} {
				if p.labels[n] == label && comp[n] < 0 {
					comp[n] = id
					stack = append(stack, n)
				}
			}
		}
	}
	return comp, labels
}
