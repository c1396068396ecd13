package zones

import (
	"sort"

	"github.com/paulmach/orb"
)

// Frontline returns the cell edges where a cell labelled a meets a cell
// labelled b across a side (corner contacts do not count), joined into the
// longest possible polylines: a line runs through every vertex where exactly
// two of these edges meet and ends wherever one, three or four do. A line
// with no ends is closed (first == last). Every line keeps a on its left, and
// collinear vertices are removed. It returns nil when a and b never touch,
// are equal or either is negative.
func Frontline(g Grid, a, b int) orb.MultiLineString {
	if a < 0 || b < 0 || a == b {
		return nil
	}
	var segs []segment
	g.eachContact(func(s segment, left, right int) {
		switch {
		case left == a && right == b:
			segs = append(segs, s)
		case left == b && right == a:
			segs = append(segs, s.reverse())
		}
	})
	return g.join(segs)
}

// Frontlines returns the frontline of every pair of labels that touch,
// keyed by the pair in ascending order. Each line keeps the smaller label on
// its left, as Frontline(g, key[0], key[1]) does.
func Frontlines(g Grid) map[[2]int]orb.MultiLineString {
	segs := make(map[[2]int][]segment)
	g.eachContact(func(s segment, left, right int) {
		if left < 0 || right < 0 {
			return
		}
		if left > right {
			left, right, s = right, left, s.reverse()
		}
		key := [2]int{left, right}
		segs[key] = append(segs[key], s)
	})
	out := make(map[[2]int]orb.MultiLineString, len(segs))
	for key, s := range segs {
		out[key] = g.join(s)
	}
	return out
}

// segment is the unit edge leaving from in direction d.
type segment struct {
	from vertex
	d    direction
}

func (s segment) to() vertex { return s.d.step(s.from) }

func (s segment) reverse() segment { return segment{s.to(), (s.d + 2) % 4} }

// eachContact calls fn, in row-major order, for every interior cell side
// whose two cells carry different labels, with the side directed so that
// the cell labelled left lies on its left.
func (g Grid) eachContact(fn func(s segment, left, right int)) {
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			here := g.At(c, r)
			if c+1 < g.Cols {
				if east := g.At(c+1, r); east != here {
					fn(segment{vertex{c + 1, r}, north}, here, east)
				}
			}
			if r+1 < g.Rows {
				if above := g.At(c, r+1); above != here {
					fn(segment{vertex{c, r + 1}, east}, above, here)
				}
			}
		}
	}
}

// join chains segments into polylines through every vertex of degree two.
// Orientation is preserved: at a degree-two vertex the same two labels face
// each other on both edges, so consecutive segments always agree.
func (g Grid) join(segs []segment) orb.MultiLineString {
	if len(segs) == 0 {
		return nil
	}
	adj := make(map[vertex][]int)
	for k, s := range segs {
		adj[s.from] = append(adj[s.from], k)
		adj[s.to()] = append(adj[s.to()], k)
	}
	var nodes []vertex
	for v, e := range adj {
		if len(e) != 2 {
			nodes = append(nodes, v)
		}
	}
	sort.Slice(nodes, func(x, y int) bool { return lowerLeft(nodes[x], nodes[y]) })

	used := make([]bool, len(segs))
	var out orb.MultiLineString
	for _, v := range nodes {
		for _, k := range adj[v] {
			if !used[k] {
				out = append(out, g.line(walkChain(segs, adj, used, v, k), false))
			}
		}
	}
	// What is left consists of loops through degree-two vertices only.
	for k, s := range segs {
		if !used[k] {
			out = append(out, g.line(walkChain(segs, adj, used, s.from, k), true))
		}
	}
	return out
}

// walkChain follows unused segments from start, beginning with segment k,
// until it reaches a vertex whose degree is not two or runs out of unused
// segments. The path is returned in the direction of the segments.
func walkChain(segs []segment, adj map[vertex][]int, used []bool, start vertex, k int) []vertex {
	path := []vertex{start}
	v, first := start, k
	for k >= 0 {
		used[k] = true
		if s := segs[k]; s.from == v {
			v = s.to()
		} else {
			v = s.from
		}
		path = append(path, v)
		next := -1
		if len(adj[v]) == 2 {
			for _, e := range adj[v] {
				if !used[e] {
					next = e
				}
			}
		}
		k = next
	}
	if segs[first].from != start {
		for x, y := 0, len(path)-1; x < y; x, y = x+1, y-1 {
			path[x], path[y] = path[y], path[x]
		}
	}
	return path
}

// line converts a vertex path to lon/lat without collinear vertices. A
// loop's start vertex may itself be collinear, so loops are re-rooted at
// their lowest, then leftmost corner.
func (g Grid) line(path []vertex, loop bool) orb.LineString {
	if loop {
		return orb.LineString(g.ring(mergeCollinear(path[:len(path)-1])))
	}
	kept := []vertex{path[0]}
	for k := 1; k < len(path)-1; k++ {
		if headingOf(path[k-1], path[k]) != headingOf(path[k], path[k+1]) {
			kept = append(kept, path[k])
		}
	}
	kept = append(kept, path[len(path)-1])
	ls := make(orb.LineString, len(kept))
	for k, v := range kept {
		ls[k] = g.point(v)
	}
	return ls
}

// lowerLeft orders vertices by row, then column.
func lowerLeft(a, b vertex) bool { return a.j < b.j || (a.j == b.j && a.i < b.i) }
