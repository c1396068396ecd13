package events

import (
	_ "embed"

	"encoding/json"
	"fmt"
	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"io"
	"regexp"
	"sort"
	"strings"
)

//go:embed data/actors.json
var defaultActors []byte

// Actor is a party to events, with the names news gives it.
type Actor struct {
	Name    string   `json:"name"`
	Short   string   `json:"short"`
	Country string   `json:"country"`
	Role    string   `json:"role"` // government, non-state, international
	Aliases []string `json:"aliases"`
	Leaders []string `json:"leaders"`
}

// Actors recognises actor phrases in sentences.
type Actors struct {
	list     []Actor
	patterns []actorPattern // longest first
}

type actorPattern struct {
	re    *regexp.Regexp
	actor int
}

// unitWords are what a leader commands: "Hifter's forces", "fighters
// loyal to Hifter".
const unitWords = `(?:forces?|army|troops|fighters|militias?|men|units|soldiers|warplanes|jets|spokesman|media arm|offensive|advance)`

// DefaultActors returns the actors bundled with conflictmap.
func DefaultActors() *Actors {
	a, err := ParseActors(strings.NewReader(string(defaultActors)))
	if err != nil {
		panic(fmt.Sprintf("events: bundled actors.json: %v", err)) // a build defect, caught by tests
	}
	return a
}

// ParseActors reads an actors file (see data/actors.json).
func ParseActors(r io.Reader) (*Actors, error) {
	var f struct {
		Actors []Actor `json:"actors"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var raw struct {
		About  string  `json:"about"`
		Actors []Actor `json:"actors"`
	}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("events: actors file: %w", err)
	}
	f.Actors = raw.Actors
	a := &Actors{list: f.Actors}
	type pat struct {
		src   string
		actor int
	}
	var pats []pat
	for i, act := range f.Actors {
		if strings.TrimSpace(act.Name) == "" {
			return nil, fmt.Errorf("events: actors file: actor %d has no name", i+1)
		}
		for _, al := range append([]string{act.Name}, act.Aliases...) {
			if al = strings.TrimSpace(al); al != "" {
				pats = append(pats, pat{phrase(al), i})
			}
		}
		for _, l := range act.Leaders {
			l = phrase(strings.TrimSpace(l))
			if l == "" {
				continue
			}
			pats = append(pats,
				pat{l + `['’]s\s+(?:\w+\s+){0,2}` + unitWords, i},
				pat{unitWords + `\s+(?:loyal to|of|under|commanded by|led by|backing|allied (?:to|with))\s+(?:(?:the\s+)?(?:general|gen\.|commander|field marshal|marshal|warlord|renegade)\s+)*` + l, i},
				pat{l + `\s+` + unitWords, i},
				pat{l, i},
			)
		}
	}
	sort.SliceStable(pats, func(x, y int) bool { return len(pats[x].src) > len(pats[y].src) })
	for _, p := range pats {
		re, err := regexp.Compile(`(?i)(?:^|[^\pL])(` + p.src + `)(?:[^\pL]|$)`)
		if err != nil {
			return nil, fmt.Errorf("events: actors file: %w", err)
		}
		a.patterns = append(a.patterns, actorPattern{re, p.actor})
	}
	return a, nil
}

// phrase turns an alias into a pattern: literal, with flexible spaces,
// hyphens and apostrophes.
func phrase(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\'', '’':
			b.WriteString(`['’]`)
		case ' ', '-':
			b.WriteString(`[\s-]+`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// actorHit is an actor named in a sentence.
type actorHit struct {
	name       string
	start, end int
}

// find lists the actors a sentence names, in order of appearance, each
// once; overlapping phrases keep the longest.
func (a *Actors) find(s string) []actorHit {
	var hits []actorHit
	taken := make([]bool, len(s)+1)
	for _, p := range a.patterns {
		for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
			st, en := loc[2], loc[3]
			free := true
			for k := st; k < en; k++ {
				if taken[k] {
					free = false
					break
				}
			}
			if !free {
				continue
			}
			for k := st; k < en; k++ {
				taken[k] = true
			}
			hits = append(hits, actorHit{a.list[p.actor].Name, st, en})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out []actorHit
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.name] {
			seen[h.name] = true
			out = append(out, h)
		}
	}
	return out
}

// unknownActor keeps an armed group's phrase as written when no known
// actor matches: "gunmen", "rebels", "forces loyal to X".
var unknownActor = regexp.MustCompile(`(?i)\b((?:unidentified |unknown |armed |rival |rebel |tribal |local |opposition |government |security |police |military )*(?:gunmen|militants|rebels|insurgents|militias?|fighters|protesters|demonstrators|soldiers|police|troops|forces|jihadists)(?: loyal to [A-Z][\pL-]+(?: [A-Z][\pL-]+)?)?)\b`)

// forceWords after a country or its demonym name its state forces:
// "American forces", "US military", "Turkish troops".
var forceWords = regexp.MustCompile(`^[\s-]+(?:armed forces|forces|military|troops|army|soldiers|navy|air force|police|warplanes|jets|drones|special forces|marines)\b`)

// governmentWords after a country name its government: "India's external
// affairs minister", "the Italian government".
var governmentWords = regexp.MustCompile(`^(?:['’]s)?[\s-]+(?:(?:external affairs|foreign|defen[cs]e|interior|prime)\s+)?(?:government|ministry|minister|president|embassy|authorities|officials?)\b`)

// stateForces finds the state forces a sentence names through a country
// mention: ACLED's "Military Forces of X" (or "Police Forces of X").
func stateForces(s Sentence, res geoparse.Result) []actorHit {
	var out []actorHit
	for _, m := range res.Mentions {
		if m.Start < s.Start || m.End > s.End || m.Place.Kind != gazetteer.KindCountry {
			continue
		}
		rest := res.Text(m.End, s.End)
		loc := forceWords.FindStringIndex(rest)
		if loc == nil {
			if g := governmentWords.FindStringIndex(rest); g != nil {
				out = append(out, actorHit{name: "Government of " + m.Place.Name, start: m.Start - s.Start, end: m.End - s.Start + g[1]})
			}
			continue
		}
		kind := "Military Forces of "
		if strings.Contains(strings.ToLower(rest[loc[0]:loc[1]]), "police") {
			kind = "Police Forces of "
		}
		c := m.Place.Name
		out = append(out, actorHit{name: kind + c, start: m.Start - s.Start, end: m.End - s.Start + loc[1]})
	}
	return out
}

// mergeHits joins two lists of hits in order of appearance, dropping
// repeats of a name.
func mergeHits(a, b []actorHit) []actorHit {
	all := append(append([]actorHit{}, a...), b...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
	var out []actorHit
	seen := map[string]bool{}
	for _, h := range all {
		if !seen[h.name] {
			seen[h.name] = true
			out = append(out, h)
		}
	}
	return out
}

// Known reports whether name is an actor of the file or a state's forces
// or government, as opposed to a phrase kept as written.
func (a *Actors) Known(name string) bool {
	if strings.HasPrefix(name, "Military Forces of ") || strings.HasPrefix(name, "Police Forces of ") || strings.HasPrefix(name, "Government of ") {
		return true
	}
	for _, act := range a.list {
		if act.Name == name {
			return true
		}
	}
	return false
}
