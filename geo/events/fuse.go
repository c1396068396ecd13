package events

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/conflictmap/conflictmap/geo/geodesic"
)

// Fusion thresholds: reports of the same sub-type within a day of each
// other and 25 km apart (or inside one report's uncertainty) are taken to
// be the same happening.
const (
	fuseDays = 1
	fuseKm   = 25.0
)

// Fused is one happening as all sources report it.
type Fused struct {
	ID             string          `json:"id"`
	EventType      string          `json:"event_type"`
	SubEventType   string          `json:"sub_event_type"`
	Date           time.Time       `json:"-"`
	TimePrecision  int             `json:"time_precision"`
	Actor1         string          `json:"actor1,omitempty"`
	Actor2         string          `json:"actor2,omitempty"`
	Location       Location        `json:"location"`
	Fatalities     *int            `json:"fatalities"`
	Wounded        *int            `json:"wounded"`
	Disputed       bool            `json:"disputed"`
	Sources        []Event         `json:"sources"`
	NumSources     int             `json:"num_sources"`
	NumArticles    int             `json:"num_articles"`
	Contradictions []Contradiction `json:"contradictions"`
}

// DateString is the fused date as YYYY-MM-DD.
func (f Fused) DateString() string { return f.Date.Format("2006-01-02") }

// Contradiction is a field on which the sources disagree: every claim is
// kept, with the value used and why.
type Contradiction struct {
	Field  string  `json:"field"`
	Claims []Claim `json:"claims"`
	Used   any     `json:"used"`
	Why    string  `json:"why"`
}

// Claim is one source's value of a field.
type Claim struct {
	Value   any    `json:"value"`
	Text    string `json:"text,omitempty"` // how the source put it ("on Thursday", "about 60 miles")
	Article string `json:"article"`
	Source  string `json:"source,omitempty"`
}

// Fuse groups the events of many articles into happenings. The result is
// ordered by date, then ID, and does not depend on the input order.
func Fuse(evts []Event) []Fused {
	sorted := append([]Event(nil), evts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].Date.Equal(sorted[j].Date) {
			return sorted[i].Date.Before(sorted[j].Date)
		}
		return stableKey(sorted[i]) < stableKey(sorted[j])
	})
	parent := make([]int, len(sorted))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if sorted[j].Date.Sub(sorted[i].Date) > fuseDays*24*time.Hour {
				break
			}
			if sameHappening(sorted[i], sorted[j]) {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]Event{}
	var roots []int
	for i := range sorted {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], sorted[i])
	}
	out := make([]Fused, 0, len(roots))
	ids := map[string]int{}
	for _, r := range roots {
		f := fuseGroup(groups[r])
		// two stores of the very same report (same name, text and place)
		// would collide: number the repeats
		if n := ids[f.ID]; n > 0 {
			ids[f.ID]++
			f.ID = fmt.Sprintf("%s-%d", f.ID, n+1)
		} else {
			ids[f.ID] = 1
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// sameHappening reports whether two reports from different articles are
// of one happening.
func sameHappening(a, b Event) bool {
	if a.Article == b.Article || a.SubEventType != b.SubEventType {
		return false
	}
	d := geodesic.Distance(a.Location.Lat, a.Location.Lon, b.Location.Lat, b.Location.Lon) / 1000
	return d <= fuseKm || d <= a.Location.UncertaintyKm || d <= b.Location.UncertaintyKm
}

// fuseGroup builds the fused event of reports of one happening.
func fuseGroup(g []Event) Fused {
	// the most precise report leads: place, then date
	lead := g[0]
	for _, e := range g[1:] {
		if better(e, lead) {
			lead = e
		}
	}
	keys := make([]string, len(g))
	for i, e := range g {
		keys[i] = stableKey(e)
	}
	sort.Strings(keys)
	h := sha1.Sum([]byte(keys[0]))
	f := Fused{
		ID:        "ev-" + hex.EncodeToString(h[:6]),
		EventType: lead.EventType, SubEventType: lead.SubEventType,
		Location: lead.Location, Actor1: lead.Actor1, Actor2: lead.Actor2,
		Sources: g,
	}
	sources, articles := map[string]bool{}, map[string]bool{}
	for _, e := range g {
		articles[e.Article] = true
		src := e.Source
		if src == "" {
			src = e.Article
		}
		sources[src] = true
		f.Disputed = f.Disputed || e.Disputed
		if f.Actor1 == "" {
			f.Actor1 = e.Actor1
		}
		if f.Actor2 == "" && e.Actor2 != f.Actor1 {
			f.Actor2 = e.Actor2
		}
	}
	f.NumSources, f.NumArticles = len(sources), len(articles)
	f.Date, f.TimePrecision = fuseDate(&f, g)
	fuseCasualties(&f, g)
	fuseDistances(&f, g)
	if f.Contradictions == nil {
		f.Contradictions = []Contradiction{}
	}
	return f
}

// better reports whether a is a more precise report than b.
func better(a, b Event) bool {
	if a.Location.GeoPrecision != b.Location.GeoPrecision {
		return a.Location.GeoPrecision < b.Location.GeoPrecision
	}
	if a.TimePrecision != b.TimePrecision {
		return a.TimePrecision < b.TimePrecision
	}
	if a.Location.UncertaintyKm != b.Location.UncertaintyKm {
		return a.Location.UncertaintyKm < b.Location.UncertaintyKm
	}
	return stableKey(a) < stableKey(b)
}

// stableKey orders reports independently of database ids, which depend on
// the order articles were stored in: by article name, then position.
func stableKey(e Event) string {
	name := e.Article
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:] // the store prefixes "id:"
	}
	start, text := 0, ""
	if len(e.Sentences) > 0 {
		start, text = e.Sentences[0].Start, e.Sentences[0].Text
	}
	return fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", name, start, e.SubEventType, e.DateString(), text)
}

