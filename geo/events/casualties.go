package events

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
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

const quantity = `(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens|scores|hundreds|thousands|several|many|a number of|a few|a dozen)`

var (
	killedExpr = regexp.MustCompile(`\b(?:at least |more than |over |some |about |around |nearly |almost |up to )?` + quantity +
		`(?:\s+(?:of\s+(?:the|his|her|their)\s+)?(?:[\w'’-]+\s+){0,3}?)?\s*(?:(?:have|has|had)\s+been\s+|were\s+|was\s+|are\s+|being\s+)?(?:killed|dead|died|slain|lost their lives)\b`)
	killingExpr = regexp.MustCompile(`\b(?:killing|killed)\s+(?:at least |more than |some |about |nearly )?` + quantity + `\b`)
	tollExpr    = regexp.MustCompile(`\bdeath toll\s+(?:rose to|of|reached|stood at|climbed to|is|was)\s+(?:at least\s+)?` + quantity + `\b`)
	woundedExpr = regexp.MustCompile(`\b(?:at least |more than |over |some |about |around |nearly )?` + quantity +
		`(?:\s+(?:[\w'’-]+\s+){0,3}?)?\s*(?:(?:have|has|had)\s+been\s+|were\s+|was\s+)?(?:wounded|injured|hurt)\b`)
	woundingExpr = regexp.MustCompile(`\b(?:wounding|injuring|wounded|injured)\s+(?:at least |more than |some |about |nearly )?` + quantity + `\b`)
	// "21 killed and 27 wounded": the second number's noun is the first's
	killedAndWounded = regexp.MustCompile(`\b(?:killed|dead)\s+and\s+` + quantity + `\s+(?:were\s+|others\s+)?(?:wounded|injured)\b`)
)

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

// countCasualtiesWords is countCasualties on a sentence already split into
// words: a sentence with no count in it is not searched.
func countCasualtiesWords(s string, ws []word) Casualties {
	var c Casualties
	counted := false
	for _, w := range ws {
		t := w.text
		if t != "" && t[0] >= '0' && t[0] <= '9' || smallNumbers[t] != 0 || vagueNumbers[t] != 0 || t == "few" || t == "number" {
			counted = true
			break
		}
	}
	if !counted {
		return c
	}
	lower := asciiLower(s)
	// the figures stand next to these words: search only around them
	lo, hi := len(s), 0
	for _, k := range [...]string{"kill", "dead", "died", "slain", "lives", "death", "wound", "injur", "hurt"} {
		for from := 0; ; {
			i := strings.Index(lower[from:], k)
			if i < 0 {
				break
			}
			i += from
			lo, hi = min(lo, i-64), max(hi, i+len(k)+40)
			from = i + len(k)
		}
	}
	if hi == 0 {
		return c
	}
	lo, hi = max(lo, 0), min(hi, len(s))
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi++
	}
	s = lower[lo:hi] // the patterns are lower case
	set := func(dst **int, text *string, m []int) {
		if *dst != nil {
			return
		}
		if n, ok := parseQuantity(s[m[2]:m[3]]); ok {
			*dst = &n
			*text = s[m[0]:m[1]]
		}
	}
	for _, re := range []*regexp.Regexp{tollExpr, killedExpr, killingExpr} {
		if m := re.FindStringSubmatchIndex(s); m != nil {
			set(&c.Killed, &c.KilledText, m)
		}
	}
	for _, re := range []*regexp.Regexp{killedAndWounded, woundingExpr, woundedExpr} {
		if m := re.FindStringSubmatchIndex(s); m != nil {
			set(&c.Wounded, &c.WoundedText, m)
		}
	}
	return c
}

// Any reports whether a figure was found.
func (c Casualties) Any() bool { return c.Killed != nil || c.Wounded != nil }
