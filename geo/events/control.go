package events

import (
	"regexp"
	"strings"
	"time"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
)

// ControlClaim says that an actor held a place on a date, as one piece of
// an article puts it.
type ControlClaim struct {
	Place    string  `json:"place"`
	PlaceID  int64   `json:"place_id"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	Country  string  `json:"country"`
	Actor    string  `json:"actor"`
	Date     string  `json:"date"`
	Disputed bool    `json:"disputed"`
	// Kind is how the claim was made: capture (an event of territory
	// changing hands), alignment (a place's forces joining a side) or
	// statement ("the UN-backed government in Tripoli").
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Event string `json:"event,omitempty"`
	// Article is the stored article's id, set by the store.
	Article int64 `json:"article,omitempty"`
}

// Kinds of control claim.
const (
	ClaimCapture   = "capture"
	ClaimAlignment = "alignment"
	ClaimStatement = "statement"
)

var (
	// adjacentRelation links an actor to the place right after it: "the
	// UN-backed government in Tripoli", "forces based in the city of X".
	adjacentRelation = regexp.MustCompile(`^,?\s+(?:in|based in|headquartered in|controlling|which controls|that controls|holding)\s+(?:the\s+)?(?:(?:eastern|western|southern|northern|coastal|capital|port)\s+)?(?:(?:city|town|port)\s+(?:of\s+)?)?$`)
	// basedIn may stand far from the actor it belongs to ("Hifter ... is
	// aligned with a rival government based in the eastern city of
	// Tobruk").
	basedIn = regexp.MustCompile(`\b(?:based|headquartered|seated) in\s+(?:the\s+)?(?:(?:eastern|western|southern|northern|coastal)\s+)?(?:(?:city|town|port)\s+(?:of\s+)?)?$`)
)

// ControlClaims lists the claims of control an article makes: captures
// among its events, places whose forces join a side, and statements that
// place an actor in a city.
func (x *Extractor) ControlClaims(a article.Article, res geoparse.Result, evts []Event) []ControlClaim {
	var out []ControlClaim
	for _, e := range evts {
		switch {
		case e.SubEventType == SubOvertakes || e.SubEventType == SubRegains || e.SubEventType == SubTransfer:
			if e.Actor1 == "" || !x.actors.Known(e.Actor1) {
				continue
			}
			out = append(out, claimOf(e, e.Actor1, ClaimCapture, e.Location.Name, e.Location.PlaceID, e.Location.Lat, e.Location.Lon, e.Location.Country))
		case e.SubEventType == "Change to group/activity":
			// "militias from Misurata and Zintan joined the
			// pro-government forces": those towns side with the joined
			side := e.Actor2
			if side == "" || !x.actors.Known(side) {
				side = e.Actor1
			}
			if side == "" || !x.actors.Known(side) || len(e.Sentences) == 0 {
				continue
			}
			s := e.Sentences[0]
			for _, m := range res.MentionsIn(s.Start, s.End) {
				if m.Role != geoparse.RoleLocation || m.Place.Kind != gazetteer.KindCity {
					continue
				}
				out = append(out, claimOf(e, side, ClaimAlignment, m.Place.Name, int64(m.Place.ID), m.Place.Lat, m.Place.Lon, m.Place.Country))
			}
		}
	}
	return append(out, x.statements(a, res)...)
}

func claimOf(e Event, actor, kind, place string, id int64, lat, lon float64, cc string) ControlClaim {
	c := ControlClaim{Place: place, PlaceID: id, Lat: lat, Lon: lon, Country: cc, Actor: actor, Date: e.DateString(),
		Disputed: e.Disputed, Kind: kind, Event: e.ID}
	if len(e.Sentences) > 0 {
		c.Text, c.Start, c.End = e.Sentences[0].Text, e.Sentences[0].Start, e.Sentences[0].End
	}
	return c
}

// statements finds "<actor> in <city>" and "<actor> ... based in <city>".
func (x *Extractor) statements(a article.Article, res geoparse.Result) []ControlClaim {
	date := a.DateString()
	if date == "" {
		date = time.Now().UTC().Format(article.DateLayout)
	}
	var out []ControlClaim
	for _, s := range Split(a.Text[a.Body:]) {
		s.Start += a.Body
		s.End += a.Body
		lower := asciiLower(s.Text)
		if !strings.Contains(lower, " in ") && !strings.Contains(lower, "controll") && !strings.Contains(lower, "holding") {
			continue
		}
		var hits []actorHit
		for _, m := range res.MentionsIn(s.Start, s.End) {
			if m.Role != geoparse.RoleLocation || m.Place.Kind != gazetteer.KindCity {
				continue
			}
			if hits == nil {
				hits = x.actorsIn(s, words(s.Text), res)
			}
			at := m.Start - s.Start
			actor := ""
			for _, h := range hits {
				switch {
				case h.start <= at && m.End-s.Start <= h.end:
					actor = h.name // the alias names the place: "the government in Tripoli"
				case h.end <= at && adjacentRelation.MatchString(s.Text[h.end:at]):
					actor = h.name
				}
			}
			if actor == "" && basedIn.MatchString(lower[:at]) {
				for _, h := range hits {
					if h.end <= at {
						actor = h.name // the nearest actor before
					}
				}
			}
			if actor == "" || !x.actors.Known(actor) {
				continue
			}
			out = append(out, ControlClaim{Place: m.Place.Name, PlaceID: int64(m.Place.ID), Lat: m.Place.Lat, Lon: m.Place.Lon,
				Country: m.Place.Country, Actor: actor, Date: date, Kind: ClaimStatement, Text: s.Text, Start: s.Start, End: s.End,
				Disputed: mayDispute(words(s.Text)) && disputedExpr.MatchString(s.Text)})
		}
	}
	return out
}
