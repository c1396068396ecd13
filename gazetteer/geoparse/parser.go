package geoparse

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// Roles of a mention.
const (
	// RoleLocation: the text names the place as a location.
	RoleLocation = "location"
	// RoleAssociated: the text only associates the place (a demonym such
	// as "Libyan"); it is not an event location.
	RoleAssociated = "associated"
)

// Mention is one place name found in the text, resolved.
type Mention struct {
	Text       string
	Start, End int // byte offsets in the text
	Key        string
	Role       string
	Demonym    bool
	Dateline   bool
	Candidates []gazetteer.Candidate
	Place      *gazetteer.Place
	Confidence float64
	// Part is the direction of a part of a region ("northern" in
	// "northern Virginia"); Place is then that part.
	Part string
	// Tentative marks a weak reading (a sentence-initial word naming a
	// minor place) kept only when the rest of the text supports it.
	Tentative bool
	// Facility names the site the mention is about when it is not the
	// place itself: "port" in "Hodeidah port", "international airport" in
	// "Tripoli's international airport".
	Facility string
	// FacilityText is the phrase naming the site with its byte span, when
	// it stands apart from the name ("Tripoli's international airport",
	// "the airport in Sirte"); the mention itself stays the name.
	FacilityText               string
	FacilityStart, FacilityEnd int
	// GeoPrecision is ACLED's: 1 the named place itself, 2 near or part of
	// it (a site resolved to its city, a district), 3 a region or country.
	GeoPrecision int
	// Within holds the places that qualify the name in the text
	// ("Springfield, Ill.", "Tawila (North Darfur)", "a village near Kafr
	// Nabl in Idlib"): a candidate inside one of them wins.
	Within []*gazetteer.Place
	// ListedWith is the kind of the places named beside this one in a
	// list ("California or Washington": admin-1 regions), "" when none.
	ListedWith string
}

// Reference is an anaphoric place phrase such as "the capital", resolved
// to the place it stands for. It is not a name, so it is kept apart from
// the mentions.
type Reference struct {
	Text       string
	Start, End int
	Place      *gazetteer.Place
}

// Result is what Parse found in one text.
type Result struct {
	// text is the parsed text, for Text.
	text       string
	Mentions   []Mention
	References []Reference
	Estimates  []Estimate
	// Focus is the ISO code of the country the text is about, "" if none.
	Focus string
	// Rejected lists names the gazetteer knows that were judged not to be
	// places here, with the reason.
	Rejected []Rejection
}

// Rejection is a gazetteer name in the text that was not taken as a place.
type Rejection struct {
	Text, Reason string
	Start, End   int
}

// Parser finds and resolves places. It is safe for concurrent use.
type Parser struct {
	ix *gazetteer.Index
	// parts caches partOf: "northern Virginia" is worked out once.
	parts sync.Map // string -> *gazetteer.Place
}

// ErrNoIndex is returned by New without an index.
var ErrNoIndex = errors.New("geoparse: nil gazetteer index")

// New returns a Parser over the gazetteer index.
func New(ix *gazetteer.Index) (*Parser, error) {
	if ix == nil {
		return nil, ErrNoIndex
	}
	return &Parser{ix: ix}, nil
}

// Index returns the gazetteer index the parser uses.
func (p *Parser) Index() *gazetteer.Index { return p.ix }

