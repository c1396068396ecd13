package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
)

// View is the part of the world a static image shows: a bound to fit,
// or a centre and zoom.
type View struct {
	Bound     orb.Bound
	HasBound  bool
	Center    orb.Point
	Zoom      float64
	HasCenter bool
}

// StaticOptions describe a static map image.
type StaticOptions struct {
	Width, Height int
	View          View
	// Title is written at the top left, for example the date shown.
	Title string
	// Attribution credits the data, written at the bottom right.
	Attribution string
}

// MaxStaticSize bounds a static image's side in pixels.
const MaxStaticSize = 4096

// FitZoom is the zoom at which b fills w×h pixels less a margin, at most
// 18.
func FitZoom(b orb.Bound, w, h int, margin float64) float64 {
	x0, y0 := WorldPixel(orb.Point{b.Min[0], b.Max[1]}, 0, 256)
	x1, y1 := WorldPixel(orb.Point{b.Max[0], b.Min[1]}, 0, 256)
	dx, dy := math.Max(x1-x0, 1e-9), math.Max(y1-y0, 1e-9)
	// a small image keeps at least half its size for the map
	uw, uh := math.Max(float64(w)-2*margin, float64(w)/2), math.Max(float64(h)-2*margin, float64(h)/2)
	z := math.Min(math.Log2(uw/dx), math.Log2(uh/dy))
	if math.IsNaN(z) {
		return 0
	}
	return math.Max(0, math.Min(18, z))
}

// Static draws a static map with its legend, scale bar, title and
// attribution.
func (m *Map) Static(o StaticOptions) *image.RGBA {
	zoom := o.View.Zoom
	cx, cy := WorldPixel(o.View.Center, zoom, 256)
	if o.View.HasBound {
		// fit the bound, centred in Mercator rather than in degrees
		zoom = FitZoom(o.View.Bound, o.Width, o.Height, 40)
		x0, y0 := WorldPixel(orb.Point{o.View.Bound.Min[0], o.View.Bound.Max[1]}, zoom, 256)
		x1, y1 := WorldPixel(orb.Point{o.View.Bound.Max[0], o.View.Bound.Min[1]}, zoom, 256)
		cx, cy = (x0+x1)/2, (y0+y1)/2
	}
	c := NewCanvas(o.Width, o.Height, zoom, cx-float64(o.Width)/2, cy-float64(o.Height)/2, 1, m.Fonts)
	m.draw(c, zoom)
	m.decorate(c, zoom, o)
	return c.Image
}

var (
	panelColor = color.NRGBA{0xff, 0xff, 0xff, 0xe0}
	panelLine  = color.NRGBA{0x90, 0x90, 0x90, 0xff}
	inkColor   = color.NRGBA{0x22, 0x22, 0x22, 0xff}
)

// decorate adds the title, legend, scale bar and attribution.
func (m *Map) decorate(c *Canvas, zoom float64, o StaticOptions) {
	w, h := float64(o.Width), float64(o.Height)
	if o.Title != "" {
		tw, th := c.TextSize(o.Title, 15, true)
		c.rect(8, 8, 8+tw+16, 8+th+12, panelColor, panelLine)
		c.Text(16, 8+6+th*0.8, o.Title, 15, true, inkColor, nil)
	}
	m.legend(c, h)
	m.scaleBar(c, zoom, w, h)
	if o.Attribution != "" {
		aw, ah := c.TextSize(o.Attribution, 10, false)
		c.rect(w-aw-10, h-ah-6, w, h, panelColor, nil)
		c.Text(w-aw-5, h-4-ah*0.2, o.Attribution, 10, false, inkColor, nil)
	}
}

// legendEntry is one line of the legend.
type legendEntry struct {
	label string
	draw  func(c *Canvas, x, y float64)
}

