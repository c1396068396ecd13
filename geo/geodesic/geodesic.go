// Package geodesic solves the direct and inverse geodesic problems on an
// ellipsoid of revolution (by default WGS84) following C. F. F. Karney,
// "Algorithms for geodesics", J. Geodesy 87, 43–55 (2013).
//
// The direct problem (start point, azimuth, distance → end point) is solved
// with series expansions to sixth order in the flattening. The inverse
// problem (two points → distance and azimuths) starts from a spherical or,
// for nearly antipodal points, an astroid-based first guess and refines the
// starting azimuth by Newton's method, safeguarded by bisection, so it
// converges for every pair of points, including (nearly) antipodal ones.
// For the Earth the truncation error of the series is about 15 nanometres
// (Karney 2013), i.e. the results are exact for all practical purposes.
//
// Invalid latitudes (|lat| > 90) and NaN inputs produce NaN results.
//
// Conventions: latitudes and longitudes are in degrees (latitudes must lie
// in [-90, 90]; longitudes may be any finite value), azimuths are in degrees
// clockwise from north, and distances are in metres. The azimuth at the
// second point is the forward azimuth, i.e. the direction of travel there.
//
// The zero Ellipsoid is not usable; obtain one from WGS84 or NewEllipsoid.
// Ellipsoid values are immutable and safe for concurrent use.
package geodesic

import "math"

// Numerical thresholds used by the solvers.
const (
	epsilon = 0x1p-52 // float64 machine epsilon
	tol0    = epsilon
	tol1    = 200 * tol0
	tolb    = tol0 // bracket width at which bisection stops
	maxit1  = 20   // Newton iterations before bracketing is trusted
	maxit2  = maxit1 + 53 + 10
	tiny    = 0x1p-511 // square root of the smallest normal float64
	tol2    = 0x1p-26  // square root of tol0
	xthresh = 1000 * tol2
)

// Ellipsoid is an ellipsoid of revolution together with the quantities that
// the geodesic algorithms precompute from it. Create one with WGS84 or
// NewEllipsoid; the zero value is not usable.
type Ellipsoid struct {
	a     float64 // equatorial radius, metres
	f     float64 // flattening
	f1    float64 // 1 − f
	e2    float64 // first eccentricity squared, f(2 − f)
	ep2   float64 // second eccentricity squared, e²/(1 − e²)
	n     float64 // third flattening, f/(2 − f)
	b     float64 // polar semi-axis, a(1 − f)
	etol2 float64 // threshold for the short-line shortcut in the inverse

	a3c [order]float64          // A3 as a polynomial in ε
	c3c [order3][order3]float64 // C3l as polynomials in ε
}

// WGS84 returns the World Geodetic System 1984 ellipsoid
// (a = 6378137 m, f = 1/298.257223563).
func WGS84() Ellipsoid {
	return NewEllipsoid(6378137, 1/298.257223563)
}

// NewEllipsoid returns the ellipsoid with equatorial radius a (metres, > 0)
// and flattening f. f = 0 gives a sphere and f < 0 a prolate ellipsoid. The
// series used are accurate to round-off for |f| <= 1/50; accuracy degrades
// gracefully beyond that.
func NewEllipsoid(a, f float64) Ellipsoid {
	e := Ellipsoid{a: a, f: f}
	e.f1 = 1 - f
	e.e2 = f * (2 - f)
	e.ep2 = e.e2 / sq(e.f1)
	e.n = f / (2 - f)
	e.b = a * e.f1
	// The short-line shortcut (great circle on a sphere of the mean local
	// radius) is used when the angular separation is below etol2, for which
	// its error is below round-off.
	e.etol2 = 0.1 * tol2 / math.Sqrt(math.Max(0.001, math.Abs(f))*math.Min(1, 1-f/2)/2)
	e.a3c = a3Poly(e.n)
	e.c3c = c3Poly(e.n)
	return e
}

// epsOf returns the series parameter ε for k² = e'² cos²α0.
func epsOf(k2 float64) float64 {
	return k2 / (2*(1+math.Sqrt(1+k2)) + k2)
}

