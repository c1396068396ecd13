package events

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// ACLED event types.
const (
	Battles       = "Battles"
	Explosions    = "Explosions/Remote violence"
	Violence      = "Violence against civilians"
	Protests      = "Protests"
	Riots         = "Riots"
	Strategic     = "Strategic developments"
	subArmedClash = "Armed clash"
	// SubOvertakes is the capture of territory by a non-state actor.
	SubOvertakes = "Non-state actor overtakes territory"
	// SubRegains is the capture of territory by a government.
	SubRegains = "Government regains territory"
	// SubTransfer is territory changing hands without fighting.
	SubTransfer = "Non-violent transfer of territory"
)

// rule maps trigger words to an ACLED sub-event type. Rules are tried in
// order; the first that matches a sentence wins, so the specific come
// before the general.
type rule struct {
	eventType, subType string
	trigger            *regexp.Regexp
	// anchored is trigger tied to the start of its input, tried at word
	// starts only: far cheaper than searching.
	anchored *regexp.Regexp
	// starts are literal prefixes every match begins with (nil: unknown);
	// a word start without one of them is not tried.
	starts []string
	// stems are lower-case pieces of which a match holds at least one: a
	// sentence with none of them is not searched, which keeps the scan
	// cheap.
	stems []string
}

// r builds a rule. Patterns are lower case: they run on text lower-cased
// with asciiLower, which keeps byte offsets, and case-sensitive matching is
// much faster.
func r(stems []string, eventType, subType, pattern string) rule {
	return rule{eventType, subType, regexp.MustCompile(`\b(?:` + pattern + `)`), regexp.MustCompile(`^(?:` + pattern + `)`), firstLiterals(pattern), stems}
}

