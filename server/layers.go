package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/geo/features"
	"github.com/conflictmap/conflictmap/geo/store"
)

// collectionInfo describes one layer of the map.
type collectionInfo struct {
	ID, Title, Description string
	// Geometry is the layer's geometry type, for clients that need one.
	Geometry string
}

// collections are the layers, in the order maps stack them.
var collections = []collectionInfo{
	{"places", "Places", "Every place the articles name as a location, with its mention count, articles and first and last mention dates.", "Point"},
	{"events", "Events", "Conflict events in ACLED's taxonomy, fused across sources, with every source's claim and the contradictions between them.", "Point"},
	{"estimates", "Relative location estimates", "Points estimated from phrases such as '95km south of the capital', drawn as their uncertainty circle; the point is in the 'point' property.", "Polygon"},
	{"distances", "Distances", "Geodesic lines from the focal place (?from=NAME or a geonameid; default: the place the events centre on) to every event, with km, miles, initial bearing and the distances articles claim.", "LineString"},
	{"zones", "Areas of control", "For the date datetime selects (default: the latest event), one polygon per actor partitioning the focus country's land by the nearest controlled place, and the contested land near the clashes of the 7 days before. Land no claim reaches is left out.", "MultiPolygon"},
	{"frontlines", "Frontlines", "For the date datetime selects (default: the latest event), where two actors' zones meet; lines near recent clashes are contested.", "MultiLineString"},
}

func collectionByID(id string) (collectionInfo, bool) {
	for _, c := range collections {
		if c.ID == id {
			return c, true
		}
	}
	return collectionInfo{}, false
}

// layer is a collection's features with what filtering needs.
type layer struct {
	features []*geojson.Feature
	// encoded holds each feature's GeoJSON, made once: pages are joined
	// from it rather than encoded per request.
	encoded [][]byte
	// from and to are each feature's dates, for datetime filters.
	from, to []time.Time
	byID     map[string]int
	extent   [4]float64
	interval [2]string
}

// maxCachedLayers bounds the layer cache.
const maxCachedLayers = 16

// layerCache keeps built layers until the store changes.
type layerCache struct {
	mu      sync.Mutex
	version int64
	layers  map[string]*layer
}

// layer returns the collection's features as of the store's current
// version; key distinguishes variants (the focal place of distances).
func (s *Server) layer(ctx context.Context, id, key string) (*layer, int64, error) {
	switch {
	case id == "zones" || id == "frontlines":
		// key is the date, already a canonical YYYY-MM-DD
	case id != "distances":
		key = "" // only distances have variants
	default:
		if _, err := strconv.ParseInt(key, 10, 64); err != nil {
			key = gazetteer.Normalize(key) // one entry per place, not per spelling
		}
	}
	v, err := s.store.Version(ctx)
	if err != nil {
		return nil, 0, err
	}
	s.layers.mu.Lock()
	if s.layers.version != v || s.layers.layers == nil {
		s.layers.version, s.layers.layers = v, map[string]*layer{}
	}
	if l, ok := s.layers.layers[id+"|"+key]; ok {
		s.layers.mu.Unlock()
		return l, v, nil
	}
	s.layers.mu.Unlock()

	fs, err := s.buildLayer(ctx, id, key)
	if err != nil {
		return nil, 0, err
	}
	l := indexLayer(fs)
	s.layers.mu.Lock()
	if s.layers.version == v {
		if len(s.layers.layers) >= maxCachedLayers {
			// clients choose the focal places: never let them grow the
			// cache without bound
			s.layers.layers = map[string]*layer{}
		}
		s.layers.layers[id+"|"+key] = l
	}
	s.layers.mu.Unlock()
	return l, v, nil
}

