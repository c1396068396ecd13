package geoparse

import (
	"strings"
	"unicode/utf8"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// span is a run of tokens [first, last] that names a gazetteer entry.
type span struct {
	first, last int
	key         string
	cands       []gazetteer.Candidate
	// why a span was dropped, kept for debugging and tests
	rejected string
	// tentative: a sentence-initial word kept only if the rest of the
	// text supports it
	tentative bool
	// qualifier: the span is a region's short form read as qualifying
	// the place before it ("Ill." in "Springfield, Ill.")
	qualifier bool
}

// connectors are lower-case words that may sit inside a place name
// ("Tarabulus al Gharb", "Bosnia and Herzegovina", "Bani Walid").
var connectors = map[string]bool{
	"al": true, "el": true, "ad": true, "ar": true, "as": true, "ash": true, "at": true, "az": true,
	"an": true, "de": true, "du": true, "des": true, "la": true, "le": true, "of": true, "and": true,
	"bin": true, "ibn": true, "da": true, "do": true, "dos": true, "del": true, "di": true, "en": true,
	"sur": true, "am": true, "im": true, "upon": true, "on": true, "the": true, "y": true,
}

// directions are words that qualify a region without being part of an
// organisation's name ("Northern Virginia", "Eastern Libyan").
var directions = map[string]bool{
	"north": true, "south": true, "east": true, "west": true, "northern": true, "southern": true,
	"eastern": true, "western": true, "central": true, "northeast": true, "northwest": true,
	"southeast": true, "southwest": true, "north-east": true, "north-west": true, "south-east": true,
	"south-west": true, "upper": true, "lower": true,
}

// calendarWords are capitalised in English but never part of a name.
var calendarWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
}

// genericWords may end a name in lower case: "the Nafusa mountains".
var genericWords = map[string]bool{
	"reservoir": true, "river": true, "mountains": true, "mountain": true, "sea": true, "lake": true,
	"valley": true, "desert": true, "plain": true, "plains": true, "gulf": true, "strait": true,
	"peninsula": true, "islands": true, "island": true, "canal": true, "hills": true, "highlands": true,
	"plateau": true, "basin": true, "camp": true, "corridor": true, "heights": true, "dam": true,
}

// lowerTail returns the lower-case generic words right after token j
// ("airport", "air base", "reservoir") and the index of the last one.
func lowerTail(toks []token, j int) (int, string) {
	k := j + 1
	if k >= len(toks) || toks[k].gap != ' ' || toks[k].capital {
		return j, ""
	}
	w := strings.ToLower(toks[k].text)
	if k+1 < len(toks) && toks[k+1].gap == ' ' && !toks[k+1].capital {
		two := w + " " + strings.ToLower(toks[k+1].text)
		if two == "air base" || two == "international airport" || two == "power plant" {
			return k + 1, two
		}
	}
	if genericWords[w] || w == "airport" || w == "airbase" || w == "airfield" {
		return k, w
	}
	return j, ""
}

// findSpans proposes, left to right, the longest token runs whose
// normalised text is a gazetteer name.
func findSpans(text string, toks []token, ix *gazetteer.Index) []span {
	var out []span
	maxWords := ix.MaxWords()
	if maxWords > 8 {
		maxWords = 8
	}
	for i := 0; i < len(toks); i++ {
		if !toks[i].capital {
			continue
		}
		// furthest token a name starting at i may reach
		end := i
		for j := i + 1; j < len(toks) && j-i < maxWords; j++ {
			if !joinable(toks[j-1], toks[j]) {
				break
			}
			end = j
		}
		for j := end; j >= i; j-- {
			if !toks[j].capital && !(toks[j].allCaps) {
				continue // a name ends on a capitalised word
			}
			key := gazetteer.Normalize(text[toks[i].start:toks[j].end])
			if key == "" {
				continue
			}
			// "Mitiga airport", "Kakhovka reservoir": a lower-case generic
			// tail completing a longer name is tried first
			if tk, tail := lowerTail(toks, j); tail != "" && ix.Has(key+" "+tail) {
				key, j = key+" "+tail, tk
			}
			cands := ix.Lookup(key)
			if len(cands) == 0 {
				continue
			}
			out = append(out, span{first: i, last: j, key: key, cands: cands})
			i = j
			break
		}
	}
	return out
}

// joinable reports whether b may continue a name that reaches a.
func joinable(a, b token) bool {
	switch b.gap {
	case '&':
		// only inside an abbreviation of single capitals: T&T
		if utf8.RuneCountInString(a.text) != 1 || utf8.RuneCountInString(b.text) != 1 || !a.allCaps || !b.allCaps {
			return false
		}
	case ' ', '-':
	case '.':
		// only the dots of an abbreviation: U.S., U.A.E., W.Va.
		if utf8.RuneCountInString(a.text) != 1 || utf8.RuneCountInString(b.text) > 3 || !b.capital {
			return false
		}
	default:
		return false
	}
	if b.capital {
		return true
	}
	return connectors[strings.ToLower(b.text)]
}
