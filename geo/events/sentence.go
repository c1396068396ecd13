// Package events turns article sentences into conflict events in ACLED's
// taxonomy (what, when, who, how many, where) and fuses the reports of
// several sources about the same happening, keeping their contradictions.
package events

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is a span of article text.
type Sentence struct {
	Text       string
	Start, End int
	// Reporting: the sentence ends as a sentence should (. ! ? or a
	// closing quote). Headlines, link lists and captions do not, and
	// report no event.
	Reporting bool
}

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{
	"gen": true, "lt": true, "col": true, "maj": true, "capt": true, "sgt": true, "mr": true, "mrs": true,
	"ms": true, "dr": true, "st": true, "no": true, "vs": true, "jan": true, "feb": true, "aug": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "gov": true, "sen": true, "rep": true, "adm": true,
	"brig": true, "cpl": true, "pvt": true, "prof": true, "jr": true, "sr": true, "inc": true, "corp": true,
}

// Split splits text into sentences with byte offsets. Paragraph breaks
// always end a sentence; a dot after an abbreviation (Gen., U.N.) does not.
func Split(text string) []Sentence {
	var out []Sentence
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		s := strings.TrimRightFunc(text[start:end], unicode.IsSpace)
		if strings.TrimSpace(s) != "" {
			out = append(out, Sentence{Text: s, Start: start, End: start + len(s), Reporting: endsSentence(s)})
		}
		start = -1
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if start < 0 && !unicode.IsSpace(r) {
			start = i
		}
		switch {
		case r == '\n':
			// a blank line or a line break ends the sentence
			emit(i)
		case (r == '.' || r == '!' || r == '?') && start >= 0:
			j := i + size
			// include closing quotes and brackets
			for j < len(text) {
				q, qs := utf8.DecodeRuneInString(text[j:])
				if q == '"' || q == '”' || q == '’' || q == '\'' || q == ')' {
					j += qs
					continue
				}
				break
			}
			if r == '.' && isAbbreviation(text, start, i) {
				break
			}
			if j >= len(text) || nextStartsSentence(text, j) {
				emit(j)
				i = j
				continue
			}
		}
		i += size
	}
	emit(len(text))
	return out
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \t\"”’')")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// isAbbreviation reports whether the dot at i closes an abbreviation:
// a known title, or single letters joined by dots (U.S., U.N.).
func isAbbreviation(text string, start, i int) bool {
	j := i
	for j > start {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= size
	}
	word := strings.ToLower(text[j:i])
	if abbreviations[word] {
		return true
	}
	return utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(text[j:i])[0])
}

// nextStartsSentence reports whether what follows offset j opens a new
// sentence: space then an upper-case letter, a digit or a quote.
func nextStartsSentence(text string, j int) bool {
	r, size := utf8.DecodeRuneInString(text[j:])
	if !unicode.IsSpace(r) {
		return false
	}
	for j < len(text) {
		r, size = utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) {
			break
		}
		j += size
	}
	if j >= len(text) {
		return true
	}
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '‘' || r == '\'' || r == '('
}
