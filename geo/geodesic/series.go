package geodesic

// Series expansions from Karney (2013), "Algorithms for geodesics",
// J. Geodesy 87:43–55, truncated at sixth order in the small parameters.
//
// The geodesic is mapped onto an auxiliary sphere with arc length σ
// measured from the northward equator crossing (the "node"). With
// k² = e'² cos²α0 and the expansion parameter
//
//	ε = (√(1+k²) − 1) / (√(1+k²) + 1)
//
// the three integrals needed are
//
//	I1(σ) = ∫ √(1 + k² sin²σ) dσ           = A1 (σ + Σ C1l sin 2lσ)   distance s/b
//	I2(σ) = ∫ 1/√(1 + k² sin²σ) dσ         = A2 (σ + Σ C2l sin 2lσ)   (reduced length)
//	I3(σ) = ∫ (2−f)/(1 + (1−f)√(1+k²sin²σ)) dσ = A3 (σ + Σ C3l sin 2lσ)  longitude
//
// and the reversion of the first, σ = τ + Σ C1'l sin 2lτ with τ = s/(b A1).
// A1, A2, C1, C1', C2 depend on ε alone; A3 and C3 also depend on the third
// flattening n, so their n-dependence is folded in once per ellipsoid (see
// NewEllipsoid) leaving polynomials in ε.
//
// All coefficient tables below were checked against numerical quadrature of
// the integrals (see series_test.go).

// order is the number of terms kept in the ε-series (C1, C1', C2).
const order = 6

// order3 is the number of terms kept in the A3/C3 series.
const order3 = order - 1

// a1m1 returns A1 − 1, where A1 = (1 + ε²/4 + ε⁴/64 + ε⁶/256) / (1 − ε).
func a1m1(eps float64) float64 {
	e2 := eps * eps
	t := e2 * (1.0/4 + e2*(1.0/64+e2*(1.0/256)))
	return (t + eps) / (1 - eps)
}

// a2m1 returns A2 − 1, where A2 = (1 − ε)(1 + ε²/4 + 9ε⁴/64 + 25ε⁶/256).
func a2m1(eps float64) float64 {
	e2 := eps * eps
	t := e2 * (1.0/4 + e2*(9.0/64+e2*(25.0/256)))
	return t*(1-eps) - eps
}

// c1Coeffs sets c[l-1] = C1l(ε) for l = 1..6.
func c1Coeffs(eps float64, c *[order]float64) {
	e2 := eps * eps
	p := eps
	c[0] = p * (-1.0/2 + e2*(3.0/16+e2*(-1.0/32)))
	p *= eps
	c[1] = p * (-1.0/16 + e2*(1.0/32+e2*(-9.0/2048)))
	p *= eps
	c[2] = p * (-1.0/48 + e2*(3.0/256))
	p *= eps
	c[3] = p * (-5.0/512 + e2*(3.0/512))
	p *= eps
	c[4] = p * (-7.0 / 1280)
	p *= eps
	c[5] = p * (-7.0 / 2048)
}

// c1pCoeffs sets c[l-1] = C1'l(ε) for l = 1..6: the coefficients of the
// series that inverts τ = σ + Σ C1l sin 2lσ.
func c1pCoeffs(eps float64, c *[order]float64) {
	e2 := eps * eps
	p := eps
	c[0] = p * (1.0/2 + e2*(-9.0/32+e2*(205.0/1536)))
	p *= eps
	c[1] = p * (5.0/16 + e2*(-37.0/96+e2*(1335.0/4096)))
	p *= eps
	c[2] = p * (29.0/96 + e2*(-75.0/128))
	p *= eps
	c[3] = p * (539.0/1536 + e2*(-2391.0/2560))
	p *= eps
	c[4] = p * (3467.0 / 7680)
	p *= eps
	c[5] = p * (38081.0 / 61440)
}

