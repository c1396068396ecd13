// Package render draws maps to PNG: an antialiased canvas in Web
// Mercator pixels (golang.org/x/image/vector for shapes, the embedded Go
// fonts for text), the offline basemap from Natural Earth and GeoNames,
// and the conflict overlays on top.
package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

const maxMercatorLat = 85.05112877980659

// Canvas is an image over a window of the Web Mercator world at a zoom.
type Canvas struct {
	Image *image.RGBA
	// world is the size of the world in pixels at this zoom; left and
	// top place the image's origin in those pixels
	world, left, top float64
	// Scale multiplies line widths, symbol sizes and text (2 for @2x)
	Scale float64
	fonts *Fonts
	r     *vector.Rasterizer
	// ops are the path added since the last paint, kept so that paint
	// rasterises and composites only the rectangle they cover
	ops    []pathOp
	drawn  image.Rectangle
	inPath bool
}

// pathOp is one MoveTo, LineTo, CubeTo or ClosePath in canvas pixels.
type pathOp struct {
	kind byte // 'M', 'L', 'C', 'Z'
	pts  [3][2]float64
}

// mark grows the drawn rectangle to hold pixel (x, y).
func (c *Canvas) mark(x, y float64) {
	p := image.Rect(int(math.Floor(x))-1, int(math.Floor(y))-1, int(math.Ceil(x))+1, int(math.Ceil(y))+1)
	if !c.inPath {
		c.drawn, c.inPath = p, true
		return
	}
	c.drawn = c.drawn.Union(p)
}

func (c *Canvas) moveTo(x, y float64) {
	c.mark(x, y)
	c.ops = append(c.ops, pathOp{kind: 'M', pts: [3][2]float64{{x, y}}})
}

func (c *Canvas) lineTo(x, y float64) {
	c.mark(x, y)
	c.ops = append(c.ops, pathOp{kind: 'L', pts: [3][2]float64{{x, y}}})
}

func (c *Canvas) cubeTo(bx, by, cx, cy, dx, dy float64) {
	c.ops = append(c.ops, pathOp{kind: 'C', pts: [3][2]float64{{bx, by}, {cx, cy}, {dx, dy}}})
}

func (c *Canvas) closePath() { c.ops = append(c.ops, pathOp{kind: 'Z'}) }

// Fonts are the faces labels are drawn with.
type Fonts struct {
	regular, bold *opentype.Font
	faces         map[faceKey]font.Face
}

type faceKey struct {
	bold bool
	size float64
}

// NewFonts parses the embedded Go fonts.
func NewFonts() (*Fonts, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("go regular font: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("go bold font: %w", err)
	}
	return &Fonts{regular: regular, bold: bold, faces: map[faceKey]font.Face{}}, nil
}

// face returns a face of the size in pixels. Faces are not safe for
// concurrent use: each Canvas takes its own Fonts copy (see Canvas.fonts).
func (f *Fonts) face(bold bool, size float64) font.Face {
	k := faceKey{bold, math.Round(size*2) / 2}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	fc, err := opentype.NewFace(src, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil
	}
	f.faces[k] = fc
	return fc
}

// forCanvas is a copy of the fonts with its own faces.
func (f *Fonts) forCanvas() *Fonts {
	return &Fonts{regular: f.regular, bold: f.bold, faces: map[faceKey]font.Face{}}
}

// NewCanvas makes a w×h canvas whose top-left pixel is at (left, top) in
// the world's pixels at zoom z (tiles of 256 pixels times scale).
func NewCanvas(w, h int, zoom, left, top, scale float64, fonts *Fonts) *Canvas {
	return &Canvas{
		Image: image.NewRGBA(image.Rect(0, 0, w, h)),
		world: 256 * scale * math.Exp2(zoom), left: left, top: top, Scale: scale,
		fonts: fonts.forCanvas(), r: vector.NewRasterizer(w, h),
	}
}

