package events

import (
	"regexp"
	"sort"
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
}

func r(eventType, subType, pattern string) rule {
	return rule{eventType, subType, regexp.MustCompile(`(?i)\b(?:` + pattern + `)`)}
}

// rules is ACLED's taxonomy with the words news uses for each sub-event.
var rules = []rule{
	r(Explosions, "Chemical weapon", `chemical (?:attack|weapons?)|gas attack|sarin|chlorine (?:attack|gas|bomb)`),
	r(Explosions, "Suicide bomb", `suicide (?:bomb(?:er|ing)?s?|attack(?:er)?s?|car bomb)`),
	r(Explosions, "Air/drone strike", `air ?strikes?|air raids?|drone (?:strikes?|attacks?)|warplanes?|fighter jets?|jets? (?:pummel+ed|struck|bombed|hit|attacked)|bombed from the air|carried out (?:an? |their |its )?(?:first )?(?:air )?strikes?|helicopter gunships?`),
	r(Explosions, "Shelling/artillery/missile attack", `shell(?:ing|ed|s)\b|artillery|mortars?(?: fire| rounds?| shells?)?|rockets? (?:fire|attacks?|struck|hit|landed|fell)|missiles? (?:strikes?|attacks?|struck|hit|fired|landed)|barrage|fired (?:rockets|missiles|shells)`),
	r(Explosions, "Remote explosive/landmine/IED", `roadside bombs?|landmines?|\bIEDs?\b|improvised explosive|car bombs?|explosive devices?|bomb (?:blast|exploded|went off)|explosion`),
	r(Explosions, "Grenade", `grenades?`),
	r(Violence, "Sexual violence", `rap(?:ed|es|e)\b|sexual(?:ly)? (?:violence|assault(?:ed)?)`),
	r(Violence, "Abduction/forced disappearance", `abduct(?:ed|ion|s)|kidnap(?:ped|ping|s)|forcibly disappeared|taken hostage`),
	r(Riots, "Violent demonstration", `riot(?:s|ers|ing|ed)?\b|violent (?:protests?|demonstrations?)|protesters? (?:torched|burned|stormed|threw stones)`),
	r(Protests, "Excessive force against protesters", `(?:protesters?|demonstrators?) (?:were |was )?(?:killed|shot dead|shot)|opened fire on (?:protesters|demonstrators)`),
	r(Protests, "Protest with intervention", `(?:protesters?|demonstrators?|protests?) (?:were |was )?(?:dispersed|arrested|detained|tear-?gassed)|tear gas|water cannon`),
	r(Protests, "Peaceful protest", `protest(?:ed|ers|s|ing)?\b|demonstrat(?:ed|ors|ions?)|rall(?:y|ied|ies)\b|took to the streets|sit-in`),
	r(Battles, SubRegains, `recaptured|retook|regained(?: control)?|re-?took control|won back`),
	r(Battles, SubOvertakes, `captured|seized|overran|overrun|took over|(?:took|taken|seized|gained|assumed) control of|(?:have|has|had|to have)\s+taken\b(?:\s+(?:an?|the|control|over|most|parts?|much)\b)|fell to|stormed`),
	r(Battles, subArmedClash, `clash(?:ed|es)?\b|fighting|fought|battl(?:e|ed|es|ing)\b|firefights?|gunfights?|skirmish(?:es)?|exchanged fire|exchange of fire|gun ?battles?|ambush(?:ed)?`),
	r(Violence, "Attack", `massacred?|executed|killed (?:\w+ )?civilians|civilians (?:were |was )?killed|gunned down|shot dead|lynched|beheaded`),
	r(Strategic, "Agreement", `(?:agreed|signed|reached|brokered) (?:to |on |an? )?(?:ceasefire|truce|peace (?:deal|agreement)|agreement|deal)|ceasefire (?:agreement|deal) (?:was )?(?:signed|reached)`),
	r(Strategic, "Arrests", `arrested|detained|rounded up|taken into custody`),
	r(Strategic, "Headquarters or base established", `(?:established|set up) (?:an? )?(?:base|headquarters|command post)`),
	r(Strategic, "Looting/property destruction", `loot(?:ed|ing)|torched|set (?:on )?fire to|burned down|ransacked|demolished`),
	r(Strategic, SubTransfer, `withdrew from .{0,40} handing|handed over control|without (?:a fight|resistance|encountering (?:much )?resistance)|peacefully took control`),
	r(Strategic, "Other", `evacuat(?:ed|ion|ions)|pull-?out|pulled out|withdr(?:ew|awn)|relocated|(?:met|meeting) (?:with )?(?:the )?(?:[A-Z]|renegade|warlord|commander|leader|president|rebel)|talks with`),
}

// modalBefore marks a trigger that speaks of what may or will happen, not
// what did: "could be evacuated", "will continue", "to stop the fighting".
var modalBefore = regexp.MustCompile(`(?i)\b(?:would|could|will|may|might|should|shall|must|to be|plans? to|threatens? to|vowed to|promis(?:ed|ing) to|called for|calls for|urged?|appeals? for|avoid|halt|stop|prevent|end|ending|not|never|if)\s+(?:\w+\s+){0,2}$`)

// trigger is a rule matched at an offset of a sentence.
type trigger struct {
	rule
	at int
}

// matchAll finds, for each event type, the first rule (in priority order)
// that fires in s: one sentence may report an evacuation and a clash.
func matchAll(s string) []trigger {
	var out []trigger
	seen := map[string]bool{}
	for _, ru := range rules {
		if seen[ru.eventType] {
			continue
		}
		if at, ok := fires(ru, s); ok {
			seen[ru.eventType] = true
			out = append(out, trigger{ru, at})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// match finds the first rule whose trigger occurs in s (outside quotes of
// what someone may do) and returns it with the trigger's offset.
func match(s string) (rule, int, bool) {
	for _, ru := range rules {
		if at, ok := fires(ru, s); ok {
			return ru, at, true
		}
	}
	return rule{}, 0, false
}

// fires returns the offset of the first occurrence of ru's trigger in s
// that reports something done, not something possible or wished.
func fires(ru rule, s string) (int, bool) {
	for _, loc := range ru.trigger.FindAllStringIndex(s, -1) {
		before := s[max(0, loc[0]-40):loc[0]]
		if modalBefore.MatchString(before) {
			continue
		}
		return loc[0], true
	}
	return 0, false
}
