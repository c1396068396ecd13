package events

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Time precisions, as ACLED codes them.
const (
	PrecisionDay   = 1
	PrecisionWeek  = 2
	PrecisionMonth = 3
)

// When is the date of an event and how it was found.
type When struct {
	Date      time.Time
	Precision int
	// Text is the expression that gave the date ("on Thursday"), empty
	// when the article date was taken.
	Text string
	// Offset is where Text starts in the sentence, -1 when none.
	Offset int
	// Background: the sentence speaks of the past in general ("in recent
	// months", "since 2011"), not of a new event.
	Background bool
}

var (
	weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
		"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}
	months = map[string]time.Month{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
		"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
	numberWords = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}

	monthNames  = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?`
	isoDateExpr = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	mdyExpr     = regexp.MustCompile(`\b` + monthNames + `\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`)
	dmyExpr     = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+` + monthNames + `(?:,?\s+(\d{4}))?\b`)
	relDayExpr  = regexp.MustCompile(`\b(yesterday|today|tonight|this morning|this afternoon|this evening|last night|overnight)\b`)
	lastExpr    = regexp.MustCompile(`\b(last|this|earlier this|past)\s+(week|month|weekend)\b`)
	monthExpr   = regexp.MustCompile(`\b(?:in|during|since|by|early|late|mid-?)\s*` + monthNames + `(?:\s+(\d{4}))?\b`)
	yearExpr    = regexp.MustCompile(`\b(?:in|since|during|the|of|until)\s+((?:19|20)\d{2})\b`)
	vagueExpr   = regexp.MustCompile(`\b(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+)?(?:months|years|decades)\b|\bfor\s+years\b|\bin\s+recent\s+(?:weeks|months|years)\b`)
)

// Resolve finds the date of what a sentence reports, relative to the
// article date: explicit dates; weekdays resolve to the latest such day on
// or before the article date; "yesterday", "last week", "three days
// after ..."; nothing gives the article date with week precision.
// near is the byte offset of the event's trigger in the sentence: of
// several date expressions, the closest wins.
func Resolve(sentence string, article time.Time, near int) When {
	return pickDate(dateCandidates(sentence, words(sentence), article), article, near)
}

