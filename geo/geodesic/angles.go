package geodesic

import "math"

// Small angle and arithmetic helpers. Angles in degrees are reduced exactly
// (by math.Remainder / math.Mod, which are exact for float64) before any
// conversion to radians, so that e.g. sin(180°) is exactly 0 and the
// quadrant of an angle is never misjudged because of rounding in π.

const (
	deg2rad = math.Pi / 180
	rad2deg = 180 / math.Pi
)

func sq(x float64) float64 { return x * x }

// twoSum returns the rounded sum s = fl(u+v) together with the exact
// rounding error t, so that s + t == u + v holds exactly (Knuth's TwoSum).
func twoSum(u, v float64) (s, t float64) {
	s = u + v
	uu := s - v
	vv := s - uu
	uu -= u
	vv -= v
	t = -(uu + vv)
	return s, t
}

// normalize scales the pair (x, y) to unit length. It is used to keep
// (sin, cos) pairs on the unit circle.
//
// The norm is computed as √(x² + y²), which is within about one ulp, rather
// than with math.Hypot, whose scaling costs accuracy: the inverse solver
// needs sin β1 <= sin β2 whenever lat1 <= lat2, even for latitudes one ulp
// apart, and math.Hypot can reverse such pairs. math.Hypot remains the
// fallback when the squares underflow or overflow.
func normalize(x, y float64) (float64, float64) {
	r := math.Sqrt(x*x + y*y)
	if r < 0x1p-500 || r > 0x1p500 {
		r = math.Hypot(x, y)
	}
	return x / r, y / r
}

// roundTiny coarsens angles whose magnitude is below 1/16 so that they are
// integer multiples of 2^-57. Tiny but non-zero inputs (e.g. 1e-300) would
// otherwise produce underflowing intermediate quantities; this perturbs the
// angle by at most ~1e-17 degrees.
func roundTiny(x float64) float64 {
	const z = 1.0 / 16
	y := math.Abs(x)
	if y < z {
		// Forcing the subtraction through a value of magnitude z drops the
		// low-order bits of y. The compiler does not reassociate floats.
		y = z - (z - y)
	}
	return math.Copysign(y, x)
}

// normDeg reduces an angle in degrees to the range [-180, 180]; the value
// ±180 keeps the sign of x.
func normDeg(x float64) float64 {
	y := math.Remainder(x, 360)
	if math.Abs(y) == 180 {
		y = math.Copysign(180, x)
	}
	return y
}

// checkLat returns x, or NaN if x is not a valid latitude.
func checkLat(x float64) float64 {
	if math.Abs(x) > 90 {
		return math.NaN()
	}
	return x
}

// diffDeg returns the difference y - x reduced to [-180, 180] as an
// unevaluated sum d + e, where d is the rounded difference and e its
// (tiny) rounding error. Doing the reduction before the subtraction keeps
// the difference exact even for large or unreduced longitudes. When d is 0
// or ±180 its sign is chosen so that d + e lies in [-180, 180] and so that
// it reflects the direction from x to y.
func diffDeg(x, y float64) (d, e float64) {
	d, e = twoSum(math.Remainder(-x, 360), math.Remainder(y, 360))
	d, e = twoSum(math.Remainder(d, 360), e)
	if d == 0 || math.Abs(d) == 180 {
		sg := y - x
		if e != 0 {
			sg = -e
		}
		d = math.Copysign(d, sg)
	}
	return d, e
}

// sincosd returns the sine and cosine of an angle in degrees. The angle is
// first reduced to [-45, 45] plus a multiple of 90 degrees, exactly, so
// results at multiples of 90° are exact.
func sincosd(x float64) (s, c float64) {
	r := math.Mod(x, 360) // exact, in (-360, 360)
	q := math.Round(r / 90)
	r -= 90 * q // exact, in [-45, 45]
	s, c = math.Sincos(r * deg2rad)
	switch int(q) & 3 { // two's complement: -1 -> 3, -2 -> 2, ...
	case 1:
		s, c = c, -s
	case 2:
		s, c = -s, -c
	case 3:
		s, c = -c, s
	}
	// Turn -0 into +0, except that sin(-0) stays -0.
	c += 0
	if x == 0 {
		s = x
	} else {
		s += 0
	}
	return s, c
}

// atan2d is math.Atan2 returning degrees. The arguments are first swapped
// and reflected into the octant |y| <= x, so that results such as 45°, 90°
// and 180° come out exact.
func atan2d(y, x float64) float64 {
	octant := 0
	if math.Abs(y) > math.Abs(x) {
		x, y = y, x
		octant = 2
	}
	if math.Signbit(x) {
		x = -x
		octant++
	}
	ang := math.Atan2(y, x) * rad2deg // in [-45, 45]
	switch octant {
	case 1:
		ang = math.Copysign(180, y) - ang
	case 2:
		ang = 90 - ang
	case 3:
		ang = -90 + ang
	}
	return ang
}
