package geoparse

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/geo/geodesic"
)

// Estimate is a point computed from a relative expression such as "a town
// 95km south of the capital".
type Estimate struct {
	Text       string
	Start, End int
	Anchor     *gazetteer.Place
	AnchorText string
	// DistanceKm is the stated distance; DistanceStated is false when the
	// text gives only a direction and DistanceKm is an assumed default.
	DistanceKm     float64
	DistanceStated bool
	Unit           string
	BearingDeg     float64
	Bearing        string // the compass point as abbreviation: S, NW, ENE
	// HalfSectorDeg is the bearing's own vagueness: ±22.5° for "south",
	// ±11.25° for "south-west", ±5.6° for "south-south-west".
	HalfSectorDeg float64
	Qualifier     string // about, less than... "" when none
	UncertaintyKm float64
	Lat, Lon      float64
	// ResolvedPlace is the place the expression locates, when the text
	// names it ("Gharyan, about 60 miles south of Tripoli") or when it
	// describes a settlement ("a town 95km south...") and one fits.
	ResolvedPlace *gazetteer.Place
	// MeasuredKm is the geodesic distance from the anchor to ResolvedPlace.
	MeasuredKm float64
}

const (
	kmPerMile = 1.609344
	// assumedKm is the distance taken for a bare direction ("north-west of
	// Sirte"), with the same uncertainty.
	assumedKm = 25.0
)

var (
	distanceExpr   = regexp.MustCompile(`(?i)\b(?:(about|around|roughly|approximately|approx\.|some|nearly|almost|barely|just under|just over|less than|fewer than|under|within|up to|more than|over|at least|only)\s+)?(\d{1,5}(?:[.,]\d+)?)\s?-?\s?(kilometres|kilometers|kilometre|kilometer|kms|km|miles|mile|mi)\b\.?\s*(?:\([^)]{0,30}\)\s*)?(?:to\s+the\s+)?(` + compassWords + `)(?:wards?)?\s+(?:of|from)\s+`)
	directionExpr  = regexp.MustCompile(`(?i)\b(` + compassWords + `)\s+of\s+`)
	settlementExpr = regexp.MustCompile(`(?i)\b(?:an?|the)\s+(town|city|village|settlement|hamlet|locality|oasis|port|district|area)\s*$`)
)

const compassWords = `(?:north|south|east|west)(?:[- ]?(?:north|south|east|west)){0,2}`

// estimates finds relative expressions whose anchor is a resolved mention
// or reference.
func (p *Parser) estimates(text string, ms []Mention, refs []Reference) []Estimate {
	var out []Estimate
	covered := func(start int) bool {
		for _, e := range out {
			if start >= e.Start && start < e.End {
				return true
			}
		}
		return false
	}
	for _, loc := range distanceExpr.FindAllStringSubmatchIndex(text, -1) {
		e, ok := p.anchored(text, loc[1], ms, refs)
		if !ok {
			continue
		}
		e.Start = loc[0]
		if loc[2] >= 0 {
			e.Qualifier = strings.ToLower(text[loc[2]:loc[3]])
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(text[loc[4]:loc[5]], ",", "."), 64)
		if err != nil || num <= 0 {
			continue
		}
		e.Unit = strings.ToLower(text[loc[6]:loc[7]])
		e.DistanceKm, e.DistanceStated = num, true
		if strings.HasPrefix(e.Unit, "mi") {
			e.DistanceKm = num * kmPerMile
		}
		e.Bearing, e.BearingDeg, e.HalfSectorDeg, ok = compass(text[loc[8]:loc[9]])
		if !ok {
			continue
		}
		out = append(out, p.finish(text, e, ms))
	}
	for _, loc := range directionExpr.FindAllStringSubmatchIndex(text, -1) {
		if covered(loc[0]) {
			continue
		}
		e, ok := p.anchored(text, loc[1], ms, refs)
		if !ok {
			continue
		}
		e.Start = loc[0]
		e.DistanceKm = assumedKm
		if e.Bearing, e.BearingDeg, e.HalfSectorDeg, ok = compass(text[loc[2]:loc[3]]); !ok {
			continue
		}
		out = append(out, p.finish(text, e, ms))
	}
	return out
}

// anchored finds the place an expression is measured from, starting at
// byte off: a mention ("of Tripoli", "of Libya's capital Tripoli") or a
// reference ("of the capital").
func (p *Parser) anchored(text string, off int, ms []Mention, refs []Reference) (Estimate, bool) {
	for _, r := range refs {
		if r.Start == off {
			return Estimate{Anchor: r.Place, AnchorText: r.Text, End: r.End}, true
		}
	}
	// skip "the", a country's possessive and "capital" to reach a name
	limit := off + 40
	if limit > len(text) {
		limit = len(text)
	}
	for i := range ms {
		m := &ms[i]
		if m.Start < off || m.Start > limit || m.Demonym {
			continue
		}
		between := strings.ToLower(text[off:m.Start])
		if !anchorFiller.MatchString(between) {
			continue
		}
		if m.Place.Kind == gazetteer.KindCountry {
			// "of Libya's capital Tripoli": keep looking for the city
			if next := nextMention(ms, i); next != nil && anchorFiller.MatchString(strings.ToLower(text[off:next.Start])) && !next.Demonym {
				return Estimate{Anchor: next.Place, AnchorText: next.Text, End: next.End}, true
			}
		}
		return Estimate{Anchor: m.Place, AnchorText: m.Text, End: m.End}, true
	}
	return Estimate{}, false
}

var anchorFiller = regexp.MustCompile(`^(?:the\s+)?(?:(?:town|city|village|capital|port|centre|center|outskirts)\s+(?:of\s+)?)?(?:[\p{L}]+(?:['’]s)?\s+capital,?\s+)?$`)