// rules is ACLED's taxonomy with the words news uses for each sub-event.
var rules = []rule{
	r([]string{"chemical", "gas", "sarin", "chlorine"}, Explosions, "Chemical weapon", `chemical (?:attack|weapons?)|gas attack|sarin|chlorine (?:attack|gas|bomb)`),
	r([]string{"suicide"}, Explosions, "Suicide bomb", `suicide (?:bomb(?:er|ing)?s?|attack(?:er)?s?|car bomb)`),
	r([]string{"air", "drone", "warplane", "jet", "strike", "helicopter", "bombed", "carried", "fighter", "aircraft"}, Explosions, "Air/drone strike", `air ?strikes?|air raids?|drone (?:strikes?|attacks?)|(?:warplanes?|fighter jets?|jets?|drones?|aircraft|helicopters?) (?:[\w-]+ )?(?:pummel+ed|struck|bombed|hit|attacked|pounded|targeted|raided|strafed)|bombed from the air|carried out (?:an? |their |its )?(?:first )?(?:air )?strikes?|helicopter gunships?`),
	r([]string{"shell", "artillery", "mortar", "rocket", "missile", "barrage"}, Explosions, "Shelling/artillery/missile attack", `shell(?:ing|ed|s)\b|artillery|mortars?(?: fire| rounds?| shells?)?|rockets? (?:fire|attacks?|struck|hit|landed|fell)|missiles? (?:strikes?|attacks?|struck|hit|fired|landed)|barrage|fired (?:rockets|missiles|shells)`),
	r([]string{"bomb", "landmine", "ied", "improvised", "explosive", "car", "roadside"}, Explosions, "Remote explosive/landmine/IED", `roadside bombs?|landmines?|\bieds?\b|improvised explosive|car bombs?|explosive devices?|bomb (?:blast|exploded|went off)`),
	r([]string{"grenade"}, Explosions, "Grenade", `grenades?`),
	r([]string{"rap", "sexual"}, Violence, "Sexual violence", `rap(?:ed|es|e)\b|sexual(?:ly)? (?:violence|assault(?:ed)?)`),
	r([]string{"abduct", "kidnap", "disappeared", "hostage", "forcibly", "taken"}, Violence, "Abduction/forced disappearance", `abduct(?:ed|ion|s)|kidnap(?:ped|ping|s)|forcibly disappeared|taken hostage`),
	r([]string{"mob", "vigilante", "lynch"}, Riots, "Mob violence", `mobs? (?:[\w-]+ ){0,2}(?:attacked|beat|lynched|killed|torched|stormed|set fire)|vigilantes? (?:attacked|beat|lynched|killed)|lynch mobs?`),
	r([]string{"riot", "violent", "protester"}, Riots, "Violent demonstration", `riot(?:s|ers|ing|ed)?\b|violent (?:protests?|demonstrations?)|protesters? (?:torched|burned|stormed|threw stones)`),
	r([]string{"protester", "demonstrator", "opened fire"}, Protests, "Excessive force against protesters", `(?:protesters?|demonstrators?) (?:were |was )?(?:killed|shot dead|shot)|opened fire on (?:protesters|demonstrators)`),
	r([]string{"protest", "demonstrator", "tear", "water cannon"}, Protests, "Protest with intervention", `(?:protesters?|demonstrators?|protests?) (?:were |was )?(?:dispersed|arrested|detained|tear-?gassed)|tear gas|water cannon`),
	r([]string{"protest", "demonstrat", "rall", "streets", "sit-in", "took"}, Protests, "Peaceful protest", `protest(?:ed|ers|s|ing)?\b|demonstrat(?:ed|ors|ions?)|rall(?:y|ies)\b|took to the streets|sit-in`),
	r([]string{"recaptur", "retook", "retaken", "regained", "took", "won back", "liberated"}, Battles, SubRegains, `recaptured|retook|retaken|regained(?: control)?|re-?took control|won back|liberated`),
	r([]string{"captur", "seiz", "overr", "took", "taken", "control", "fell to", "stormed", "came", "gained", "assumed"}, Battles, SubOvertakes, `captured|seized|overran|overrun|took over|(?:took|taken|seized|gained|assumed) control of|came under (?:the )?(?:[\w-]+ )?control|(?:have|has|had|to have)\s+taken\b(?:\s+(?:an?|the|control|over|most|parts?|much)\b)|fell to|stormed`),
	r([]string{"clash", "fight", "fought", "battl", "skirmish", "fire", "ambush", "gunfight", "gunbattle", "gun", "exchange"}, Battles, subArmedClash, `clash(?:ed|es)?\b|fighting|fought|battl(?:e|ed|es|ing)\b|firefights?|gunfights?|skirmish(?:es)?|exchanged fire|exchange of fire|gun ?battles?|ambush(?:ed)?`),
	r([]string{"massacr", "executed", "civilian", "gunned", "shot dead", "lynch", "behead", "killed"}, Violence, "Attack", `massacred?|executed|killed (?:\w+ )?civilians|civilians (?:were |was )?killed|gunned down|shot dead|lynched|beheaded`),
	r([]string{"ceasefire", "truce", "peace", "agreement", "deal", "agreed", "signed", "reached", "brokered"}, Strategic, "Agreement", `(?:agreed|signed|reached|brokered) (?:to |on |an? )?(?:ceasefire|truce|peace (?:deal|agreement)|agreement|deal)|ceasefire (?:agreement|deal) (?:was )?(?:signed|reached)`),
	r([]string{"join", "merged", "formed", "disband", "dissolved", "mobili", "defect", "pledged", "reinforc", "sent"}, Strategic, "Change to group/activity", `join(?:ed)? forces with|sent (?:[\w-]+ ){0,4}to reinforce|reinforc(?:e|ed|ing) (?:the )?(?:[\w-]+ ){0,2}(?:militias|forces|fighters|troops|defenders)|joined (?:the )?(?:[\w-]+ ){0,2}(?:forces|militias|fighters|alliance|coalition|ranks)|merged (?:with|into)|formed (?:an? )?(?:new )?(?:alliance|coalition|joint command)|disband(?:ed|s)?\b|dissolved (?:the|its)|mobili[sz]ed (?:against|to|in)|defected to|pledged (?:allegiance|loyalty) to`),
	r([]string{"arrest", "detain", "rounded up", "custody", "taken"}, Strategic, "Arrests", `arrested|detained|rounded up|taken into custody`),
	r([]string{"base", "headquarters", "command post", "established", "set"}, Strategic, "Headquarters or base established", `(?:established|set up) (?:an? )?(?:base|headquarters|command post)`),
	r([]string{"loot", "torch", "fire to", "burned down", "ransack", "demolish", "set"}, Strategic, "Looting/property destruction", `loot(?:ed|ing)|torched|set (?:on )?fire to|burned down|ransacked|demolished`),
	r([]string{"handing", "handed over", "without", "peacefully", "withdrew"}, Strategic, SubTransfer, `withdrew from .{0,40} handing|handed over control|without (?:a fight|resistance|encountering (?:much )?resistance)|peacefully took control`),
	r([]string{"evacuat", "pull", "withdr", "relocat", "repatriat", "flown", "airlifted", "moved", "taken", "met", "meeting", "talks", "held", "sat"}, Strategic, "Other", `evacuat(?:ed|ion|ions)|pull-?out|pulled (?:[\w-]+ ){0,3}out\b|withdr(?:ew|awn|awal|aws)|relocated|repatriated|(?:flown|airlifted|moved|taken) (?:[\w-]+ ){0,5}(?:out of|home)\b|met (?:with|in|at|on|privately|briefly|face)\b|meeting (?:[\w-]+ )?with|met (?:the )?(?:renegade|warlord|commander|leader|president|rebel|envoy|delegation)|talks with|held talks|sat down with`),
}