// c2Coeffs sets c[l-1] = C2l(ε) for l = 1..6.
func c2Coeffs(eps float64, c *[order]float64) {
	e2 := eps * eps
	p := eps
	c[0] = p * (1.0/2 + e2*(1.0/16+e2*(1.0/32)))
	p *= eps
	c[1] = p * (3.0/16 + e2*(1.0/32+e2*(35.0/2048)))
	p *= eps
	c[2] = p * (5.0/48 + e2*(5.0/256))
	p *= eps
	c[3] = p * (35.0/512 + e2*(7.0/512))
	p *= eps
	c[4] = p * (63.0 / 1280)
	p *= eps
	c[5] = p * (77.0 / 2048)
}

// a3Poly returns the coefficients (of ε⁰..ε⁵) of A3 for third flattening n:
//
//	A3 = 1 − (1/2 − n/2) ε − (1/4 + n/8 − 3n²/8) ε² − (1/16 + 3n/16 + n²/16) ε³
//	     − (3/64 + n/32) ε⁴ − 3/128 ε⁵
func a3Poly(n float64) [order]float64 {
	return [order]float64{
		1,
		-(1.0/2 - n/2),
		-(1.0/4 + n*(1.0/8+n*(-3.0/8))),
		-(1.0/16 + n*(3.0/16+n*(1.0/16))),
		-(3.0/64 + n*(1.0/32)),
		-3.0 / 128,
	}
}

// c3Poly returns, for third flattening n, the polynomial coefficients of
// C3l, l = 1..5: C3l(ε) = ε^l Σ_j p[l-1][j] ε^j. Unused trailing entries are
// zero.
func c3Poly(n float64) [order3][order3]float64 {
	var p [order3][order3]float64
	// C31
	p[0][0] = 1.0/4 - n/4
	p[0][1] = 1.0/8 - n*n/8
	p[0][2] = 3.0/64 + n*(3.0/64+n*(-1.0/64))
	p[0][3] = 5.0/128 + n/64
	p[0][4] = 3.0 / 128
	// C32
	p[1][0] = 1.0/16 + n*(-3.0/32+n*(1.0/32))
	p[1][1] = 3.0/64 + n*(-1.0/32+n*(-3.0/64))
	p[1][2] = 3.0/128 + n/128
	p[1][3] = 5.0 / 256
	// C33
	p[2][0] = 5.0/192 + n*(-3.0/64+n*(5.0/192))
	p[2][1] = 3.0/128 - n*(5.0/192)
	p[2][2] = 7.0 / 512
	// C34
	p[3][0] = 7.0/512 - n*(7.0/256)
	p[3][1] = 7.0 / 512
	// C35
	p[4][0] = 21.0 / 2560
	return p
}

// a3 evaluates A3(ε) for this ellipsoid.
func (e *Ellipsoid) a3(eps float64) float64 {
	c := &e.a3c
	return c[0] + eps*(c[1]+eps*(c[2]+eps*(c[3]+eps*(c[4]+eps*c[5]))))
}

// c3Coeffs sets c[l-1] = C3l(ε) for l = 1..5 for this ellipsoid.
func (e *Ellipsoid) c3Coeffs(eps float64, c *[order3]float64) {
	p := 1.0
	for l := 0; l < order3; l++ {
		p *= eps
		row := &e.c3c[l]
		// Horner over the non-zero part of the row (order3-l terms).
		v := 0.0
		for j := order3 - 1 - l; j >= 0; j-- {
			v = v*eps + row[j]
		}
		c[l] = p * v
	}
}

// sinSeries returns Σ_{l=1}^{len(c)} c[l-1] sin(2lσ) given sinσ and cosσ,
// using Clenshaw summation so only one sine and cosine are needed.
func sinSeries(sinx, cosx float64, c []float64) float64 {
	// Recurrence for sin(2lσ): y_l = c_l + 2cos(2σ) y_{l+1} − y_{l+2};
	// the sum is then y_1 sin(2σ).
	ar := 2 * (cosx - sinx) * (cosx + sinx) // 2 cos 2σ
	var y0, y1 float64
	for l := len(c) - 1; l >= 0; l-- {
		y0, y1 = c[l]+ar*y0-y1, y0
	}
	return 2 * sinx * cosx * y0
}
