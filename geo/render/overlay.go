package render

import (
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// Map is what is drawn: the basemap, then the overlays by layer name
// (zones, estimates, distances, frontlines, places, events).
type Map struct {
	Base   *Basemap
	Fonts  *Fonts
	Layers map[string][]*geojson.Feature
}

// OverlayOrder is the order overlays are drawn in, bottom first.
var OverlayOrder = []string{"zones", "estimates", "distances", "frontlines", "places", "events"}

// tilePad is the margin drawn around a tile and cut off, so symbols and
// labels near an edge continue into the next tile.
const tilePad = 64

// Tile draws tile t at 256×scale pixels a side.
func (m *Map) Tile(t maptile.Tile, scale float64) *image.RGBA {
	size := 256 * scale
	pad := tilePad * scale
	full := int(size + 2*pad)
	c := NewCanvas(full, full, float64(t.Z), float64(t.X)*size-pad, float64(t.Y)*size-pad, scale, m.Fonts)
	m.draw(c, float64(t.Z))
	out := image.NewRGBA(image.Rect(0, 0, int(size), int(size)))
	draw.Draw(out, out.Bounds(), c.Image, image.Pt(int(pad), int(pad)), draw.Src)
	return out
}

// draw paints the basemap and overlays onto c.
func (m *Map) draw(c *Canvas, zoom float64) {
	lb := &labels{} // basemap labels first; a place's label is not drawn over its city's
	if m.Base != nil {
		m.Base.Draw(c, zoom, lb)
	}
	for _, layer := range OverlayOrder {
		for _, f := range m.Layers[layer] {
			drawFeature(c, layer, f, zoom, lb)
		}
	}
}

// actorColor is a stable colour per actor.
func actorColor(actor string, alpha uint8) color.NRGBA {
	palette := [][3]uint8{{0x3b, 0x7d, 0xd8}, {0xd9, 0x4a, 0x38}, {0x2e, 0xa0, 0x6b}, {0x8e, 0x5c, 0xc7}, {0xe0, 0x9b, 0x1b}, {0x1f, 0xa5, 0xb5}, {0xc2, 0x4e, 0x9a}, {0x7a, 0x6a, 0x4f}}
	h := fnv.New32a()
	h.Write([]byte(actor))
	p := palette[h.Sum32()%uint32(len(palette))]
	return color.NRGBA{p[0], p[1], p[2], alpha}
}

// EventColor is the colour of an ACLED event type.
func EventColor(eventType string) color.NRGBA {
	switch eventType {
	case "Battles":
		return color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	case "Explosions/Remote violence":
		return color.NRGBA{0xef, 0x6c, 0x00, 0xff}
	case "Violence against civilians":
		return color.NRGBA{0x6a, 0x1b, 0x9a, 0xff}
	case "Protests":
		return color.NRGBA{0x15, 0x65, 0xc0, 0xff}
	case "Riots":
		return color.NRGBA{0x9e, 0x77, 0x00, 0xff}
	}
	return color.NRGBA{0x00, 0x79, 0x6b, 0xff} // Strategic developments
}

// EventRadius grows with the fatalities, by area.
func EventRadius(fatalities float64) float64 {
	return 4 + 1.6*math.Sqrt(math.Max(0, fatalities))
}

var (
	frontColor     = color.NRGBA{0x5a, 0x0f, 0x0f, 0xff}
	contestedColor = color.NRGBA{0x40, 0x40, 0x40, 0x50}
	distanceColor  = color.NRGBA{0x35, 0x4f, 0x6b, 0xb0}
	estimateFill   = color.NRGBA{0xff, 0x98, 0x00, 0x40}
	estimateLine   = color.NRGBA{0xe6, 0x51, 0x00, 0xc0}
	placeColor     = color.NRGBA{0x26, 0x32, 0x38, 0xff}
	white          = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

func drawFeature(c *Canvas, layer string, f *geojson.Feature, zoom float64, lb *labels) {
	if f == nil || f.Geometry == nil {
		return
	}
	switch layer {
	case "zones":
		mp := polygons(f.Geometry)
		if f.Properties["contested"] == true {
			c.FillPolygons(mp, contestedColor)
			return
		}
		actor, _ := f.Properties["actor"].(string)
		c.FillPolygons(mp, actorColor(actor, 0x55))
		c.StrokeLines(outlines(mp), 0.8, actorColor(actor, 0xb0), 0)
	case "estimates":
		mp := polygons(f.Geometry)
		c.FillPolygons(mp, estimateFill)
		c.StrokeLines(outlines(mp), 1, estimateLine, 4)
	case "distances":
		c.StrokeLines(lines(f.Geometry), 1.2, distanceColor, 5)
	case "frontlines":
		dash := 0.0
		if f.Properties["contested"] == true {
			dash = 6
		}
		c.StrokeLines(lines(f.Geometry), 2.8, frontColor, dash)
	case "places":
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return
		}
		c.Circle(p, 3, placeColor, white, 1.2)
		if zoom >= 5 {
			name, _ := f.Properties["name"].(string)
			x, y := c.Pixel(p)
			w, h := c.TextSize(name, 12, true)
			if lb.place(x+5*c.Scale, y-h/2, x+5*c.Scale+w, y+h/2) {
				c.Text(x+5*c.Scale, y-3*c.Scale, name, 12, true, placeColor, white)
			}
		}
	case "events":
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return
		}
		et, _ := f.Properties["event_type"].(string)
		fat, _ := f.Properties["fatalities"].(float64)
		col := EventColor(et)
		col.A = 0xe0
		c.Circle(p, EventRadius(fat), col, white, 1.2)
	}
}

func polygons(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g
	case orb.Polygon:
		return orb.MultiPolygon{g}
	}
	return nil
}

func outlines(mp orb.MultiPolygon) orb.MultiLineString {
	var out orb.MultiLineString
	for _, p := range mp {
		for _, r := range p {
			out = append(out, orb.LineString(r))
		}
	}
	return out
}

func lines(g orb.Geometry) orb.MultiLineString {
	switch g := g.(type) {
	case orb.MultiLineString:
		return g
	case orb.LineString:
		return orb.MultiLineString{g}
	}
	return nil
}
