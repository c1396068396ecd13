package geoparse

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/geo/geodesic"
)

// rose is the 16-point compass rose in bearing order, 22.5° apart.
var rose = [...]string{"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"}

// halfSectors is the vagueness of a bearing by the length of its name.
var halfSectors = map[int]float64{1: 22.5, 2: 11.25, 3: 5.625}

// checkBearing reports what is wrong with a parsed bearing, or "".
func checkBearing(abbr string, deg, halfSector float64) string {
	if math.IsNaN(deg) || deg < 0 || deg >= 360 {
		return "bearing outside [0,360)"
	}
	if halfSector != halfSectors[len(abbr)] {
		return "half-sector does not match the bearing's name"
	}
	i := int(math.Round(deg / 22.5))
	if deg != float64(i)*22.5 || rose[i%len(rose)] != abbr {
		return "bearing does not match the compass point it names"
	}
	return ""
}

// FuzzCompass: a parsed compass direction is one of the 16 points, with
// its own bearing and vagueness; anything else is refused with zeros.
func FuzzCompass(f *testing.F) {
	for _, s := range []string{"south", "North-West", "south-south-west", "northwest", "east north east", "north north north", "north-south", "west-", "SOUTH", "ſouth", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, words string) {
		abbr, deg, half, ok := compass(words)
		if !ok {
			if abbr != "" || deg != 0 || half != 0 {
				t.Fatalf("compass(%q) refused but returned %q %v %v", words, abbr, deg, half)
			}
			return
		}
		if msg := checkBearing(abbr, deg, half); msg != "" {
			t.Fatalf("compass(%q) = %q %v° ±%v°: %s", words, abbr, deg, half, msg)
		}
	})
}

// relativeFixture is what FuzzEstimates anchors expressions to: names
// found verbatim in the fuzzed text stand for resolved mentions, and "the
// capital" for a reference to Tripoli.
type relativeFixture struct {
	p     *Parser
	names []string // longest first, so "Libyan" wins over "Libya"
	byTxt map[string]Mention
	capit *gazetteer.Place
}

func newRelativeFixture(tb testing.TB) *relativeFixture {
	tb.Helper()
	ix := gazettest.Index(tb)
	p, err := New(ix)
	if err != nil {
		tb.Fatal(err)
	}
	place := func(name, country string) *gazetteer.Place {
		for _, c := range ix.Lookup(gazetteer.Normalize(name)) {
			if c.Place.Country == country && c.Flags&gazetteer.FlagDemonym == 0 {
				return c.Place
			}
		}
		tb.Fatalf("fixture gazetteer has no %s in %s", name, country)
		return nil
	}
	libya := place("Libya", "LY")
	// the South Pole and a town by the antimeridian test the geodesy at
	// its edges
	pole := &gazetteer.Place{Name: "Pole", Lat: -90, Lon: 0, FeatureClass: "S", Kind: gazetteer.KindFacility, Country: "AQ"}
	fx := &relativeFixture{p: p, capit: place("Tripoli", "LY"), byTxt: map[string]Mention{
		"Tripoli":    {Place: place("Tripoli", "LY")},
		"Sirte":      {Place: place("Sirte", "LY")},
		"Gharyan":    {Place: place("Gharyan", "LY")},
		"Libya":      {Place: libya},
		"Libyan":     {Place: libya, Demonym: true, Role: RoleAssociated},
		"Wellington": {Place: place("Wellington", "NZ")},
		"Pole":       {Place: pole},
	}}
	for name := range fx.byTxt {
		fx.names = append(fx.names, name)
	}
	sort.Slice(fx.names, func(i, j int) bool {
		if len(fx.names[i]) != len(fx.names[j]) {
			return len(fx.names[i]) > len(fx.names[j])
		}
		return fx.names[i] < fx.names[j]
	})
	return fx
}

// scan returns the mentions and references in text, in text order and
// not overlapping, as Parse would hand them to estimates.
func (fx *relativeFixture) scan(text string) ([]Mention, []Reference) {
	var ms []Mention
	var refs []Reference
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "the capital") {
			refs = append(refs, Reference{Text: "the capital", Start: i, End: i + len("the capital"), Place: fx.capit})
		}
		n := 1
		for _, name := range fx.names {
			if strings.HasPrefix(text[i:], name) {
				m := fx.byTxt[name]
				m.Text, m.Start, m.End = name, i, i+len(name)
				if m.Role == "" {
					m.Role = RoleLocation
				}
				ms = append(ms, m)
				n = len(name)
				break
			}
		}
		i += n
	}
	return ms, refs
}