// Direct solves the direct geodesic problem: starting at (lat1, lon1) and
// heading along azimuth azi1Deg, travel distanceMeters (which may be
// negative, meaning travel backwards) along the geodesic. It returns the
// end point, with lon2 reduced to [-180, 180], and the forward azimuth
// azi2Deg at the end point.
func (e Ellipsoid) Direct(lat1, lon1, azi1Deg, distanceMeters float64) (lat2, lon2, azi2Deg float64) {
	salp1, calp1 := sincosd(roundTiny(azi1Deg))
	l := e.newLine(lat1, salp1, calp1)
	lat2, lon12, azi2Deg := l.position(&e, distanceMeters)
	lon2 = normDeg(normDeg(lon1) + normDeg(lon12))
	return lat2, lon2, azi2Deg
}

// Inverse solves the inverse geodesic problem: it returns the length in
// metres of the shortest path between (lat1, lon1) and (lat2, lon2), the
// azimuth of the path at the first point and its forward azimuth at the
// second point. Azimuths are in [-180, 180]. For coincident points the
// distance is 0; when the shortest path is not unique (e.g. between the
// poles or exactly antipodal points) one of them is chosen.
func (e Ellipsoid) Inverse(lat1, lon1, lat2, lon2 float64) (distanceMeters, azi1Deg, azi2Deg float64) {
	r := e.inverse(lat1, lon1, lat2, lon2)
	return r.s12, atan2d(r.salp1, r.calp1), atan2d(r.salp2, r.calp2)
}

// Distance returns the WGS84 geodesic distance in metres between
// (lat1, lon1) and (lat2, lon2), given in degrees.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	e := WGS84()
	r := e.inverse(lat1, lon1, lat2, lon2)
	return r.s12
}

// Destination returns the point reached on the WGS84 ellipsoid by starting
// at (lat, lon), heading along the geodesic with initial azimuth bearingDeg
// (degrees clockwise from north) and travelling meters metres.
func Destination(lat, lon, bearingDeg, meters float64) (lat2, lon2 float64) {
	lat2, lon2, _ = WGS84().Direct(lat, lon, bearingDeg, meters)
	return lat2, lon2
}

// line holds the quantities that depend only on the start of a geodesic,
// so that many points along it can be computed cheaply.
type line struct {
	salp0, calp0 float64 // azimuth at the node (equator crossing)
	k2           float64
	ssig1, csig1 float64 // arc length σ1 from the node to the start
	somg1, comg1 float64 // spherical longitude ω1 from the node
	stau1, ctau1 float64 // τ1 = σ1 + B1(σ1)
	a1m1         float64
	b11          float64 // B1(σ1)
	b31          float64 // B3(σ1)
	a3c          float64 // −f sinα0 A3, the scale of the longitude correction
	c1           [order]float64
	c1p          [order]float64
	c3           [order3]float64
}

// newLine prepares the geodesic leaving latitude lat1 with azimuth given by
// (salp1, calp1) = (sin, cos) of the azimuth.
func (e *Ellipsoid) newLine(lat1, salp1, calp1 float64) line {
	var l line
	sbet1, cbet1 := sincosd(roundTiny(checkLat(lat1)))
	sbet1, cbet1 = normalize(e.f1*sbet1, cbet1) // reduced latitude β1
	cbet1 = math.Max(tiny, cbet1)               // avoid exact 0 at the poles

	// Clairaut: sinα0 = sinα1 cosβ1 is constant along the geodesic.
	l.salp0 = salp1 * cbet1
	l.calp0 = math.Hypot(calp1, salp1*sbet1)

	// On the auxiliary sphere: tanσ1 = tanβ1/cosα1, tanω1 = sinα0 tanσ1.
	l.ssig1 = sbet1
	l.somg1 = l.salp0 * sbet1
	if sbet1 != 0 || calp1 != 0 {
		l.csig1 = cbet1 * calp1
	} else {
		// Starting on the equator heading due east or west: the start is
		// itself a node, so σ1 = 0.
		l.csig1 = 1
	}
	l.comg1 = l.csig1
	l.ssig1, l.csig1 = normalize(l.ssig1, l.csig1)

	l.k2 = sq(l.calp0) * e.ep2
	eps := epsOf(l.k2)

	l.a1m1 = a1m1(eps)
	c1Coeffs(eps, &l.c1)
	c1pCoeffs(eps, &l.c1p)
	l.b11 = sinSeries(l.ssig1, l.csig1, l.c1[:])
	s, c := math.Sincos(l.b11)
	l.stau1 = l.ssig1*c + l.csig1*s
	l.ctau1 = l.csig1*c - l.ssig1*s

	l.a3c = -e.f * l.salp0 * e.a3(eps)
	e.c3Coeffs(eps, &l.c3)
	l.b31 = sinSeries(l.ssig1, l.csig1, l.c3[:])
	return l
}

