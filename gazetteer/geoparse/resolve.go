package geoparse

import (
	"fmt"
	"math"
	"sort"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// Weights of the ranking features. Population and feature class say which
// namesake is famous; focus and coherence say which one this article means.
const (
	weightPopulation = 0.35
	weightFeature    = 0.25
	weightFocus      = 0.30
	weightCoherence  = 0.30
	weightPreferred  = 0.15
	// coherenceKm is the distance at which a candidate's closeness to the
	// article's other places has fallen to 1/e.
	coherenceKm = 600.0
	// softmaxTemperature turns score gaps into a confidence.
	softmaxTemperature = 0.08
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
			continue
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
		scores := scoreCandidates(m, focus, nil)
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
		scores := scoreCandidates(m, focus, func(p *gazetteer.Place) float64 { return coherence(p, others, m.Key) })
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
// coherence of a candidate with the rest of the text.
func scoreCandidates(m Mention, focus string, coh func(*gazetteer.Place) float64) []float64 {
	scores := make([]float64, len(m.Candidates))
	for i, c := range m.Candidates {
		p := c.Place
		pop := importance(p)
		s := weightPopulation*math.Min(pop, 1) + weightFeature*gazetteer.FeatureRank(p.FeatureCode)
		if focus != "" && p.Country == focus {
			s += weightFocus
		}
		if c.Flags&gazetteer.FlagPreferred != 0 {
			s += weightPreferred
		}
		if coh != nil {
			s += weightCoherence * coh(p)
		}
		scores[i] = s
	}
	return scores
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
	scores := scoreCandidates(m, focus, nil)
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

// importance scores how prominent a place is, 0 to 1: from its population
// for towns, from its feature type for entries that have none (a sea, a
// continent, an airport).
func importance(p *gazetteer.Place) float64 {
	switch p.FeatureCode {
	case "PCLI", "CONT", "OCN", "SEA":
		return 1
	case "GULF", "STRT", "CNL", "RGNH", "DSRT", "PEN", "STM", "LK", "RSV", "MTS", "ISLS":
		return 0.8
	case "RGN", "PLN", "VAL", "AIRP", "AIRB":
		return 0.7
	}
	if p.Kind == gazetteer.KindCountry {
		return 1
	}
	if p.Kind == gazetteer.KindDistrict && p.Population == 0 {
		return 0.4
	}
	return math.Min(1, math.Log10(float64(p.Population)+1)/7)
}