// Parse finds the places in text.
func (p *Parser) Parse(text string) Result {
	toks := tokenize(text)
	spans := filterSpans(findSpans(text, toks, p.ix), toks, text, p.ix)
	res := Result{text: text}
	for _, s := range spans {
		start, end := toks[s.first].start, toks[s.last].end
		if (s.last > s.first && toks[s.last].gap == '.' || s.qualifier) && end < len(text) && text[end] == '.' {
			end++ // the closing dot of U.S. or Ill.
		}
		if s.rejected != "" {
			res.Rejected = append(res.Rejected, Rejection{Text: text[start:end], Reason: s.rejected, Start: start, End: end})
			continue
		}
		m := Mention{Text: text[start:end], Start: start, End: end, Key: s.key, Candidates: s.cands, Role: RoleLocation, Tentative: s.tentative}
		if k := arabicArticle(s, toks); k >= 0 {
			// "al-Khawkhah": the article belongs to the name as written
			m.Start, m.Text = toks[k].start, text[toks[k].start:end]
		}
		if k, regions := directionalRegion(s, toks); regions != nil {
			// "northern Virginia": the part of the region. Written in
			// capitals ("Northern Virginia") it is a name of its own and
			// the mention holds it; in lower case the mention stays the
			// name, as annotators of place names mark it
			m.Candidates = regions
			if toks[k].capital {
				m.Start, m.Text = toks[k].start, text[toks[k].start:end]
			}
			m.Part = strings.ToLower(toks[k].text)
		}
		if demonymOnly(s.cands) || demonymFirst(s.cands) {
			m.Candidates = demonymsOf(s.cands)
			m.Demonym, m.Role = true, RoleAssociated
		} else {
			m.Candidates = withoutDemonyms(s.cands)
		}
		m.Dateline = toks[s.first].lineStart && toks[s.first].allCaps
		if !m.Demonym && !p.extendRegion(&m, s, toks, text) {
			p.extendFacility(&m, s, toks, text)
		}
		res.Mentions = append(res.Mentions, m)
	}
	var codes []Mention
	res.Mentions, codes = dropBareCodes(res.Mentions)
	for _, m := range codes {
		res.Rejected = append(res.Rejected, Rejection{Text: m.Text, Reason: rejectBareCode, Start: m.Start, End: m.End})
	}
	res.Focus = focusCountry(res.Mentions)
	qualify(res.Mentions, text)
	markLists(res.Mentions, text)
	resolve(res.Mentions, res.Focus)
	var dropped []Mention
	res.Mentions, dropped = dropIsolated(res.Mentions, res.Focus, len(text) <= shortText)
	for _, m := range dropped {
		res.Rejected = append(res.Rejected, Rejection{Text: m.Text, Reason: rejectIsolated, Start: m.Start, End: m.End})
	}
	if len(dropped) > 0 { // the survivors agree better without them
		resolve(res.Mentions, res.Focus)
	}
	parts := map[string]*gazetteer.Place{}
	for i := range res.Mentions {
		if m := &res.Mentions[i]; m.Part != "" {
			key := m.Part + "|" + fmt.Sprint(m.Place.ID)
			if parts[key] == nil {
				if v, ok := p.parts.Load(key); ok {
					parts[key] = v.(*gazetteer.Place)
				} else {
					parts[key] = p.partOf(m.Place, m.Part)
					p.parts.Store(key, parts[key])
				}
			}
			m.Place = parts[key]
		}
		if res.Mentions[i].GeoPrecision == 0 {
			res.Mentions[i].GeoPrecision = precisionOf(res.Mentions[i].Place)
		}
	}
	relocateQuarters(text, res.Mentions)
	if named := sites(text, res.Mentions); len(named) > 0 {
		res.Mentions = append(res.Mentions, named...)
		sort.SliceStable(res.Mentions, func(i, j int) bool { return res.Mentions[i].Start < res.Mentions[j].Start })
	}
	res.References = p.capitalReferences(text, toks, res.Mentions, res.Focus)
	res.Estimates = p.estimates(text, toks, res.Mentions, res.References)
	return res
}

