package geodesic

import "math"

// MaxLineSegments is the largest number of segments Line will produce;
// smaller maxSegmentMeters values are clamped so that the result has at
// most MaxLineSegments+1 points.
const MaxLineSegments = 1 << 16

// Line densifies the shortest geodesic from (lat1, lon1) to (lat2, lon2)
// into points given as [lon, lat] pairs (GeoJSON order), for drawing the
// geodesic on a web map. The points are equally spaced along the geodesic,
// with consecutive points at most maxSegmentMeters apart (subject to
// MaxLineSegments); if maxSegmentMeters is not positive, or the points
// coincide, only the two endpoints are returned.
//
// The first point is exactly [lon1, lat1] and the last is exactly
// [lon2, lat2], except that longitudes are unrolled: they vary continuously
// along the path starting from lon1, so a line that crosses the
// antimeridian leaves [-180, 180] and ends at lon2 ± 360 instead of
// jumping across the whole map. Map renderers such as Leaflet, MapLibre and
// OpenLayers draw such lines the short way round. (A path over a pole still
// changes longitude abruptly by 180° at the pole, as it physically must.)
func (e Ellipsoid) Line(lat1, lon1, lat2, lon2 float64, maxSegmentMeters float64) [][2]float64 {
	r := e.inverse(lat1, lon1, lat2, lon2)

	// Unrolled longitude of the end point: lon1 plus the signed difference,
	// snapped to lon2 + 360k so that it is exact when k = 0.
	d, _ := diffDeg(lon1, lon2)
	lastLon := lon2
	if k := math.Round((lon1 + d - lon2) / 360); k != 0 && !math.IsInf(k, 0) && !math.IsNaN(k) {
		lastLon = lon2 + 360*k
	}

	segments := 1
	if maxSegmentMeters > 0 && r.s12 > 0 { // false for NaN as well
		n := math.Ceil(r.s12 / maxSegmentMeters)
		if n > MaxLineSegments {
			n = MaxLineSegments
		}
		if n > 1 {
			segments = int(n)
		}
	}

	pts := make([][2]float64, 0, segments+1)
	pts = append(pts, [2]float64{lon1, lat1})
	if segments > 1 {
		l := e.newLine(lat1, r.salp1, r.calp1)
		step := r.s12 / float64(segments)
		for i := 1; i < segments; i++ {
			lat, lon12, _ := l.position(&e, float64(i)*step)
			pts = append(pts, [2]float64{lon1 + lon12, lat})
		}
	}
	pts = append(pts, [2]float64{lastLon, lat2})
	return pts
}