// dateCandidates lists every date expression of a sentence, resolved; a
// single When with Background set when the sentence speaks of the past in
// general.
func dateCandidates(sentence string, ws []word, article time.Time) []When {
	var lowered string
	lower := func() string { // only some patterns need it
		if lowered == "" {
			lowered = asciiLower(sentence)
		}
		return lowered
	}
	// which kinds of expression the words allow: the patterns run only
	// where they can match
	var weekday, relDay, ago, last, vague, year, isoDate, dayMonth, monthAfter bool
	next := func(i int) string {
		if i+1 < len(ws) {
			return ws[i+1].text
		}
		return ""
	}
	for i, w := range ws {
		t := w.text
		switch {
		case months[t] != 0:
			// "April 5" or "5 April": a small number next to the month
			for _, k := range []int{i - 1, i + 1} {
				if k >= 0 && k < len(ws) && len(ws[k].text) <= 4 && ws[k].text[0] >= '0' && ws[k].text[0] <= '9' {
					dayMonth = true
				}
			}
			if i > 0 {
				switch ws[i-1].text {
				case "in", "during", "since", "by", "early", "late", "mid":
					monthAfter = true
				}
			}
		case weekdays[t] != 0 || t == "sunday":
			weekday = true
		case t == "yesterday" || t == "today" || t == "tonight" || t == "overnight":
			relDay = true
		case t == "ago" || t == "earlier" || t == "before" || t == "after" || t == "later":
			ago = true
		case t == "recent" || t == "years":
			vague = true
		}
		switch n := next(i); t {
		case "this", "last", "past", "earlier":
			if n == "morning" || n == "afternoon" || n == "evening" || n == "night" {
				relDay = true
			}
			if n == "week" || n == "month" || n == "weekend" || n == "this" {
				last = true
			}
			if t == "last" || t == "past" {
				vague = vague || n == "few" || n == "months" || n == "years" || n == "decades"
			}
		}
		if t != "" && t[0] >= '0' && t[0] <= '9' {
			if len(t) == 4 && (strings.HasPrefix(t, "19") || strings.HasPrefix(t, "20")) {
				year = true
				isoDate = isoDate || w.end < len(sentence) && sentence[w.end] == '-'
			}
		}
	}
	if vague && vagueExpr.MatchString(lower()) {
		return []When{{Date: article, Precision: PrecisionMonth, Offset: -1, Background: true}}
	}
	var cands []When
	add := func(w When) { cands = append(cands, w) }
	for _, m := range findIf(isoDate, isoDateExpr, sentence) {
		y, _ := strconv.Atoi(sentence[m[2]:m[3]])
		mo, _ := strconv.Atoi(sentence[m[4]:m[5]])
		d, _ := strconv.Atoi(sentence[m[6]:m[7]])
		if t, ok := date(y, time.Month(mo), d); ok {
			add(When{Date: t, Precision: PrecisionDay, Text: sentence[m[0]:m[1]], Offset: m[0]})
		}
	}
	for _, m := range findIf(dayMonth, mdyExpr, sentence) {
		mo := months[strings.ToLower(sentence[m[2]:m[3]])]
		d, _ := strconv.Atoi(sentence[m[4]:m[5]])
		if w, ok := dayOfMonth(article, mo, d, sentence, m[6], m[7]); ok {
			w.Text, w.Offset = sentence[m[0]:m[1]], m[0]
			add(w)
		}
	}
	for _, m := range findIf(dayMonth, dmyExpr, sentence) {
		d, _ := strconv.Atoi(sentence[m[2]:m[3]])
		mo := months[strings.ToLower(sentence[m[4]:m[5]])]
		if w, ok := dayOfMonth(article, mo, d, sentence, m[6], m[7]); ok {
			w.Text, w.Offset = sentence[m[0]:m[1]], m[0]
			add(w)
		}
	}
	for _, m := range weekdayMatches(ws, weekday) {
		wd := weekdays[strings.ToLower(sentence[m[4]:m[5]])]
		t := lastWeekday(article, wd)
		if m[2] >= 0 && strings.EqualFold(sentence[m[2]:m[3]], "last") && t.Equal(article) {
			t = t.AddDate(0, 0, -7)
		}
		add(When{Date: t, Precision: PrecisionDay, Text: sentence[m[0]:m[1]], Offset: m[0]})
	}
	for _, m := range findIfLazy(relDay, relDayExpr, lower) {
		t := article
		switch strings.ToLower(sentence[m[2]:m[3]]) {
		case "yesterday", "last night":
			t = article.AddDate(0, 0, -1)
		}
		add(When{Date: t, Precision: PrecisionDay, Text: sentence[m[0]:m[1]], Offset: m[0]})
	}
	for _, m := range agoMatches(ws, ago) {
		w, ok := relative(sentence, m, article, cands)
		if ok {
			add(w)
		}
	}
	for _, m := range findIfLazy(last, lastExpr, lower) {
		unit := strings.ToLower(sentence[m[4]:m[5]])
		t, p := article.AddDate(0, 0, -7), PrecisionWeek
		switch {
		case unit == "month":
			t, p = article.AddDate(0, -1, 0), PrecisionMonth
		case unit == "weekend":
			t = lastWeekday(article, time.Saturday)
		case strings.HasPrefix(strings.ToLower(sentence[m[2]:m[3]]), "this") || strings.HasPrefix(strings.ToLower(sentence[m[2]:m[3]]), "earlier"):
			t = article
		}
		add(When{Date: t, Precision: p, Text: sentence[m[0]:m[1]], Offset: m[0]})
	}
	for _, m := range findIf(monthAfter, monthExpr, sentence) {
		mo := months[strings.ToLower(sentence[m[2]:m[3]])]
		y := article.Year()
		if m[4] >= 0 {
			y, _ = strconv.Atoi(sentence[m[4]:m[5]])
		} else if mo > article.Month() {
			y--
		}
		if t, ok := date(y, mo, 1); ok {
			add(When{Date: t, Precision: PrecisionMonth, Text: sentence[m[0]:m[1]], Offset: m[0]})
		}
	}
	for _, m := range findIf(year, yearExpr, sentence) {
		y, _ := strconv.Atoi(sentence[m[2]:m[3]])
		if y != article.Year() {
			t, _ := date(y, 1, 1)
			add(When{Date: t, Precision: PrecisionMonth, Text: sentence[m[0]:m[1]], Offset: m[0], Background: y < article.Year()})
		}
	}
	return cands
}

// pickDate chooses, of a sentence's date expressions, the one nearest the
// trigger at offset near; none gives the article date, week precision.
func pickDate(cands []When, article time.Time, near int) When {
	if len(cands) == 1 && cands[0].Background {
		return cands[0]
	}
	if len(cands) == 0 {
		return When{Date: article, Precision: PrecisionWeek, Offset: -1}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if abs(c.Offset-near) < abs(best.Offset-near) {
			best = c
		}
	}
	if best.Date.After(article) {
		best.Date = article // a report cannot precede what it reports
	}
	return best
}