func withoutDemonyms(cands []gazetteer.Candidate) []gazetteer.Candidate {
	out := cands[:0:0]
	for _, c := range cands {
		if c.Flags&gazetteer.FlagDemonym == 0 {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return cands
	}
	return out
}

// capitalPattern finds "the capital", "the Libyan capital" and "the
// country's capital".
var capitalPattern = regexp.MustCompile(`(?i)\bthe\s+(?:([A-Z][\p{L}]+)\s+|country['’]s\s+)?capital$`)

// capitalReferences resolves each "the capital" to the capital of the
// country its adjective names, or of the focus country.
func (p *Parser) capitalReferences(text string, toks []token, ms []Mention, focus string) []Reference {
	var out []Reference
	for _, t := range toks {
		if !strings.EqualFold(t.text, "capital") {
			continue
		}
		ws, _ := window(text, t.start-40, t.end)
		loc := capitalPattern.FindStringSubmatchIndex(text[ws:t.end])
		if loc == nil {
			continue
		}
		for k := range loc {
			if loc[k] >= 0 {
				loc[k] += ws
			}
		}
		cc := focus
		if loc[2] >= 0 {
			adj := text[loc[2]:loc[3]]
			m := mentionAt(ms, loc[2])
			if m == nil || !m.Demonym {
				if strings.EqualFold(adj, "the") {
					continue
				}
				continue // "the Federal capital": not a country adjective
			}
			cc = m.Place.Country
		}
		// "the capital, Tripoli" / "the capital Tripoli" names it: the
		// mention already stands for it.
		rest := strings.TrimLeft(text[loc[1]:], " ,")
		if next := mentionAt(ms, len(text)-len(rest)); next != nil {
			continue
		}
		c := p.ix.Country(cc)
		if c == nil || c.CapitalID == 0 {
			continue
		}
		place := p.ix.Place(c.CapitalID)
		if place == nil {
			continue
		}
		out = append(out, Reference{Text: text[loc[0]:loc[1]], Start: loc[0], End: loc[1], Place: place})
	}
	return out
}

// mentionAt returns the mention starting at byte offset off, or nil.
func mentionAt(ms []Mention, off int) *Mention {
	if i := firstAtOrAfter(ms, off); i < len(ms) && ms[i].Start == off {
		return &ms[i]
	}
	return nil
}

// directionalRegion finds "northern X" / "Western X" where X may be a
// region: it returns the direction word's token and the region candidates.
func directionalRegion(s span, toks []token) (int, []gazetteer.Candidate) {
	k := s.first - 1
	if k < 0 || toks[s.first].gap != ' ' || !directions[strings.ToLower(toks[k].text)] {
		return 0, nil
	}
	var regions []gazetteer.Candidate
	for _, c := range s.cands {
		switch {
		case c.Place.Kind == gazetteer.KindRegion:
			regions = append(regions, c)
		case c.Place.Population >= strongPopulation && (c.Place.FeatureCode == "PPLC" || c.Place.FeatureCode == "PPLA" || c.Place.FeatureCode == "PPLA2"):
			return 0, nil // "central Khartoum" is part of the city
		}
	}
	return k, regions
}

// arabicArticle returns the token of a lower-case Arabic article joined by
// a hyphen before the span ("al-Khawkhah"), or -1.
func arabicArticle(s span, toks []token) int {
	k := s.first - 1
	if k < 0 || toks[s.first].gap != '-' {
		return -1
	}
	switch toks[k].text {
	case "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath":
		return k
	}
	return -1
}

// precisionOf is the ACLED geo-precision of a place named outright.
func precisionOf(p *gazetteer.Place) int {
	switch p.Kind {
	case gazetteer.KindCountry, gazetteer.KindRegion, gazetteer.KindWater:
		return 3
	case gazetteer.KindDistrict:
		return 2
	}
	return 1
}

// Text returns text[start:end] of the parsed text, clamped to it.
func (r Result) Text(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end > len(r.text) {
		end = len(r.text)
	}
	if start >= end {
		return ""
	}
	return r.text[start:end]
}

// MentionsIn returns the mentions that start in [start, end), in order.
func (r Result) MentionsIn(start, end int) []Mention {
	lo := sort.Search(len(r.Mentions), func(i int) bool { return r.Mentions[i].Start >= start })
	hi := sort.Search(len(r.Mentions), func(i int) bool { return r.Mentions[i].Start >= end })
	return r.Mentions[lo:hi]
}

// EstimatesIn returns the estimates that start in [start, end), in order.
func (r Result) EstimatesIn(start, end int) []Estimate {
	lo := sort.Search(len(r.Estimates), func(i int) bool { return r.Estimates[i].Start >= start })
	hi := sort.Search(len(r.Estimates), func(i int) bool { return r.Estimates[i].Start >= end })
	return r.Estimates[lo:hi]
}

// ReferencesIn returns the references that start in [start, end), in
// order.
func (r Result) ReferencesIn(start, end int) []Reference {
	lo := sort.Search(len(r.References), func(i int) bool { return r.References[i].Start >= start })
	hi := sort.Search(len(r.References), func(i int) bool { return r.References[i].Start >= end })
	return r.References[lo:hi]
}

// qualifierGap matches what stands between a place and the area that
// qualifies it: "Springfield, Ill.", "Tawila (North Darfur)", "Kafr Nabl
// in Idlib", "Novoselivka, in the Donetsk region".
var qualifierGap = regexp.MustCompile(`^\s*(?:,|\(|,?\s+in)\s*(?:the\s+)?$`)

// descriptorGap matches what stands between a demonym and the place it
// describes: "the Syrian town of Kafranbel", "the English city of
// Salisbury", "the Ukrainian village of Novoselivka".
var descriptorGap = regexp.MustCompile(`^\s+(?:(?:northern|southern|eastern|western|central|coastal|border|frontline|besieged|rebel-held|strategic)\s+)?(?:city|town|village|port|capital|region|province|district|hamlet|settlement|enclave|oasis)\s+of\s+$`)

// listGap matches what joins the names of a list: "A, B and C", "A or B".
var listGap = regexp.MustCompile(`^\s*(?:,|,?\s+(?:and|or))\s*$`)

// listKind is the kind that a list's neighbour name surely has: "ADM1"
// for an admin-1 region, "country" for a country, "" otherwise.
func listKind(m *Mention) string {
	if m.Demonym || len(m.Candidates) == 0 {
		return ""
	}
	p := strongest(m.Candidates).Place
	switch {
	case p.Kind == gazetteer.KindCountry:
		return "country"
	case p.FeatureCode == "ADM1":
		return "ADM1"
	}
	return ""
}

// markLists sets ListedWith of each mention listed beside a region or a
// country: "western states such as California or Washington" lists
// admin-1 regions, "Austria, Slovakia, Cyprus and Greece" countries.
func markLists(ms []Mention, text string) {
	for i := range ms {
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(ms) {
				continue
			}
			a, b := &ms[min(i, j)], &ms[max(i, j)]
			if b.Start < a.End || b.Start-a.End > 6 || !listGap.MatchString(text[a.End:b.Start]) {
				continue
			}
			if k := listKind(&ms[j]); k != "" && ms[i].ListedWith == "" {
				ms[i].ListedWith = k
			}
		}
	}
}

