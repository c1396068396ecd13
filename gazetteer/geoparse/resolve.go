package geoparse

import (
	"fmt"
	"math"
	"sort"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// The ranking works on a log scale, like a prior and likelihoods: a
// candidate's prominence is about log10 of its population, and each piece
// of context adds a bounded amount. So a place 1,000 times larger than its
// namesake keeps its lead over the focus country and closeness together,
// and only the text itself (a qualifier such as "Paris, Texas", or a region
// it names) can hand the name to the small namesake.
const (
	// weightFocus is the bonus of a candidate in the article's focus
	// country: it decides between comparable candidates (the Lebanese
	// Tripoli in a story about Lebanon), and a small town gets less of it
	// (smallFocus), so that it does not take the name of a famous city.
	weightFocus = 2.5
	smallFocus  = 1.5
	// smallTown is the population under which a town is small.
	smallTown = 100_000
	// weightCoherence scales the closeness to the other places named.
	weightCoherence = 3.0
	// weightRegion is the bonus of a candidate inside an admin-1 region
	// the text names ("Texas" for Paris, Texas).
	weightRegion = 1.5
	// weightQualifier is the bonus of a candidate inside the place that
	// qualifies the name ("Springfield, Ill.", "Tawila (North Darfur)"):
	// decisive.
	weightQualifier = 6.0
	// seatOverRegion is what a region loses to its seat of the same name.
	seatOverRegion = 2.0
	// maxNamesakeContext bounds what context can add to a small
	// namesake of a famous place.
	maxNamesakeContext = 3.0
	// weightPreferred favours the entry's own name over an alternate one.
	weightPreferred = 1.0
	// coherenceKm is the distance at which a candidate's closeness to the
	// article's other places has fallen to 1/e.
	coherenceKm = 300.0
	// softmaxTemperature turns score gaps into a confidence.
	softmaxTemperature = 0.5
)

// focusCountry infers the country an article is about: countries named
// outright count most, then places with a single reading, then demonyms.
func focusCountry(ms []Mention) string {
	votes := map[string]float64{}
	order := map[string]int{}
	for i, m := range ms {
		var cc string
		var w float64
		// places say where the story is set; countries and demonyms
		// often name the parties to it
		switch {
		case m.Demonym:
			cc, w = m.Candidates[0].Place.Country, 0.5
		case isCountry(m.Candidates[0]) && sameCountry(m.Candidates):
			cc, w = m.Candidates[0].Place.Country, 1
		case sameCountry(m.Candidates):
			cc, w = m.Candidates[0].Place.Country, 1.5
		default:
			// an ambiguous name votes too when one reading clearly
			// dominates without context: Sunderland is the English city
			// ten times over, so it votes for GB
			if p, ok := clearReading(m); ok {
				cc, w = p.Country, 1
			} else {
				continue
			}
		}
		if cc == "" {
			continue
		}
		votes[cc] += w
		if _, ok := order[cc]; !ok {
			order[cc] = i
		}
	}
	best, bestVotes := "", 0.0
	for cc, v := range votes {
		if v > bestVotes || v == bestVotes && order[cc] < order[best] {
			best, bestVotes = cc, v
		}
	}
	return best
}

func sameCountry(cands []gazetteer.Candidate) bool {
	for _, c := range cands[1:] {
		if c.Place.Country != cands[0].Place.Country {
			return false
		}
	}
	return true
}

// maxCoherencePlaces bounds the places a candidate is compared with: the
// most often mentioned ones carry the article's geography.
const maxCoherencePlaces = 64

// weightedPlace is a distinct provisional pick and how often it was made.
type weightedPlace struct {
	place *gazetteer.Place
	keys  map[string]bool // the mention keys that picked it
	count int
}

// resolve picks one candidate per distinct name, in two passes: first on
// population, feature class and focus country; then again with coherence,
// the closeness to the places picked for the other names. Mentions of the
// same name with the same candidates share one decision, which keeps long
// texts linear in their length.
func resolve(ms []Mention, focus string) {
	regions := namedRegions(ms)
	type group struct {
		idx  []int
		pick *gazetteer.Place
	}
	groups := map[string]*group{}
	var order []string
	for i, m := range ms {
		k := groupKey(m)
		g, ok := groups[k]
		if !ok {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		g.idx = append(g.idx, i)
	}
	distinct := map[gazetteer.ID]*weightedPlace{}
	for _, k := range order {
		g := groups[k]
		m := ms[g.idx[0]]
		scores := scoreCandidates(m, focus, regions, nil, nil)
		g.pick = m.Candidates[argmax(scores)].Place
		wp := distinct[g.pick.ID]
		if wp == nil {
			wp = &weightedPlace{place: g.pick, keys: map[string]bool{}}
			distinct[g.pick.ID] = wp
		}
		wp.keys[m.Key] = true
		wp.count += len(g.idx)
	}
	others := make([]*weightedPlace, 0, len(distinct))
	for _, wp := range distinct {
		others = append(others, wp)
	}
	sort.Slice(others, func(i, j int) bool {
		if others[i].count != others[j].count {
			return others[i].count > others[j].count
		}
		return others[i].place.ID < others[j].place.ID
	})
	if len(others) > maxCoherencePlaces {
		others = others[:maxCoherencePlaces]
	}
	for _, k := range order {
		g := groups[k]
		m := ms[g.idx[0]]
		scores := scoreCandidates(m, focus, regions,
			func(p *gazetteer.Place) float64 { return coherence(p, others, m.Key) },
			func(p *gazetteer.Place) bool { return neighbourNamed(p, others, m.Key) })
		best := argmax(scores)
		conf := confidence(scores, best)
		for _, i := range g.idx {
			ms[i].Place = ms[i].Candidates[best].Place
			ms[i].Confidence = conf
		}
	}
}

// groupKey identifies mentions that must resolve alike.
func groupKey(m Mention) string {
	return fmt.Sprintf("%s|%d|%t", m.Key, len(m.Candidates), m.Demonym)
}

// scoreCandidates scores every candidate of m; coh, when not nil, adds the
// coherence of a candidate with the rest of the text. regions holds the
// admin-1 regions the text names, by "CC.admin1".
func scoreCandidates(m Mention, focus string, regions map[string]bool, coh func(*gazetteer.Place) float64, near func(*gazetteer.Place) bool) []float64 {
	scores := make([]float64, len(m.Candidates))
	famous := false
	seats := map[string]bool{} // "CC.admin1" of the admin seats among the candidates
	for _, c := range m.Candidates {
		famous = famous || isFamous(c.Place)
		if p := c.Place; p.FeatureCode == "PPLA" || p.FeatureCode == "PPLC" {
			seats[p.Country+"."+p.Admin1] = true
		}
	}
	for i, c := range m.Candidates {
		p := c.Place
		s := prominence(p)
		if p.FeatureCode == "ADM1" && seats[p.Country+"."+p.Admin1] {
			// "Raqqa", "Aleppo": a bare name shared by a region and its
			// seat is the city; "Raqqa province" names the region
			s -= seatOverRegion
		}
		base := s
		if focus != "" && p.Country == focus {
			if p.Kind == gazetteer.KindCity && p.Population < smallTown {
				s += smallFocus
			} else {
				s += weightFocus
			}
		}
		if c.Flags&gazetteer.FlagPreferred != 0 {
			s += weightPreferred
		}
		if p.FeatureCode != "ADM1" && p.Kind != gazetteer.KindCountry && regions[p.Country+"."+p.Admin1] {
			s += weightRegion
		}
		if m.ListedWith == "ADM1" && p.FeatureCode == "ADM1" || m.ListedWith == "country" && p.Kind == gazetteer.KindCountry {
			s += weightRegion // named in a list of its kind
		}
		if qualifiedBy(p, m.Within) {
			s += weightQualifier
		}
		if coh != nil {
			s += weightCoherence * coh(p)
		}
		local := regions[p.Country+"."+p.Admin1+"."+p.Admin2] && p.Admin2 != "" || near != nil && near(p)
		if local {
			// a county the text names holds it, or a town it names lies
			// next to it: the story is local to it
			s += weightRegion
		}
		if famous && !isFamous(p) && p.Population < smallTown && !qualifiedBy(p, m.Within) && !local {
			// a small namesake of a famous place: the focus country, the
			// regions named and closeness together do not hand it the
			// name; only a qualifier does ("Paris, Texas")
			s = math.Min(s, base+maxNamesakeContext)
		}
		scores[i] = s
	}
	return scores
}

// namedRegions collects the admin-1 regions that mentions name outright
// (their strongest reading is the region: "Texas", "Idlib province").
func namedRegions(ms []Mention) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		if len(m.Candidates) == 0 || m.Demonym {
			continue
		}
		if p := strongest(m.Candidates).Place; p.FeatureCode == "ADM1" && p.Admin1 != "" {
			out[p.Country+"."+p.Admin1] = true
		}
		// every county or district the name may be ("Lamar County" is in
		// four states): only a town inside one of them gains by it
		for _, c := range m.Candidates {
			if p := c.Place; p.FeatureCode == "ADM2" && p.Admin2 != "" {
				out[p.Country+"."+p.Admin1+"."+p.Admin2] = true
			}
		}
	}
	return out
}