// fuseDate keeps every date the sources give; the earliest day-precise one
// is used, since a report may come late but not early.
func fuseDate(f *Fused, g []Event) (time.Time, int) {
	best := g[0]
	distinct := map[string]bool{}
	var claims []Claim
	for _, e := range g {
		if e.TimePrecision < best.TimePrecision || e.TimePrecision == best.TimePrecision && e.Date.Before(best.Date) {
			best = e
		}
		if e.TimePrecision == PrecisionDay {
			distinct[e.DateString()] = true
		}
		claims = append(claims, Claim{Value: e.DateString(), Text: dateText(e), Article: e.Article, Source: e.Source})
	}
	if len(distinct) > 1 {
		f.Contradictions = append(f.Contradictions, Contradiction{Field: "date", Claims: claims, Used: best.DateString(),
			Why: "the earliest date reported to the day: a report can come late, not early"})
	}
	return best.Date, best.TimePrecision
}

func dateText(e Event) string {
	if e.DateText != "" {
		return e.DateText + " (" + e.Date.Weekday().String() + ")"
	}
	return "article date"
}

// fuseCasualties keeps every figure any source gives; ACLED uses the
// lowest.
func fuseCasualties(f *Fused, g []Event) {
	for _, field := range []string{"fatalities", "wounded"} {
		var claims []Claim
		distinct := map[int]bool{}
		var low *int
		note := func(v int, text string, e Event) {
			distinct[v] = true
			claims = append(claims, Claim{Value: v, Text: text, Article: e.Article, Source: e.Source})
			if low == nil || v < *low {
				n := v
				low = &n
			}
		}
		for _, e := range g {
			found := false
			for _, c := range e.CasualtyClaims {
				if c.Field == field {
					note(c.Value, c.Text, e)
					found = true
				}
			}
			if !found {
				v := e.Fatalities
				if field == "wounded" {
					v = e.Wounded
				}
				if v != nil {
					note(*v, "", e)
				}
			}
		}
		if field == "fatalities" {
			f.Fatalities = low
		} else {
			f.Wounded = low
		}
		if len(distinct) > 1 {
			f.Contradictions = append(f.Contradictions, Contradiction{Field: field, Claims: claims, Used: *low,
				Why: "ACLED codes the lowest figure reported"})
		}
	}
}

// fuseDistances keeps the different distances sources state for the same
// place ("about 60 miles" against "95km"), with the measured distance.
func fuseDistances(f *Fused, g []Event) {
	var claims []Claim
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range g {
		if e.Location.StatedKm <= 0 {
			continue
		}
		km := math.Round(e.Location.StatedKm*10) / 10
		lo, hi = math.Min(lo, km), math.Max(hi, km)
		claims = append(claims, Claim{Value: km, Text: e.Location.Text, Article: e.Article, Source: e.Source})
	}
	if len(claims) > 1 && hi-lo >= 0.5 {
		f.Contradictions = append(f.Contradictions, Contradiction{Field: "distance_km", Claims: claims, Used: fmt.Sprintf("%s at %.4f, %.4f", f.Location.Name, f.Location.Lat, f.Location.Lon),
			Why: "the location of the most precise report is used; each stated distance is kept"})
	}
}

type fusedAlias Fused

// MarshalJSON writes the date as YYYY-MM-DD.
func (f Fused) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		fusedAlias
		Date string `json:"date"`
	}{fusedAlias(f), f.DateString()})
}
