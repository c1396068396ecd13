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
	"unicode"
	"unicode/utf8"
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
	list []Actor
	// phrases maps an alias, as lower-case words joined by single spaces,
	// to its actor; leaders maps a leader's name the same way.
	phrases, leaders map[string]int
	// lengths lists, for a phrase's first word, the word counts of the
	// phrases that start with it, longest first.
	lengths map[string][]int
	// pairs holds the first two words of every longer phrase: a cheap test
	// before building keys.
	pairs map[[2]string]bool
}

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
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var raw struct {
		About  string  `json:"about"`
		Actors []Actor `json:"actors"`
	}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("events: actors file: %w", err)
	}
	a := &Actors{list: raw.Actors, phrases: map[string]int{}, leaders: map[string]int{}, lengths: map[string][]int{}, pairs: map[[2]string]bool{}}
	for i, act := range raw.Actors {
		if strings.TrimSpace(act.Name) == "" {
			return nil, fmt.Errorf("events: actors file: actor %d has no name", i+1)
		}
		for _, al := range append([]string{act.Name}, act.Aliases...) {
			a.add(a.phrases, al, i)
		}
		for _, l := range act.Leaders {
			a.add(a.leaders, l, i)
		}
	}
	return a, nil
}

func (a *Actors) add(m map[string]int, phrase string, actor int) {
	ws := words(phrase)
	if len(ws) == 0 {
		return
	}
	key := joinWords(ws)
	if _, dup := m[key]; !dup {
		m[key] = actor
	}
	if len(ws) > 1 {
		a.pairs[[2]string{ws[0].text, ws[1].text}] = true
	}
	ls := a.lengths[ws[0].text]
	for _, l := range ls {
		if l == len(ws) {
			return
		}
	}
	ls = append(ls, len(ws))
	sort.Sort(sort.Reverse(sort.IntSlice(ls)))
	a.lengths[ws[0].text] = ls
}

// word is a lower-case word of a sentence with its byte span.
type word struct {
	text       string
	start, end int
}

// words splits s into lower-case words: letters and digits, with dots of
// abbreviations dropped (U.N. is "un") and possessive 's split off as "'s".
func words(s string) []word {
	ws, _ := wordsInto(nil, s)
	return ws
}

