// Package features turns what the parsers found in articles into GeoJSON
// features (RFC 7946) with orb: places, relative estimates and events.
package features

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

// round6 keeps at most 6 decimals: about 11 cm, finer than any gazetteer.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// Point builds an orb point from latitude and longitude, rounded.
func Point(lat, lon float64) orb.Point { return orb.Point{round6(lon), round6(lat)} }

// MentionJSON is a mention span in feature properties.
type MentionJSON struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// geonameID is the GeoNames id as JSON: null for entries not from GeoNames.
func geonameID(p *gazetteer.Place) any {
	if id := p.ID.GeonameID(); id > 0 {
		return id
	}
	return nil
}

// extent is the place's bbox as a JSON array. Towns have none in
// GeoNames, so theirs is estimated from the population (a circle of
// 1.5 km per 10,000 people's square root, 1 to 30 km); estimated says so.
func extent(p *gazetteer.Place) (box any, estimated bool) {
	b := p.Extent
	if b.IsZero() {
		r := math.Max(1, math.Min(30, 0.015*math.Sqrt(float64(p.Population))))
		dLat := r / 111.32
		dLon := dLat / math.Max(0.05, math.Cos(p.Lat*math.Pi/180))
		b = gazetteer.BBox{p.Lon - dLon, p.Lat - dLat, p.Lon + dLon, p.Lat + dLat}
		estimated = true
	}
	return []float64{round6(b[0]), round6(b[1]), round6(b[2]), round6(b[3])}, estimated
}

// Places groups the mentions by resolved place and role: one feature per
// place and role, listing every mention. Demonyms ("Libyan", "Russian-made")
// name no location: their features have kind "demonym" (with the country
// they point to), so that no consumer of "place" features mistakes them for
// a place named in the text.
func Places(res geoparse.Result, article string) []*geojson.Feature {
	type groupKey struct {
		id       gazetteer.ID
		role     string
		facility string
		name     string // a part of a region has its own name
	}
	groups := map[groupKey][]geoparse.Mention{}
	var order []groupKey
	for _, m := range res.Mentions {
		k := groupKey{m.Place.ID, m.Role, m.Facility, m.Place.Name}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], m)
	}
	var out []*geojson.Feature
	for _, k := range order {
		ms := groups[k]
		p := ms[0].Place
		f := geojson.NewFeature(Point(p.Lat, p.Lon))
		id := fmt.Sprintf("%s/place/%d/%s", article, p.ID, k.role)
		kind := string(p.Kind)
		site := ms[0].Key != "" && p.Name != "" && strings.HasSuffix(p.Name, ", "+baseName(p.Name))
		if k.facility != "" {
			id += "/" + strings.ReplaceAll(k.facility, " ", "-")
			if site {
				// a named site in a city: its own name keeps two sites
				// of one city apart
				id += "/" + strings.ReplaceAll(ms[0].Key, " ", "-")
			}
			if p.Kind != gazetteer.KindDistrict {
				kind = string(gazetteer.KindFacility)
			}
		}
		f.ID = id
		mentions := make([]MentionJSON, len(ms))
		conf := 0.0
		for i, m := range ms {
			mentions[i] = MentionJSON{Text: m.Text, Start: m.Start, End: m.End}
			conf = math.Max(conf, m.Confidence)
		}
		featureKind := "place"
		if k.role == geoparse.RoleAssociated {
			featureKind = "demonym"
		}
		f.Properties = geojson.Properties{
			"kind":          featureKind,
			"place_kind":    kind,
			"name":          p.Name,
			"geo_precision": ms[0].GeoPrecision,
			"geonameid":     geonameID(p),
			"country":       p.Country,
			"feature_code":  p.FeatureCode,
			"population":    p.Population,
			"confidence":    math.Round(conf*1000) / 1000,
			"role":          k.role,
			"mentions":      mentions,
		}
		f.Properties["extent"], f.Properties["extent_estimated"] = extent(p)
		if site {
			// located by its city: anywhere in it
			f.Properties["uncertainty_km"] = uncertaintyKm(f.Properties["extent"].([]float64))
		}
		if k.facility != "" {
			f.Properties["facility"] = k.facility
			var phrases []MentionJSON
			for _, m := range ms {
				if m.FacilityText != "" {
					phrases = append(phrases, MentionJSON{Text: m.FacilityText, Start: m.FacilityStart, End: m.FacilityEnd})
				}
			}
			if len(phrases) > 0 {
				f.Properties["facility_mentions"] = phrases
			}
		}
		if article != "" {
			f.Properties["article"] = article
		}
		if refs := referencesTo(res.References, p.ID); len(refs) > 0 && k.role == geoparse.RoleLocation {
			f.Properties["references"] = refs
		}
		out = append(out, f)
	}
	// references to places never named ("the capital" alone)
	named := map[gazetteer.ID]bool{}
	for _, m := range res.Mentions {
		if m.Role == geoparse.RoleLocation {
			named[m.Place.ID] = true
		}
	}
	var unnamed []gazetteer.ID
	seen := map[gazetteer.ID]bool{}
	for _, r := range res.References {
		if !named[r.Place.ID] && !seen[r.Place.ID] {
			seen[r.Place.ID] = true
			unnamed = append(unnamed, r.Place.ID)
		}
	}
	sort.Slice(unnamed, func(i, j int) bool { return unnamed[i] < unnamed[j] })
	for _, id := range unnamed {
		var p *gazetteer.Place
		for _, r := range res.References {
			if r.Place.ID == id {
				p = r.Place
			}
		}
		f := geojson.NewFeature(Point(p.Lat, p.Lon))
		f.ID = fmt.Sprintf("%s/place/%d/reference", article, p.ID)
		f.Properties = geojson.Properties{
			"kind": "place", "place_kind": string(p.Kind), "name": p.Name, "geonameid": geonameID(p),
			"country": p.Country, "feature_code": p.FeatureCode, "population": p.Population,
			"confidence": 1.0, "role": geoparse.RoleLocation, "mentions": []MentionJSON{},
			"references": referencesTo(res.References, id),
		}
		f.Properties["extent"], f.Properties["extent_estimated"] = extent(p)
		if article != "" {
			f.Properties["article"] = article
		}
		out = append(out, f)
	}
	return out
}

