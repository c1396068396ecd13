package geodesic

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"
)

// This file checks every coefficient of the series expansions in series.go
// independently of the literature: the integrals I1, I2, I3 and the
// reversion of I1 are evaluated numerically, for complex values of the
// small parameters on a circle around 0, and the Taylor coefficients are
// extracted with Cauchy's integral formula (the trapezoid rule on the circle,
// which converges geometrically for analytic functions). The truncated
// Taylor polynomials must then coincide with the polynomials in the code.
//
// With ε = (√(1+k²) − 1)/(√(1+k²) + 1) one has
//
//	√(1 + k² sin²σ) = W(σ)/(1 − ε),  W(σ) = √(1 − 2ε cos 2σ + ε²),
//
// which is analytic in ε for |ε| < 1.

// fourierCos returns b[0..L] with g(σ) = b0 + Σ b_l cos 2lσ, for g periodic
// with period π, by the trapezoid rule on N points.
func fourierCos(g func(sigma float64) complex128, L, N int) []complex128 {
	b := make([]complex128, L+1)
	for k := 0; k < N; k++ {
		sig := math.Pi * float64(k) / float64(N)
		v := g(sig)
		b[0] += v
		for l := 1; l <= L; l++ {
			b[l] += 2 * v * complex(math.Cos(2*float64(l)*sig), 0)
		}
	}
	for l := range b {
		b[l] /= complex(float64(N), 0)
	}
	return b
}

func wFunc(eps complex128) func(float64) complex128 {
	return func(sig float64) complex128 {
		return cmplx.Sqrt(1 - 2*eps*complex(math.Cos(2*sig), 0) + eps*eps)
	}
}

// epsSeries holds the exact (numerically integrated) ε-dependent
// quantities for one value of ε.
type epsSeries struct {
	a1Scaled complex128   // (1 − ε) A1 = mean of W
	a2Scaled complex128   // A2 / (1 − ε) = mean of 1/W
	c1       []complex128 // C1l, l = 1..order (index l-1)
	c2       []complex128
	c1p      []complex128
}

func exactEpsSeries(eps complex128) epsSeries {
	const (
		nSig  = 128
		lMany = 56 // terms of C1 kept when building τ(σ) for the reversion
	)
	w := wFunc(eps)
	one := complex(1, 0)
	b1 := fourierCos(func(s float64) complex128 { return w(s) / (one - eps) }, lMany, nSig)
	b2 := fourierCos(func(s float64) complex128 { return (one - eps) / w(s) }, order, nSig)
	var r epsSeries
	r.a1Scaled = b1[0] * (one - eps)
	r.a2Scaled = b2[0] / (one - eps)
	// I = A (σ + Σ C_l sin 2lσ) has integrand A (1 + Σ 2l C_l cos 2lσ).
	c1all := make([]complex128, lMany+1)
	for l := 1; l <= lMany; l++ {
		c1all[l] = b1[l] / (complex(2*float64(l), 0) * b1[0])
	}
	for l := 1; l <= order; l++ {
		r.c1 = append(r.c1, c1all[l])
		r.c2 = append(r.c2, b2[l]/(complex(2*float64(l), 0)*b2[0]))
	}
	// Reversion of τ = σ + Σ C1l sin 2lσ: integrating by parts, the
	// coefficient of sin 2lτ in σ(τ) − τ is (1/(lπ)) ∫_0^π cos(2l τ(σ)) dσ.
	tau := func(sig float64) complex128 {
		t := complex(sig, 0)
		for l := 1; l <= lMany; l++ {
			t += c1all[l] * complex(math.Sin(2*float64(l)*sig), 0)
		}
		return t
	}
	for l := 1; l <= order; l++ {
		var sum complex128
		for k := 0; k < nSig; k++ {
			sum += cmplx.Cos(complex(2*float64(l), 0) * tau(math.Pi*float64(k)/nSig))
		}
		r.c1p = append(r.c1p, sum/complex(float64(l)*nSig, 0))
	}
	return r
}

// taylor1 returns the Taylor coefficients c[0..deg] of F around 0 from
// samples of F on the circle |ε| = rho.
func taylor1(F func(complex128) complex128, rho float64, deg, m int) []float64 {
	c := make([]complex128, deg+1)
	for q := 0; q < m; q++ {
		z := cmplx.Rect(1, 2*math.Pi*float64(q)/float64(m))
		v := F(complex(rho, 0) * z)
		for j := 0; j <= deg; j++ {
			c[j] += v * cmplx.Pow(z, complex(-float64(j), 0))
		}
	}
	out := make([]float64, deg+1)
	for j := range out {
		out[j] = real(c[j]) / float64(m) / math.Pow(rho, float64(j))
	}
	return out
}

func polyEval(c []float64, x float64) float64 {
	v := 0.0
	for j := len(c) - 1; j >= 0; j-- {
		v = v*x + c[j]
	}
	return v
}

// samplePoints are where code and Taylor polynomials are compared; more
// points than the polynomial degree, so agreement means identity.
var samplePoints = []float64{-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3, 0.35}

