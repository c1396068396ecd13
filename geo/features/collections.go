package features

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/geodesic"
	"github.com/conflictmap/conflictmap/geo/store"
)

// Stored places, events, estimates and distances as the map's layers.

// PlaceFeatures builds the places layer: one feature per place, with its
// mention count, articles and first and last mention dates.
func PlaceFeatures(places []store.PlaceRecord) []*geojson.Feature {
	out := make([]*geojson.Feature, 0, len(places))
	for _, p := range places {
		f := geojson.NewFeature(Point(p.Lat, p.Lon))
		f.ID = placeFeatureID(p)
		f.Properties = geojson.Properties{
			"kind": "place", "name": p.Name, "place_kind": p.Kind, "country": p.Country, "feature_code": p.FeatureCode,
			"population": p.Population, "mention_count": p.Mentions, "articles": p.Articles, "names": p.Names,
			"first_mention": p.FirstDate, "last_mention": p.LastDate, "geo_precision": p.GeoPrecision,
			"date": p.FirstDate,
		}
		if p.PlaceID > 0 {
			f.Properties["geonameid"] = p.PlaceID
		} else {
			f.Properties["geonameid"] = nil
		}
		out = append(out, f)
	}
	return out
}

// placeFeatureID is stable across restarts: the gazetteer id, and the kind
// when a place is also named as a facility.
func placeFeatureID(p store.PlaceRecord) string {
	id := fmt.Sprintf("p%d", p.PlaceID)
	if p.PlaceID < 0 {
		id = fmt.Sprintf("pn%d", -p.PlaceID)
	}
	if p.Kind == "facility" && p.FeatureCode != "AIRP" && p.FeatureCode != "AIRB" {
		id += "-facility"
	}
	return id
}

// EventFeatures builds the events layer from the fused events.
func EventFeatures(fused []store.FusedRecord) ([]*geojson.Feature, error) {
	out := make([]*geojson.Feature, 0, len(fused))
	for _, e := range fused {
		var props map[string]any
		if err := json.Unmarshal(e.Raw, &props); err != nil {
			return nil, fmt.Errorf("decode fused event %s: %w", e.ID, err)
		}
		props["kind"] = "event"
		props["location_name"] = e.Location.Name
		props["geo_precision"] = e.Location.GeoPrecision
		delete(props, "location")
		f := geojson.NewFeature(Point(e.Location.Lat, e.Location.Lon))
		f.ID = e.ID
		f.Properties = props
		out = append(out, f)
	}
	return out, nil
}

// circleSegments is how many sides an uncertainty circle has.
const circleSegments = 48

// EstimateFeatures builds the estimates layer: each relative estimate as a
// polygon of its uncertainty (a geodesic circle around the point), with
// the point itself in the properties.
func EstimateFeatures(ests []store.StoredEstimate) []*geojson.Feature {
	out := make([]*geojson.Feature, 0, len(ests))
	for _, e := range ests {
		f := geojson.NewFeature(Circle(e.Lat, e.Lon, e.UncertaintyKm))
		f.ID = fmt.Sprintf("a%d-x%d", e.ArticleID, e.Start)
		props := geojson.Properties{
			"kind": "estimate", "text": e.Text, "anchor": e.Anchor, "distance_km": round3(e.DistanceKm),
			"distance_stated": e.DistanceStated, "bearing": e.Bearing, "bearing_deg": e.BearingDeg,
			"uncertainty_km": e.UncertaintyKm, "point": []float64{round6(e.Lon), round6(e.Lat)},
			"article_id": e.ArticleID, "date": e.ArticleDate, "qualifier": nullable(e.Qualifier),
		}
		if e.ResolvedPlace != "" {
			props["resolved_place"] = e.ResolvedPlace
			if e.MeasuredKm > 0 && e.DistanceStated {
				props["stated_km"], props["measured_km"] = round3(e.DistanceKm), round3(e.MeasuredKm)
				props["ratio"] = round3(e.DistanceKm / e.MeasuredKm)
			}
		}
		f.Properties = props
		out = append(out, f)
	}
	return out
}

