package gazetteer

import "math"

func sqrt(x float64) float64   { return math.Sqrt(x) }
func cosDeg(d float64) float64 { return math.Cos(d * math.Pi / 180) }

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

func clampLat(v float64) float64 { return math.Max(-90, math.Min(90, v)) }
func clampLon(v float64) float64 { return math.Max(-180, math.Min(180, v)) }

// haversineKm is the great-circle distance in km on a sphere of the
// Earth's mean radius; good enough for ranking candidates.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// HaversineKm exposes haversineKm to other packages.
func HaversineKm(lat1, lon1, lat2, lon2 float64) float64 { return haversineKm(lat1, lon1, lat2, lon2) }
