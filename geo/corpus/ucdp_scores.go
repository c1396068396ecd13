package corpus

import (
	"regexp"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// NearKm is how close a place or event must be to UCDP's point to count.
const NearKm = 50.0

// NameIndex tells whether the gazetteer holds a normalised name.
type NameIndex interface {
	Has(key string) bool
}

var _ NameIndex = (*gazetteer.Index)(nil)

// UCDPScores count, over the UCDP headlines, what the output got right.
// The shares are methods.
type UCDPScores struct {
	Headlines int
	// Missing lists the headlines without output, scored as empty.
	Missing []string
	// PlaceNear counts the headlines with a place feature within NearKm
	// of UCDP's point or of one of its other points; EventNear the same
	// for event points.
	PlaceNear, EventNear int
	// NameInHeadline counts the headlines that name UCDP's place (from
	// where_coordinates, see PlaceNames) and whose name the gazetteer
	// holds; PlaceNearNamed those of them with a place within NearKm.
	NameInHeadline, PlaceNearNamed int
	// EventDated counts the headlines with an event within NearKm dated
	// within date_start−1 … date_end+1.
	EventDated int
	// WithDeaths counts the headlines UCDP codes with at least one death;
	// DeathsRight those of them with an event whose fatalities equal
	// UCDP's best estimate.
	WithDeaths, DeathsRight int
	// Misses sorts the headlines without a place within NearKm.
	Misses UCDPMisses
}

// UCDPMisses sort the headlines without a place within NearKm by the
// distance of the nearest place found.
type UCDPMisses struct {
	NoPlace                    int
	Within161, Within1000, Far int
}

// PlaceShare is the share of headlines with a place within NearKm.
func (s UCDPScores) PlaceShare() float64 { return share(s.PlaceNear, s.Headlines) }

// EventShare is the share of headlines with an event within NearKm.
func (s UCDPScores) EventShare() float64 { return share(s.EventNear, s.Headlines) }

// NamedShare is the share of the name-in-headline subset with a place
// within NearKm.
func (s UCDPScores) NamedShare() float64 { return share(s.PlaceNearNamed, s.NameInHeadline) }

// EventDatedShare is the share of headlines with an event within NearKm
// and dated right.
func (s UCDPScores) EventDatedShare() float64 { return share(s.EventDated, s.Headlines) }

// DeathsShare is the share of headlines with deaths whose deaths an event
// has right.
func (s UCDPScores) DeathsShare() float64 { return share(s.DeathsRight, s.WithDeaths) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// ScoreUCDP scores the output for each headline (by article file name)
// against UCDP's coding. texts holds each headline's text (the article
// after its date header) and names the gazetteer, for the
// name-in-headline subset; either may be nil.
func ScoreUCDP(gold []UCDPEvent, texts map[string]string, outputs map[string][]*geojson.Feature, names NameIndex) UCDPScores {
	s := UCDPScores{Headlines: len(gold)}
	for _, ev := range gold {
		fs, ok := outputs[ev.File()]
		if !ok {
			s.Missing = append(s.Missing, ev.File())
		}
		nearest := -1.0
		for _, p := range PlacePoints(fs) {
			if d := ev.distanceKm(p); nearest < 0 || d < nearest {
				nearest = d
			}
		}
		placeNear := nearest >= 0 && nearest <= NearKm
		if placeNear {
			s.PlaceNear++
		} else {
			s.Misses.add(nearest)
		}
		if names != nil && namedIn(texts[ev.File()], ev.WhereCoordinates, names) {
			s.NameInHeadline++
			if placeNear {
				s.PlaceNearNamed++
			}
		}
		s.scoreEvents(ev, EventPredictions(fs))
	}
	return s
}

func (m *UCDPMisses) add(nearestKm float64) {
	switch {
	case nearestKm < 0:
		m.NoPlace++
	case nearestKm <= AccKm:
		m.Within161++
	case nearestKm <= 1000:
		m.Within1000++
	default:
		m.Far++
	}
}

// scoreEvents counts one headline's events.
func (s *UCDPScores) scoreEvents(ev UCDPEvent, evts []EventPrediction) {
	from, to := ev.DateStart.AddDate(0, 0, -1), ev.DateEnd.AddDate(0, 0, 1)
	var near, dated, deaths bool
	for _, e := range evts {
		if e.HasPoint && ev.distanceKm(e.Point) <= NearKm {
			near = true
			if !e.Date.IsZero() && !e.Date.Before(from) && !e.Date.After(to) {
				dated = true
			}
		}
		if e.HasFatalities && e.Fatalities == ev.Best {
			deaths = true
		}
	}
	if near {
		s.EventNear++
	}
	if dated {
		s.EventDated++
	}
	if ev.Best >= 1 {
		s.WithDeaths++
		if deaths {
			s.DeathsRight++
		}
	}
}

// distanceKm is the distance from p to the nearest of UCDP's points.
func (e UCDPEvent) distanceKm(p orb.Point) float64 {
	d := gazetteer.HaversineKm(e.Lat, e.Lon, p.Lat(), p.Lon())
	for _, a := range e.AltCoords {
		d = min(d, gazetteer.HaversineKm(a[0], a[1], p.Lat(), p.Lon()))
	}
	return d
}

// namedIn reports whether text names one of the places of where (see
// PlaceNames) that the gazetteer holds, on word boundaries after
// gazetteer.Normalize of both.
func namedIn(text, where string, names NameIndex) bool {
	hay := " " + gazetteer.Normalize(text) + " "
	for _, name := range PlaceNames(where) {
		key := gazetteer.Normalize(name)
		if key != "" && strings.Contains(hay, " "+key+" ") && names.Has(key) {
			return true
		}
	}
	return false
}

// genericWords end UCDP place names ("Oldtown village") without being
// part of the name a headline or a gazetteer uses.
var genericWords = map[string]bool{
	"village": true, "villages": true, "town": true, "city": true, "district": true, "sub-district": true,
	"subdistrict": true, "province": true, "governorate": true, "area": true, "locality": true, "lga": true,
	"territory": true, "township": true, "townships": true, "municipality": true, "suburb": true, "commune": true,
	"region": true, "state": true, "county": true, "neighbourhood": true, "neighborhood": true, "quarter": true,
	"settlement": true, "department": true, "prefecture": true, "division": true, "groupement": true,
	"sector": true, "chiefdom": true, "woreda": true, "tehsil": true, "upazila": true, "ward": true,
}

var parenthesis = regexp.MustCompile(`\([^)]*\)`)

// PlaceNames are the names UCDP's where_coordinates gives its point: the
// part before the first comma, without remarks in parentheses, each
// alternative of "A/B", with trailing generic words ("village",
// "district") stripped. "Oldtown town, North sub-district" gives
// "Oldtown".
func PlaceNames(where string) []string {
	where = parenthesis.ReplaceAllString(where, " ")
	where, _, _ = strings.Cut(where, ",")
	var out []string
	for _, alt := range strings.Split(where, "/") {
		words := strings.Fields(alt)
		for len(words) > 1 && genericWords[strings.ToLower(words[len(words)-1])] {
			words = words[:len(words)-1]
		}
		if len(words) > 0 {
			out = append(out, strings.Join(words, " "))
		}
	}
	return out
}