// legend lists what the map shows: the event types present, each actor's
// zone, contested land and the frontline.
func (m *Map) legend(c *Canvas, h float64) {
	var entries []legendEntry
	types := map[string]bool{}
	for _, f := range m.Layers["events"] {
		if t, _ := f.Properties["event_type"].(string); t != "" {
			types[t] = true
		}
	}
	var typeNames []string
	for t := range types {
		typeNames = append(typeNames, t)
	}
	sort.Strings(typeNames)
	for _, t := range typeNames {
		col := EventColor(t)
		entries = append(entries, legendEntry{t, func(c *Canvas, x, y float64) {
			c.disc(x+7, y, 5)
			c.paint(col)
		}})
	}
	if len(typeNames) > 0 {
		entries = append(entries, legendEntry{"size: fatalities", func(c *Canvas, x, y float64) {
			c.disc(x+4, y+2, 3)
			c.disc(x+11, y, 5)
			c.paint(color.NRGBA{0x80, 0x80, 0x80, 0xff})
		}})
	}
	actors := map[string]bool{}
	contested := false
	for _, f := range m.Layers["zones"] {
		if f.Properties["contested"] == true {
			contested = true
			continue
		}
		if a, _ := f.Properties["actor"].(string); a != "" {
			actors[a] = true
		}
	}
	var actorNames []string
	for a := range actors {
		actorNames = append(actorNames, a)
	}
	sort.Strings(actorNames)
	for _, a := range actorNames {
		col := actorColor(a, 0x99)
		entries = append(entries, legendEntry{"held by " + a, func(c *Canvas, x, y float64) { c.rect(x, y-5, x+14, y+5, col, nil) }})
	}
	if contested {
		entries = append(entries, legendEntry{"contested (clashes of the 7 days before)", func(c *Canvas, x, y float64) {
			c.rect(x, y-5, x+14, y+5, contestedColor, nil)
		}})
	}
	if len(m.Layers["frontlines"]) > 0 {
		entries = append(entries, legendEntry{"frontline", func(c *Canvas, x, y float64) {
			c.segment([2]float64{x, y}, [2]float64{x + 14, y}, 1.4)
			c.paint(frontColor)
		}})
	}
	if len(entries) == 0 {
		return
	}
	const line, size = 18.0, 11.0
	width := 0.0
	for _, e := range entries {
		if tw, _ := c.TextSize(e.label, size, false); tw > width {
			width = tw
		}
	}
	top := h - 30 - line*float64(len(entries)) - 10
	c.rect(8, top, 8+width+40, h-30, panelColor, panelLine)
	for i, e := range entries {
		y := top + 5 + line*(float64(i)+0.5)
		e.draw(c, 16, y)
		c.Text(38, y+size*0.35, e.label, size, false, inkColor, nil)
	}
}

// scaleBar draws a bar of a round length in km at the image's centre
// latitude.
func (m *Map) scaleBar(c *Canvas, zoom, w, h float64) {
	lat := c.LonLat(w/2, h/2)[1]
	metresPerPixel := 40075016.686 * math.Cos(lat*math.Pi/180) / (256 * math.Exp2(zoom))
	if metresPerPixel <= 0 {
		return
	}
	target := 120 * metresPerPixel / 1000 // km in 120 pixels
	nice := math.Pow(10, math.Floor(math.Log10(target)))
	for _, f := range []float64{5, 2, 1} {
		if f*nice <= target {
			nice *= f
			break
		}
	}
	px := nice * 1000 / metresPerPixel
	label := fmt.Sprintf("%s km", strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", nice), "0"), "."))
	x, y := w-px-20, h-34.0
	c.rect(x-8, y-20, w-8, y+8, panelColor, nil)
	c.rect(x, y-3, x+px, y+1, inkColor, nil)
	c.rect(x, y-8, x+1.5, y+1, inkColor, nil)
	c.rect(x+px-1.5, y-8, x+px, y+1, inkColor, nil)
	tw, _ := c.TextSize(label, 11, false)
	c.Text(x+px/2-tw/2, y-9, label, 11, false, inkColor, nil)
}

// rect fills a rectangle in canvas pixels, with an outline when line is
// not nil.
func (c *Canvas) rect(x0, y0, x1, y1 float64, fill, line color.Color) {
	if line != nil {
		c.moveTo(x0-1, y0-1)
		c.lineTo(x1+1, y0-1)
		c.lineTo(x1+1, y1+1)
		c.lineTo(x0-1, y1+1)
		c.closePath()
		c.paint(line)
	}
	c.moveTo(x0, y0)
	c.lineTo(x1, y0)
	c.lineTo(x1, y1)
	c.lineTo(x0, y1)
	c.closePath()
	c.paint(fill)
}
