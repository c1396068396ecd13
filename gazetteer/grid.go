package gazetteer

import "math"

// gridCell is the key of a 1°×1° cell of the spatial grid.
func gridCell(lat, lon float64) int32 {
	la := int32(math.Floor(lat)) + 90
	lo := int32(math.Floor(lon)) + 180
	return la*360 + lo
}

// buildGrid indexes the places by 1° cell for Near.
func (ix *Index) buildGrid() {
	ix.grid = make(map[int32][]int32, 20000)
	for i := range ix.places {
		c := gridCell(ix.places[i].Lat, ix.places[i].Lon)
		ix.grid[c] = append(ix.grid[c], int32(i))
	}
}

// Near calls fn for every place within radiusKm of (lat, lon), in no
// particular order, until fn returns false. Its cost depends on the places
// nearby, not on the size of the gazetteer.
func (ix *Index) Near(lat, lon, radiusKm float64, fn func(p *Place, km float64) bool) {
	dLat := radiusKm/111.0 + 1
	dLon := dLat / math.Max(0.05, math.Cos(lat*math.Pi/180))
	if dLon > 180 {
		dLon = 180
	}
	for la := math.Floor(lat - dLat); la <= lat+dLat; la++ {
		if la < -90 || la >= 90 {
			continue
		}
		for lo := math.Floor(lon - dLon); lo <= lon+dLon; lo++ {
			wrapped := lo
			for wrapped < -180 {
				wrapped += 360
			}
			for wrapped >= 180 {
				wrapped -= 360
			}
			for _, i := range ix.grid[gridCell(la, wrapped)] {
				p := &ix.places[i]
				if math.Abs(p.Lat-lat) > dLat {
					continue // cheap rejection before the trigonometry
				}
				if km := haversineKm(lat, lon, p.Lat, p.Lon); km <= radiusKm {
					if !fn(p, km) {
						return
					}
				}
			}
		}
	}
}
