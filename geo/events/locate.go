package events

import (
	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

// candidate is a place a sentence names, ranked by how specific it is.
type candidate struct {
	loc   Location
	rank  int // 0 most specific
	start int // offset in the article
}

// locate picks the place an event happened: the most specific place the
// sentence names, the closest to the trigger among equals. A sentence
// that names only foreign countries (the evacuating country, say) is put
// at the article's main place.
func (x *Extractor) locate(s Sentence, trig int, res geoparse.Result, main *gazetteer.Place) (Location, bool) {
	var cands []candidate
	in := func(start int) bool { return start >= s.Start && start < s.End }
	for _, e := range res.Estimates {
		if !in(e.Start) {
			continue
		}
		l := Location{Name: e.Text, Lat: e.Lat, Lon: e.Lon, Country: e.Anchor.Country, GeoPrecision: 2,
			UncertaintyKm: e.UncertaintyKm, Text: e.Text, Anchor: e.Anchor.Name}
		if e.DistanceStated {
			l.StatedKm = e.DistanceKm
		}
		if e.ResolvedPlace != nil {
			l.Name, l.PlaceID, l.Geonames = e.ResolvedPlace.Name, int64(e.ResolvedPlace.ID), e.ResolvedPlace.ID.GeonameID()
			if e.Start < e.End && s.Text != "" && startsWithName(res, e) {
				// the text names the place: "Gharyan, about 60 miles south"
				l.Lat, l.Lon, l.GeoPrecision = e.ResolvedPlace.Lat, e.ResolvedPlace.Lon, 1
			}
		}
		cands = append(cands, candidate{l, 0, e.Start})
	}
	for _, m := range res.Mentions {
		if !in(m.Start) || m.Role != geoparse.RoleLocation {
			continue
		}
		p := m.Place
		l := Location{Name: p.Name, Lat: p.Lat, Lon: p.Lon, Country: p.Country, PlaceID: int64(p.ID),
			Geonames: p.ID.GeonameID(), GeoPrecision: m.GeoPrecision, Text: m.Text}
		if l.GeoPrecision == 1 && nearExpr.MatchString(res.Text(s.Start, m.Start)) {
			l.GeoPrecision = 2
		}
		cands = append(cands, candidate{l, rankOf(p, m.Facility), m.Start})
	}
	for _, r := range res.References {
		if !in(r.Start) {
			continue
		}
		p := r.Place
		l := Location{Name: p.Name, Lat: p.Lat, Lon: p.Lon, Country: p.Country, PlaceID: int64(p.ID),
			Geonames: p.ID.GeonameID(), GeoPrecision: 1, Text: r.Text}
		if nearExpr.MatchString(res.Text(s.Start, r.Start)) {
			l.GeoPrecision = 2
		}
		cands = append(cands, candidate{l, rankOf(p, ""), r.Start})
	}
	if len(cands) == 0 {
		return Location{}, false
	}
	trigAt := s.Start + trig
	best := cands[0]
	for _, c := range cands[1:] {
		if c.rank < best.rank || c.rank == best.rank && abs(c.start-trigAt) < abs(best.start-trigAt) {
			best = c
		}
	}
	if best.rank >= rankCountry && best.loc.Country != res.Focus && main != nil {
		return Location{Name: main.Name, Lat: main.Lat, Lon: main.Lon, Country: main.Country, PlaceID: int64(main.ID),
			Geonames: main.ID.GeonameID(), GeoPrecision: 3, Text: best.loc.Text}, true
	}
	return best.loc, true
}

// Ranks of place kinds, most specific first.
const (
	rankSite = iota + 1
	rankCity
	rankRegion
	rankCountry
)

func rankOf(p *gazetteer.Place, facility string) int {
	switch {
	case facility != "" || p.Kind == gazetteer.KindFacility || p.Kind == gazetteer.KindDistrict:
		return rankSite
	case p.Kind == gazetteer.KindCity:
		return rankCity
	case p.Kind == gazetteer.KindCountry:
		return rankCountry
	}
	return rankRegion
}

// startsWithName reports whether the estimate's text begins with the name
// of its resolved place.
func startsWithName(res geoparse.Result, e geoparse.Estimate) bool {
	for _, m := range res.Mentions {
		if m.Start == e.Start && m.Place == e.ResolvedPlace {
			return true
		}
	}
	return false
}

// mainPlace is the city the article is about: the most named city of the
// focus country ("the capital" counts).
func (x *Extractor) mainPlace(res geoparse.Result) *gazetteer.Place {
	count := map[*gazetteer.Place]int{}
	first := map[*gazetteer.Place]int{}
	note := func(p *gazetteer.Place, at int) {
		if p.Country != res.Focus || (p.Kind != gazetteer.KindCity && p.Kind != gazetteer.KindDistrict) {
			return
		}
		if _, ok := first[p]; !ok {
			first[p] = at
		}
		count[p]++
	}
	for _, m := range res.Mentions {
		if m.Role == geoparse.RoleLocation {
			note(m.Place, m.Start)
		}
	}
	for _, r := range res.References {
		note(r.Place, r.Start)
	}
	var best *gazetteer.Place
	for p, n := range count {
		if best == nil || n > count[best] || n == count[best] && first[p] < first[best] {
			best = p
		}
	}
	return best
}
