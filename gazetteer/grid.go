package gazetteer

import "math"

// gridCell is the key of a 1°×1° cell of the spatial grid.
func gridCell(lat, lon float64) int32 {
	la := int32(math.Floor(lat)) + 90
	lo := int32(math.Floor(lon)) + 180
	return la*360 + lo
}

// gridCells is the number of cells of the grid; gridCell gives places at
// the north pole (and invalid coordinates) cells beyond it, which Near
// never visits.
const gridCells = 180 * 360

// buildGrid indexes the places by 1° cell for Near, in place order within
// each cell.
func (ix *Index) buildGrid() {
	start := make([]int32, gridCells+1)
	cells := make([]int32, len(ix.places))
	for i := range ix.places {
		c := gridCell(ix.places[i].Lat, ix.places[i].Lon)
		if c < 0 || c >= gridCells {
			c = -1
		} else {
			start[c+1]++
		}
		cells[i] = c
	}
	for c := 0; c < gridCells; c++ {
		start[c+1] += start[c]
	}
	next := make([]int32, gridCells)
	copy(next, start)
	order := make([]int32, start[gridCells])
	for i, c := range cells {
		if c >= 0 {
			order[next[c]] = int32(i)
			next[c]++
		}
	}
	ix.cellStart, ix.cellPlaces = start, order
}

// cell returns the indices of the places in grid cell c.
func (ix *Index) cell(c int32) []int32 {
	if c < 0 || c >= gridCells || len(ix.cellStart) == 0 {
		return nil
	}
	return ix.cellPlaces[ix.cellStart[c]:ix.cellStart[c+1]]
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
			for _, i := range ix.cell(gridCell(la, wrapped)) {
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
