package events

import (
	"strconv"
	"strings"
)

// Casualties are the figures one sentence gives.
type Casualties struct {
	Killed, Wounded *int
	// KilledText and WoundedText are the phrases the figures come from.
	KilledText, WoundedText string
}

// Vague quantities, coded by ACLED's convention: "dozens" is 12,
// "hundreds" 100, "several", "many" or "a number of" 10.
var vagueNumbers = map[string]int{
	"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 10, "many": 10,
	"a number of": 10, "a few": 3, "some": 10, "a dozen": 12, "dozen": 12,
}

var smallNumbers = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}

// parseQuantity reads a count written in digits, words or ACLED's vague
// terms.
func parseQuantity(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, ok := smallNumbers[s]; ok {
		return n, true
	}
	if n, ok := vagueNumbers[s]; ok {
		return n, true
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// countCasualties reads the killed and wounded figures of a sentence.
func countCasualties(s string) Casualties { return countCasualtiesWords(s, words(s)) }

// Words that report deaths and injuries.
var (
	deathWords  = map[string]bool{"killed": true, "killing": true, "dead": true, "died": true, "slain": true, "lives": true, "toll": true}
	injuryWords = map[string]bool{"wounded": true, "wounding": true, "injured": true, "injuring": true, "hurt": true}
)

// countCasualtiesWords reads the figures from the words of a sentence: the
// count right after a verb ("killing three", "killed 5 civilians", "death
// toll rose to 40") or else the nearest count before the word ("21 people
// had been killed and 27 wounded", "at least 14 of the general's fighters
// have been killed").
func countCasualtiesWords(s string, ws []word) Casualties {
	var c Casualties
	for i, w := range ws {
		if i > 0 && (ws[i-1].text == "the" || ws[i-1].text == "of") {
			continue // "the wounded", "evacuation of the dead": people, not a count
		}
		switch {
		case deathWords[w.text] && c.Killed == nil:
			if w.text == "lives" && (i == 0 || ws[i-1].text != "their") {
				continue
			}
			if n, j, ok := countNear(ws, i); ok {
				c.Killed, c.KilledText = &n, s[min(ws[j].start, w.start):max(ws[j].end, w.end)]
			}
		case injuryWords[w.text] && c.Wounded == nil:
			if n, j, ok := countNear(ws, i); ok {
				c.Wounded, c.WoundedText = &n, s[min(ws[j].start, w.start):max(ws[j].end, w.end)]
			}
		}
	}
	return c
}

// countNear finds the count that goes with the casualty word at i.
func countNear(ws []word, i int) (n, at int, ok bool) {
	// forward: "killing (at least) three", "toll rose to 40"
	for j := i + 1; j < len(ws) && j <= i+4; j++ {
		if n, ok := quantityAt(ws, j); ok {
			return n, j, true
		}
		if !fillerAfter[ws[j].text] {
			break
		}
	}
	// backward: the nearest count, not past another casualty word
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		if deathWords[ws[j].text] || injuryWords[ws[j].text] || clauseWords[ws[j].text] {
			break
		}
		if n, ok := quantityAt(ws, j); ok {
			return n, j, true
		}
	}
	return 0, 0, false
}

// clauseWords open another clause: a count before them is not this one's.
var clauseWords = map[string]bool{"so": true, "that": true, "because": true, "while": true, "but": true, "when": true,
	"after": true, "before": true, "since": true, "which": true, "who": true, "as": true}

// fillerAfter may stand between a casualty verb and its count.
var fillerAfter = map[string]bool{"at": true, "least": true, "more": true, "than": true, "some": true, "about": true,
	"around": true, "nearly": true, "almost": true, "over": true, "up": true, "to": true, "rose": true, "reached": true,
	"of": true, "climbed": true, "stood": true, "is": true, "was": true}

// quantityAt reads a count at word j: digits, a number word, or one of
// ACLED's vague quantities ("dozens" = 12). Years are not counts.
func quantityAt(ws []word, j int) (int, bool) {
	t := ws[j].text
	if t == "number" && j > 0 && ws[j-1].text == "a" {
		return vagueNumbers["a number of"], true
	}
	if t == "few" && j > 0 && ws[j-1].text == "a" {
		return vagueNumbers["a few"], true
	}
	if t == "some" {
		return 0, false // "some" qualifies a count more often than it is one
	}
	n, ok := parseQuantity(t)
	if !ok {
		return 0, false
	}
	if t[0] >= '0' && t[0] <= '9' && len(t) == 4 && n >= 1900 && n <= 2100 {
		return 0, false // a year
	}
	return n, true
}

// Any reports whether a figure was found.
func (c Casualties) Any() bool { return c.Killed != nil || c.Wounded != nil }
