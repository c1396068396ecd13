// Package gazetteer holds the places conflictmap can put on a map: GeoNames
// populated places, countries and regions, stored in SQLite and looked up by
// normalised name.
package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds a place name to its lookup key: lower case, diacritics
// removed (Mişrātah → misratah), apostrophes and quote marks dropped
// (Ma'rib → marib), hyphens and other punctuation turned into single spaces,
// and a leading Arabic article al-/el- removed (al-Khums → khums).
//
// The same function is applied to gazetteer names at import and to spans of
// article text at match time, so both sides always agree.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	// invalid bytes would stop NFD from decomposing what follows them
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, " ")) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining marks: the diacritics
		case isApostrophe(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(foldRune(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimRight(b.String(), " ")
	return stripArticle(out)
}

// foldRune lower-cases r and maps the few Latin letters that NFD does not
// decompose to their base letter. It lowers first, so that every capital
// folds as its small letter does (ẞ → ß → s) and Normalize is idempotent.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'ı':
		return 'i'
	case 'ł':
		return 'l'
	case 'ø':
		return 'o'
	case 'đ':
		return 'd'
	case 'ß':
		return 's'
	case 'æ':
		return 'a'
	case 'œ':
		return 'o'
	case 'ħ':
		return 'h'
	}
	return r
}

// isApostrophe reports whether r is an apostrophe, a quote mark or one of the
// letters used to transliterate the Arabic ʿayn and hamza.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '‘', '’', '`', '´', 'ʼ', 'ʻ', 'ʽ', 'ʾ', 'ʿ', '′':
		return true
	}
	return false
}

// stripArticle removes a leading "al " or "el " when more words follow.
func stripArticle(s string) string {
	for _, art := range [...]string{"al ", "el "} {
		if strings.HasPrefix(s, art) && len(s) > len(art) {
			return s[len(art):]
		}
	}
	return s
}

// IsLatinKey reports whether a normalised key is written only in ASCII
// letters, digits and spaces. Only such keys can match English news text, so
// the in-memory matcher index keeps just these.
func IsLatinKey(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ') {
			return false
		}
	}
	return utf8.ValidString(key)
}
