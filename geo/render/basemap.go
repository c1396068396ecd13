package render

import (
	"image/color"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// Basemap is the offline background: Natural Earth countries and
// GeoNames cities.
type Basemap struct {
	Countries []Country
	// Cities are drawn biggest first as the zoom allows.
	Cities []City
}

// Country is one country's land.
type Country struct {
	Code, Name string
	Shape      orb.MultiPolygon
	// Label is where the name goes: the centroid of its largest part.
	Label orb.Point
	// Area is the largest part's area in square degrees, to choose the
	// zoom its name appears at.
	Area  float64
	bound orb.Bound
	// simpler holds the shape simplified for low zooms, by zoom: half a
	// pixel's detail is all a tile can show
	simpler [simplifiedZooms]orb.MultiPolygon
}

// simplifiedZooms are the zooms below which shapes are drawn simplified.
const simplifiedZooms = 9

// shapeAt is the shape with the detail a zoom can show.
func (c *Country) shapeAt(zoom float64) orb.MultiPolygon {
	if z := int(zoom); z >= 0 && z < simplifiedZooms && c.simpler[z] != nil {
		return c.simpler[z]
	}
	return c.Shape
}

func (c *Country) simplify() {
	for z := range simplifiedZooms {
		tolerance := 360 / (256 * math.Exp2(float64(z))) / 2
		var mp orb.MultiPolygon
		for _, p := range c.Shape {
			var poly orb.Polygon
			for k, r := range p {
				s := simplify.DouglasPeucker(tolerance).Ring(r.Clone())
				if len(s) < 4 {
					if k == 0 {
						break
					}
					continue
				}
				poly = append(poly, s)
			}
			if len(poly) > 0 {
				mp = append(mp, poly)
			}
		}
		if mp == nil {
			mp = orb.MultiPolygon{} // too small to draw at this zoom
		}
		c.simpler[z] = mp
	}
}

// City is a populated place.
type City struct {
	Name       string
	Point      orb.Point
	Population int64
}

// NewCountry prepares a country's shape for drawing.
func NewCountry(code, name string, g orb.Geometry) (Country, bool) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.MultiPolygon:
		mp = g
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	default:
		return Country{}, false
	}
	c := Country{Code: code, Name: name, Shape: mp, bound: mp.Bound()}
	c.simplify()
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		if a := math.Abs(planar.Area(p[0])); a > c.Area {
			c.Area = a
			c.Label, _ = planar.CentroidArea(p)
		}
	}
	return c, true
}

// NewBasemap sorts cities by population.
func NewBasemap(countries []Country, cities []City) *Basemap {
	sort.SliceStable(cities, func(i, j int) bool {
		return cities[i].Population > cities[j].Population || cities[i].Population == cities[j].Population && cities[i].Name < cities[j].Name
	})
	// larger countries place their names first
	sort.Slice(countries, func(i, j int) bool {
		return countries[i].Area > countries[j].Area || countries[i].Area == countries[j].Area && countries[i].Code < countries[j].Code
	})
	return &Basemap{Countries: countries, Cities: cities}
}

// Basemap colours.
var (
	seaColor     = color.RGBA{0xc9, 0xdd, 0xea, 0xff}
	landColor    = color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	borderColor  = color.RGBA{0xa8, 0x9f, 0x95, 0xff}
	countryLabel = color.RGBA{0x6e, 0x66, 0x5e, 0xff}
	cityColor    = color.RGBA{0x33, 0x33, 0x33, 0xff}
	haloColor    = color.NRGBA{0xff, 0xff, 0xff, 0xd0}
)

// minPopulation is the smallest city labelled at a zoom.
func minPopulation(zoom float64) int64 {
	switch {
	case zoom < 3:
		return 5_000_000
	case zoom < 4:
		return 2_000_000
	case zoom < 5:
		return 700_000
	case zoom < 6:
		return 250_000
	case zoom < 7:
		return 80_000
	case zoom < 8:
		return 30_000
	case zoom < 9:
		return 10_000
	}
	return 0
}

// labels keeps the boxes of labels already placed, so none overlap.
type labels struct{ boxes [][4]float64 }

func (l *labels) place(x0, y0, x1, y1 float64) bool {
	for _, b := range l.boxes {
		if x0 < b[2] && b[0] < x1 && y0 < b[3] && b[1] < y1 {
			return false
		}
	}
	l.boxes = append(l.boxes, [4]float64{x0, y0, x1, y1})
	return true
}

// Draw paints sea, land, borders and coasts, then country and city names
// into lb (shared with the overlays' labels).
func (b *Basemap) Draw(c *Canvas, zoom float64, lb *labels) {
	c.Fill(seaColor)
	view := c.Bound().Pad(0.5)
	var shown []*Country
	for i := range b.Countries {
		if b.Countries[i].bound.Intersects(view) {
			shown = append(shown, &b.Countries[i])
		}
	}
	// @2x tiles show the detail of the next zoom
	detail := zoom + math.Log2(c.Scale)
	var land orb.MultiPolygon
	for _, k := range shown {
		land = append(land, k.shapeAt(detail)...)
	}
	c.FillPolygons(land, landColor) // one pass: countries do not overlap
	width := 0.6
	if zoom >= 5 {
		width = 0.9
	}
	var rings orb.MultiLineString
	for _, p := range land {
		for _, r := range p {
			rings = append(rings, orb.LineString(r))
		}
	}
	c.StrokeLines(rings, width, borderColor, 0)
	b.drawCities(c, zoom, lb)
	for _, k := range shown {
		// a country's name shows once its land is some 60 pixels across
		if zoom < 2 || zoom > 8 || math.Sqrt(k.Area)*math.Exp2(zoom)*256/360 < 60 {
			continue
		}
		name := strings.ToUpper(k.Name)
		w, h := c.TextSize(name, 11, true)
		x, y := c.Pixel(k.Label)
		if lb.place(x-w/2, y-h/2, x+w/2, y+h/2) {
			c.Text(x-w/2, y+h/3, name, 11, true, countryLabel, haloColor)
		}
	}
}

func (b *Basemap) drawCities(c *Canvas, zoom float64, lb *labels) {
	min := minPopulation(zoom)
	view := c.Bound()
	size := 11.0
	for _, city := range b.Cities {
		if city.Population < min {
			break
		}
		if !view.Contains(city.Point) {
			continue
		}
		x, y := c.Pixel(city.Point)
		w, h := c.TextSize(city.Name, size, false)
		r := 2.5 * c.Scale
		if !lb.place(x-r, y-h/2, x+r+3*c.Scale+w, y+h/2) {
			continue
		}
		c.Circle(city.Point, 2.5, cityColor, haloColor, 1)
		c.Text(x+r+3*c.Scale, y+h/3, city.Name, size, false, cityColor, haloColor)
	}
}
