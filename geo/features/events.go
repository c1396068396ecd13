package features

import (
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/events"
)

// Events builds one Point feature per event an article reports.
func Events(evts []events.Event) []*geojson.Feature {
	out := make([]*geojson.Feature, 0, len(evts))
	for _, e := range evts {
		f := geojson.NewFeature(Point(e.Location.Lat, e.Location.Lon))
		f.ID = e.ID
		f.Properties = eventProperties(e)
		out = append(out, f)
	}
	return out
}

// eventProperties are an event's GeoJSON properties.
func eventProperties(e events.Event) geojson.Properties {
	p := geojson.Properties{
		"kind":           "event",
		"event_type":     e.EventType,
		"sub_event_type": e.SubEventType,
		"date":           e.DateString(),
		"time_precision": e.TimePrecision,
		"actor1":         nullable(e.Actor1),
		"actor2":         nullable(e.Actor2),
		"location":       e.Location.Name,
		"location_text":  e.Location.Text,
		"geo_precision":  e.Location.GeoPrecision,
		"fatalities":     e.Fatalities,
		"wounded":        e.Wounded,
		"disputed":       e.Disputed,
		"sentences":      e.Sentences,
		"article":        e.Article,
	}
	if e.Location.Geonames > 0 {
		p["geonameid"] = e.Location.Geonames
	}
	if e.Location.UncertaintyKm > 0 {
		p["uncertainty_km"] = e.Location.UncertaintyKm
	}
	if e.DateText != "" {
		p["date_text"] = e.DateText
	}
	if e.Source != "" {
		p["source"] = e.Source
	}
	if e.ArticleDate != "" {
		p["article_date"] = e.ArticleDate
	}
	return p
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