// qualify sets Within of each mention that the next mention qualifies:
// the areas (countries and regions) that the next name may be; and of each
// mention that a demonym describes ("the Syrian town of X"): the demonym's
// country.
func qualify(ms []Mention, text string) {
	for i := 1; i < len(ms); i++ {
		d, m := &ms[i-1], &ms[i]
		if !d.Demonym || m.Demonym || m.Start < d.End || m.Start-d.End > 40 {
			continue
		}
		if descriptorGap.MatchString(text[d.End:m.Start]) {
			for _, c := range d.Candidates {
				m.Within = append(m.Within, c.Place)
			}
		}
	}
	for i := 0; i+1 < len(ms); i++ {
		m, next := &ms[i], &ms[i+1]
		if m.Demonym || next.Demonym || next.Start < m.End || next.Start-m.End > 12 {
			continue
		}
		if !qualifierGap.MatchString(text[m.End:next.Start]) {
			continue
		}
		for _, c := range next.Candidates {
			switch c.Place.Kind {
			case gazetteer.KindCountry, gazetteer.KindRegion:
				m.Within = append(m.Within, c.Place)
			}
		}
	}
}

// everydayCode is the one ISO 3166 alpha-2 code that English news writes
// bare as a country's everyday name ("US troops"). Any other two-letter
// code (IS, AU, GM, AI) is far more often something else: an acronym, a
// company, a party.
const everydayCode = "US"

// dropBareCodes removes the mentions that are a country's two-letter ISO
// code when nothing else in the text names that country or a place in it:
// "IS fighters" is no mention of Iceland, nor "AU troops" of Australia.
func dropBareCodes(ms []Mention) (kept, dropped []Mention) {
	bare := func(m Mention) (string, bool) {
		code := strings.ReplaceAll(m.Text, ".", "") // "H.R." too
		if len(code) != 2 || m.Demonym || len(m.Candidates) == 0 {
			return "", false
		}
		c := m.Candidates[0].Place
		if c.Kind != gazetteer.KindCountry || !strings.EqualFold(code, c.Country) || c.Country == everydayCode {
			return "", false
		}
		return c.Country, true
	}
	for _, m := range ms {
		cc, ok := bare(m)
		if !ok {
			kept = append(kept, m)
			continue
		}
		supported := false
		for _, o := range ms {
			if o.Key == m.Key {
				continue
			}
			for _, c := range o.Candidates {
				if c.Place.Country == cc {
					supported = true
				}
			}
		}
		if supported {
			kept = append(kept, m)
		} else {
			dropped = append(dropped, m)
		}
	}
	return kept, dropped
}

// demonymFirst reports whether a word that is a demonym ("British",
// "Canadian", "Kurdish") is one here although some minor place also bears
// it: an airport's alternate name or a small town is not what the
// adjective means.
func demonymFirst(cands []gazetteer.Candidate) bool {
	has := false
	for _, c := range cands {
		if c.Flags&gazetteer.FlagDemonym != 0 {
			has = true
		} else if isFamous(c.Place) {
			return false
		}
	}
	return has
}

// demonymsOf keeps the demonym candidates.
func demonymsOf(cands []gazetteer.Candidate) []gazetteer.Candidate {
	out := cands[:0:0]
	for _, c := range cands {
		if c.Flags&gazetteer.FlagDemonym != 0 {
			out = append(out, c)
		}
	}
	return out
}