func nextMention(ms []Mention, i int) *Mention {
	if i+1 < len(ms) {
		return &ms[i+1]
	}
	return nil
}

// finish computes the point, the uncertainty and the resolved place.
func (p *Parser) finish(text string, e Estimate, ms []Mention) Estimate {
	e.Text = text[e.Start:e.End]
	e.UncertaintyKm = uncertainty(e)
	e.Lat, e.Lon = geodesic.Destination(e.Anchor.Lat, e.Anchor.Lon, e.BearingDeg, e.DistanceKm*1000)
	// "Gharyan, about 60 miles south of Tripoli": the name just before.
	before := strings.TrimRight(text[:e.Start], " ")
	if strings.HasSuffix(before, ",") {
		before = strings.TrimRight(before[:len(before)-1], " ")
		for i := range ms {
			if ms[i].End == len(before) && !ms[i].Demonym && ms[i].Place.Kind != gazetteer.KindCountry {
				e.ResolvedPlace = ms[i].Place
				e.Start = ms[i].Start
				e.Text = text[e.Start:e.End]
			}
		}
	}
	// "a town 95km south of the capital": find the settlement it means.
	if e.ResolvedPlace == nil && e.DistanceStated {
		if loc := settlementExpr.FindStringIndex(text[:e.Start]); loc != nil {
			e.Start = loc[0]
			e.Text = text[e.Start:e.End]
			e.ResolvedPlace = p.settlementNear(e)
		}
	}
	if e.ResolvedPlace != nil {
		e.MeasuredKm = geodesic.Distance(e.Anchor.Lat, e.Anchor.Lon, e.ResolvedPlace.Lat, e.ResolvedPlace.Lon) / 1000
	}
	return e
}

// uncertainty is the radius around the point that the expression allows:
// the distance's vagueness, set by the qualifier, combined with the
// bearing's.
func uncertainty(e Estimate) float64 {
	d := e.DistanceKm
	var radial float64
	switch e.Qualifier {
	case "":
		radial = math.Max(2, 0.1*d)
	case "about", "around", "roughly", "approximately", "approx.", "some":
		radial = math.Max(3, 0.15*d)
	case "nearly", "almost", "barely", "just under", "just over", "only":
		radial = math.Max(2, 0.1*d)
	default: // less than, under, within, up to, more than, over, at least
		radial = 0.5 * d
	}
	if !e.DistanceStated {
		radial = assumedKm
	}
	lateral := d * math.Sin(e.HalfSectorDeg*math.Pi/180)
	return math.Round(math.Hypot(radial, lateral)*10) / 10
}

// settlementNear picks the most populous populated place within the
// estimate's uncertainty, in the anchor's country.
func (p *Parser) settlementNear(e Estimate) *gazetteer.Place {
	var best *gazetteer.Place
	bestScore := 0.0
	p.ix.Places(func(pl *gazetteer.Place) bool {
		if pl.FeatureClass != "P" || pl.Country != e.Anchor.Country || pl == e.Anchor || pl.FeatureCode == "PPLX" {
			return true
		}
		if math.Abs(pl.Lat-e.Lat) > 3 {
			return true
		}
		d := gazetteer.HaversineKm(pl.Lat, pl.Lon, e.Lat, e.Lon)
		if d > e.UncertaintyKm {
			return true
		}
		score := math.Log10(float64(pl.Population)+10) * (1 - 0.5*d/e.UncertaintyKm)
		if score > bestScore {
			best, bestScore = pl, score
		}
		return true
	})
	return best
}

// compass parses a compass direction in words ("south", "north-west",
// "south-south-west") into its abbreviation, bearing in degrees and the
// half-width of the sector it names.
func compass(words string) (abbr string, deg, halfSector float64, ok bool) {
	w := strings.ToLower(words)
	w = strings.NewReplacer("-", " ").Replace(w)
	var parts []string
	for _, f := range strings.Fields(w) {
		// split glued forms such as "northwest"
		for f != "" {
			matched := false
			for _, c := range []string{"north", "south", "east", "west"} {
				if strings.HasPrefix(f, c) {
					parts = append(parts, c)
					f = f[len(c):]
					matched = true
					break
				}
			}
			if !matched {
				return "", 0, 0, false
			}
		}
	}
	card := map[string]float64{"north": 0, "east": 90, "south": 180, "west": 270}
	letter := map[string]string{"north": "N", "east": "E", "south": "S", "west": "W"}
	switch len(parts) {
	case 1:
		return letter[parts[0]], card[parts[0]], 22.5, true
	case 2:
		if !isNS(parts[0]) || isNS(parts[1]) {
			return "", 0, 0, false
		}
		d := meanAngle(card[parts[0]], card[parts[1]])
		return letter[parts[0]] + letter[parts[1]], d, 11.25, true
	case 3:
		_, d2, _, ok := compass(parts[1] + parts[2])
		if !ok || (parts[0] != parts[1] && parts[0] != parts[2]) {
			return "", 0, 0, false
		}
		d := meanAngle(card[parts[0]], d2)
		return letter[parts[0]] + letter[parts[1]] + letter[parts[2]], d, 5.625, true
	}
	return "", 0, 0, false
}

func isNS(s string) bool { return s == "north" || s == "south" }

// meanAngle is the bisector of two bearings less than 180° apart.
func meanAngle(a, b float64) float64 {
	if math.Abs(a-b) > 180 {
		if a < b {
			a += 360
		} else {
			b += 360
		}
	}
	return math.Mod((a+b)/2, 360)
}
