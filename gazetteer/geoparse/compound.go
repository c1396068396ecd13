package geoparse

import (
	"math"
	"regexp"
	"strings"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// regionWords follow a name to say it is an administrative region:
// "Idlib province", "the Murzuq district", "Kharkiv Oblast".
var regionWords = map[string]bool{
	"region": true, "province": true, "governorate": true, "state": true, "oblast": true,
	"district": true, "county": true, "prefecture": true, "department": true, "wilaya": true,
	"municipality": true, "territory": true, "emirate": true, "raion": true,
}

// facilityWords follow a name (or its possessive) to name a site in or by
// the place: "Hodeidah port", "Tripoli's international airport". The
// longest phrase is tried first.
var facilityWords = [][]string{
	{"international", "airport"}, {"air", "base"}, {"naval", "base"}, {"military", "base"},
	{"nuclear", "power", "plant"}, {"power", "plant"}, {"power", "station"}, {"oil", "field"},
	{"oil", "terminal"}, {"border", "crossing"}, {"refugee", "camp"}, {"displacement", "camp"},
	{"airport"}, {"airbase"}, {"airfield"}, {"port"}, {"harbour"}, {"harbor"}, {"seaport"},
	{"bridge"}, {"dam"}, {"refinery"}, {"oilfield"}, {"terminal"}, {"crossing"}, {"camp"},
	{"hospital"}, {"prison"}, {"square"}, {"stadium"}, {"base"}, {"barracks"}, {"checkpoint"},
}

// airportWords are the facility phrases an airport dataset can answer.
var airportWords = map[string]bool{
	"international airport": true, "air base": true, "airport": true, "airbase": true, "airfield": true,
}

// facilityBefore finds "the airport in X", "the port of X".
var facilityBefore = regexp.MustCompile(`(?i)\bthe\s+((?:international\s+)?airport|air\s?base|port|harbou?r|refinery|oil\s+terminal)\s+(?:in|of|at|near|outside)\s+$`)

// airportRadiusKm is how far from a city its airport may be.
const airportRadiusKm = 40.0

// extendRegion turns "X province" into a mention of region X: the
// candidates become the regions named X or, failing that, the region that
// holds the city X. It returns the index of the last token used.
func (p *Parser) extendRegion(m *Mention, s span, toks []token, text string) bool {
	k := s.last + 1
	if k >= len(toks) || toks[k].gap != ' ' || !regionWords[strings.ToLower(toks[k].text)] {
		return false
	}
	word := strings.ToLower(toks[k].text)
	if toks[k].capital && k+1 < len(toks) && toks[k+1].text == "of" {
		return false // "the Kentucky Department of Education": an office
	}
	if word == "district" && k+2 < len(toks) && strings.EqualFold(toks[k+1].text, "of") && toks[k+2].capital {
		// "the Sheikh Othman district of Aden": a quarter of a city,
		// not the region around it
		var quarters []gazetteer.Candidate
		hasRegion := false // "the Murzuq district of Libya" is the region
		for _, c := range m.Candidates {
			switch c.Place.Kind {
			case gazetteer.KindCity, gazetteer.KindDistrict:
				quarters = append(quarters, c)
			case gazetteer.KindRegion:
				hasRegion = true
			}
		}
		if len(quarters) > 0 && !hasRegion {
			m.Candidates = quarters
			m.End = toks[k].end
			m.Text = text[m.Start:m.End]
			m.GeoPrecision = 2
			return true
		}
	}
	var regions []gazetteer.Candidate
	for _, c := range m.Candidates {
		if c.Place.Kind == gazetteer.KindRegion || (word == "district" && c.Place.Kind == gazetteer.KindDistrict) {
			regions = append(regions, c)
		}
	}
	if len(regions) == 0 {
		for _, c := range m.Candidates {
			if c.Place.Kind != gazetteer.KindCity {
				continue
			}
			if r := p.ix.RegionOf(c.Place.Country, c.Place.Admin1); r != nil {
				regions = append(regions, gazetteer.Candidate{Place: r})
			}
		}
	}
	if len(regions) == 0 {
		return false
	}
	m.Candidates = dedupe(regions)
	if toks[k].capital {
		// "Idlib Province" is the region's name; in "Idlib province"
		// the name is Idlib, as annotators of place names mark it
		m.End = toks[k].end
		m.Text = text[m.Start:m.End]
	}
	return true
}

// extendFacility turns "Hodeidah port" / "Tripoli's international airport"
// / "the airport in Sirte" into a facility mention. An airport comes from
// the airport dataset when one lies near the city; any other site, or an
// airport the dataset lacks, resolves to its city with precision 2.
func (p *Parser) extendFacility(m *Mention, s span, toks []token, text string) bool {
	phrase, start, end := "", m.Start, m.End
	k := s.last + 1
	possessive := k < len(toks) && toks[k].gap == 0 && hasPossessive(text, m.End)
	if k < len(toks) && (toks[k].gap == ' ' || possessive) {
		for _, words := range facilityWords {
			if matchWords(toks, k, words) {
				phrase = strings.Join(words, " ")
				end = toks[k+len(words)-1].end
				break
			}
		}
	}
	if phrase == "" {
		ws, _ := window(text, m.Start-40, m.Start)
		loc := facilityBefore.FindStringSubmatchIndex(text[ws:m.Start])
		if loc == nil {
			return false
		}
		phrase = strings.ToLower(strings.Join(strings.Fields(text[ws+loc[2]:ws+loc[3]]), " "))
		start = ws + loc[0]
	}
	if phrase == "base" && !possessive {
		return false // "Tripoli base" is too vague
	}
	m.Facility = phrase
	if possessive || start < m.Start {
		// the name stands apart from the site: keep the mention the name
		m.FacilityText, m.FacilityStart, m.FacilityEnd = text[start:end], start, end
	} else {
		m.End, m.Text = end, text[m.Start:end]
	}
	if airportWords[phrase] {
		if a := p.airportNear(m.Candidates); a != nil {
			m.Candidates = []gazetteer.Candidate{{Place: a}}
			return true
		}
	}
	m.GeoPrecision = 2
	return true
}

// airportNear finds the airport serving the strongest city candidate.
func (p *Parser) airportNear(cands []gazetteer.Candidate) *gazetteer.Place {
	var city *gazetteer.Place
	for _, c := range cands {
		if c.Place.FeatureClass == "P" && (city == nil || c.Place.Population > city.Population) {
			city = c.Place
		}
	}
	if city == nil {
		return nil
	}
	var best *gazetteer.Place
	bestKm := airportRadiusKm
	p.ix.Near(city.Lat, city.Lon, airportRadiusKm, func(pl *gazetteer.Place, km float64) bool {
		if pl.Kind != gazetteer.KindFacility || (pl.FeatureCode != "AIRP" && pl.FeatureCode != "AIRB") {
			return true
		}
		// the dataset names the city an airport serves
		if gazetteer.Normalize(pl.Admin1) == gazetteer.Normalize(city.Name) {
			km /= 4
		}
		if km < bestKm {
			best, bestKm = pl, km
		}
		return true
	})
	return best
}

func hasPossessive(text string, end int) bool {
	rest := text[end:]
	return strings.HasPrefix(rest, "'s ") || strings.HasPrefix(rest, "’s ")
}

func matchWords(toks []token, k int, words []string) bool {
	if k+len(words) > len(toks) {
		return false
	}
	for i, w := range words {
		t := toks[k+i]
		if i > 0 && t.gap != ' ' {
			return false
		}
		if !strings.EqualFold(t.text, w) {
			return false
		}
	}
	return true
}

func dedupe(cands []gazetteer.Candidate) []gazetteer.Candidate {
	seen := map[gazetteer.ID]bool{}
	out := cands[:0:0]
	for _, c := range cands {
		if !seen[c.Place.ID] {
			seen[c.Place.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// partOf locates the named part of a region ("northern Virginia") from
// the populated places of that half or third: their population-weighted
// centre and their extent. It returns the region itself when it holds no
// places to go by.
func (p *Parser) partOf(region *gazetteer.Place, part string) *gazetteer.Place {
	in := func(pl *gazetteer.Place) bool {
		return pl.FeatureClass == "P" && pl.Country == region.Country && pl.Admin1 == region.Admin1 && region.Admin1 != ""
	}
	ext := region.Extent
	if ext.IsZero() {
		return region
	}
	radius := gazetteer.HaversineKm(ext[1], ext[0], ext[3], ext[2])/2 + 50
	dLat, dLon := (ext[3]-ext[1])/6, (ext[2]-ext[0])/6
	keep := func(pl *gazetteer.Place) bool {
		ok := true
		w := part
		if strings.HasPrefix(w, "north") {
			ok = ok && pl.Lat > region.Lat
			w = strings.TrimPrefix(strings.TrimPrefix(w, "north"), "-")
		} else if strings.HasPrefix(w, "south") {
			ok = ok && pl.Lat < region.Lat
			w = strings.TrimPrefix(strings.TrimPrefix(w, "south"), "-")
		}
		switch {
		case strings.HasPrefix(w, "east"):
			ok = ok && pl.Lon > region.Lon
		case strings.HasPrefix(w, "west"):
			ok = ok && pl.Lon < region.Lon
		case w == "central":
			ok = ok && math.Abs(pl.Lat-region.Lat) < dLat && math.Abs(pl.Lon-region.Lon) < dLon
		case w == "upper" || w == "lower" || w == "ern":
			// "upper"/"lower" say nothing about a direction we can use
		}
		return ok
	}
	var sumW, sumLat, sumLon float64
	box := gazetteer.BBox{180, 90, -180, -90}
	p.ix.Near(region.Lat, region.Lon, radius, func(pl *gazetteer.Place, _ float64) bool {
		if !in(pl) || !keep(pl) {
			return true
		}
		w := float64(pl.Population) + 1
		sumW, sumLat, sumLon = sumW+w, sumLat+w*pl.Lat, sumLon+w*pl.Lon
		box = gazetteer.BBox{math.Min(box[0], pl.Lon), math.Min(box[1], pl.Lat), math.Max(box[2], pl.Lon), math.Max(box[3], pl.Lat)}
		return true
	})
	if sumW == 0 {
		return region
	}
	out := *region
	out.Name = strings.ToUpper(part[:1]) + part[1:] + " " + region.Name
	out.Lat, out.Lon = sumLat/sumW, sumLon/sumW
	out.Extent = box
	out.FeatureCode = "RGN"
	return &out
}
