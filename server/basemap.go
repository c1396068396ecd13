package server

import (
	"github.com/paulmach/orb"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/geo/render"
)

// NewBasemap builds the offline basemap from the gazetteer: each
// country's Natural Earth shape under its English name, and the populated
// places of 1,000 people or more.
func NewBasemap(shapes map[string]orb.Geometry, ix *gazetteer.Index) *render.Basemap {
	var countries []render.Country
	for code, g := range shapes {
		name := code
		if c := ix.Country(code); c != nil {
			name = c.Name
		}
		if c, ok := render.NewCountry(code, name, g); ok {
			countries = append(countries, c)
		}
	}
	var cities []render.City
	ix.Places(func(p *gazetteer.Place) bool {
		if p.Kind == gazetteer.KindCity && p.Population >= 1000 {
			cities = append(cities, render.City{Name: p.Name, Point: orb.Point{p.Lon, p.Lat}, Population: p.Population})
		}
		return true
	})
	return render.NewBasemap(countries, cities)
}
