// Package tiles cuts GeoJSON features into Mapbox Vector Tiles (MVT 2.1):
// projected to the tile's 4096-unit grid on copies (never the cached
// source), clipped with a buffer, simplified for the zoom, snapped to
// integers without zero-length moves, wound as the spec wants, and with
// stable integer ids. A spatial index makes a tile cost what lies in it.
package tiles

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/quadtree"
	"github.com/paulmach/orb/simplify"
)

const (
	// Extent is the size of a tile's grid.
	Extent = 4096
	// Buffer is the margin kept around a tile, in grid units.
	Buffer = 64
	// MaxZoom is the deepest zoom served.
	MaxZoom = 22
	// maxMercatorLat is where Web Mercator stops.
	maxMercatorLat = 85.05112877980659
)

// Layer is one named layer of features, indexed for tile queries.
type Layer struct {
	Name     string
	features []tileFeature
	points   *quadtree.Quadtree // features that are points
	shapes   []int              // the others, checked by bound
}

// tileFeature is a source feature with what every tile needs of it.
type tileFeature struct {
	geometry orb.Geometry
	bound    orb.Bound
	id       uint64
	props    geojson.Properties // scalars only
}

// indexedPoint puts a feature's point in the quadtree.
type indexedPoint struct {
	p orb.Point
	i int
}

func (ip indexedPoint) Point() orb.Point { return ip.p }

// NewLayer indexes features for tiling. Properties are flattened: lists
// and objects become JSON text, nulls are left out.
func NewLayer(name string, fs []*geojson.Feature) *Layer {
	l := &Layer{Name: name, points: quadtree.New(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})}
	for _, f := range fs {
		if f == nil || f.Geometry == nil {
			continue
		}
		i := len(l.features)
		l.features = append(l.features, tileFeature{geometry: f.Geometry, bound: f.Geometry.Bound(), id: FeatureID(f.ID), props: flatten(f.Properties)})
		if p, ok := f.Geometry.(orb.Point); ok && p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90 {
			if err := l.points.Add(indexedPoint{p, i}); err == nil {
				continue
			}
		}
		l.shapes = append(l.shapes, i)
	}
	return l
}

// Len is the number of features in the layer.
func (l *Layer) Len() int { return len(l.features) }

// Fields lists the layer's property names with their MVT types
// ("String", "Number", "Boolean"), as TileJSON's vector_layers want.
func (l *Layer) Fields() map[string]string {
	out := map[string]string{}
	for _, f := range l.features {
		for k, v := range f.props {
			switch v.(type) {
			case string:
				out[k] = "String"
			case bool:
				out[k] = "Boolean"
			default:
				out[k] = "Number"
			}
		}
	}
	return out
}

// Bound is the extent of the layer's features.
func (l *Layer) Bound() (orb.Bound, bool) {
	if len(l.features) == 0 {
		return orb.Bound{}, false
	}
	b := l.features[0].bound
	for _, f := range l.features[1:] {
		b = b.Union(f.bound)
	}
	return b, true
}

// FeatureID is a stable integer id: a number's own value, else a hash of
// its text kept under 2^53 so JavaScript clients read it exactly.
func FeatureID(id any) uint64 {
	switch v := id.(type) {
	case nil:
		return 0
	case int:
		if v >= 0 {
			return uint64(v)
		}
	case int64:
		if v >= 0 {
			return uint64(v)
		}
	case float64:
		if v >= 0 && v == math.Trunc(v) && v < 1<<53 {
			return uint64(v)
		}
	case string:
		if n, err := strconv.ParseUint(v, 10, 53); err == nil {
			return n
		}
	}
	h := fnv.New64a()
	fmt.Fprint(h, id)
	return h.Sum64() & (1<<53 - 1)
}

func flatten(p geojson.Properties) geojson.Properties {
	out := geojson.Properties{}
	for k, v := range p {
		switch t := v.(type) {
		case nil:
		case string, bool, float64, float32, int, int64, int32, uint, uint64, uint32:
			out[k] = t
		default:
			b, err := json.Marshal(t)
			if err == nil {
				out[k] = string(b)
			}
		}
	}
	return out
}

// Tile builds the MVT layers of tile t; layers with nothing in the tile
// are left out, so an empty result means an empty tile.
func Tile(t maptile.Tile, layers ...*Layer) mvt.Layers {
	var out mvt.Layers
	geoBound := t.Bound(float64(Buffer) / Extent)
	box := orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}
	pr := newProjection(t)
	// half a pixel of a 256-pixel tile: smaller features are not drawn
	const minSize = Extent / 256 / 2
	var hits []orb.Pointer
	for _, l := range layers {
		var idx []int
		hits = l.points.InBound(hits[:0], geoBound)
		for _, h := range hits {
			idx = append(idx, h.(indexedPoint).i)
		}
		for _, i := range l.shapes {
			if l.features[i].bound.Intersects(geoBound) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		slices.Sort(idx) // source order, whatever the index returned
		ml := &mvt.Layer{Name: l.Name, Version: 2, Extent: Extent}
		for _, i := range idx {
			f := l.features[i]
			g := cut(f.geometry, pr, box, minSize)
			if g == nil {
				continue
			}
			ml.Features = append(ml.Features, &geojson.Feature{ID: f.id, Geometry: g, Properties: f.props})
		}
		if len(ml.Features) > 0 {
			out = append(out, ml)
		}
	}
	return out
}