// position returns the latitude, the longitude difference from the start
// (not reduced: it accumulates 360° per circuit) and the forward azimuth at
// distance s12 metres along the line.
func (l *line) position(e *Ellipsoid, s12 float64) (lat2, lon12, azi2 float64) {
	// Distance → τ → σ: τ12 = s12/(b A1), σ2 = τ2 + B1'(τ2).
	tau12 := s12 / (e.b * (1 + l.a1m1))
	st, ct := math.Sincos(tau12)
	stau2 := l.stau1*ct + l.ctau1*st
	ctau2 := l.ctau1*ct - l.stau1*st
	sig12 := tau12 + l.b11 + sinSeries(stau2, ctau2, l.c1p[:])
	ssig12, csig12 := math.Sincos(sig12)
	ssig2 := l.ssig1*csig12 + l.csig1*ssig12
	csig2 := l.csig1*csig12 - l.ssig1*ssig12

	if math.Abs(e.f) > 0.01 {
		// For strongly flattened ellipsoids the reverted series is not
		// quite accurate enough; polish σ12 with one Newton step on
		// s(σ) = b A1 (σ + B1(σ)), whose derivative is b √(1 + k² sin²σ).
		b12 := sinSeries(ssig2, csig2, l.c1[:])
		serr := (1+l.a1m1)*(sig12+(b12-l.b11)) - s12/e.b
		sig12 -= serr / math.Sqrt(1+l.k2*sq(ssig2))
		ssig12, csig12 = math.Sincos(sig12)
		ssig2 = l.ssig1*csig12 + l.csig1*ssig12
		csig2 = l.csig1*csig12 - l.ssig1*ssig12
	}

	// Back from the auxiliary sphere.
	sbet2 := l.calp0 * ssig2
	cbet2 := math.Hypot(l.salp0, l.calp0*csig2)
	if cbet2 == 0 {
		// End point exactly at a pole: keep the azimuth well defined.
		cbet2 = tiny
		csig2 = tiny
	}
	salp2 := l.salp0
	calp2 := l.calp0 * csig2
	somg2 := l.salp0 * ssig2
	comg2 := csig2

	// ω12, unrolled: ω and σ lie in the same quadrant (ω has the opposite
	// sense when sinα0 < 0), so the whole turns of ω are those of σ.
	E := math.Copysign(1, l.salp0)
	omg12 := E * (sig12 -
		(math.Atan2(ssig2, csig2) - math.Atan2(l.ssig1, l.csig1)) +
		(math.Atan2(E*somg2, comg2) - math.Atan2(E*l.somg1, l.comg1)))
	// λ12 = ω12 − f sinα0 (I3(σ2) − I3(σ1)).
	lam12 := omg12 + l.a3c*(sig12+(sinSeries(ssig2, csig2, l.c3[:])-l.b31))

	lat2 = atan2d(sbet2, e.f1*cbet2)
	lon12 = lam12 * rad2deg
	azi2 = atan2d(salp2, calp2)
	return lat2, lon12, azi2
}
