package events

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
)

// Location is where an event happened.
type Location struct {
	Name     string  `json:"name"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	Country  string  `json:"country,omitempty"`
	PlaceID  int64   `json:"place_id,omitempty"`  // gazetteer ID (negative for non-GeoNames entries)
	Geonames int64   `json:"geonameid,omitempty"` // 0 when not a GeoNames entry
	// GeoPrecision is ACLED's: 1 the named place, 2 near or part of it,
	// 3 a region or the country.
	GeoPrecision int `json:"geo_precision"`
	// UncertaintyKm is the radius of a relative estimate, 0 otherwise.
	UncertaintyKm float64 `json:"uncertainty_km,omitempty"`
	// Text is the phrase that located the event.
	Text string `json:"text"`
	// StatedKm: the distance the text gives from the anchor ("95km south
	// of the capital"), and Anchor its place, when the location is a
	// relative estimate.
	StatedKm float64 `json:"stated_km,omitempty"`
	Anchor   string  `json:"anchor,omitempty"`
}

// Event is one happening as one article reports it.
type Event struct {
	ID            string    `json:"id"`
	EventType     string    `json:"event_type"`
	SubEventType  string    `json:"sub_event_type"`
	Date          time.Time `json:"-"`
	TimePrecision int       `json:"time_precision"`
	DateText      string    `json:"date_text,omitempty"`
	Actor1        string    `json:"actor1,omitempty"`
	Actor2        string    `json:"actor2,omitempty"`
	Location      Location  `json:"location"`
	Fatalities    *int      `json:"fatalities"`
	Wounded       *int      `json:"wounded"`
	// CasualtyClaims keeps every figure the article gives for the event,
	// with the words it came from; Fatalities and Wounded are the lowest.
	CasualtyClaims []CasualtyClaim `json:"casualty_claims,omitempty"`
	// Disputed: the source itself doubts the report ("claimed, but no
	// independent confirmation").
	Disputed bool `json:"disputed"`
	// Sentences are the provenance: every sentence of the article that
	// reports this event, with byte offsets into the article.
	Sentences   []Span `json:"sentences"`
	Article     string `json:"article"`
	Source      string `json:"source,omitempty"`
	ArticleDate string `json:"article_date,omitempty"`
}

// Span is a piece of article text with its byte offsets.
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// DateString is the event date as YYYY-MM-DD.
func (e Event) DateString() string { return e.Date.Format(article.DateLayout) }

// Extractor finds events in parsed articles. It is safe for concurrent use.
type Extractor struct {
	actors *Actors
	ix     *gazetteer.Index
}

// NewExtractor returns an extractor using the actors and gazetteer index.
func NewExtractor(actors *Actors, ix *gazetteer.Index) *Extractor {
	if actors == nil {
		actors = DefaultActors()
	}
	return &Extractor{actors: actors, ix: ix}
}

// sameEventKm: within one article, two sentences of the same sub-type and
// date closer than this report one event.
const sameEventKm = 50.0

// sameEventWindow is how many earlier events of the article a report is
// compared with.
const sameEventWindow = 64

var (
	disputedExpr = regexp.MustCompile(`(?i)\b(?:claimed|claims?|no independent confirmation|could not be (?:independently )?(?:verified|confirmed)|unconfirmed|unverified|reportedly|allegedly)\b`)
	betweenExpr  = regexp.MustCompile(`^\S+\s+(?:\S+\s+){0,2}?between\b`)
	pronounExpr  = regexp.MustCompile(`(?i)^(?:\W*\w+\W+){0,6}?(?:it|they|he|she|his (?:forces|troops|fighters|army|men)|its (?:forces|troops|fighters))\b`)
)

// Extract returns the events an article reports. res is the article's
// geoparse result.
func (x *Extractor) Extract(a article.Article, res geoparse.Result) []Event {
	articleDate := a.Date
	if articleDate.IsZero() {
		articleDate = time.Now().UTC().Truncate(24 * time.Hour)
	}
	main := x.mainPlace(res)
	var out []Event
	seenText := map[string]bool{}
	var lastActor string
	// pending are the sentences since lastActor was settled whose actors
	// were not looked for: only a pronoun needs them, so they are read
	// then, most recent first.
	var pending []Sentence
	settle := func() string {
		for k := len(pending) - 1; k >= 0; k-- {
			if hits := x.actorsIn(pending[k], words(pending[k].Text), res); len(hits) > 0 {
				lastActor = hits[0].name
				break
			}
		}
		pending = pending[:0]
		return lastActor
	}
	lastViolent := -1
	sentences := Split(a.Text[a.Body:])
	var buf []word
	scratch := make([][]int, len(rules))
	for _, s := range sentences {
		s.Start += a.Body
		s.End += a.Body
		ws, lower := wordsInto(buf, s.Text)
		buf = ws
		trigs := matchAll(lower, ws, scratch)
		cas := countCasualtiesWords(s.Text, ws)
		if len(trigs) == 0 || !s.Reporting {
			// "At least 21 people had been killed": figures alone belong
			// to the violent event reported last
			if cas.Any() && s.Reporting && lastViolent >= 0 {
				addCasualties(&out[lastViolent], cas, s)
			}
			pending = append(pending, s)
			continue
		}
		prevActor := func() string { return settle() }
		hits := x.actorsIn(s, ws, res)
		if len(hits) > 0 {
			pending = pending[:0] // this sentence's actors are the newest
		}
		if len(hits) > 0 {
			lastActor = hits[0].name
		}
		norm := strings.Trim(s.Text, " \"“”'‘’")
		if seenText[norm] {
			continue // a quote repeated later is not a second event
		}
		seenText[norm] = true
		dates := dateCandidates(s.Text, ws, articleDate)
		for _, tg := range trigs {
			e, ok := x.event(a, s, ws, dates, tg, articleDate, res, main, hits, prevActor)
			if !ok {
				continue
			}
			if cas.Any() && isViolent(e) {
				addCasualties(&e, cas, s)
			}
			i := x.sameEvent(out, e)
			if i >= 0 {
				merge(&out[i], e)
			} else {
				out = append(out, e)
				i = len(out) - 1
			}
			if isViolent(e) {
				lastViolent = i
			}
			if len(hits) == 0 && e.Actor1 != "" {
				pending = pending[:0] // older sentences are superseded
				lastActor = e.Actor1
			}
		}
	}
	for i := range out {
		out[i].ID = fmt.Sprintf("%s/event/%d", a.Name, i+1)
	}
	return out
}

func isViolent(e Event) bool {
	return e.EventType == Battles || e.EventType == Explosions || e.EventType == Violence
}

// addCasualties records the figures of a sentence on an event. Several
// figures for one event keep the lowest, as ACLED does.
// CasualtyClaim is one figure as the text gives it.
type CasualtyClaim struct {
	Field string `json:"field"` // fatalities or wounded
	Value int    `json:"value"`
	Text  string `json:"text"`
}

func addCasualties(e *Event, c Casualties, s Sentence) {
	if c.Killed != nil {
		e.CasualtyClaims = append(e.CasualtyClaims, CasualtyClaim{"fatalities", *c.Killed, c.KilledText})
	}
	if c.Wounded != nil {
		e.CasualtyClaims = append(e.CasualtyClaims, CasualtyClaim{"wounded", *c.Wounded, c.WoundedText})
	}
	if c.Killed != nil && (e.Fatalities == nil || *c.Killed < *e.Fatalities) {
		e.Fatalities = c.Killed
	}
	if c.Wounded != nil && (e.Wounded == nil || *c.Wounded < *e.Wounded) {
		e.Wounded = c.Wounded
	}
	for _, have := range e.Sentences {
		if have.Start == s.Start {
			return
		}
	}
	e.Sentences = append(e.Sentences, Span{s.Text, s.Start, s.End})
}

// sameEvent finds an earlier event of the article that e reports again.
func (x *Extractor) sameEvent(out []Event, e Event) int {
	// an article retells an event within a few paragraphs: looking back
	// over the last sameEventWindow events keeps long texts linear
	from := max(0, len(out)-sameEventWindow)
	for i := from; i < len(out); i++ {
		o := out[i]
		if o.SubEventType != e.SubEventType || absDays(o.Date, e.Date) > 0 && e.TimePrecision == PrecisionDay && o.TimePrecision == PrecisionDay {
			continue
		}
		if !x.sameParties(o, e) {
			continue // different parties: another event
		}
		if gazetteer.HaversineKm(o.Location.Lat, o.Location.Lon, e.Location.Lat, e.Location.Lon) <= sameEventKm {
			return i
		}
	}
	return -1
}

// merge folds a later report of the same event into the first: the more
// precise date and place win; sentences and actors accumulate.
func merge(dst *Event, e Event) {
	if e.TimePrecision < dst.TimePrecision {
		dst.Date, dst.TimePrecision, dst.DateText = e.Date, e.TimePrecision, e.DateText
	}
	if e.Location.GeoPrecision < dst.Location.GeoPrecision {
		dst.Location = e.Location
	}
	if dst.Actor1 == "" {
		dst.Actor1 = e.Actor1
	}
	if dst.Actor2 == "" && e.Actor2 != dst.Actor1 {
		dst.Actor2 = e.Actor2
	}
	dst.Disputed = dst.Disputed || e.Disputed
	if e.Fatalities != nil && (dst.Fatalities == nil || *e.Fatalities < *dst.Fatalities) {
		dst.Fatalities = e.Fatalities
	}
	if e.Wounded != nil && (dst.Wounded == nil || *e.Wounded < *dst.Wounded) {
		dst.Wounded = e.Wounded
	}
	dst.CasualtyClaims = append(dst.CasualtyClaims, e.CasualtyClaims...)
	dst.Sentences = append(dst.Sentences, e.Sentences...)
	sort.Slice(dst.Sentences, func(i, j int) bool { return dst.Sentences[i].Start < dst.Sentences[j].Start })
}

func absDays(a, b time.Time) int {
	d := int(a.Sub(b).Hours() / 24)
	if d < 0 {
		return -d
	}
	return d
}

// actorsOf picks actor1 (the first actor named before the trigger, or the
// one a pronoun stands for) and actor2 (the next one named).
func actorsOf(s string, trig int, hits []actorHit, last func() string) (string, string) {
	var a1, a2 string
	between := betweenExpr.MatchString(s[trig:])
	for _, h := range hits {
		switch {
		case h.start < trig && !between:
			a1 = h.name // the closest before the trigger
		case h.start >= trig && a2 == "" && h.name != a1:
			a2 = h.name
		}
	}
	if between {
		// "clashes between A and B"
		var after []string
		for _, h := range hits {
			if h.start >= trig {
				after = append(after, h.name)
			}
		}
		a1, a2 = "", ""
		if len(after) > 0 {
			a1 = after[0]
		}
		if len(after) > 1 {
			a2 = after[1]
		}
	}
	if a1 == "" && pronounExpr.MatchString(s[:trig]) {
		a1 = last()
	}
	if a1 == "" && a2 != "" {
		a1, a2 = a2, ""
	}
	if a2 == a1 {
		a2 = ""
	}
	return a1, a2
}

// event builds the event of one trigger of a sentence; ok is false when
// the sentence gives no date of its own that is current, or no place.
func (x *Extractor) event(a article.Article, s Sentence, ws []word, dates []When, tg trigger, articleDate time.Time, res geoparse.Result,
	main *gazetteer.Place, hits []actorHit, prevActor func() string) (Event, bool) {
	when := pickDate(dates, articleDate, tg.at)
	if when.Background {
		return Event{}, false
	}
	loc, ok := x.locate(s, ws, tg.at, res, main)
	if !ok {
		return Event{}, false
	}
	e := Event{
		EventType: tg.eventType, SubEventType: tg.subType,
		Date: when.Date, TimePrecision: when.Precision, DateText: when.Text,
		Location: loc, Disputed: mayDispute(ws) && disputedExpr.MatchString(s.Text),
		Sentences: []Span{{s.Text, s.Start, s.End}},
		Article:   a.Name, Source: a.Source, ArticleDate: a.DateString(),
	}
	e.Actor1, e.Actor2 = actorsOf(s.Text, tg.at, hits, prevActor)
	// who took the ground decides ACLED's sub-type
	if e.EventType == Battles && (e.SubEventType == SubOvertakes || e.SubEventType == SubRegains) && e.Actor1 != "" {
		if x.actors.IsGovernment(e.Actor1) {
			e.SubEventType = SubRegains
		} else if x.actors.Known(e.Actor1) {
			e.SubEventType = SubOvertakes
		}
	}
	if e.Actor1 == "" && mentionsArmedGroup(ws) {
		if m := unknownActor.FindStringIndex(s.Text[tg.at:]); m != nil && m[0] < 60 {
			e.Actor1 = s.Text[tg.at+m[0] : tg.at+m[1]]
		} else if m := unknownActor.FindStringIndex(s.Text); m != nil {
			e.Actor1 = s.Text[m[0]:m[1]]
		}
	}
	return e, true
}

// sameParties reports whether two reports may be of the same event as far
// as their actors go: they share a known actor, or one of them names only
// actors the actors file does not know ("rival militias").
func (x *Extractor) sameParties(a, b Event) bool {
	ka, kb := x.knownActors(a), x.knownActors(b)
	if len(ka) == 0 || len(kb) == 0 {
		return true
	}
	for _, n := range ka {
		for _, m := range kb {
			if n == m {
				return true
			}
		}
	}
	return false
}

func (x *Extractor) knownActors(e Event) []string {
	var out []string
	for _, n := range []string{e.Actor1, e.Actor2} {
		if n != "" && x.actors.Known(n) {
			out = append(out, n)
		}
	}
	return out
}

// eventJSON is Event as stored and served: the date as YYYY-MM-DD.
type eventJSON struct {
	eventAlias
	Date string `json:"date"`
}

type eventAlias Event

// MarshalJSON writes the date as YYYY-MM-DD.
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(eventJSON{eventAlias(e), e.DateString()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Event(j.eventAlias)
	d, err := time.Parse(article.DateLayout, j.Date)
	if err != nil {
		return fmt.Errorf("events: event date: %w", err)
	}
	e.Date = d
	return nil
}

// groupWords name armed or civil groups that unknownActor keeps as written.
var groupWords = map[string]bool{"gunmen": true, "militants": true, "rebels": true, "insurgents": true, "militia": true,
	"militias": true, "fighters": true, "protesters": true, "demonstrators": true, "soldiers": true, "police": true,
	"troops": true, "forces": true, "jihadists": true}

func mentionsArmedGroup(ws []word) bool {
	for _, w := range ws {
		if groupWords[w.text] {
			return true
		}
	}
	return false
}

// disputeWords are the words disputedExpr needs.
var disputeWords = map[string]bool{"claimed": true, "claims": true, "claim": true, "confirmation": true, "verified": true,
	"confirmed": true, "unconfirmed": true, "unverified": true, "reportedly": true, "allegedly": true}

func mayDispute(ws []word) bool {
	for _, w := range ws {
		if disputeWords[w.text] {
			return true
		}
	}
	return false
}

// actorsIn lists the actors a sentence names: from the actors file and
// from country mentions (state forces, governments).
func (x *Extractor) actorsIn(s Sentence, ws []word, res geoparse.Result) []actorHit {
	return mergeHits(x.actors.findWords(ws), stateForces(s, res))
}