func (s *Server) buildLayer(ctx context.Context, id, key string) ([]*geojson.Feature, error) {
	switch id {
	case "places":
		ps, err := s.store.Places(ctx)
		if err != nil {
			return nil, err
		}
		return features.PlaceFeatures(ps), nil
	case "events":
		fused, err := s.store.FusedEvents(ctx)
		if err != nil {
			return nil, err
		}
		return features.EventFeatures(fused)
	case "estimates":
		es, err := s.store.Estimates(ctx)
		if err != nil {
			return nil, err
		}
		return features.EstimateFeatures(es), nil
	case "zones", "frontlines":
		return s.controlLayer(ctx, id, key)
	case "distances":
		fused, err := s.store.FusedEvents(ctx)
		if err != nil {
			return nil, err
		}
		if len(fused) == 0 && key == "" {
			return nil, nil // nothing stored yet: no distances to draw
		}
		from, err := s.focal(ctx, key, fused)
		if err != nil {
			return nil, err
		}
		return features.DistanceFeatures(from, fused, 10), nil
	}
	return nil, fmt.Errorf("no layer %q", id)
}

// focal finds the place distance lines start from: a geonameid, a name
// (ranked as the gazetteer ranks it), or by default the city the events
// centre on: the most mentioned city with events within 100 km.
func (s *Server) focal(ctx context.Context, from string, fused []store.FusedRecord) (features.Focal, error) {
	ix := s.parser.Index()
	if from != "" {
		if id, err := strconv.ParseInt(from, 10, 64); err == nil {
			p := ix.Place(gazetteer.ID(id))
			if p == nil {
				return features.Focal{}, notFound("no gazetteer entry has geonameid %d", id)
			}
			return features.Focal{Name: p.Name, Lat: p.Lat, Lon: p.Lon}, nil
		}
		ranked := s.parser.Rank(from, "")
		if len(ranked) == 0 {
			return features.Focal{}, notFound("no gazetteer entry is named %q", from)
		}
		p := ranked[0].Place
		return features.Focal{Name: p.Name, Lat: p.Lat, Lon: p.Lon}, nil
	}
	places, err := s.store.Places(ctx)
	if err != nil {
		return features.Focal{}, err
	}
	// the most talked-about city that has events around it: for the
	// bundled articles, Tripoli, the capital under attack
	best, bestScore := -1, -1
	for i, p := range places {
		if p.Kind != "city" {
			continue
		}
		n := 0
		for _, e := range fused {
			if gazetteer.HaversineKm(p.Lat, p.Lon, e.Location.Lat, e.Location.Lon) <= 100 {
				n++
			}
		}
		if n == 0 {
			continue
		}
		if score := p.Mentions*4 + n; score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return features.Focal{}, notFound("no city is stored yet to measure distances from; give ?from=NAME")
	}
	p := places[best]
	return features.Focal{Name: p.Name, Lat: p.Lat, Lon: p.Lon}, nil
}

// indexLayer records each feature's dates, id and the layer's extent.
func indexLayer(fs []*geojson.Feature) *layer {
	l := &layer{features: fs, byID: map[string]int{}, from: make([]time.Time, len(fs)), to: make([]time.Time, len(fs)),
		encoded: make([][]byte, len(fs))}
	first := true
	var minD, maxD time.Time
	for i, f := range fs {
		l.byID[fmt.Sprint(f.ID)] = i
		if b, err := json.Marshal(f); err == nil {
			l.encoded[i] = b
		}
		a, b := featureDates(f)
		l.from[i], l.to[i] = a, b
		if !a.IsZero() && (minD.IsZero() || a.Before(minD)) {
			minD = a
		}
		if !b.IsZero() && b.After(maxD) {
			maxD = b
		}
		bd := f.Geometry.Bound()
		if first {
			l.extent = [4]float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]}
			first = false
		} else {
			l.extent = [4]float64{min(l.extent[0], bd.Min[0]), min(l.extent[1], bd.Min[1]), max(l.extent[2], bd.Max[0]), max(l.extent[3], bd.Max[1])}
		}
	}
	if !minD.IsZero() {
		l.interval = [2]string{minD.Format(time.RFC3339), maxD.Format(time.RFC3339)}
	}
	return l
}

// featureDates reads a feature's date range from its properties: "date"
// for events, first and last mention for places.
func featureDates(f *geojson.Feature) (time.Time, time.Time) {
	parse := func(k string) time.Time {
		s, _ := f.Properties[k].(string)
		t, _ := time.Parse("2006-01-02", s)
		return t
	}
	if a := parse("first_mention"); !a.IsZero() {
		return a, parse("last_mention")
	}
	d := parse("date")
	return d, d
}
