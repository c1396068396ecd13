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
func (x *Extractor) locate(s Sentence, ws []word, trig int, res geoparse.Result, main *gazetteer.Place) (Location, bool) {
	cands := make([]candidate, 0, 8) // small: stays on the stack
	for _, e := range res.EstimatesIn(s.Start, s.End) {
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
	for _, m := range res.MentionsIn(s.Start, s.End) {
		if m.Role != geoparse.RoleLocation {
			continue
		}
		p := m.Place
		l := Location{Name: p.Name, Lat: p.Lat, Lon: p.Lon, Country: p.Country, PlaceID: int64(p.ID),
			Geonames: p.ID.GeonameID(), GeoPrecision: m.GeoPrecision, Text: m.Text}
		if l.GeoPrecision == 1 && nearBefore(ws, m.Start-s.Start) {
			l.GeoPrecision = 2
		}
		cands = append(cands, candidate{l, rankOf(p, m.Facility) + speakerPenalty(ws, m.End-s.Start), m.Start})
	}
	for _, r := range res.ReferencesIn(s.Start, s.End) {
		p := r.Place
		l := Location{Name: p.Name, Lat: p.Lat, Lon: p.Lon, Country: p.Country, PlaceID: int64(p.ID),
			Geonames: p.ID.GeonameID(), GeoPrecision: 1, Text: r.Text}
		if nearBefore(ws, r.Start-s.Start) {
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
		if preferred(c, best, trigAt, res.Focus) {
			best = c
		}
	}
	if best.rank%10 >= rankCountry {
		// ACLED codes an event known only to the country at its capital,
		// with precision 3; a foreign country named alone (the evacuating
		// one) gives way to the place the article is about
		target := x.capitalOf(best.loc.Country)
		if best.loc.Country != res.Focus && main != nil {
			target = main
		}
		if target != nil {
			return Location{Name: target.Name, Lat: target.Lat, Lon: target.Lon, Country: target.Country, PlaceID: int64(target.ID),
				Geonames: target.ID.GeonameID(), GeoPrecision: 3, Text: best.loc.Text}, true
		}
	}
	return best.loc, true
}

// preferred reports whether candidate c beats best: more specific first;
// among equals, one in the article's focus country, then the one nearest
// the trigger.
func preferred(c, best candidate, trigAt int, focus string) bool {
	if c.rank != best.rank {
		return c.rank < best.rank
	}
	cf, bf := c.loc.Country == focus, best.loc.Country == focus
	if cf != bf {
		return cf
	}
	return abs(c.start-trigAt) < abs(best.start-trigAt)
}

// capitalOf is the capital city of a country, or nil.
func (x *Extractor) capitalOf(cc string) *gazetteer.Place {
	if x.ix == nil {
		return nil
	}
	c := x.ix.Country(cc)
	if c == nil || c.CapitalID == 0 {
		return nil
	}
	return x.ix.Place(c.CapitalID)
}

// speakerVerbs follow a place that speaks rather than hosts the event:
// "officials in Ankara said", "while Ankara has promised", "India's".
var speakerVerbs = map[string]bool{"said": true, "says": true, "say": true, "announced": true, "accused": true,
	"denied": true, "told": true, "warned": true, "claimed": true, "insisted": true, "stated": true, "urged": true,
	"called": true, "promised": true, "vowed": true, "pledged": true, "condemned": true, "demanded": true,
	"sent": true, "deployed": true, "support": true, "supports": true, "back": true, "backs": true, "backed": true}

// speakerPenalty demotes a place used as a speaker below every place used
// as a location. at is the sentence offset where the place's name ends.
func speakerPenalty(ws []word, at int) int {
	for k, w := range ws {
		if w.start < at {
			continue
		}
		t := w.text
		if t == "has" || t == "have" || t == "had" {
			if k+1 < len(ws) {
				t = ws[k+1].text
			}
		}
		if t == "'s" && w.start == at || speakerVerbs[t] {
			return 10
		}
		return 0
	}
	return 0
}

// nearWords before a place make the location near, not at, it.
var nearWords = map[string]bool{"near": true, "outside": true, "outskirts": true, "around": true, "close": true,
	"edge": true, "neighbourhood": true, "neighbourhoods": true, "neighborhood": true, "neighborhoods": true,
	"suburb": true, "suburbs": true, "vicinity": true, "south": true, "north": true, "east": true, "west": true}

// nearBefore reports whether one of the four words before sentence offset
// at says "near".
func nearBefore(ws []word, at int) bool {
	k := 0
	for k < len(ws) && ws[k].start < at {
		k++
	}
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		if nearWords[ws[j].text] {
			return true
		}
	}
	return false
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
	for _, m := range res.MentionsIn(e.Start, e.Start+1) {
		if m.Place == e.ResolvedPlace {
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