// trigger is a rule matched at an offset of a sentence.
type trigger struct {
	rule
	at int
}

// stemIndex finds the rules a word may trigger: stems are grouped by
// their first three bytes, so most words cost one small-key map lookup.
type stemIndex struct {
	byHead map[[3]byte][]stemEntry
}

// stemEntry is one stem and the rules it belongs to.
type stemEntry struct {
	stem  string
	rules []int
}

func newStemIndex() stemIndex {
	ix := stemIndex{byHead: map[[3]byte][]stemEntry{}}
	for i, ru := range rules {
		for _, st := range ru.stems {
			first := strings.Fields(st)[0]
			if len(first) < 3 {
				panic("events: stem shorter than 3 bytes: " + first) // a defect in the table, caught by tests
			}
			head := [3]byte{first[0], first[1], first[2]}
			entries := ix.byHead[head]
			found := false
			for k := range entries {
				if entries[k].stem == first {
					entries[k].rules = append(entries[k].rules, i)
					found = true
				}
			}
			if !found {
				entries = append(entries, stemEntry{first, []int{i}})
			}
			ix.byHead[head] = entries
		}
	}
	return ix
}

// stems is read-only after package initialisation.
var stems = newStemIndex()

// candidates lists, for each rule, the indexes of the words of ws that
// may sit in one of its triggers; nil when no word may.
func (ix stemIndex) candidates(ws []word) [][]int { return ix.candidatesInto(nil, ws) }

// candidatesInto is candidates reusing scratch (of len(rules) or nil).
func (ix stemIndex) candidatesInto(scratch [][]int, ws []word) [][]int {
	var out [][]int
	if scratch != nil {
		for i := range scratch {
			scratch[i] = scratch[i][:0]
		}
	}
	for i, w := range ws {
		t := w.text
		if len(t) < 3 {
			continue // "of", "to", "a": shorter than any stem
		}
		for _, e := range ix.byHead[[3]byte{t[0], t[1], t[2]}] {
			if !strings.HasPrefix(t, e.stem) {
				continue
			}
			if out == nil {
				out = scratch
				if out == nil {
					out = make([][]int, len(rules))
				}
			}
			for _, r := range e.rules {
				if n := len(out[r]); n == 0 || out[r][n-1] != i {
					out[r] = append(out[r], i)
				}
			}
		}
	}
	return out
}

