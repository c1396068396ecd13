package geodesic

import "math"

// inverseResult is the raw output of the inverse solver: the distance and
// the azimuths at both ends as (sin, cos) pairs, in the caller's frame.
type inverseResult struct {
	s12          float64
	salp1, calp1 float64
	salp2, calp2 float64
}

// inverse solves the inverse problem. The points are first brought into a
// canonical configuration
//
//	lat1 <= 0,  lat1 <= lat2 <= -lat1,  0 <= lon12 <= 180
//
// by swapping them and reflecting in the equator and the prime meridian;
// the symmetries are undone on the azimuths at the end.
func (e *Ellipsoid) inverse(lat1, lon1, lat2, lon2 float64) inverseResult {
	// Longitude difference, carried both as lon12 and as its supplement
	// lon12s = 180 − lon12 computed from the exact difference, which keeps
	// full precision when lon12 is near 180.
	lon12, lon12s := diffDeg(lon1, lon2)
	lonsign := 1.0
	if math.Signbit(lon12) {
		lonsign = -1
	}
	lon12 = lonsign * roundTiny(lon12)
	lon12s = roundTiny((180 - lon12) - lonsign*lon12s)
	lam12 := lon12 * deg2rad
	var slam12, clam12 float64
	if lon12 > 90 {
		slam12, clam12 = sincosd(lon12s)
		clam12 = -clam12
	} else {
		slam12, clam12 = sincosd(lon12)
	}

	lat1 = roundTiny(checkLat(lat1))
	lat2 = roundTiny(checkLat(lat2))
	if math.IsNaN(lat1) || math.IsNaN(lat2) || math.IsNaN(lon12) {
		// Invalid latitude, or a NaN or infinite longitude.
		nan := math.NaN()
		return inverseResult{nan, nan, nan, nan, nan}
	}
	// Make |lat1| >= |lat2|.
	swapp := 1.0
	if math.Abs(lat1) < math.Abs(lat2) {
		swapp = -1
		lonsign = -lonsign
		lat1, lat2 = lat2, lat1
	}
	// Make lat1 <= 0.
	latsign := -1.0
	if math.Signbit(lat1) {
		latsign = 1
	}
	lat1 *= latsign
	lat2 *= latsign

	// Reduced latitudes β.
	sbet1, cbet1 := sincosd(lat1)
	sbet1, cbet1 = normalize(e.f1*sbet1, cbet1)
	cbet1 = math.Max(tiny, cbet1)
	sbet2, cbet2 := sincosd(lat2)
	sbet2, cbet2 = normalize(e.f1*sbet2, cbet2)
	cbet2 = math.Max(tiny, cbet2)

	// When |β1| == |β2| the two may differ in the last bit after the
	// normalisations above; make them agree exactly, since several tests
	// below rely on that symmetry.
	if cbet1 < -sbet1 {
		if cbet2 == cbet1 {
			sbet2 = math.Copysign(sbet1, sbet2)
		}
	} else if math.Abs(sbet2) == -sbet1 {
		cbet2 = cbet1
	}

	dn1 := math.Sqrt(1 + e.ep2*sq(sbet1))
	dn2 := math.Sqrt(1 + e.ep2*sq(sbet2))

	var (
		s12x, m12x   float64
		sig12        float64
		salp1, calp1 float64
		salp2, calp2 float64
	)

	meridian := lat1 == -90 || slam12 == 0
	if meridian {
		// Along a meridian: leave point 1 heading towards the longitude of
		// point 2 (north if lon12 = 0, south over the pole if 180); arrive
		// at point 2 heading north.
		calp1, salp1 = clam12, slam12
		calp2, salp2 = 1, 0
		ssig1, csig1 := sbet1, calp1*cbet1
		ssig2, csig2 := sbet2, calp2*cbet2
		sig12 = math.Atan2(math.Max(0, csig1*ssig2-ssig1*csig2), csig1*csig2+ssig1*ssig2)
		s12x, m12x, _ = e.lengths(e.n, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2)
		// The meridian is the shortest path unless it runs past the
		// conjugate point (m12 < 0), which can only happen for long arcs
		// on prolate ellipsoids.
		if sig12 < 1 || m12x >= 0 {
			if sig12 < 3*tiny || (sig12 < tol0 && (s12x < 0 || m12x < 0)) {
				// Coincident points: avoid a tiny negative distance.
				sig12, m12x, s12x = 0, 0, 0
			}
			s12x *= e.b
		} else {
			meridian = false
		}
	}

	switch {
	case meridian:
		// Done above.
	case sbet1 == 0 && (e.f <= 0 || lon12s >= e.f*180):
		// Both points on the equator, close enough in longitude that the
		// equator itself is the shortest path.
		calp1, calp2 = 0, 0
		salp1, salp2 = 1, 1
		s12x = e.a * lam12
	default:
		var dnm float64
		sig12, salp1, calp1, salp2, calp2, dnm = e.inverseStart(
			sbet1, cbet1, dn1, sbet2, cbet2, dn2, lam12, slam12, clam12)
		if sig12 >= 0 {
			// Short line: the first guess is already exact to round-off.
			s12x = sig12 * e.b * dnm
		} else {
			s12x, salp1, calp1, salp2, calp2 = e.solveAzimuth(
				sbet1, cbet1, dn1, sbet2, cbet2, dn2, salp1, calp1, slam12, clam12)
		}
	}

	var r inverseResult
	r.s12 = 0 + s12x // turn -0 into +0

	// Undo the canonicalisation.
	if swapp < 0 {
		salp1, salp2 = salp2, salp1
		calp1, calp2 = calp2, calp1
	}
	r.salp1 = salp1 * swapp * lonsign
	r.calp1 = calp1 * swapp * latsign
	r.salp2 = salp2 * swapp * lonsign
	r.calp2 = calp2 * swapp * latsign
	return r
}