// WorldPixel is a point's position in the world's pixels at a zoom for
// tiles of tileSize pixels.
func WorldPixel(p orb.Point, zoom, tileSize float64) (x, y float64) {
	world := tileSize * math.Exp2(zoom)
	lat := math.Max(-maxMercatorLat, math.Min(maxMercatorLat, p[1])) * math.Pi / 180
	x = (p[0] + 180) / 360 * world
	y = (1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * world
	return x, y
}

// Pixel is a point's position on the canvas.
func (c *Canvas) Pixel(p orb.Point) (x, y float64) {
	lat := math.Max(-maxMercatorLat, math.Min(maxMercatorLat, p[1])) * math.Pi / 180
	x = (p[0]+180)/360*c.world - c.left
	y = (1-math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi)/2*c.world - c.top
	return x, y
}

// LonLat is the position of a canvas pixel.
func (c *Canvas) LonLat(x, y float64) orb.Point {
	lon := (x+c.left)/c.world*360 - 180
	n := math.Pi * (1 - 2*(y+c.top)/c.world)
	return orb.Point{lon, math.Atan(math.Sinh(n)) * 180 / math.Pi}
}

// Bound is the part of the world the canvas shows.
func (c *Canvas) Bound() orb.Bound {
	b := c.Image.Bounds()
	nw, se := c.LonLat(0, 0), c.LonLat(float64(b.Dx()), float64(b.Dy()))
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// Fill paints the whole canvas.
func (c *Canvas) Fill(col color.Color) {
	draw.Draw(c.Image, c.Image.Bounds(), image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *Canvas) paint(col color.Color) {
	if !c.inPath {
		return
	}
	if r := c.drawn.Intersect(c.Image.Bounds()); !r.Empty() {
		// rasterise in the rectangle's own coordinates: its origin is
		// where the mask lands on the image
		ox, oy := float64(r.Min.X), float64(r.Min.Y)
		c.r.Reset(r.Dx(), r.Dy())
		for _, op := range c.ops {
			p := op.pts
			switch op.kind {
			case 'M':
				c.r.MoveTo(float32(p[0][0]-ox), float32(p[0][1]-oy))
			case 'L':
				c.r.LineTo(float32(p[0][0]-ox), float32(p[0][1]-oy))
			case 'C':
				c.r.CubeTo(float32(p[0][0]-ox), float32(p[0][1]-oy), float32(p[1][0]-ox), float32(p[1][1]-oy), float32(p[2][0]-ox), float32(p[2][1]-oy))
			case 'Z':
				c.r.ClosePath()
			}
		}
		c.r.Draw(c.Image, r, image.NewUniform(col), image.Point{})
	}
	c.ops = c.ops[:0]
	c.inPath = false
}

// FillPolygons paints polygons, holes left open.
func (c *Canvas) FillPolygons(mp orb.MultiPolygon, col color.Color) {
	if !c.Bound().Intersects(mp.Bound()) {
		return
	}
	for _, poly := range mp {
		for k, ring := range poly {
			// the rasterizer sums windings: holes must wind against
			// their exterior, whatever the source's orientation
			if (k == 0) != (ringArea(ring) > 0) {
				ring = reversed(ring)
			}
			c.path(ring, true)
		}
	}
	c.paint(col)
}

// ringArea is the signed area of a ring in lon/lat, positive when
// counterclockwise.
func ringArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// path adds a line or ring to the rasterizer in canvas pixels. Rings of
// one polygon wind opposite ways, so the holes cancel.
func (c *Canvas) path(ls []orb.Point, closed bool) {
	for i, p := range ls {
		x, y := c.Pixel(p)
		if i == 0 {
			c.moveTo(x, y)
		} else {
			c.lineTo(x, y)
		}
	}
	if closed {
		c.closePath()
	}
}

// StrokeLines draws lines of a width in pixels (times the scale), with
// round joins; dash, when above zero, is the dash length in pixels.
func (c *Canvas) StrokeLines(mls orb.MultiLineString, width float64, col color.Color, dash float64) {
	if !c.Bound().Pad(1).Intersects(mls.Bound()) {
		return
	}
	w := width * c.Scale / 2
	for _, l := range mls {
		pts := make([][2]float64, 0, len(l))
		for _, p := range l {
			x, y := c.Pixel(p)
			if n := len(pts); n > 0 && math.Abs(pts[n-1][0]-x) < 0.25 && math.Abs(pts[n-1][1]-y) < 0.25 {
				continue
			}
			pts = append(pts, [2]float64{x, y})
		}
		on, left := true, dash*c.Scale
		for i := 1; i < len(pts); i++ {
			a, b := pts[i-1], pts[i]
			if dash <= 0 {
				if c.visible(a, b, w) {
					c.segment(a, b, w)
				}
				continue
			}
			// walk the part of the segment on the canvas in dash lengths
			var ok bool
			if a, b, ok = c.clip(a, b, w); !ok {
				continue
			}
			seg := math.Hypot(b[0]-a[0], b[1]-a[1])
			for done := 0.0; done < seg; {
				step := math.Min(left, seg-done)
				if on {
					f0, f1 := done/seg, (done+step)/seg
					c.segment([2]float64{a[0] + (b[0]-a[0])*f0, a[1] + (b[1]-a[1])*f0}, [2]float64{a[0] + (b[0]-a[0])*f1, a[1] + (b[1]-a[1])*f1}, w)
				}
				done += step
				left -= step
				if left <= 0 {
					on, left = !on, dash*c.Scale
				}
			}
		}
	}
	c.paint(col)
}

// visible reports whether a segment of half-width w can touch the canvas.
func (c *Canvas) visible(a, b [2]float64, w float64) bool {
	r := c.Image.Bounds()
	return math.Max(a[0], b[0])+w >= 0 && math.Min(a[0], b[0])-w <= float64(r.Dx()) &&
		math.Max(a[1], b[1])+w >= 0 && math.Min(a[1], b[1])-w <= float64(r.Dy())
}

// clip cuts a segment to the canvas grown by w (Liang-Barsky); false
// when nothing of it is left.
func (c *Canvas) clip(a, b [2]float64, w float64) ([2]float64, [2]float64, bool) {
	r := c.Image.Bounds()
	t0, t1 := 0.0, 1.0
	dx, dy := b[0]-a[0], b[1]-a[1]
	for _, e := range [4][2]float64{{-dx, a[0] + w}, {dx, float64(r.Dx()) + w - a[0]}, {-dy, a[1] + w}, {dy, float64(r.Dy()) + w - a[1]}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return a, b, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
	}
	if t0 > t1 {
		return a, b, false
	}
	return [2]float64{a[0] + dx*t0, a[1] + dy*t0}, [2]float64{a[0] + dx*t1, a[1] + dy*t1}, true
}

// segment adds a stroked segment with round caps: a rectangle and a disc
// at each end, all wound the same way so overlaps do not cancel.
func (c *Canvas) segment(a, b [2]float64, w float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(dx, dy)
	if n > 0 {
		nx, ny := -dy/n*w, dx/n*w
		c.moveTo(a[0]+nx, a[1]+ny)
		c.lineTo(b[0]+nx, b[1]+ny)
		c.lineTo(b[0]-nx, b[1]-ny)
		c.lineTo(a[0]-nx, a[1]-ny)
		c.closePath()
	}
	if w >= 0.75 { // hairlines need no round joins
		c.disc(a[0], a[1], w)
		c.disc(b[0], b[1], w)
	}
}

// disc adds a circle, wound like segment's rectangles.
func (c *Canvas) disc(x, y, r float64) {
	const k = 0.5522847498 // cubic Bézier circle
	c.mark(x-r, y-r)
	c.mark(x+r, y+r)
	c.ops = append(c.ops, pathOp{kind: 'M', pts: [3][2]float64{{x + r, y}}})
	c.cubeTo(x+r, y+k*r, x+k*r, y+r, x, y+r)
	c.cubeTo(x-k*r, y+r, x-r, y+k*r, x-r, y)
	c.cubeTo(x-r, y-k*r, x-k*r, y-r, x, y-r)
	c.cubeTo(x+k*r, y-r, x+r, y-k*r, x+r, y)
	c.closePath()
}

// Circle draws a disc of radius r pixels (times the scale) with an
// outline of width outline.
func (c *Canvas) Circle(p orb.Point, r float64, fill, stroke color.Color, outline float64) {
	x, y := c.Pixel(p)
	r *= c.Scale
	if b := c.Image.Bounds(); x+r < 0 || y+r < 0 || x-r > float64(b.Dx()) || y-r > float64(b.Dy()) {
		return
	}
	if stroke != nil && outline > 0 {
		c.disc(x, y, r+outline*c.Scale)
		c.paint(stroke)
	}
	c.disc(x, y, r)
	c.paint(fill)
}

// TextSize is the size of a label in pixels.
func (c *Canvas) TextSize(s string, size float64, bold bool) (w, h float64) {
	f := c.fonts.face(bold, size*c.Scale)
	if f == nil {
		return 0, 0
	}
	adv := font.MeasureString(f, s)
	m := f.Metrics()
	return float64(adv) / 64, float64(m.Ascent+m.Descent) / 64
}

// Text draws a label with its left baseline at pixel (x, y), with a halo
// of the halo colour so it reads over any background.
func (c *Canvas) Text(x, y float64, s string, size float64, bold bool, col, halo color.Color) {
	f := c.fonts.face(bold, size*c.Scale)
	if f == nil {
		return
	}
	d := font.Drawer{Dst: c.Image, Face: f}
	if halo != nil {
		d.Src = image.NewUniform(halo)
		h := math.Max(1, c.Scale)
		for _, o := range [][2]float64{{-h, 0}, {h, 0}, {0, -h}, {0, h}, {-h, -h}, {h, h}, {-h, h}, {h, -h}} {
			d.Dot = fixed.Point26_6{X: fixed.Int26_6((x + o[0]) * 64), Y: fixed.Int26_6((y + o[1]) * 64)}
			d.DrawString(s)
		}
	}
	d.Src = image.NewUniform(col)
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
	d.DrawString(s)
}

// EncodePNG encodes an image as PNG, favouring speed over size.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}