// Marshal encodes layers as an uncompressed MVT; nil for no layers.
func Marshal(layers mvt.Layers) ([]byte, error) {
	if len(layers) == 0 {
		return nil, nil
	}
	b, err := mvt.Marshal(layers)
	if err != nil {
		return nil, fmt.Errorf("encode tile: %w", err)
	}
	return b, nil
}

// projection maps lon/lat to the tile's grid.
type projection struct {
	n, x, y float64
}

func newProjection(t maptile.Tile) projection {
	return projection{n: math.Exp2(float64(t.Z)), x: float64(t.X), y: float64(t.Y)}
}

func (p projection) point(ll orb.Point) orb.Point {
	lat := math.Max(-maxMercatorLat, math.Min(maxMercatorLat, ll[1])) * math.Pi / 180
	fx := (ll[0] + 180) / 360
	fy := (1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2
	return orb.Point{(fx*p.n - p.x) * Extent, (fy*p.n - p.y) * Extent}
}

func (p projection) line(ls []orb.Point) []orb.Point {
	out := make([]orb.Point, len(ls))
	for i, q := range ls {
		out[i] = p.point(q)
	}
	return out
}

// cut projects a copy of g to the tile, clips, simplifies and snaps it;
// nil when nothing worth drawing is left.
func cut(g orb.Geometry, pr projection, box orb.Bound, minSize float64) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		p := pr.point(g)
		if !box.Contains(p) {
			return nil
		}
		return snap(p)
	case orb.MultiPoint:
		var mp orb.MultiPoint
		for _, q := range g {
			if p := pr.point(q); box.Contains(p) {
				mp = append(mp, snap(p))
			}
		}
		if len(mp) == 0 {
			return nil
		}
		return mp
	case orb.LineString:
		return cutLines(orb.MultiLineString{g}, pr, box, minSize)
	case orb.MultiLineString:
		return cutLines(g, pr, box, minSize)
	case orb.Polygon:
		return cutPolygons(orb.MultiPolygon{g}, pr, box, minSize)
	case orb.MultiPolygon:
		return cutPolygons(g, pr, box, minSize)
	case orb.Ring:
		return cutPolygons(orb.MultiPolygon{{g}}, pr, box, minSize)
	}
	return nil // collections and bounds are not drawn in tiles
}

func cutLines(g orb.MultiLineString, pr projection, box orb.Bound, minSize float64) orb.Geometry {
	projected := make(orb.MultiLineString, 0, len(g))
	for _, l := range g {
		projected = append(projected, pr.line(l))
	}
	clipped := clip.MultiLineString(box, projected)
	var out orb.MultiLineString
	for _, l := range clipped {
		l = simplify.DouglasPeucker(1).LineString(l)
		s := snapLine(l)
		if len(s) < 2 {
			continue
		}
		if b := s.Bound(); b.Max[0]-b.Min[0] < minSize && b.Max[1]-b.Min[1] < minSize {
			continue
		}
		out = append(out, s)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

func cutPolygons(g orb.MultiPolygon, pr projection, box orb.Bound, minSize float64) orb.Geometry {
	projected := make(orb.MultiPolygon, 0, len(g))
	for _, poly := range g {
		var pp orb.Polygon
		for _, r := range poly {
			pp = append(pp, orb.Ring(pr.line(r)))
		}
		projected = append(projected, pp)
	}
	clipped := clip.MultiPolygon(box, projected)
	var out orb.MultiPolygon
	for _, poly := range clipped {
		var keep orb.Polygon
		for k, r := range poly {
			r = simplify.DouglasPeucker(1).Ring(r)
			s := snapRing(r)
			if len(s) < 4 || area(s) == 0 {
				if k == 0 {
					break // no exterior, no polygon
				}
				continue
			}
			if k == 0 {
				if b := s.Bound(); b.Max[0]-b.Min[0] < minSize && b.Max[1]-b.Min[1] < minSize {
					break
				}
			}
			// MVT: exteriors have positive area in tile space (y down),
			// holes negative
			if (area(s) > 0) != (k == 0) {
				s.Reverse()
			}
			keep = append(keep, s)
		}
		if len(keep) > 0 {
			out = append(out, keep)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

func snap(p orb.Point) orb.Point { return orb.Point{math.Round(p[0]), math.Round(p[1])} }

// snapLine rounds to the grid and drops points that snap onto the one
// before: MVT forbids zero-length moves.
func snapLine(l orb.LineString) orb.LineString {
	out := make(orb.LineString, 0, len(l))
	for _, p := range l {
		s := snap(p)
		if len(out) > 0 && out[len(out)-1] == s {
			continue
		}
		out = append(out, s)
	}
	return out
}

// snapRing is snapLine for a closed ring, also dropping the points that
// snap onto its first before the closing one.
func snapRing(r orb.Ring) orb.Ring {
	s := snapLine(orb.LineString(r))
	for len(s) > 1 && s[len(s)-1] == s[0] {
		s = s[:len(s)-1]
	}
	if len(s) < 3 {
		return nil
	}
	return orb.Ring(append(s, s[0]))
}

// area is the ring's signed area by the shoelace sum: positive for a ring
// clockwise on screen (y down), which MVT calls an exterior.
func area(r orb.Ring) float64 {
	var sum float64
	for i := 0; i+1 < len(r); i++ {
		sum += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return sum / 2
}
