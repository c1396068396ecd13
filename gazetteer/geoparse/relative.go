package geoparse

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"

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

// triggers locate, cheaply, where a relative expression may be: a distance
// unit ("km", "95km", "miles") or a compass word. The regular expressions
// then run only on a short window around each, so long texts stay fast.
func triggers(toks []token) (units, compassAt []int) {
	for i, t := range toks {
		w := strings.ToLower(t.text)
		if isUnitWord(strings.TrimLeft(w, "0123456789")) {
			units = append(units, i)
		}
		if isCompassStart(w) && (i == 0 || !(toks[i].gap == '-' && isCompassStart(strings.ToLower(toks[i-1].text)))) {
			compassAt = append(compassAt, i)
		}
	}
	return units, compassAt
}

func isUnitWord(w string) bool {
	switch w {
	case "km", "kms", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "mi":
		return true
	}
	return false
}

func isCompassStart(w string) bool {
	for _, c := range [...]string{"north", "south", "east", "west"} {
		if strings.HasPrefix(w, c) {
			return true
		}
	}
	return false
}

// window returns text[from:to] clamped to the text and to rune boundaries.
func window(text string, from, to int) (int, int) {
	if from < 0 {
		from = 0
	}
	if to > len(text) {
		to = len(text)
	}
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return from, to
}

// estimates finds relative expressions whose anchor is a resolved mention
// or reference.
func (p *Parser) estimates(text string, toks []token, ms []Mention, refs []Reference) []Estimate {
	var out []Estimate
	covered := func(start int) bool {
		for _, e := range out {
			if start >= e.Start && start < e.End {
				return true
			}
		}
		return false
	}
	units, compassAt := triggers(toks)
	seen := map[int]bool{}
	for _, ui := range units {
		ws, we := window(text, toks[ui].start-48, toks[ui].end+64)
		for _, loc := range distanceExpr.FindAllStringSubmatchIndex(text[ws:we], -1) {
			for k := range loc {
				if loc[k] >= 0 {
					loc[k] += ws
				}
			}
			if seen[loc[0]] || loc[6] > toks[ui].end || loc[7] < toks[ui].start {
				continue
			}
			seen[loc[0]] = true
			if e, ok := p.distanceEstimate(text, loc, ms, refs); ok {
				out = append(out, e)
			}
		}
	}
	for _, ci := range compassAt {
		start := toks[ci].start
		if covered(start) {
			continue
		}
		_, we := window(text, start, start+40)
		loc := directionExpr.FindStringSubmatchIndex(text[start:we])
		if loc == nil {
			continue
		}
		e, ok := p.anchored(text, start+loc[1], ms, refs)
		if !ok || e.Anchor.Kind == gazetteer.KindCountry || e.Anchor.Kind == gazetteer.KindRegion || e.Anchor.Kind == gazetteer.KindWater {
			continue // "south of Libya" is a part of the country, not a point
		}
		e.Start = start
		e.DistanceKm = assumedKm
		if e.Bearing, e.BearingDeg, e.HalfSectorDeg, ok = compass(text[start+loc[2] : start+loc[3]]); !ok {
			continue
		}
		out = append(out, p.finish(text, e, ms))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// distanceEstimate builds the estimate of one distanceExpr match.
func (p *Parser) distanceEstimate(text string, loc []int, ms []Mention, refs []Reference) (Estimate, bool) {
	e, ok := p.anchored(text, loc[1], ms, refs)
	if !ok {
		return e, false
	}
	e.Start = loc[0]
	if loc[2] >= 0 {
		e.Qualifier = foldCase(text[loc[2]:loc[3]])
	}
	num, err := strconv.ParseFloat(strings.ReplaceAll(text[loc[4]:loc[5]], ",", "."), 64)
	if err != nil || num <= 0 || num > 20000 {
		return e, false
	}
	e.Unit = foldCase(text[loc[6]:loc[7]])
	e.DistanceKm, e.DistanceStated = num, true
	if strings.HasPrefix(e.Unit, "mi") {
		e.DistanceKm = num * kmPerMile
	}
	e.Bearing, e.BearingDeg, e.HalfSectorDeg, ok = compass(text[loc[8]:loc[9]])
	if !ok {
		return e, false
	}
	return p.finish(text, e, ms), true
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
	for i := firstAtOrAfter(ms, off); i < len(ms) && ms[i].Start <= limit; i++ {
		m := &ms[i]
		if m.Demonym {
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
	if m := namedBefore(text, e.Start, ms); m != nil {
		e.ResolvedPlace, e.Start = m.Place, m.Start
		e.Text = text[e.Start:e.End]
	}
	// "a town 95km south of the capital": find the settlement it means,
	// unless the name comes first ("Gharyan, a town some 60 miles ...").
	if e.ResolvedPlace == nil && e.DistanceStated {
		ws, _ := window(text, e.Start-32, e.Start)
		if loc := settlementExpr.FindStringIndex(text[ws:e.Start]); loc != nil {
			e.Start = ws + loc[0]
			e.Text = text[e.Start:e.End]
			if m := namedBefore(text, e.Start, ms); m != nil {
				e.ResolvedPlace, e.Start = m.Place, m.Start
				e.Text = text[e.Start:e.End]
			} else {
				e.ResolvedPlace = p.settlementNear(e)
			}
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
	p.ix.Near(e.Lat, e.Lon, e.UncertaintyKm, func(pl *gazetteer.Place, d float64) bool {
		if pl.FeatureClass != "P" || pl.Country != e.Anchor.Country || pl == e.Anchor || pl.FeatureCode == "PPLX" {
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

// firstAtOrAfter returns the index of the first mention starting at or
// after off; mentions are in text order.
func firstAtOrAfter(ms []Mention, off int) int {
	return sort.Search(len(ms), func(i int) bool { return ms[i].Start >= off })
}

// namedBefore returns the mention of a town that ends just before
// ", " at offset at: the name a relative expression describes.
func namedBefore(text string, at int, ms []Mention) *Mention {
	before := strings.TrimRight(text[:at], " ")
	if !strings.HasSuffix(before, ",") {
		return nil
	}
	before = strings.TrimRight(before[:len(before)-1], " ")
	for i := firstAtOrAfter(ms, len(before)-64); i < len(ms) && ms[i].Start < len(before); i++ {
		if ms[i].End == len(before) && !ms[i].Demonym && ms[i].Place.Kind != gazetteer.KindCountry {
			return &ms[i]
		}
	}
	return nil
}

// foldCase folds a word the pattern matched case-insensitively to the
// spelling the code compares with: (?i) matches "ſ" (long s) for "s" and
// "K" (Kelvin) for "k", which strings.ToLower leaves as they are.
func foldCase(s string) string { return cases.Fold().String(s) }
