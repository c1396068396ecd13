// Package geoparse finds the places named in article text and resolves each
// mention to one gazetteer entry, and turns relative expressions ("95km south
// of the capital") into estimated points.
package geoparse

import (
	"unicode"
	"unicode/utf8"
)

// token is one word of the text with its byte span.
type token struct {
	start, end int
	text       string
	// capital: the first letter is upper case; allCaps: every letter is.
	capital, allCaps bool
	// sentenceStart: the token opens a sentence, line or quotation.
	sentenceStart bool
	// lineStart: the token is the first of its line.
	lineStart bool
	// commaBefore: a comma stands between this token and the previous one.
	commaBefore bool
	// titleCase: the token is in a headline-style line whose words are
	// nearly all capitalised, where capitals say little about names.
	titleCase bool
	// gap is what separates this token from the previous one: ' ' for
	// plain spaces, '-' for a hyphen, '.' for an abbreviation dot joining
	// single letters (U.S.), and 0 for anything else (punctuation, line
	// breaks), which no name spans.
	gap byte
}

// tokenize splits text into word tokens. Possessive 's is left out of the
// word ("Libya’s" gives "Libya"); an apostrophe inside a word stays in it
// ("Ma'rib").
func tokenize(text string) []token {
	var toks []token
	sentence := true // start of text opens a sentence
	line := true
	gapKind := byte(0)
	comma := false
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			gapKind = classifyGap(gapKind, r, text, i)
			if r == ',' {
				comma = true
			}
			switch {
			case r == '\n':
				sentence, line = true, true
			case r == '.' || r == '!' || r == '?' || r == ':' || r == ';' || r == '"' || r == '“' || r == '”' || r == '(' || r == '[' || r == '•' || r == '|':
				if !(r == '.' && i > 0 && isAbbrevDot(toks, text, i)) {
					sentence = true
				}
			case r == '\'' || r == '‘' || r == '’':
				if len(toks) == 0 || toks[len(toks)-1].end < i {
					sentence = true // an opening single quote
				}
			}
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			if isApostropheRune(r) && i+size < len(text) {
				next, nsize := utf8.DecodeRuneInString(text[i+size:])
				if !isWordRune(next) {
					break
				}
				// possessive: 's followed by a non-letter
				if (next == 's' || next == 'S') && (i+size+nsize >= len(text) || !isWordRune(runeAt(text, i+size+nsize))) {
					break
				}
				i += size
				continue
			}
			break
		}
		t := token{start: start, end: i, text: text[start:i], sentenceStart: sentence, lineStart: line, commaBefore: comma}
		comma = false
		if len(toks) > 0 {
			t.gap = gapKind
		}
		t.capital, t.allCaps = caseOf(t.text)
		toks = append(toks, t)
		sentence, line = false, false
		gapKind = ' '
		// skip a possessive 's so that it does not become a token
		if i < len(text) {
			if r, size := utf8.DecodeRuneInString(text[i:]); isApostropheRune(r) && i+size < len(text) && (text[i+size] == 's' || text[i+size] == 'S') {
				i += size + 1
				gapKind = 0
			}
		}
	}
	markTitleCase(toks)
	return toks
}

// classifyGap folds one separator rune into the gap seen so far.
func classifyGap(prev byte, r rune, text string, i int) byte {
	switch {
	case prev == 0:
		return 0
	case r == ' ' || r == '\t' || r == '\u00a0':
		return prev
	case r == '-' || r == '‐' || r == '‑':
		if prev == ' ' {
			return '-'
		}
		return prev
	case r == '.':
		return '.'
	case r == '&' && prev == ' ' && i > 0 && i+1 < len(text) && text[i-1] != ' ' && text[i+1] != ' ':
		return '&' // "T&T": an ampersand inside an abbreviation
	}
	return 0
}

// isAbbrevDot reports whether the dot at i closes a single-letter
// abbreviation part (the dots of U.S. or U.N.), which does not end a sentence
// when a lower-case word follows... or another letter of the abbreviation.
func isAbbrevDot(toks []token, text string, i int) bool {
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	if last.end != i || utf8.RuneCountInString(last.text) != 1 || !last.capital {
		return false
	}
	// what follows the dot: a letter directly (U.S) or a space then a
	// lower-case word keeps the sentence going.
	j := i + 1
	if j < len(text) && isWordRune(runeAt(text, j)) {
		return true
	}
	for j < len(text) && text[j] == ' ' {
		j++
	}
	return j < len(text) && unicode.IsLower(runeAt(text, j))
}

func runeAt(s string, i int) rune {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostropheRune(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘' || r == '`'
}

// caseOf reports whether a word is capitalised and whether all its letters
// are upper case.
func caseOf(s string) (capital, allCaps bool) {
	first := true
	allCaps = true
	letters := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if first {
			capital = unicode.IsUpper(r) || unicode.IsTitle(r)
			first = false
		}
		if !unicode.IsUpper(r) {
			allCaps = false
		}
	}
	return capital, allCaps && letters > 0
}

// Shape of a title-case line: at most this many words, and at least this
// share of its words of four letters or more capitalised.
const (
	titleLineMaxWords = 24
	titleLineShare    = 0.85
)

// markTitleCase sets titleCase on the tokens of every short line written
// in title case ("Mogadishu Explosions Target Federal Govt Soldiers") or
// in capitals.
func markTitleCase(toks []token) {
	for start := 0; start < len(toks); {
		end := start + 1
		for end < len(toks) && !toks[end].lineStart {
			end++
		}
		if n := end - start; n >= 3 && n <= titleLineMaxWords {
			long, caps := 0, 0
			for _, t := range toks[start:end] {
				if utf8.RuneCountInString(t.text) >= 4 {
					long++
					if t.capital {
						caps++
					}
				}
			}
			if long >= 2 && float64(caps) >= titleLineShare*float64(long) {
				for k := start; k < end; k++ {
					toks[k].titleCase = true
				}
			}
		}
		start = end
	}
}