var (
	knownUnits      = map[string]bool{"km": true, "kms": true, "kilometres": true, "kilometers": true, "kilometre": true, "kilometer": true, "miles": true, "mile": true, "mi": true}
	knownQualifiers = map[string]bool{"": true, "about": true, "around": true, "roughly": true, "approximately": true, "approx.": true, "some": true, "nearly": true, "almost": true, "barely": true, "just under": true, "just over": true, "less than": true, "fewer than": true, "under": true, "within": true, "up to": true, "more than": true, "over": true, "at least": true, "only": true}
)

// checkEstimate reports what is wrong with an estimate found in text, or "".
func checkEstimate(text string, e Estimate) string {
	switch {
	case e.Start < 0 || e.End > len(text) || e.Start >= e.End || text[e.Start:e.End] != e.Text:
		return "span is not the text's"
	case e.Anchor == nil || e.AnchorText == "" || !strings.HasSuffix(e.Text, e.AnchorText):
		return "anchor missing or not at the end of the expression"
	case math.IsNaN(e.DistanceKm) || math.IsInf(e.DistanceKm, 0) || e.DistanceKm <= 0:
		return "distance not finite and positive"
	case e.DistanceStated && (!knownUnits[e.Unit] || e.DistanceKm > 20000*kmPerMile):
		return "stated distance in an unknown unit or beyond the cap"
	case !e.DistanceStated && (e.DistanceKm != assumedKm || e.Unit != ""):
		return "bare direction without the assumed distance"
	case !knownQualifiers[e.Qualifier]:
		return "unknown qualifier"
	case math.IsNaN(e.UncertaintyKm) || math.IsInf(e.UncertaintyKm, 0) || e.UncertaintyKm < 0:
		return "uncertainty not finite and non-negative"
	case math.IsNaN(e.Lat) || math.IsNaN(e.Lon) || e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180:
		return "point off the globe"
	case math.IsNaN(e.MeasuredKm) || math.IsInf(e.MeasuredKm, 0) || e.MeasuredKm < 0 || (e.ResolvedPlace == nil && e.MeasuredKm != 0):
		return "measured distance not finite and non-negative, or without a place"
	}
	if msg := checkBearing(e.Bearing, e.BearingDeg, e.HalfSectorDeg); msg != "" {
		return msg
	}
	// short of the antipode, the point is as far from the anchor as stated
	if e.DistanceKm < 19000 {
		got := geodesic.Distance(e.Anchor.Lat, e.Anchor.Lon, e.Lat, e.Lon) / 1000
		if math.Abs(got-e.DistanceKm) > 0.01+1e-6*e.DistanceKm {
			return "point not at the stated distance from the anchor"
		}
	}
	return ""
}

// FuzzEstimates drives the relative-expression parser directly, with
// mentions and references placed by name rather than by the whole
// geoparser, so that the fuzzer spends its time on the expressions.
func FuzzEstimates(f *testing.F) {
	for _, s := range []string{
		"a town 95km south of the capital",
		"a village under 50 kilometres south of Tripoli",
		"Gharyan, about 60 miles south of Tripoli",
		"Gharyan, a town some 60 miles (97 km) to the south of Tripoli",
		"clashes north-west of Sirte",
		"40km south-south-west of Libya's capital Tripoli",
		"5 km north of Pole", "20000 miles east of Wellington", "0 km south of Sirte",
		"99999 km west of Tripoli", "1,5 km north of the Libyan capital",
		"north of Libya", "a city 12 mi. north-east of the capital",
	} {
		f.Add(s)
	}
	fx := newRelativeFixture(f)
	// the fixture must anchor the expressions, or the fuzzer checks nothing
	for _, s := range []string{"a town 95km south of the capital", "Gharyan, about 60 miles south of Tripoli", "clashes north-west of Sirte", "5 km north of Pole"} {
		ms, refs := fx.scan(s)
		if es := fx.p.estimates(s, tokenize(s), ms, refs); len(es) != 1 {
			f.Fatalf("%q: %d estimates, want 1", s, len(es))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms, refs := fx.scan(text)
		es := fx.p.estimates(text, tokenize(text), ms, refs)
		for i, e := range es {
			if i > 0 && es[i-1].Start > e.Start {
				t.Fatalf("estimates out of text order: %+v before %+v", es[i-1], e)
			}
			if msg := checkEstimate(text, e); msg != "" {
				t.Fatalf("%s: %+v", msg, e)
			}
		}
	})
}
