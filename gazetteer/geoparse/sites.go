package geoparse

import (
	"regexp"
	"strings"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// A named site that no dataset holds (a mosque, a market, a district of a
// city) is located by the city the text gives with it: "the Grand Mosque
// in Kano", "the Sheikh Othman district of Aden". It becomes a mention of
// its own, with its own name as the text, at the city, with precision 2.

// siteKinds maps the word that ends a site's name to the kind of place.
var siteKinds = map[string]gazetteer.Kind{
	"mosque": gazetteer.KindFacility, "church": gazetteer.KindFacility, "cathedral": gazetteer.KindFacility,
	"market": gazetteer.KindFacility, "hospital": gazetteer.KindFacility, "school": gazetteer.KindFacility,
	"university": gazetteer.KindFacility, "college": gazetteer.KindFacility, "stadium": gazetteer.KindFacility,
	"prison": gazetteer.KindFacility, "jail": gazetteer.KindFacility, "bridge": gazetteer.KindFacility,
	"square": gazetteer.KindFacility, "street": gazetteer.KindFacility, "road": gazetteer.KindFacility,
	"avenue": gazetteer.KindFacility, "hotel": gazetteer.KindFacility, "palace": gazetteer.KindFacility,
	"embassy": gazetteer.KindFacility, "temple": gazetteer.KindFacility, "shrine": gazetteer.KindFacility,
	"mall": gazetteer.KindFacility, "station": gazetteer.KindFacility, "barracks": gazetteer.KindFacility,
	"camp": gazetteer.KindFacility, "base": gazetteer.KindFacility, "compound": gazetteer.KindFacility,
	"district": gazetteer.KindDistrict, "neighbourhood": gazetteer.KindDistrict, "neighborhood": gazetteer.KindDistrict,
	"quarter": gazetteer.KindDistrict, "suburb": gazetteer.KindDistrict,
}

// sitePattern finds, right before a city's name, a capitalised name that
// ends with a site word and a preposition: "the Grand Mosque in ", "St
// Michael's Church in ", "the Sheikh Othman district of ".
var sitePattern = regexp.MustCompile(`(\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|al|el|of|de))*\s+(\p{L}+))\s+(?:in|of|at|near|outside)\s+(?:the\s+city\s+of\s+)?$`)

// siteWindow is how far before a city's name a site's name may start.
const siteWindow = 80

// sites finds the named sites given with a city and returns them as
// mentions located at that city.
func sites(text string, ms []Mention) []Mention {
	var out []Mention
	for _, m := range ms {
		if m.Demonym || m.Place == nil || m.Place.Kind != gazetteer.KindCity {
			continue
		}
		ws, _ := window(text, m.Start-siteWindow, m.Start)
		loc := sitePattern.FindStringSubmatchIndex(text[ws:m.Start])
		if loc == nil {
			continue
		}
		word := strings.ToLower(text[ws+loc[4] : ws+loc[5]])
		kind, ok := siteKinds[word]
		if !ok {
			continue
		}
		start, end := ws+loc[2], ws+loc[3]
		if strings.Count(text[start:end], " ") == 0 {
			continue // a site word alone ("Mosque in Kano") names no site
		}
		if mentionOverlaps(ms, start, end) {
			continue // a gazetteer name already stands there
		}
		site := *m.Place
		site.Name = text[start:end] + ", " + m.Place.Name
		site.Kind = kind
		out = append(out, Mention{
			Text: text[start:end], Start: start, End: end, Key: gazetteer.Normalize(text[start:end]),
			Role: RoleLocation, Place: &site, Candidates: []gazetteer.Candidate{{Place: &site}},
			Confidence: m.Confidence, Facility: word, GeoPrecision: 2,
		})
	}
	return out
}

// quarterKm is how far from its city a quarter named as "X district of
// City" may be resolved; beyond it the name was a namesake elsewhere.
const quarterKm = 30.0

// relocateQuarters moves each "X district of City" whose X resolved far
// from the city to the city, as a district site of it.
func relocateQuarters(text string, ms []Mention) {
	for i := 0; i+1 < len(ms); i++ {
		m, n := &ms[i], &ms[i+1]
		if !strings.HasSuffix(strings.ToLower(m.Text), " district") || n.Place == nil || n.Place.Kind != gazetteer.KindCity {
			continue
		}
		if between := strings.TrimSpace(text[m.End:n.Start]); !strings.EqualFold(between, "of") {
			continue
		}
		if gazetteer.HaversineKm(m.Place.Lat, m.Place.Lon, n.Place.Lat, n.Place.Lon) <= quarterKm {
			continue
		}
		site := *n.Place
		site.Name = m.Text + ", " + n.Place.Name
		site.Kind = gazetteer.KindDistrict
		m.Place, m.Candidates = &site, []gazetteer.Candidate{{Place: &site}}
		m.Facility, m.GeoPrecision, m.Confidence = "district", 2, n.Confidence
	}
}

// mentionOverlaps reports whether a mention overlaps [start, end).
func mentionOverlaps(ms []Mention, start, end int) bool {
	for _, m := range ms {
		if m.Start < end && start < m.End {
			return true
		}
	}
	return false
}