// solveAzimuth finds the azimuth α1 at point 1 for which the geodesic
// reaches the longitude of point 2, by Newton's method on λ12(α1) with a
// bisection safeguard, and returns the distance (metres) and the azimuths.
func (e *Ellipsoid) solveAzimuth(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
	salp1, calp1, slam12, clam12 float64) (s12, salp1o, calp1o, salp2, calp2 float64) {
	// Bracket [α1a, α1b] for the root, initially (0, 180).
	salp1a, calp1a := tiny, 1.0
	salp1b, calp1b := tiny, -1.0
	tripn, tripb := false, false
	var st lambdaState
	for numit := 0; ; numit++ {
		v, dv := e.lambda12(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
			salp1, calp1, slam12, clam12, numit < maxit1, &st)
		tol := tol0
		if tripn {
			tol *= 8
		}
		// !(|v| >= tol) also stops on NaN.
		if tripb || !(math.Abs(v) >= tol) || numit == maxit2 {
			break
		}
		// λ12 increases with α1: keep the bracket up to date.
		if v > 0 && (numit > maxit1 || calp1/salp1 > calp1b/salp1b) {
			salp1b, calp1b = salp1, calp1
		} else if v < 0 && (numit > maxit1 || calp1/salp1 < calp1a/salp1a) {
			salp1a, calp1a = salp1, calp1
		}
		if numit < maxit1 && dv > 0 {
			dalp1 := -v / dv
			if math.Abs(dalp1) < math.Pi {
				sd, cd := math.Sincos(dalp1)
				nsalp1 := salp1*cd + calp1*sd
				if nsalp1 > 0 { // stay within (0, 180)
					calp1 = calp1*cd - salp1*sd
					salp1 = nsalp1
					salp1, calp1 = normalize(salp1, calp1)
					// Once |v| is tiny, round-off may keep it from getting
					// below tol0; accept a slightly larger residual.
					tripn = math.Abs(v) <= 16*tol0
					continue
				}
			}
		}
		// Newton failed or is not trusted: bisect the bracket. The sums of
		// unit vectors bisect the angle.
		salp1 = (salp1a + salp1b) / 2
		calp1 = (calp1a + calp1b) / 2
		salp1, calp1 = normalize(salp1, calp1)
		tripn = false
		tripb = math.Abs(salp1a-salp1)+(calp1a-calp1) < tolb ||
			math.Abs(salp1-salp1b)+(calp1-calp1b) < tolb
	}
	s12b, _, _ := e.lengths(st.eps, st.sig12, st.ssig1, st.csig1, dn1, st.ssig2, st.csig2, dn2)
	return s12b * e.b, salp1, calp1, st.salp2, st.calp2
}