// wordsInto is words appending to buf[:0], which it reuses; it also
// returns the sentence lower-cased by asciiLower.
func wordsInto(buf []word, s string) ([]word, string) {
	out := buf[:0]
	lower := asciiLower(s) // one copy; ASCII words are slices of it
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf && !isWordByte(c) {
			if (c == '\'') && len(out) > 0 && out[len(out)-1].end == i {
				if n, ok := possessive(s, i+1); ok {
					out = append(out, word{"'s", i, n})
					i = n
					continue
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if r == '’' && len(out) > 0 && out[len(out)-1].end == i {
				if n, ok := possessive(s, i+size); ok {
					out = append(out, word{"'s", i, n})
					i = n
					continue
				}
			}
			i += size
			continue
		}
		start := i
		ascii, dots := true, false
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if isWordByte(c) {
					i++
					continue
				}
				// U.N., U.S.: a dot between single letters joins them
				if c == '.' && i+1 < len(s) && isLetterByte(s[i+1]) && i-start <= 3 && (i+2 >= len(s) || s[i+2] == '.') {
					dots = true
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			ascii = false
			i += size
		}
		text := lower[start:i]
		if !ascii {
			text = strings.ToLower(s[start:i])
		}
		if dots {
			text = strings.ReplaceAll(text, ".", "")
		}
		end := i
		if dots && end < len(s) && s[end] == '.' {
			end++ // the closing dot of U.N.
		}
		out = append(out, word{text, start, end})
	}
	return out, lower
}

// possessive reports whether s[i:] starts with the s of a possessive 's
// and returns the offset after it.
func possessive(s string, i int) (int, bool) {
	if i < len(s) && (s[i] == 's' || s[i] == 'S') && (i+1 >= len(s) || !isLetterByte(s[i+1])) {
		return i + 1, true
	}
	return 0, false
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func joinWords(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// actorHit is an actor named in a sentence.
type actorHit struct {
	name       string
	start, end int
}

// units are what a leader commands: "Hifter's forces", "fighters loyal
// to Hifter".
var units = map[string]bool{
	"force": true, "forces": true, "army": true, "troops": true, "fighters": true, "militia": true, "militias": true,
	"men": true, "units": true, "soldiers": true, "warplanes": true, "jets": true, "spokesman": true, "offensive": true,
	"advance": true, "commanders": true,
}

// allegiance links units to a leader: "forces loyal to", "troops under".
var allegiance = map[string]bool{"loyal to": true, "of": true, "under": true, "commanded by": true, "led by": true,
	"backing": true, "allied to": true, "allied with": true}

// titles may stand between allegiance and the leader's name.
var titles = map[string]bool{"general": true, "gen": true, "commander": true, "field": true, "marshal": true,
	"warlord": true, "renegade": true, "the": true, "eastern": true, "military": true}

// find lists the actors a sentence names, in order of appearance, each
// once: aliases, and a leader's name with what they command around it.
func (a *Actors) find(s string) []actorHit { return a.findWords(words(s)) }

// findWords is find on a sentence already split into words.
func (a *Actors) findWords(ws []word) []actorHit {
	var hits []actorHit
	for i := 0; i < len(ws); i++ {
		if n, actor, ok := a.longest(a.phrases, ws, i); ok {
			hits = append(hits, actorHit{a.list[actor].Name, ws[i].start, ws[i+n-1].end})
			i += n - 1
			continue
		}
		if n, actor, ok := a.longest(a.leaders, ws, i); ok {
			start, end := ws[i].start, ws[i+n-1].end
			// "Hifter's (self-described) forces"
			if j := i + n; j < len(ws) && ws[j].text == "'s" {
				for k := j + 1; k < len(ws) && k <= j+3; k++ {
					if units[ws[k].text] {
						end = ws[k].end
						break
					}
				}
			}
			// "forces loyal to (the renegade general) Hifter"
			k := i - 1
			for k >= 0 && titles[ws[k].text] {
				k--
			}
			for _, l := range []int{2, 1} {
				if k-l+1 >= 1 && allegiance[joinWords(ws[k-l+1:k+1])] && units[ws[k-l].text] {
					start = ws[k-l].start
					break
				}
			}
			hits = append(hits, actorHit{a.list[actor].Name, start, end})
			i += n - 1
		}
	}
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

// longest finds the longest phrase of m starting at word i. The keys of
// the lengths to try are prefixes of one joined string: no allocation per
// length.
func (a *Actors) longest(m map[string]int, ws []word, i int) (n, actor int, ok bool) {
	ls := a.lengths[ws[i].text]
	if len(ls) == 0 {
		return 0, 0, false
	}
	maxL := min(ls[0], len(ws)-i)
	if maxL > 1 && !a.pairs[[2]string{ws[i].text, ws[i+1].text}] {
		maxL = 1 // no longer phrase starts with these two words
	}
	if maxL == 1 {
		if ls[len(ls)-1] != 1 {
			return 0, 0, false
		}
		act, found := m[ws[i].text]
		return 1, act, found
	}
	var b strings.Builder
	ends := make([]int, maxL+1)
	for k := 0; k < maxL; k++ {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ws[i+k].text)
		ends[k+1] = b.Len()
	}
	joined := b.String()
	for _, l := range ls {
		if l > maxL {
			continue
		}
		if act, found := m[joined[:ends[l]]]; found {
			return l, act, true
		}
	}
	return 0, 0, false
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
	for _, m := range res.MentionsIn(s.Start, s.End) {
		if m.End > s.End || m.Place.Kind != gazetteer.KindCountry {
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

// asciiLower lower-cases ASCII letters only, so that byte offsets into the
// result are offsets into s.
func asciiLower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			upper = true
			break
		}
	}
	if !upper {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// IsGovernment reports whether an actor acts for a state: a government in
// the actors file, or a state's forces or government.
func (a *Actors) IsGovernment(name string) bool {
	if strings.HasPrefix(name, "Military Forces of ") || strings.HasPrefix(name, "Police Forces of ") || strings.HasPrefix(name, "Government of ") {
		return true
	}
	for _, act := range a.list {
		if act.Name == name {
			return act.Role == "government"
		}
	}
	return false
}
