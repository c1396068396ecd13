package zones

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/peterstace/simplefeatures/geom"
)

// outline is a country's polygon ready for exact overlay.
type outline struct {
	g geom.Geometry
}

func newOutline(country orb.MultiPolygon) (outline, error) {
	g, err := toGeom(country)
	return outline{g}, err
}

func toGeom(g orb.Geometry) (geom.Geometry, error) {
	b, err := wkb.Marshal(g)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("zones: encode geometry: %w", err)
	}
	out, err := geom.UnmarshalWKB(b, geom.NoValidate{})
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("zones: decode geometry: %w", err)
	}
	return out, nil
}

func fromGeom(g geom.Geometry) (orb.Geometry, error) {
	out, err := wkb.Unmarshal(g.AsBinary())
	if err != nil {
		return nil, fmt.Errorf("zones: decode overlay: %w", err)
	}
	return out, nil
}

// polygons keeps the areas of the intersection of mp with the outline,
// exteriors counterclockwise as RFC 7946 wants.
func (o outline) polygons(mp orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(mp) == 0 {
		return nil, nil
	}
	g, err := toGeom(mp)
	if err != nil {
		return nil, err
	}
	x, err := geom.Intersection(g, o.g)
	if err != nil {
		return nil, fmt.Errorf("zones: clip to the country: %w", err)
	}
	og, err := fromGeom(x.ForceCCW())
	if err != nil {
		return nil, err
	}
	var out orb.MultiPolygon
	collect(og, func(p orb.Polygon) { out = append(out, p) }, nil)
	return out, nil
}

// lines keeps the lines of the intersection of mls with the outline.
func (o outline) lines(mls orb.MultiLineString) (orb.MultiLineString, error) {
	if len(mls) == 0 {
		return nil, nil
	}
	g, err := toGeom(mls)
	if err != nil {
		return nil, err
	}
	x, err := geom.Intersection(g, o.g)
	if err != nil {
		return nil, fmt.Errorf("zones: clip to the country: %w", err)
	}
	og, err := fromGeom(x)
	if err != nil {
		return nil, err
	}
	var out orb.MultiLineString
	collect(og, nil, func(l orb.LineString) { out = append(out, l) })
	return out, nil
}

// collect walks a geometry's polygons and lines.
func collect(g orb.Geometry, poly func(orb.Polygon), line func(orb.LineString)) {
	switch g := g.(type) {
	case orb.Polygon:
		if poly != nil {
			poly(g)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			collect(p, poly, line)
		}
	case orb.LineString:
		if line != nil {
			line(g)
		}
	case orb.MultiLineString:
		for _, l := range g {
			collect(l, poly, line)
		}
	case orb.Collection:
		for _, c := range g {
			collect(c, poly, line)
		}
	}
}