// lambdaState carries the by-products of lambda12 that the caller needs
// once the iteration has converged.
type lambdaState struct {
	salp2, calp2 float64
	sig12        float64
	ssig1, csig1 float64
	ssig2, csig2 float64
	eps          float64
}

// lambda12 follows the geodesic leaving point 1 with azimuth α1 =
// atan2(salp1, calp1) up to the latitude of point 2 and returns the
// mismatch v = λ12(α1) − λ12(target) in radians and, if diffp, dv/dα1.
func (e *Ellipsoid) lambda12(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
	salp1, calp1, slam120, clam120 float64, diffp bool, st *lambdaState) (v, dv float64) {
	if sbet1 == 0 && calp1 == 0 {
		// Equatorial start heading due east: nudge the azimuth so that the
		// geodesic is not confused with the equator.
		calp1 = -tiny
	}
	salp0 := salp1 * cbet1 // Clairaut's constant
	calp0 := math.Hypot(calp1, salp1*sbet1)

	ssig1 := sbet1
	somg1 := salp0 * sbet1
	csig1 := calp1 * cbet1
	comg1 := csig1
	ssig1, csig1 = normalize(ssig1, csig1)

	// Azimuth at point 2 from Clairaut's relation; cos α2 is computed in a
	// form that avoids cancellation when β2 is close to ±β1.
	var salp2, calp2 float64
	if cbet2 != cbet1 {
		salp2 = salp0 / cbet2
	} else {
		salp2 = salp1
	}
	if cbet2 != cbet1 || math.Abs(sbet2) != -sbet1 {
		var d float64
		if cbet1 < -sbet1 {
			d = (cbet2 - cbet1) * (cbet1 + cbet2)
		} else {
			d = (sbet1 - sbet2) * (sbet1 + sbet2)
		}
		// The radicand is >= 0 in exact arithmetic; clamp so that a last-
		// bit inversion of |β1| and |β2| cannot produce NaN.
		calp2 = math.Sqrt(math.Max(0, sq(calp1*cbet1)+d)) / cbet2
	} else {
		calp2 = math.Abs(calp1)
	}

	ssig2 := sbet2
	somg2 := salp0 * sbet2
	csig2 := calp2 * cbet2
	comg2 := csig2
	ssig2, csig2 = normalize(ssig2, csig2)

	// σ12 = σ2 − σ1 and ω12 = ω2 − ω1, both in [0, π].
	sig12 := math.Atan2(math.Max(0, csig1*ssig2-ssig1*csig2), csig1*csig2+ssig1*ssig2)
	somg12 := math.Max(0, comg1*somg2-somg1*comg2)
	comg12 := comg1*comg2 + somg1*somg2
	// η = ω12 − λ12(target), evaluated as a single angle difference.
	eta := math.Atan2(somg12*clam120-comg12*slam120, comg12*clam120+somg12*slam120)

	k2 := sq(calp0) * e.ep2
	eps := epsOf(k2)
	var c3 [order3]float64
	e.c3Coeffs(eps, &c3)
	b312 := sinSeries(ssig2, csig2, c3[:]) - sinSeries(ssig1, csig1, c3[:])
	domg12 := -e.f * e.a3(eps) * salp0 * (sig12 + b312)
	v = eta + domg12

	if diffp {
		if calp2 == 0 {
			// Limit of the expression below for a geodesic that touches
			// point 2's parallel at its vertex.
			dv = -2 * e.f1 * dn1 / sbet1
		} else {
			// ∂λ12/∂α1 = m12 / (a cos α2 cos φ2) in the paper's notation.
			_, m12b, _ := e.lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2)
			dv = m12b * e.f1 / (calp2 * cbet2)
		}
	}

	*st = lambdaState{salp2, calp2, sig12, ssig1, csig1, ssig2, csig2, eps}
	return v, dv
}

