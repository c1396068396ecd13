package zones

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Errors returned by Valid, wrapped with the polygon and ring at fault.
var (
	ErrEmptyPolygon   = errors.New("zones: polygon has no rings")
	ErrShortRing      = errors.New("zones: ring has fewer than 4 points")
	ErrRingOpen       = errors.New("zones: ring not closed")
	ErrExteriorCW     = errors.New("zones: exterior ring not counter-clockwise")
	ErrHoleCCW        = errors.New("zones: hole not clockwise")
	ErrSelfIntersects = errors.New("zones: ring intersects itself")
	ErrHoleOutside    = errors.New("zones: hole not inside its exterior ring")
)

// RingClosed reports whether r has at least one point and ends where it
// starts.
func RingClosed(r orb.Ring) bool {
	return len(r) > 0 && r[0] == r[len(r)-1]
}

// CounterClockwise reports whether the signed (shoelace) area of r in
// lon/lat is positive. An unclosed ring is read as if closed.
func CounterClockwise(r orb.Ring) bool {
	return signedArea(r) > 0
}

func signedArea(r orb.Ring) float64 {
	a := 0.0
	for k, p := range r {
		q := r[(k+1)%len(r)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a / 2
}

// SelfIntersects reports whether any two non-adjacent segments of r
// intersect or touch, or two adjacent ones overlap beyond their shared
// vertex (a spike). An unclosed ring is read as if closed. A repeated vertex
// counts as touching, so rings pinched at a point are rejected.
func SelfIntersects(r orb.Ring) bool {
	pts := r
	if !RingClosed(r) {
		pts = append(append(orb.Ring(nil), r...), r[0:1]...)
	}
	n := len(pts) - 1 // segments
	for x := 0; x < n; x++ {
		for y := x + 1; y < n; y++ {
			a, b, c, d := pts[x], pts[x+1], pts[y], pts[y+1]
			switch {
			case y == x+1:
				if backtracks(a, b, d) {
					return true
				}
			case x == 0 && y == n-1:
				if backtracks(c, a, b) {
					return true
				}
			default:
				if segmentsTouch(a, b, c, d) {
					return true
				}
			}
		}
	}
	return false
}

// backtracks reports whether the path a→b→c doubles back on itself.
func backtracks(a, b, c orb.Point) bool {
	if cross(a, b, c) != 0 {
		return false
	}
	return (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) < 0
}

// cross is the z component of (b-a)×(c-a): positive when c is left of a→b.
func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p, known to be collinear with a and b, lies
// within their bounding box.
func onSegment(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// segmentsTouch reports whether closed segments ab and cd share a point.
func segmentsTouch(a, b, c, d orb.Point) bool {
	d1, d2 := sign(cross(a, b, c)), sign(cross(a, b, d))
	d3, d4 := sign(cross(c, d, a)), sign(cross(c, d, b))
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return (d1 == 0 && onSegment(a, b, c)) || (d2 == 0 && onSegment(a, b, d)) ||
		(d3 == 0 && onSegment(c, d, a)) || (d4 == 0 && onSegment(c, d, b))
}

// segmentsCross reports whether ab and cd cross at a single point interior
// to both.
func segmentsCross(a, b, c, d orb.Point) bool {
	return sign(cross(a, b, c))*sign(cross(a, b, d)) < 0 &&
		sign(cross(c, d, a))*sign(cross(c, d, b)) < 0
}

// Valid checks that every polygon of mp has closed rings of at least four
// points, a counter-clockwise exterior, clockwise holes, no ring that
// intersects itself, and holes inside their exterior ring (touching it is
// allowed). It returns the first problem found.
func Valid(mp orb.MultiPolygon) error {
	for pi, p := range mp {
		if len(p) == 0 {
			return fmt.Errorf("polygon %d: %w", pi, ErrEmptyPolygon)
		}
		for ri, r := range p {
			if err := validRing(r, ri == 0); err != nil {
				return fmt.Errorf("polygon %d ring %d: %w", pi, ri, err)
			}
			if ri > 0 && !within(r, p[0]) {
				return fmt.Errorf("polygon %d ring %d: %w", pi, ri, ErrHoleOutside)
			}
		}
	}
	return nil
}

func validRing(r orb.Ring, exterior bool) error {
	switch {
	case len(r) < 4:
		return ErrShortRing
	case !RingClosed(r):
		return ErrRingOpen
	case exterior && !CounterClockwise(r):
		return ErrExteriorCW
	case !exterior && signedArea(r) >= 0:
		return ErrHoleCCW
	case SelfIntersects(r):
		return ErrSelfIntersects
	}
	return nil
}

// within reports whether hole lies inside or on ext: no vertex or segment
// midpoint of hole is outside ext and no segments of the two cross.
func within(hole, ext orb.Ring) bool {
	for k := 0; k+1 < len(hole); k++ {
		a, b := hole[k], hole[k+1]
		mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		if !covers(ext, a) || !covers(ext, mid) {
			return false
		}
		for m := 0; m+1 < len(ext); m++ {
			if segmentsCross(a, b, ext[m], ext[m+1]) {
				return false
			}
		}
	}
	return true
}

// covers reports whether p is inside the closed ring r or on its boundary.
func covers(r orb.Ring, p orb.Point) bool {
	inside := false
	for k := 0; k+1 < len(r); k++ {
		a, b := r[k], r[k+1]
		if cross(a, b, p) == 0 && onSegment(a, b, p) {
			return true
		}
		if (a[1] > p[1]) != (b[1] > p[1]) &&
			p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			inside = !inside
		}
	}
	return inside
}