func referencesTo(refs []geoparse.Reference, id gazetteer.ID) []MentionJSON {
	var out []MentionJSON
	for _, r := range refs {
		if r.Place.ID == id {
			out = append(out, MentionJSON{Text: r.Text, Start: r.Start, End: r.End})
		}
	}
	return out
}

// Estimates builds one feature per relative expression.
func Estimates(res geoparse.Result, article string) []*geojson.Feature {
	var out []*geojson.Feature
	for _, e := range res.Estimates {
		f := geojson.NewFeature(Point(e.Lat, e.Lon))
		f.ID = fmt.Sprintf("%s/estimate/%d", article, e.Start)
		var qualifier, resolved any
		if e.Qualifier != "" {
			qualifier = e.Qualifier
		}
		props := geojson.Properties{
			"kind":             "estimate",
			"text":             e.Text,
			"start":            e.Start,
			"end":              e.End,
			"anchor":           e.Anchor.Name,
			"anchor_text":      e.AnchorText,
			"anchor_geonameid": geonameID(e.Anchor),
			"distance_km":      round3(e.DistanceKm),
			"distance_stated":  e.DistanceStated,
			"bearing":          e.Bearing,
			"bearing_deg":      e.BearingDeg,
			"qualifier":        qualifier,
			"uncertainty_km":   e.UncertaintyKm,
		}
		if e.ResolvedPlace != nil {
			resolved = map[string]any{"name": e.ResolvedPlace.Name, "geonameid": geonameID(e.ResolvedPlace)}
			if e.DistanceStated {
				props["stated_km"] = round3(e.DistanceKm)
				props["measured_km"] = round3(e.MeasuredKm)
				if e.MeasuredKm > 0 {
					// the claims check: how far the article's distance is
					// from the geodesic one
					props["ratio"] = round3(e.DistanceKm / e.MeasuredKm)
				}
			}
		}
		props["resolved_place"] = resolved
		if article != "" {
			props["article"] = article
		}
		f.Properties = props
		out = append(out, f)
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// baseName is the part of a name after its last ", ": the city of a site
// named "Grand Mosque, Kano".
func baseName(name string) string {
	if i := strings.LastIndex(name, ", "); i >= 0 {
		return name[i+2:]
	}
	return ""
}

// uncertaintyKm is half the diagonal of an extent [w, s, e, n].
func uncertaintyKm(b []float64) float64 {
	return round3(gazetteer.HaversineKm(b[1], b[0], b[3], b[2]) / 2)
}