// matchAll finds, for each event type, the first rule (in priority order)
// that fires in s: one sentence may report an evacuation and a clash.
// s must already be lower-cased with asciiLower; scratch may be nil.
func matchAll(s string, ws []word, scratch [][]int) []trigger {
	var out []trigger
	seen := map[string]bool{}
	cands := stems.candidatesInto(scratch, ws)
	if cands == nil {
		return nil
	}
	for i, ru := range rules {
		if seen[ru.eventType] || len(cands[i]) == 0 {
			continue
		}
		if at, ok := firesNear(ru, s, ws, cands[i]); ok {
			seen[ru.eventType] = true
			out = append(out, trigger{ru, at})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// firesNear finds the earliest trigger of ru that covers one of the
// candidate words. A trigger starts at the candidate or at one of the few
// words before it ("carried out their first strike"), so the anchored
// pattern is tried at those word starts only.
func firesNear(ru rule, s string, ws []word, near []int) (int, bool) {
	// stems include the first word of every trigger but those that open
	// with "have"/"to" ("claimed to have taken"): two words back suffice
	const lookBack = 2
	best := -1
	tried := map[int]bool{}
	for _, wi := range near {
		w := ws[wi]
		for k := wi; k >= 0 && k >= wi-lookBack; k-- {
			st := ws[k].start
			if tried[st] || (best >= 0 && st >= best) {
				continue
			}
			tried[st] = true
			if !hasAnyPrefix(s[st:], ru.starts) {
				continue
			}
			end := min(len(s), st+160)
			loc := ru.anchored.FindStringIndex(s[st:end])
			if loc == nil || st+loc[1] < w.start {
				continue
			}
			if st > 0 && isWordByte(s[st-1]) {
				continue // not at a word start
			}
			if modalBeforeWord(ws, k) {
				continue
			}
			best = st
		}
	}
	return best, best >= 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// match finds the first rule whose trigger occurs in s (outside quotes of
// what someone may do) and returns it with the trigger's offset.
func match(s string) (rule, int, bool) {
	ws := words(s)
	cands := stems.candidates(ws)
	s = asciiLower(s)
	for i, ru := range rules {
		if cands == nil || len(cands[i]) == 0 {
			continue
		}
		if at, ok := firesNear(ru, s, ws, cands[i]); ok {
			return ru, at, true
		}
	}
	return rule{}, 0, false
}

// modalWords, standing in the three words before a trigger, make it a
// possibility, a wish or a denial rather than a report: "could be
// evacuated", "called for an end to the fighting", "did not attack".
var modalWords = map[string]bool{"would": true, "could": true, "will": true, "may": true, "might": true, "should": true,
	"shall": true, "must": true, "not": true, "never": true, "if": true, "avoid": true, "halt": true, "stop": true,
	"prevent": true, "end": true, "ending": true, "urge": true, "urged": true, "urges": true}

// modalPairs are two-word phrases with the same effect.
var modalPairs = map[string]bool{"to be": true, "plans to": true, "plan to": true, "threatens to": true,
	"threatened to": true, "vowed to": true, "promised to": true, "promising to": true, "called for": true,
	"calls for": true, "call for": true, "appeal for": true, "appeals for": true}

// modalBeforeWord reports whether the trigger starting at word k is
// preceded, within three words, by a modal word or phrase.
func modalBeforeWord(ws []word, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if modalWords[ws[j].text] {
			return true
		}
		if j > 0 && modalPairs[ws[j-1].text+" "+ws[j].text] {
			return true
		}
	}
	return false
}

// firstLiterals returns the literal text every match of pattern starts
// with, one string per alternative, or nil when some alternative starts
// with something else (a class, a repetition).
func firstLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(r *syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpAlternate:
			for _, sub := range r.Sub {
				if !walk(sub) {
					return false
				}
			}
			return true
		case syntax.OpCapture:
			return walk(r.Sub[0])
		case syntax.OpConcat:
			return len(r.Sub) > 0 && walk(r.Sub[0])
		case syntax.OpLiteral:
			if r.Flags&syntax.FoldCase != 0 || len(r.Rune) == 0 {
				return false
			}
			out = append(out, string(r.Rune))
			return true
		}
		return false
	}
	if !walk(re) {
		return nil
	}
	return out
}

// hasAnyPrefix reports whether s starts with one of prefixes; a nil list
// lets everything through.
func hasAnyPrefix(s string, prefixes []string) bool {
	if prefixes == nil {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
