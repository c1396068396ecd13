package corpus

import (
	"encoding/json"
	"math"
	"sort"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/features"
)

// Features are read both as features.Extract builds them (typed
// properties) and as decoded from `conflictmap extract --out` files (JSON
// numbers and arrays), so that both can be scored.

// Prediction is one predicted toponym: a mention of a place feature.
type Prediction struct {
	Start, End int
	Text       string
	// Point is the feature's point (the mean vertex of another geometry);
	// HasPoint is false when it has none.
	Point    orb.Point
	HasPoint bool
	Country  string // ISO-2, or ""
	Name     string
	Role     string
}

// PlacePredictions lists the mentions of the features of kind "place",
// one per span (the first feature to claim a span keeps it), sorted by
// span, as score_toponyms.py does. Mentions of features with role
// "associated" (demonyms) are left out when dropAssociated is set.
func PlacePredictions(fs []*geojson.Feature, dropAssociated bool) []Prediction {
	type span struct{ start, end int }
	seen := map[span]bool{}
	var out []Prediction
	for _, f := range fs {
		if f == nil || str(f.Properties["kind"]) != "place" {
			continue
		}
		role := str(f.Properties["role"])
		if dropAssociated && role == "associated" {
			continue
		}
		pt, hasPt := meanVertex(f.Geometry)
		for _, m := range mentions(f.Properties["mentions"]) {
			s := span{m.Start, m.End}
			if seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, Prediction{Start: m.Start, End: m.End, Text: m.Text, Point: pt, HasPoint: hasPt,
				Country: str(f.Properties["country"]), Name: str(f.Properties["name"]), Role: role})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	return out
}

// mentions reads a feature's mentions, skipping any without integer
// offsets.
func mentions(v any) []features.MentionJSON {
	switch ms := v.(type) {
	case []features.MentionJSON:
		return ms
	case []any:
		var out []features.MentionJSON
		for _, x := range ms {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			start, ok1 := toInt(m["start"])
			end, ok2 := toInt(m["end"])
			if ok1 && ok2 {
				out = append(out, features.MentionJSON{Text: str(m["text"]), Start: start, End: end})
			}
		}
		return out
	}
	return nil
}

// EventPrediction is one event feature.
type EventPrediction struct {
	Point    orb.Point
	HasPoint bool
	// Date is zero when the event has none that parses.
	Date          time.Time
	Fatalities    int
	HasFatalities bool
}

// EventPredictions lists the features of kind "event".
func EventPredictions(fs []*geojson.Feature) []EventPrediction {
	var out []EventPrediction
	for _, f := range fs {
		if f == nil || str(f.Properties["kind"]) != "event" {
			continue
		}
		e := EventPrediction{}
		e.Point, e.HasPoint = meanVertex(f.Geometry)
		if d, err := time.Parse(time.DateOnly, str(f.Properties["date"])); err == nil {
			e.Date = d
		}
		e.Fatalities, e.HasFatalities = toInt(f.Properties["fatalities"])
		out = append(out, e)
	}
	return out
}

// PlacePoints are the points of the features of kind "place".
func PlacePoints(fs []*geojson.Feature) []orb.Point {
	var out []orb.Point
	for _, f := range fs {
		if f == nil || str(f.Properties["kind"]) != "place" {
			continue
		}
		if pt, ok := meanVertex(f.Geometry); ok {
			out = append(out, pt)
		}
	}
	return out
}

// meanVertex is a Point itself, or the mean of another geometry's
// vertices as listed (a ring's closing vertex included), as
// score_toponyms.py's point_of takes it.
func meanVertex(g orb.Geometry) (orb.Point, bool) {
	var sum orb.Point
	n := 0
	var walk func(g orb.Geometry)
	add := func(ps []orb.Point) {
		for _, p := range ps {
			sum[0] += p[0]
			sum[1] += p[1]
			n++
		}
	}
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			add([]orb.Point{g})
		case orb.MultiPoint:
			add(g)
		case orb.LineString:
			add(g)
		case orb.Ring:
			add(g)
		case orb.MultiLineString:
			for _, l := range g {
				add(l)
			}
		case orb.Polygon:
			for _, r := range g {
				add(r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, x := range g {
				walk(x)
			}
		}
	}
	walk(g)
	if n == 0 {
		return orb.Point{}, false
	}
	return orb.Point{sum[0] / float64(n), sum[1] / float64(n)}, true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// toInt reads an integer property, typed or decoded from JSON.
func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case *int: // events.Event's counts: nil when the article gives none
		if x != nil {
			return *x, true
		}
	case int64:
		return int(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x), true
		}
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}