func TestEpsSeriesCoefficients(t *testing.T) {
	const (
		rho = 0.5
		m   = 64
		tol = 1e-13
	)
	// Sample the exact quantities once per point on the circle.
	cache := map[int]epsSeries{}
	at := func(eps complex128) epsSeries {
		key := int(math.Round(cmplx.Phase(eps) * 1e6))
		r, ok := cache[key]
		if !ok {
			r = exactEpsSeries(eps)
			cache[key] = r
		}
		return r
	}
	type check struct {
		name  string
		exact func(complex128) complex128
		code  func(float64) float64
	}
	checks := []check{
		{"A1", func(e complex128) complex128 { return at(e).a1Scaled },
			func(e float64) float64 { return (1 - e) * (1 + a1m1(e)) }},
		{"A2", func(e complex128) complex128 { return at(e).a2Scaled },
			func(e float64) float64 { return (1 + a2m1(e)) / (1 - e) }},
	}
	for l := 1; l <= order; l++ {
		l := l
		checks = append(checks,
			check{fmt.Sprintf("C1_%d", l), func(e complex128) complex128 { return at(e).c1[l-1] },
				func(e float64) float64 { var c [order]float64; c1Coeffs(e, &c); return c[l-1] }},
			check{fmt.Sprintf("C2_%d", l), func(e complex128) complex128 { return at(e).c2[l-1] },
				func(e float64) float64 { var c [order]float64; c2Coeffs(e, &c); return c[l-1] }},
			check{fmt.Sprintf("C1p_%d", l), func(e complex128) complex128 { return at(e).c1p[l-1] },
				func(e float64) float64 { var c [order]float64; c1pCoeffs(e, &c); return c[l-1] }},
		)
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			tc := taylor1(c.exact, rho, order, m)
			for _, x := range samplePoints {
				want := polyEval(tc, x)
				got := c.code(x)
				if math.Abs(got-want) > tol {
					t.Errorf("at ε = %v: code %.17g, Taylor polynomial of the exact function %.17g (coefficients %v)",
						x, got, want, tc)
				}
			}
		})
	}
}

// TestA3C3Coefficients does the same for the longitude integral I3, whose
// coefficients depend on both n and ε. The code keeps the terms n^j ε^i with
// i + j <= 5.
func TestA3C3Coefficients(t *testing.T) {
	const (
		rhoN, rhoE = 0.25, 0.25
		mN, mE     = 40, 40
		nSig       = 64
		deg        = order3 // total degree kept
		tol        = 1e-12
	)
	// coef[l][i][j]: coefficient of ε^i n^j in A3 (l = 0) or C3l.
	var coef [order3 + 1][deg + 1][deg + 1]complex128
	for p := 0; p < mN; p++ {
		zn := cmplx.Rect(1, 2*math.Pi*float64(p)/mN)
		n := complex(rhoN, 0) * zn
		f := 2 * n / (1 + n)
		for q := 0; q < mE; q++ {
			ze := cmplx.Rect(1, 2*math.Pi*float64(q)/mE)
			eps := complex(rhoE, 0) * ze
			w := wFunc(eps)
			b := fourierCos(func(s float64) complex128 {
				return (2 - f) / (1 + (1-f)*w(s)/(1-eps))
			}, order3, nSig)
			vals := make([]complex128, order3+1)
			vals[0] = b[0]
			for l := 1; l <= order3; l++ {
				vals[l] = b[l] / (complex(2*float64(l), 0) * b[0])
			}
			for l := range vals {
				for i := 0; i <= deg; i++ {
					for j := 0; i+j <= deg; j++ {
						coef[l][i][j] += vals[l] * cmplx.Pow(ze, complex(-float64(i), 0)) *
							cmplx.Pow(zn, complex(-float64(j), 0))
					}
				}
			}
		}
	}
	norm := func(l, i, j int) float64 {
		return real(coef[l][i][j]) / (mN * mE) / math.Pow(rhoE, float64(i)) / math.Pow(rhoN, float64(j))
	}
	// exactCoef returns the coefficient of ε^i, as a function of n, with
	// terms of total degree <= deg.
	exactCoef := func(l, i int, n float64) float64 {
		v := 0.0
		for j := 0; i+j <= deg; j++ {
			v += norm(l, i, j) * math.Pow(n, float64(j))
		}
		return v
	}
	for _, n := range []float64{-0.2, -0.1, -0.02, 0.0016792203863837, 0.05, 0.1, 0.2} {
		a3 := a3Poly(n)
		c3 := c3Poly(n)
		t.Run(fmt.Sprintf("A3/n=%g", n), func(t *testing.T) {
			for i := 0; i <= deg; i++ {
				if want := exactCoef(0, i, n); math.Abs(a3[i]-want) > tol {
					t.Errorf("ε^%d coefficient: code %.17g, exact %.17g", i, a3[i], want)
				}
			}
		})
		for l := 1; l <= order3; l++ {
			t.Run(fmt.Sprintf("C3_%d/n=%g", l, n), func(t *testing.T) {
				for i := 0; i <= deg; i++ {
					want := exactCoef(l, i, n)
					got := 0.0
					if i >= l {
						got = c3[l-1][i-l]
					}
					if math.Abs(got-want) > tol {
						t.Errorf("ε^%d coefficient: code %.17g, exact %.17g", i, got, want)
					}
				}
			})
		}
	}
}

// TestSinSeries checks the Clenshaw summation against direct evaluation.
func TestSinSeries(t *testing.T) {
	c := []float64{0.3, -0.2, 0.1, 0.05, -0.025, 0.0125}
	for _, x := range []float64{-3, -1, -0.1, 0, 0.2, 0.7, 1.5, 2.9} {
		want := 0.0
		for l := range c {
			want += c[l] * math.Sin(2*float64(l+1)*x)
		}
		if got := sinSeries(math.Sin(x), math.Cos(x), c); math.Abs(got-want) > 1e-15 {
			t.Errorf("x = %v: %v, want %v", x, got, want)
		}
	}
}
