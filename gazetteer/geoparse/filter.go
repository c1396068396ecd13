package geoparse

import (
	"strings"
	"unicode/utf8"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// Rejection reasons, kept on dropped spans so tests can show why a
// string that GeoNames knows was not taken for a place.
const (
	rejectOrganisation = "inside a longer proper name (organisation or person)"
	rejectSentenceWord = "sentence-initial common word"
	rejectWeakInitial  = "sentence-initial word with no strong place reading"
	rejectCommonWord   = "common English word naming only a minor place"
	rejectAbbrevCase   = "abbreviation not written in capitals"
	rejectShouting     = "all-capitals text"
	rejectNotAName     = "a letter, weekday, month or compass word"
	rejectAcronym      = "an acronym the gazetteer does not know as a place abbreviation"
	rejectIsolated     = "minor namesake far from every other place in the text"
	rejectPerson       = "a person's name here"
	rejectAltName      = "only an alternate name that is a common word, a person's name or a code"
	rejectContraction  = "an English contraction"
	rejectQualifier    = "a region's short form that qualifies no place here"
	rejectBareCode     = "a two-letter country code that nothing else in the text supports"
)

// Thresholds of population for a name that is also something else.
const (
	strongPopulation  = 100_000
	initialPopulation = 50_000
)

// geoWords may follow a place name without making it part of an
// organisation's name: "Idlib Province", "Tripoli International Airport".
// "City" is not one: a city named with it is a gazetteer name of its own
// (Mexico City, Quezon City), and otherwise "X City" is mostly a club
// (Manchester City, Norwich City).
var geoWords = map[string]bool{
	"province": true, "region": true, "governorate": true, "district": true, "state": true,
	"oblast": true, "county": true, "municipality": true, "prefecture": true,
	"airport": true, "port": true, "harbour": true, "harbor": true, "international": true,
	"mountains": true, "valley": true, "river": true, "sea": true, "gulf": true, "strait": true,
	"desert": true, "plain": true, "plateau": true, "basin": true, "coast": true, "border": true,
}

// filterSpans drops the spans that are not places and trims candidate lists
// by case (an abbreviation must be written in capitals).
func filterSpans(spans []span, toks []token, text string, ix *gazetteer.Index) []span {
	covered := make([]bool, len(toks))
	for _, s := range spans {
		for k := s.first; k <= s.last; k++ {
			covered[k] = true
		}
	}
	persons := personWords(toks, text, ix)
	out := spans[:0:0]
	for _, s := range spans {
		if q, ok := qualifierReading(s, toks, text); ok {
			s.cands, s.qualifier = q, true
			out = append(out, s)
			continue
		}
		s.cands = withoutQualifierNames(s.cands)
		if len(s.cands) == 0 {
			s.rejected = rejectQualifier
			out = append(out, s)
			continue
		}
		s.cands = byCase(s, toks)
		cased := len(s.cands)
		s.cands = withoutAltNameNoise(s.cands, s.key, ix)
		switch {
		case s.first == s.last && contraction(toks[s.first].text):
			s.rejected = rejectContraction
		case len(s.cands) == 0 && cased > 0:
			s.rejected = rejectAltName
		case len(s.cands) == 0:
			s.rejected = rejectAbbrevCase
		default:
			if s.rejected = checkContext(s, toks, covered, ix); s.rejected == "" {
				s.rejected = checkWords(s, toks, ix)
			}
			if (s.rejected == "" || s.rejected == rejectWeakInitial) && personReading(s, toks, text, ix, persons) {
				s.rejected = rejectPerson
			}
		}
		out = append(out, s)
	}
	// A sentence-initial name passes when the same name is a place
	// elsewhere in the text.
	accepted := map[string]bool{}
	for _, s := range out {
		if s.rejected == "" {
			accepted[s.key] = true
		}
	}
	for i, s := range out {
		if s.rejected == rejectWeakInitial {
			// kept for now; dropIsolated decides once the focus is known
			out[i].rejected = ""
			out[i].tentative = !accepted[s.key]
		}
	}
	return out
}

// byCase keeps the candidates whose name fits how the text writes it.
func byCase(s span, toks []token) []gazetteer.Candidate {
	caps := true
	for k := s.first; k <= s.last; k++ {
		if !toks[k].allCaps {
			caps = false
		}
	}
	var abbrev, other []gazetteer.Candidate
	for _, c := range s.cands {
		if c.Flags&gazetteer.FlagAbbrev != 0 {
			abbrev = append(abbrev, c)
		} else {
			other = append(other, c)
		}
	}
	if caps && len(abbrev) > 0 && s.first == s.last && len([]rune(toks[s.first].text)) <= 4 {
		return abbrev
	}
	if caps && len(abbrev) > 0 && s.last > s.first {
		return abbrev // U.S., U.A.E.
	}
	return other
}

// checkContext rejects a name that is part of a longer run of capitalised
// words: "Washington Post", "US Africa Command", "General Khalifa Hifter".
func checkContext(s span, toks []token, covered []bool, ix *gazetteer.Index) string {
	first, last := toks[s.first], toks[s.last]
	if first.allCaps && last.allCaps && s.first == s.last && len(first.text) <= 4 && shouting(toks, s.first) {
		return rejectShouting
	}
	if first.titleCase {
		// in a headline every word is capitalised: neighbours say
		// nothing about a longer name
		return ""
	}
	// left neighbours
	for k := s.first - 1; k >= 0; k-- {
		if !joinable(toks[k], toks[k+1]) {
			break
		}
		w := strings.ToLower(toks[k].text)
		if !toks[k].capital {
			// "Maarat al-Numan", "Gulf of Sirte": a connector after a
			// capitalised word makes this the tail of a longer name
			if linksName(w, toks, k) && k > 0 && toks[k-1].capital && joinable(toks[k-1], toks[k]) && !toks[k-1].sentenceStart &&
				!(w == "of" && titles[strings.ToLower(toks[k-1].text)]) { // "Governor of Texas" names Texas
				return rejectOrganisation
			}
			break
		}
		if toks[k+1].gap == '-' {
			break
		}
		if countryCovered(k, toks, covered) || directions[w] || calendarWords[w] || w == "the" {
			continue
		}
		if toks[k].sentenceStart && ix.CommonWordRank(w) > 0 {
			break // "In Tripoli", "After Sirte"
		}
		return rejectOrganisation
	}
	// right neighbours
	for k := s.last + 1; k < len(toks); k++ {
		if !joinable(toks[k-1], toks[k]) {
			break
		}
		w := strings.ToLower(toks[k].text)
		if !toks[k].capital {
			// "Bab al-Hawa": a connector then a capitalised word
			if linksName(w, toks, k) && k+1 < len(toks) && toks[k+1].capital && joinable(toks[k], toks[k+1]) && !calendarWords[strings.ToLower(toks[k+1].text)] {
				return rejectOrganisation
			}
			break
		}
		if toks[k].gap == '-' {
			break
		}
		if calendarWords[w] || geoWords[w] {
			continue
		}
		if (titles[w] || publicBodies[w]) && !(s.first == s.last && !first.allCaps && ix.CommonWordRank(strings.ToLower(first.text)) > 0) {
			// "California Democrats", "Manila Archbishop", "Beverly Hills
			// Police Department": the place modifies its own people or
			// body, and is named as a place
			break
		}
		return rejectOrganisation
	}
	return ""
}

// publicBodies are the people and institutions of a place that follow its
// name as a modifier: "Texas Department of Transportation", "Idlib
// Police", "Ohio Democrats".
var publicBodies = map[string]bool{
	"police": true, "department": true, "democrats": true, "republicans": true, "government": true,
	"council": true, "officials": true, "authorities": true, "court": true, "assembly": true,
	"legislature": true, "parliament": true, "ministry": true, "army": true, "forces": true,
	"military": true, "navy": true, "troops": true, "residents": true, "senate": true, "house": true,
	"delegation": true, "administration": true, "authority": true,
	"office": true, "board": true, "commission": true, "agency": true, "guard": true,
	"rep": true, "sen": true, "gov": true, "lawmakers": true, "voters": true, "schools": true,
	"fire": true, "sheriff's": true, "attorney": true, "prosecutor": true, "assistant": true,
}

// shouting reports whether the words around i are in capitals too, as in a
// headline, where case says nothing.
func shouting(toks []token, i int) bool {
	n := 0
	for _, k := range []int{i - 1, i + 1} {
		if k >= 0 && k < len(toks) && toks[k].allCaps && len(toks[k].text) > 1 && !toks[k].sentenceStart {
			n++
		}
	}
	return n > 0
}

// checkWords rejects a single word that is usually an ordinary English word
// or opens a sentence, unless it names a strong place.
func checkWords(s span, toks []token, ix *gazetteer.Index) string {
	if s.first != s.last {
		return ""
	}
	t := toks[s.first]
	w := strings.ToLower(t.text)
	if utf8.RuneCountInString(w) == 1 || calendarWords[w] || directions[w] {
		return rejectNotAName
	}
	if t.allCaps && t.lineStart && utf8.RuneCountInString(w) > 4 {
		return "" // a dateline: TRIPOLI, April 5
	}
	if t.allCaps && utf8.RuneCountInString(w) <= 4 && s.cands[0].Flags&gazetteer.FlagAbbrev == 0 {
		return rejectAcronym // UN, LNA, NATO
	}
	common := ix.CommonWordRank(w) > 0
	best := strongest(s.cands)
	if t.sentenceStart {
		if common && !isCountry(best) {
			return rejectSentenceWord
		}
		if !isCountry(best) && best.Place.Population < initialPopulation && !demonymOnly(s.cands) {
			return rejectWeakInitial
		}
		return ""
	}
	if common && !isCountry(best) && !designated(toks, s.last+1) {
		// a region named by a common word ("Centre") needs its designator
		// ("Centre region"); a town so named needs to be a large one
		if best.Place.Kind == gazetteer.KindRegion || best.Place.Population < strongPopulation {
			return rejectCommonWord
		}
	}
	return ""
}

func isCountry(c gazetteer.Candidate) bool {
	return c.Place != nil && c.Place.Kind == gazetteer.KindCountry
}

func demonymOnly(cands []gazetteer.Candidate) bool {
	for _, c := range cands {
		if c.Flags&gazetteer.FlagDemonym == 0 {
			return false
		}
	}
	return len(cands) > 0
}

// strongest returns the candidate with the largest population, preferring
// countries.
func strongest(cands []gazetteer.Candidate) gazetteer.Candidate {
	best := cands[0]
	for _, c := range cands[1:] {
		if isCountry(c) && !isCountry(best) || c.Place.Population > best.Place.Population && !isCountry(best) {
			best = c
		}
	}
	return best
}

// Limits for the isolated-namesake rule.
const (
	// minOthersForIsolation: in a short text (a headline, a brief), a
	// minor place is judged far from the rest only when the text names at
	// least this many other places; a place alone there is kept.
	minOthersForIsolation = 2
	// shortText is the length in bytes up to which a text is short.
	shortText          = 600
	isolatedPopulation = 50_000
	isolatedKm         = 500.0
)

// dropIsolated removes mentions resolved to a minor place that nothing else
// in the text supports: not in the focus country, not qualified ("Visbek,
// Germany"), and far from every other place found. Such a match is almost
// always a word that happens to be a village's name ("Nato", "Arab"). In a
// short text, a place is judged so only when several others are named.
func dropIsolated(ms []Mention, focus string, short bool) (kept []Mention, dropped []Mention) {
	// the distinct point places, with the keys that name them
	type named struct {
		place *gazetteer.Place
		keys  map[string]bool
	}
	points := map[gazetteer.ID]*named{}
	for _, m := range ms {
		if m.Place.Kind == gazetteer.KindCountry || m.Place.Kind == gazetteer.KindRegion {
			continue
		}
		n := points[m.Place.ID]
		if n == nil {
			n = &named{place: m.Place, keys: map[string]bool{}}
			points[m.Place.ID] = n
		}
		n.keys[m.Key] = true
	}
	verdict := map[gazetteer.ID]bool{} // place -> isolated
	for _, m := range ms {
		p := m.Place
		large := p.Kind == gazetteer.KindCountry || p.Kind == gazetteer.KindWater || p.Kind == gazetteer.KindRegion
		if large || p.Country == focus || qualifiedBy(p, m.Within) || (p.Population >= isolatedPopulation && !m.Tentative) {
			kept = append(kept, m)
			continue
		}
		isolated, ok := verdict[p.ID]
		if !ok {
			// isolated from what? a place alone in a short text is
			// never dropped for being far from the others
			others := len(points)
			if _, ok := points[p.ID]; ok {
				others--
			}
			isolated = !short || others >= minOthersForIsolation
			for _, o := range points {
				if o.place == p || (len(o.keys) == 1 && o.keys[m.Key]) {
					continue
				}
				if gazetteer.HaversineKm(p.Lat, p.Lon, o.place.Lat, o.place.Lon) < isolatedKm {
					isolated = false
					break
				}
			}
			verdict[p.ID] = isolated
		}
		if isolated {
			dropped = append(dropped, m)
		} else {
			kept = append(kept, m)
		}
	}
	return kept, dropped
}

// nameLinks are the connectors that bind words into one name ("Gulf of
// Sirte", "Bab al-Hawa"), unlike "and" or "on", which link separate words.
// The value says whether the link counts only when a hyphen joins it to
// the next word: the Arabic articles "as", "at", "an" are also English
// words ("in Sirte as fighters moved").
var nameLinks = map[string]bool{
	"al": true, "el": true, "ad": true, "ar": true, "as": true, "ash": true, "at": true, "az": true,
	"an": true, "de": false, "du": false, "des": false, "la": false, "le": false, "of": false,
	"bin": false, "ibn": false, "da": false, "di": false, "del": false, "dos": false,
}

// linksName reports whether the lower-case word w at k binds the words
// around it into one name.
func linksName(w string, toks []token, k int) bool {
	hyphenOnly, ok := nameLinks[w]
	if !ok {
		return false
	}
	return !hyphenOnly || (k+1 < len(toks) && toks[k+1].gap == '-')
}

// countryCovered reports whether token k lies in a span that is only a
// country name or an abbreviation: "UN Libya envoy" is no organisation
// name, but two towns side by side ("Ain Zara") are one unknown name.
func countryCovered(k int, toks []token, covered []bool) bool {
	return covered[k] && toks[k].allCaps
}

// designated reports whether token k is a region or facility designator
// ("province", "airport") that follows a name.
func designated(toks []token, k int) bool {
	if k >= len(toks) || toks[k].gap != ' ' {
		return false
	}
	w := strings.ToLower(toks[k].text)
	return regionWords[w] || w == "airport" || w == "port"
}

// withoutAltNameNoise drops the candidates that matched only through a
// noisy alternate name (see altNameNoise).
func withoutAltNameNoise(cands []gazetteer.Candidate, key string, ix *gazetteer.Index) []gazetteer.Candidate {
	out := cands[:0:0]
	for _, c := range cands {
		if !altNameNoise(c, key, ix) {
			out = append(out, c)
		}
	}
	return out
}

// qualifierReading returns the candidates of a region's short form when
// the text uses it as one: after a place and a comma ("Springfield, Ill.",
// "MADISON, WI"), or, for a dotted form, with its dot anywhere but at the
// start of a sentence ("a missing Ill. man").
func qualifierReading(s span, toks []token, text string) ([]gazetteer.Candidate, bool) {
	var q []gazetteer.Candidate
	for _, c := range s.cands {
		if c.Flags&gazetteer.FlagQualifier != 0 {
			q = append(q, c)
		}
	}
	if len(q) == 0 {
		return nil, false
	}
	first := toks[s.first]
	afterPlace := first.commaBefore && s.first > 0 && toks[s.first-1].capital
	end := toks[s.last].end
	if s.first == s.last && utf8.RuneCountInString(first.text) <= 3 && first.allCaps && afterPlace {
		return q, true // a postal code after its place: "MADISON, WI"
	}
	dotted := end < len(text) && text[end] == '.' || s.last > s.first && toks[s.last].gap == '.'
	if s.first == s.last && (first.allCaps || !dotted) {
		return nil, false // "Co-owner", "In", "NV." alone: no postal code
	}
	if dotted && (afterPlace || !first.sentenceStart && first.capital) {
		return q, true
	}
	return nil, false
}

// withoutQualifierNames drops the region short forms from the candidates.
func withoutQualifierNames(cands []gazetteer.Candidate) []gazetteer.Candidate {
	out := cands[:0:0]
	for _, c := range cands {
		if c.Flags&gazetteer.FlagQualifier == 0 || c.Flags&^gazetteer.FlagQualifier != 0 {
			out = append(out, c)
		}
	}
	return out
}