// Circle is a geodesic circle of radius km around a point, as a polygon
// wound counter-clockwise (RFC 7946).
func Circle(lat, lon, km float64) orb.Polygon {
	if km <= 0 {
		km = 0.5
	}
	ring := make(orb.Ring, 0, circleSegments+1)
	for i := 0; i < circleSegments; i++ {
		// counter-clockwise: bearings decreasing from north through west
		az := 360 - float64(i)*360/circleSegments
		la, lo := geodesic.Destination(lat, lon, math.Mod(az, 360), km*1000)
		ring = append(ring, Point(la, lo))
	}
	ring = append(ring, ring[0])
	return orb.Polygon{ring}
}

// Focal is the place distance lines start from.
type Focal struct {
	Name     string
	Lat, Lon float64
}

// DistanceFeatures builds the distances layer: a geodesic line from the
// focal place to every event location, densified every maxSegmentKm so it
// draws as a true geodesic on a Web Mercator map, with its length in km
// and miles, initial bearing, and the distances articles state.
func DistanceFeatures(from Focal, fused []store.FusedRecord, maxSegmentKm float64) []*geojson.Feature {
	out := make([]*geojson.Feature, 0, len(fused))
	for _, e := range fused {
		line, km, azi, _ := geodesicLine(orb.Point{from.Lon, from.Lat}, orb.Point{e.Location.Lon, e.Location.Lat}, maxSegmentKm)
		if km < 0.001 {
			continue // the event is at the focal place
		}
		f := geojson.NewFeature(line)
		f.ID = "d-" + e.ID
		props := geojson.Properties{
			"kind": "distance", "from": from.Name, "to": e.Location.Name, "event_id": e.ID,
			"event_type": e.EventType, "sub_event_type": e.SubEventType, "date": e.Date,
			"km": round3(km), "miles": round3(km / 1.609344), "initial_bearing": bearing(azi),
		}
		// the distances the articles claim from the same place
		var claims []map[string]any
		for _, raw := range e.Sources {
			var src events.Event
			if json.Unmarshal(raw, &src) != nil || src.Location.StatedKm <= 0 || src.Location.Anchor != from.Name {
				continue
			}
			claims = append(claims, map[string]any{"stated_km": round3(src.Location.StatedKm), "text": src.Location.Text,
				"ratio": round3(src.Location.StatedKm / km), "article": src.Article})
		}
		if len(claims) > 0 {
			props["claims"] = claims
		}
		f.Properties = props
		out = append(out, f)
	}
	return out
}

// GeodesicFeature is the WGS84 geodesic from a to b (orb points, lon/lat)
// as a LineString densified every maxSegmentKm, so it draws as a true
// geodesic on a Web Mercator map, with its length in km and miles and its
// initial and final bearings in degrees clockwise from north.
func GeodesicFeature(a, b orb.Point, maxSegmentKm float64) *geojson.Feature {
	line, km, azi1, azi2 := geodesicLine(a, b, maxSegmentKm)
	f := geojson.NewFeature(line)
	f.Properties = geojson.Properties{
		"km": round3(km), "miles": round3(km / 1.609344),
		"initial_bearing": bearing(azi1), "final_bearing": bearing(azi2),
	}
	return f
}

// geodesicLine is the densified geodesic from a to b, its length in km and
// its azimuths at both ends.
func geodesicLine(a, b orb.Point, maxSegmentKm float64) (line orb.LineString, km, azi1, azi2 float64) {
	w := geodesic.WGS84()
	m, azi1, azi2 := w.Inverse(a.Lat(), a.Lon(), b.Lat(), b.Lon())
	pts := w.Line(a.Lat(), a.Lon(), b.Lat(), b.Lon(), maxSegmentKm*1000)
	line = make(orb.LineString, len(pts))
	for i, p := range pts {
		line[i] = orb.Point{round6(p[0]), round6(p[1])}
	}
	return line, m / 1000, azi1, azi2
}

// bearing turns an azimuth in [-180, 180] into degrees in [0, 360),
// rounded to a tenth.
func bearing(azi float64) float64 {
	return math.Mod(math.Round(math.Mod(azi+360, 360)*10)/10, 360)
}
