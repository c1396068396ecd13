package geodesic

import "testing"

// benchSink keeps the compiler from discarding benchmarked work.
var benchSink float64

func BenchmarkInverse(b *testing.B) {
	g := WGS84()
	vs := loadVectors(b)
	b.Run("typical", func(b *testing.B) {
		// Cycles through the 20 GeographicLib vectors (0.2–17 Mm).
		for i := 0; i < b.N; i++ {
			v := &vs[i%len(vs)]
			s, _, _ := g.Inverse(v.lat1, v.lon1, v.lat2, v.lon2)
			benchSink += s
		}
	})
	b.Run("short_5m", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, _, _ := g.Inverse(-30.12345, 0, -30.12344, 0.00005)
			benchSink += s
		}
	})
	b.Run("nearly_antipodal", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, _, _ := g.Inverse(-30, 0, 29.9, 179.8)
			benchSink += s
		}
	})
}

func BenchmarkDirect(b *testing.B) {
	g := WGS84()
	vs := loadVectors(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := &vs[i%len(vs)]
		lat, lon, _ := g.Direct(v.lat1, v.lon1, v.azi1, v.s12)
		benchSink += lat + lon
	}
}

// BenchmarkDistance includes constructing the WGS84 ellipsoid on each call.
func BenchmarkDistance(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchSink += Distance(40.640, -73.779, 1.359, 103.989)
	}
}

func BenchmarkLine(b *testing.B) {
	g := WGS84()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		pts := g.Line(40.640, -73.779, 1.359, 103.989, 100e3) // 154 segments
		benchSink += pts[1][0]
	}
}
