package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/store"
	"github.com/conflictmap/conflictmap/geo/zones"
)

// controlMethod says how zones and fronts were made.
const controlMethod = "nearest controlled place on a 0.1° grid over the country's Natural Earth land, latest claim per place on or before the date (else a statement of standing control made within 30 days after it, no capture first), reach 450 km; contested: within 30 km of a clash of the 7 days before"

// controlLayer builds the zones or frontlines of the date in key
// (YYYY-MM-DD, or "" for the latest event's date).
func (s *Server) controlLayer(ctx context.Context, id, key string) ([]*geojson.Feature, error) {
	fused, err := s.store.FusedEvents(ctx)
	if err != nil {
		return nil, err
	}
	claims, err := s.store.Claims(ctx, "")
	if err != nil {
		return nil, err
	}
	if len(claims) == 0 {
		return nil, nil
	}
	date, err := controlDate(key, fused)
	if err != nil {
		return nil, err
	}
	cc := focusCountry(claims)
	if s.countries == nil {
		return nil, nil
	}
	shape, err := s.countries.CountryShape(ctx, cc)
	if err != nil {
		return nil, nil // no polygon for the country: nothing to draw
	}
	country, ok := shape.(orb.MultiPolygon)
	if !ok {
		if p, isPoly := shape.(orb.Polygon); isPoly {
			country = orb.MultiPolygon{p}
		}
	}
	var clashes []zones.Clash
	for _, e := range fused {
		if e.EventType != events.Battles {
			continue
		}
		d, err := time.Parse("2006-01-02", e.Date)
		if err == nil {
			clashes = append(clashes, zones.Clash{ID: e.ID, Date: d, Lat: e.Location.Lat, Lon: e.Location.Lon})
		}
	}
	var local []events.ControlClaim
	for _, c := range claims {
		if c.Country == cc {
			local = append(local, c)
		}
	}
	m := zones.Build(country, local, clashes, date, zones.Config{})
	day := date.Format("2006-01-02")
	if id == "zones" {
		return zoneFeatures(m, day), nil
	}
	return frontFeatures(m, day), nil
}

// controlKey is the day a zones or frontlines query asks for: the
// datetime instant, the end of a closed interval, or "" for the latest.
func controlKey(iq itemsQuery) string {
	if !iq.hasWhen || !iq.when.HasEnd {
		return ""
	}
	return iq.when.End.UTC().Format("2006-01-02")
}

// controlDayOf is the day in a zone or front id ("zone-2019-04-07-..."),
// or "" when it has none.
func controlDayOf(id string) string {
	_, rest, ok := strings.Cut(id, "-")
	if !ok || len(rest) < 10 {
		return ""
	}
	if _, err := time.Parse("2006-01-02", rest[:10]); err != nil {
		return ""
	}
	return rest[:10]
}

// controlDate is the date asked for, or the latest event's.
func controlDate(key string, fused []store.FusedRecord) (time.Time, error) {
	if key != "" {
		return time.Parse("2006-01-02", key)
	}
	latest := ""
	for _, e := range fused {
		if e.Date > latest {
			latest = e.Date
		}
	}
	if latest == "" {
		return time.Now().UTC().Truncate(24 * time.Hour), nil
	}
	return time.Parse("2006-01-02", latest)
}

// focusCountry is the country most claims are in.
func focusCountry(claims []events.ControlClaim) string {
	n := map[string]int{}
	best := ""
	for _, c := range claims {
		n[c.Country]++
		if n[c.Country] > n[best] || n[c.Country] == n[best] && c.Country < best {
			best = c.Country
		}
	}
	return best
}

func zoneFeatures(m zones.Map, day string) []*geojson.Feature {
	var out []*geojson.Feature
	for _, z := range m.Zones {
		f := geojson.NewFeature(z.Area)
		f.ID = fmt.Sprintf("zone-%s-%s", day, slug(z.Actor))
		var places []map[string]any
		eventIDs := []string{}
		for _, h := range z.Holdings {
			places = append(places, map[string]any{"place": h.Place, "place_id": h.PlaceID, "claimed": h.Date, "kind": h.Kind,
				"text": h.Text, "article": h.Article, "standing": h.Standing})
			if h.Event != "" {
				eventIDs = append(eventIDs, h.Event)
			}
		}
		f.Properties = geojson.Properties{"kind": "zone", "actor": z.Actor, "date": day, "method": controlMethod,
			"contested": false, "places": places, "events": eventIDs}
		out = append(out, f)
	}
	if len(m.Contested) > 0 {
		f := geojson.NewFeature(m.Contested)
		f.ID = "zone-" + day + "-contested"
		f.Properties = geojson.Properties{"kind": "zone", "actor": nil, "date": day, "method": controlMethod,
			"contested": true, "places": []any{}, "events": m.Clashes}
		out = append(out, f)
	}
	var disputed []map[string]any
	for _, c := range m.Disputed {
		disputed = append(disputed, map[string]any{"place": c.Place, "actor": c.Actor, "claimed": c.Date, "text": c.Text})
	}
	for _, f := range out {
		if len(disputed) > 0 {
			f.Properties["disputed_claims"] = disputed
		}
	}
	return out
}

func frontFeatures(m zones.Map, day string) []*geojson.Feature {
	var out []*geojson.Feature
	for _, fr := range m.Fronts {
		for i, l := range fr.Line {
			f := geojson.NewFeature(orb.MultiLineString{l})
			f.ID = fmt.Sprintf("front-%s-%s-%s-%d", day, slug(fr.Actors[0]), slug(fr.Actors[1]), i+1)
			f.Properties = geojson.Properties{"kind": "frontline", "actors": fr.Actors[:], "actor": fr.Actors[0] + " / " + fr.Actors[1],
				"date": day, "method": controlMethod, "contested": fr.Contested[i], "events": fr.Clashes}
			out = append(out, f)
		}
	}
	return out
}

func slug(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}