// qualifiedBy reports whether p lies in one of the places that qualify its
// name in the text: a country, an admin-1 region or another area.
func qualifiedBy(p *gazetteer.Place, within []*gazetteer.Place) bool {
	for _, q := range within {
		switch {
		case q.ID == p.ID:
		case q.Kind == gazetteer.KindCountry:
			if p.Country == q.Country {
				return true
			}
		case q.FeatureCode == "ADM1":
			if p.Country == q.Country && p.Admin1 == q.Admin1 && q.Admin1 != "" {
				return true
			}
		case !q.Extent.IsZero():
			e := q.Extent
			if p.Lon >= e[0] && p.Lon <= e[2] && p.Lat >= e[1] && p.Lat <= e[3] {
				return true
			}
		default:
			if gazetteer.HaversineKm(p.Lat, p.Lon, q.Lat, q.Lon) < 50 {
				return true // "a village near Kafr Nabl"
			}
		}
	}
	return false
}

// coherence is the mention-weighted closeness of p to the other names'
// picks; picks made only by the same name (key) do not count.
func coherence(p *gazetteer.Place, others []*weightedPlace, key string) float64 {
	var sum, n float64
	for _, o := range others {
		if o.place == p || (len(o.keys) == 1 && o.keys[key]) {
			continue
		}
		w := float64(o.count)
		if o.place.Kind == gazetteer.KindCountry {
			if p.Country == o.place.Country {
				sum += w
			}
			n += w
			continue
		}
		d := gazetteer.HaversineKm(p.Lat, p.Lon, o.place.Lat, o.place.Lon)
		sum += w * math.Exp(-d/coherenceKm)
		n += w
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// confidence is the softmax weight of the chosen candidate.
func confidence(scores []float64, best int) float64 {
	var z float64
	for _, s := range scores {
		z += math.Exp((s - scores[best]) / softmaxTemperature)
	}
	return 1 / z
}

// rankCandidates orders candidates by score for display (geocode).
func rankCandidates(cands []gazetteer.Candidate, focus string) ([]gazetteer.Candidate, []float64) {
	m := Mention{Candidates: cands}
	scores := scoreCandidates(m, focus, nil, nil, nil)
	idx := make([]int, len(cands))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	outC := make([]gazetteer.Candidate, len(cands))
	outS := make([]float64, len(cands))
	for i, k := range idx {
		outC[i], outS[i] = cands[k], scores[k]
	}
	return outC, outS
}

// Ranked is a candidate with its score, for display.
type Ranked struct {
	Place *gazetteer.Place
	Flags int
	Score float64
}

// Rank lists the candidates for a name, best first, as the resolver would
// score them in an article about the country focus ("" for none).
func (p *Parser) Rank(name, focus string) []Ranked {
	cands := p.ix.Lookup(gazetteer.Normalize(name))
	if len(cands) == 0 {
		return nil
	}
	cs, scores := rankCandidates(cands, focus)
	out := make([]Ranked, len(cs))
	for i := range cs {
		out[i] = Ranked{Place: cs[i].Place, Flags: cs[i].Flags, Score: scores[i]}
	}
	return out
}

// prominence is a candidate's weight before any context, about log10 of
// the people it stands for: its population for a town, more for a capital
// or an admin seat; a fixed weight for entries with no population (a
// country, a continent, a sea, an admin-1 region, an airport).
func prominence(p *gazetteer.Place) float64 {
	if p.TownPopulation > 0 {
		// countries and admin-1 regions: from the towns in them, with a
		// bonus for being named as a whole so often
		if p.Kind == gazetteer.KindCountry {
			return math.Log10(float64(p.TownPopulation)) + 2
		}
		return math.Log10(float64(p.TownPopulation)) + 1
	}
	switch p.FeatureCode {
	case "PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "CONT", "OCN":
		return 9.5
	case "SEA", "GULF", "STRT", "RGNH", "DSRT", "PEN", "ISLS":
		return 8
	case "RGN", "CNL", "STM", "LK", "RSV", "MTS", "PLN", "VAL":
		return 7
	case "ADM1":
		return 7.5
	case "ADM2":
		return 5.5
	case "AIRP", "AIRB":
		return 5
	}
	if p.Kind == gazetteer.KindCountry {
		return 9.5
	}
	s := math.Log10(float64(p.Population) + 10)
	switch p.FeatureCode {
	case "PPLC":
		s += 2
	case "PPLA":
		s += 0.5
	case "PPLA2":
		s += 0.2
	case "PPLX":
		s -= 0.5
	case "PPLH", "PPLQ", "PPLW":
		s -= 1
	}
	if p.Kind == gazetteer.KindDistrict && p.Population == 0 {
		s = 4
	}
	return s
}

// localKm is how close another named town must be for a place to count as
// the local one.
const localKm = 25.0

// neighbourNamed reports whether a town picked for another name lies within
// localKm of p.
func neighbourNamed(p *gazetteer.Place, others []*weightedPlace, key string) bool {
	for _, o := range others {
		if o.place == p || (len(o.keys) == 1 && o.keys[key]) || o.place.Kind != gazetteer.KindCity {
			continue
		}
		if gazetteer.HaversineKm(p.Lat, p.Lon, o.place.Lat, o.place.Lon) < localKm {
			return true
		}
	}
	return false
}

// clearLead is the score lead, in orders of magnitude, at which a name's
// best reading without context is clear.
const clearLead = 1.0

// clearReading returns the reading of m that leads all others by clearLead
// on prominence alone.
func clearReading(m Mention) (*gazetteer.Place, bool) {
	if len(m.Candidates) < 2 {
		return nil, false
	}
	scores := scoreCandidates(m, "", nil, nil, nil)
	best := argmax(scores)
	for i, s := range scores {
		if i != best && scores[best]-s < clearLead {
			return nil, false
		}
	}
	return m.Candidates[best].Place, true
}