// lengths returns, in units of b, the distance s12 and reduced length m12
// of the geodesic segment from σ1 to σ2 with parameter ε, together with
// m0 = A1 − A2 (the secular rate of J(σ) = I1(σ) − I2(σ)).
func (e *Ellipsoid) lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2 float64) (s12b, m12b, m0 float64) {
	var c1, c2 [order]float64
	c1Coeffs(eps, &c1)
	c2Coeffs(eps, &c2)
	a1 := a1m1(eps)
	a2 := a2m1(eps)
	m0 = a1 - a2
	a1++
	a2++
	b1 := sinSeries(ssig2, csig2, c1[:]) - sinSeries(ssig1, csig1, c1[:])
	b2 := sinSeries(ssig2, csig2, c2[:]) - sinSeries(ssig1, csig1, c2[:])
	j12 := m0*sig12 + (a1*b1 - a2*b2)
	s12b = a1 * (sig12 + b1)
	// m12 = √(1+k²sin²σ2) cosσ1 sinσ2 − √(1+k²sin²σ1) sinσ1 cosσ2
	//       − cosσ1 cosσ2 (J(σ2) − J(σ1)), with √(1+k²sin²σ) = dn.
	m12b = dn2*(csig1*ssig2) - dn1*(ssig1*csig2) - csig1*csig2*j12
	return s12b, m12b, m0
}

// inverseStart returns a first guess for α1 (and, for short lines, the
// complete solution). If the returned sig12 is >= 0 the problem is solved:
// sig12 is the arc length on a sphere of radius b·dnm and the azimuths are
// final. Otherwise the azimuth is only a starting value for the iteration.
func (e *Ellipsoid) inverseStart(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
	lam12, slam12, clam12 float64) (sig12, salp1, calp1, salp2, calp2, dnm float64) {
	sig12 = -1
	sbet12 := sbet2*cbet1 - cbet2*sbet1  // sin(β2 − β1)
	cbet12 := cbet2*cbet1 + sbet2*sbet1  // cos(β2 − β1)
	sbet12a := sbet2*cbet1 + cbet2*sbet1 // sin(β2 + β1)

	shortline := cbet12 >= 0 && sbet12 < 0.5 && cbet2*lam12 < 0.5
	var somg12, comg12 float64
	if shortline {
		// Treat the ellipsoid locally as a sphere whose radius matches at
		// the mid latitude: longitudes on the auxiliary sphere scale by
		// 1/((1−f) dnm).
		sbetm2 := sq(sbet1 + sbet2)
		sbetm2 /= sbetm2 + sq(cbet1+cbet2)
		dnm = math.Sqrt(1 + e.ep2*sbetm2)
		omg12 := lam12 / (e.f1 * dnm)
		somg12, comg12 = math.Sincos(omg12)
	} else {
		somg12, comg12 = slam12, clam12
	}

	// Great-circle azimuth on the auxiliary sphere, written to avoid
	// cancellation for both small and near-180° ω12.
	salp1 = cbet2 * somg12
	if comg12 >= 0 {
		calp1 = sbet12 + cbet2*sbet1*sq(somg12)/(1+comg12)
	} else {
		calp1 = sbet12a - cbet2*sbet1*sq(somg12)/(1-comg12)
	}
	ssig12 := math.Hypot(salp1, calp1)
	csig12 := sbet1*sbet2 + cbet1*cbet2*comg12

	switch {
	case shortline && ssig12 < e.etol2:
		// Very short line: the spherical solution is accurate to round-off.
		salp2 = cbet1 * somg12
		var t float64
		if comg12 >= 0 {
			t = sq(somg12) / (1 + comg12)
		} else {
			t = 1 - comg12
		}
		calp2 = sbet12 - cbet1*sbet2*t
		salp2, calp2 = normalize(salp2, calp2)
		sig12 = math.Atan2(ssig12, csig12)
	case math.Abs(e.n) > 0.1 || csig12 >= 0 || ssig12 >= 6*math.Abs(e.n)*math.Pi*sq(cbet1):
		// Not nearly antipodal: the spherical guess is good enough.
	default:
		salp1, calp1 = e.antipodalStart(sbet1, cbet1, dn1, sbet2, cbet2, dn2, slam12, clam12, sbet12a)
	}

	if !(salp1 <= 0) {
		salp1, calp1 = normalize(salp1, calp1)
	} else {
		salp1, calp1 = 1, 0
	}
	return sig12, salp1, calp1, salp2, calp2, dnm
}