// relative resolves "three days after ...", "two weeks ago".
func relative(s string, m []int, article time.Time, found []When) (When, bool) {
	n, ok := numberWords[strings.ToLower(s[m[2]:m[3]])]
	if !ok {
		n, _ = strconv.Atoi(s[m[2]:m[3]])
	}
	if n <= 0 || n > 400 {
		return When{}, false
	}
	unit := strings.ToLower(s[m[4]:m[5]])
	dir := strings.ToLower(s[m[6]:m[7]])
	days, p := n, PrecisionDay
	switch unit {
	case "week":
		days, p = 7*n, PrecisionWeek
	case "month":
		days, p = 30*n, PrecisionMonth
	}
	base := article
	// "three days after the offensive began on Thursday": count from the
	// other date the sentence gives
	for _, f := range found {
		if f.Offset > m[1] {
			base = f.Date
		}
	}
	switch dir {
	case "ago", "earlier", "before":
		days = -days
	}
	if (dir == "after" || dir == "later") && base.Equal(article) {
		return When{}, false // after what? the anchor is elsewhere
	}
	return When{Date: base.AddDate(0, 0, days), Precision: p, Text: s[m[0]:m[1]], Offset: m[0]}, true
}

// dayOfMonth resolves "April 5" to the latest such date on or before the
// article (or the year given).
func dayOfMonth(article time.Time, mo time.Month, d int, s string, ys, ye int) (When, bool) {
	if mo == 0 {
		return When{}, false
	}
	y := article.Year()
	if ys >= 0 {
		y, _ = strconv.Atoi(s[ys:ye])
	}
	t, ok := date(y, mo, d)
	if !ok {
		return When{}, false
	}
	if ys < 0 && t.After(article) {
		t = t.AddDate(-1, 0, 0)
	}
	return When{Date: t, Precision: PrecisionDay}, true
}

func date(y int, m time.Month, d int) (time.Time, bool) {
	if y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

// lastWeekday is the latest day on or before t that falls on wd.
func lastWeekday(t time.Time, wd time.Weekday) time.Time {
	back := (int(t.Weekday()) - int(wd) + 7) % 7
	return t.AddDate(0, 0, -back)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// findIf runs re only when the cheap test passed.
func findIf(ok bool, re *regexp.Regexp, s string) [][]int {
	if !ok {
		return nil
	}
	return re.FindAllStringSubmatchIndex(s, -1)
}

// weekdayMatches finds "(last|this|on|...) Thursday (morning)" from the
// words, as submatch indexes like weekdayExpr's: [whole, prefix, day].
func weekdayMatches(ws []word, any bool) [][]int {
	if !any {
		return nil
	}
	var out [][]int
	for i, w := range ws {
		if _, ok := weekdays[w.text]; !ok {
			continue
		}
		m := []int{w.start, w.end, -1, -1, w.start, w.end}
		if i > 0 {
			switch ws[i-1].text {
			case "last", "this", "on", "since", "early", "late":
				m[0], m[2], m[3] = ws[i-1].start, ws[i-1].start, ws[i-1].end
			}
		}
		if i+1 < len(ws) {
			switch ws[i+1].text {
			case "morning", "afternoon", "evening", "night":
				m[1] = ws[i+1].end
			}
		}
		out = append(out, m)
	}
	return out
}

// agoMatches finds "three days ago", "two weeks after" from the words, as
// submatch indexes like agoExpr's: [whole, number, unit, direction].
func agoMatches(ws []word, any bool) [][]int {
	if !any {
		return nil
	}
	var out [][]int
	for i := 2; i < len(ws); i++ {
		switch ws[i].text {
		case "ago", "earlier", "before", "after", "later":
		default:
			continue
		}
		unit := ws[i-1]
		u := strings.TrimSuffix(unit.text, "s")
		if u != "day" && u != "week" && u != "month" {
			continue
		}
		num := ws[i-2]
		numStart := num.start
		if num.text == "few" && i >= 3 && ws[i-3].text == "a" {
			numStart = ws[i-3].start
		} else if _, ok := numberWords[num.text]; !ok && !(num.text != "" && num.text[0] >= '0' && num.text[0] <= '9' && len(num.text) <= 2) {
			continue
		}
		out = append(out, []int{numStart, ws[i].end, numStart, num.end, unit.start, unit.start + len(u), ws[i].start, ws[i].end})
	}
	return out
}

// findIfLazy is findIf on text made only when the test passed.
func findIfLazy(ok bool, re *regexp.Regexp, s func() string) [][]int {
	if !ok {
		return nil
	}
	return re.FindAllStringSubmatchIndex(s(), -1)
}
