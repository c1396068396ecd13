// Package topojson decodes TopoJSON topologies (such as the Natural Earth
// files of the world-atlas package) into orb geometries.
package topojson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb"
)

// ErrInvalid is returned for a topology that cannot be decoded.
var ErrInvalid = errors.New("topojson: invalid topology")

// Feature is one decoded geometry object.
type Feature struct {
	ID         string
	Properties map[string]any
	Geometry   orb.Geometry
}

type topology struct {
	Type      string                     `json:"type"`
	Transform *transform                 `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type object struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []object        `json:"geometries"`
}

// Decode reads a topology and returns the features of every object, by
// object name.
func Decode(r io.Reader) (map[string][]Feature, error) {
	var t topology
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("%w: type %q", ErrInvalid, t.Type)
	}
	arcs, err := decodeArcs(t)
	if err != nil {
		return nil, err
	}
	out := map[string][]Feature{}
	for name, raw := range t.Objects {
		var o object
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("%w: object %s: %v", ErrInvalid, name, err)
		}
		feats, err := decodeObject(o, arcs)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", name, err)
		}
		out[name] = feats
	}
	return out, nil
}

// decodeArcs turns the quantised, delta-encoded arcs into coordinates.
func decodeArcs(t topology) ([][]orb.Point, error) {
	out := make([][]orb.Point, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([]orb.Point, len(arc))
		var x, y float64
		for j, p := range arc {
			if len(p) < 2 {
				return nil, fmt.Errorf("%w: arc %d point %d", ErrInvalid, i, j)
			}
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[j] = orb.Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = orb.Point{p[0], p[1]}
			}
		}
		out[i] = pts
	}
	return out, nil
}

func decodeObject(o object, arcs [][]orb.Point) ([]Feature, error) {
	if o.Type == "GeometryCollection" {
		var out []Feature
		for _, g := range o.Geometries {
			fs, err := decodeObject(g, arcs)
			if err != nil {
				return nil, err
			}
			out = append(out, fs...)
		}
		return out, nil
	}
	id := ""
	if len(o.ID) > 0 {
		var s string
		if json.Unmarshal(o.ID, &s) == nil {
			id = s
		} else {
			id = string(o.ID)
		}
	}
	f := Feature{ID: id, Properties: o.Properties}
	switch o.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(o.Arcs, &rings); err != nil {
			return nil, fmt.Errorf("%w: polygon arcs: %v", ErrInvalid, err)
		}
		p, err := polygon(rings, arcs)
		if err != nil {
			return nil, err
		}
		f.Geometry = p
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(o.Arcs, &polys); err != nil {
			return nil, fmt.Errorf("%w: multipolygon arcs: %v", ErrInvalid, err)
		}
		mp := make(orb.MultiPolygon, 0, len(polys))
		for _, rings := range polys {
			p, err := polygon(rings, arcs)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		f.Geometry = mp
	case "", "null":
		return nil, nil // a feature with no geometry
	default:
		return nil, fmt.Errorf("%w: unsupported geometry %q", ErrInvalid, o.Type)
	}
	return []Feature{f}, nil
}

func polygon(rings [][]int, arcs [][]orb.Point) (orb.Polygon, error) {
	p := make(orb.Polygon, 0, len(rings))
	for _, r := range rings {
		ring, err := stitch(r, arcs)
		if err != nil {
			return nil, err
		}
		p = append(p, ring)
	}
	return p, nil
}

// stitch joins arcs into a ring; a negative index ~i means arc i reversed.
func stitch(idx []int, arcs [][]orb.Point) (orb.Ring, error) {
	var ring orb.Ring
	for k, i := range idx {
		rev := i < 0
		if rev {
			i = ^i
		}
		if i >= len(arcs) {
			return nil, fmt.Errorf("%w: arc index %d of %d", ErrInvalid, i, len(arcs))
		}
		a := arcs[i]
		for j := range a {
			pt := a[j]
			if rev {
				pt = a[len(a)-1-j]
			}
			if k > 0 && j == 0 {
				continue // shared with the previous arc's last point
			}
			ring = append(ring, pt)
		}
	}
	return ring, nil
}