// antipodalStart returns the starting azimuth for nearly antipodal points.
// Near the antipode the geodesics leaving point 1 form an envelope (an
// astroid, Karney 2013 §7); in scaled coordinates (x, y) of the target
// relative to the antipode the first-order solution reduces to a quartic,
// solved in closed form by astroid.
func (e *Ellipsoid) antipodalStart(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
	slam12, clam12, sbet12a float64) (salp1, calp1 float64) {
	lam12x := math.Atan2(-slam12, -clam12) // λ12 − π
	var x, y, lamscale, betscale float64
	if e.f >= 0 {
		// Oblate: the scales come from the longitude shortfall of a
		// geodesic through the antipode, π f cosβ1 A3.
		k2 := sq(sbet1) * e.ep2
		eps := epsOf(k2)
		lamscale = e.f * cbet1 * e.a3(eps) * math.Pi
		betscale = lamscale * cbet1
		x = lam12x / lamscale
		y = sbet12a / betscale
	} else {
		// Prolate: the roles of x and y swap, and the scales come from a
		// meridian through the pole.
		cbet12a := cbet2*cbet1 - sbet2*sbet1
		bet12a := math.Atan2(sbet12a, cbet12a)
		_, m12b, m0 := e.lengths(e.n, math.Pi+bet12a, sbet1, -cbet1, dn1, sbet2, cbet2, dn2)
		x = -1 + m12b/(cbet1*cbet2*m0*math.Pi)
		if x < -0.01 {
			betscale = sbet12a / x
		} else {
			betscale = -e.f * sq(cbet1) * math.Pi
		}
		lamscale = betscale / cbet1
		y = lam12x / lamscale
	}

	if y > -tol1 && x > -1-xthresh {
		// The target lies on (or extremely close to) the line segment
		// where the astroid degenerates: take the limiting azimuth.
		if e.f >= 0 {
			salp1 = math.Min(1, -x)
			calp1 = -math.Sqrt(1 - sq(salp1))
		} else {
			lo := -1.0
			if x > -tol1 {
				lo = 0
			}
			calp1 = math.Max(lo, x)
			salp1 = math.Sqrt(1 - sq(calp1))
		}
		return salp1, calp1
	}

	k := astroid(x, y)
	var omg12a float64
	if e.f >= 0 {
		omg12a = lamscale * (-x * k / (1 + k))
	} else {
		omg12a = lamscale * (-y * (1 + k) / k)
	}
	somg12, comg12 := math.Sincos(omg12a)
	comg12 = -comg12
	// Great-circle azimuth for the adjusted ω12 (which is near π).
	salp1 = cbet2 * somg12
	calp1 = sbet12a - cbet2*sbet1*sq(somg12)/(1-comg12)
	return salp1, calp1
}

// astroid returns the largest root k of
//
//	k⁴ + 2k³ − (x² + y² − 1)k² − 2y²k − y² = 0,
//
// the equation for the point of tangency with the astroid
// x^(2/3) + y^(2/3) = 1 (Karney 2013, eq. 55). The root is found in closed
// form via the resolvent cubic, arranged to avoid cancellation.
func astroid(x, y float64) float64 {
	p := sq(x)
	q := sq(y)
	r := (p + q - 1) / 6
	if q == 0 && r <= 0 {
		// On the line segment |x| <= 1, y = 0: k = 0.
		return 0
	}
	// u is the relevant root of an auxiliary cubic (Karney 2013, eqs.
	// 56–58), from Cardano's formula when it has one real root and from the
	// trigonometric form when it has three.
	S := p * q / 4
	r2 := sq(r)
	r3 := r * r2
	disc := S * (S + 2*r3)
	u := r
	if disc >= 0 {
		T3 := S + r3
		// Choose the sign of the square root to avoid cancellation.
		if T3 < 0 {
			T3 -= math.Sqrt(disc)
		} else {
			T3 += math.Sqrt(disc)
		}
		T := math.Cbrt(T3)
		u += T
		if T != 0 {
			u += r2 / T
		}
	} else {
		// Three real roots: use the trigonometric form.
		ang := math.Atan2(math.Sqrt(-disc), -(S + r3))
		u += 2 * r * math.Cos(ang/3)
	}
	v := math.Sqrt(sq(u) + q)
	var uv float64 // u + v, computed without cancellation
	if u < 0 {
		uv = q / (v - u)
	} else {
		uv = u + v
	}
	w := (uv - q) / (2 * v)
	// k = uv / (√(uv + w²) + w) is the positive root.
	return uv / (math.Sqrt(uv+sq(w)) + w)
}
