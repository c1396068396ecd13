package geoparse

import (
	"strings"
	"unicode/utf8"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// Many place names are also people's names (Kelly, Nelson, Jackson,
// Chen). A name is read as a person when the text says so: it follows a
// title or a given name in a run of capitalised words ("President Donald
// Trump", "Gen. Ricky Thomas"), or it is the subject of a verb of saying.
// Once a text has used a word for a person, its other bare uses are read
// the same way (one sense per text), unless a preposition of place or a
// qualifier ("Kelly, Texas") makes it a place.

// titles open a person's name: "Gov. Brown", "councillor Dewly Nelson".
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "professor": true,
	"gov": true, "governor": true, "sen": true, "senator": true, "rep": true, "representative": true,
	"congressman": true, "congresswoman": true, "president": true, "minister": true, "secretary": true,
	"chancellor": true, "mayor": true, "sheriff": true, "judge": true, "justice": true, "gen": true,
	"general": true, "col": true, "colonel": true, "lt": true, "lieutenant": true, "capt": true,
	"captain": true, "sgt": true, "sergeant": true, "maj": true, "major": true, "cpl": true,
	"corporal": true, "pvt": true, "private": true, "adm": true, "admiral": true, "officer": true,
	"detective": true, "deputy": true, "coach": true, "pope": true, "king": true, "queen": true,
	"prince": true, "princess": true, "sheikh": true, "sir": true, "lord": true, "lady": true,
	"rev": true, "reverend": true, "imam": true, "ayatollah": true, "commissioner": true,
	"councillor": true, "councilman": true, "councilwoman": true, "ambassador": true, "spokesman": true,
	"spokeswoman": true, "spokesperson": true, "superintendent": true, "chairman": true,
	"chairwoman": true, "director": true, "dean": true, "bishop": true, "archbishop": true,
	"cardinal": true, "father": true, "brother": true, "sister": true, "uncle": true, "aunt": true,
	"wife": true, "husband": true, "son": true, "daughter": true, "mother": true,
	// occupations that stand before a name: "lawyer Xie Yang"
	"lawyer": true, "lawyers": true, "activist": true, "activists": true, "journalist": true,
	"reporter": true, "author": true, "writer": true, "analyst": true, "economist": true,
	"student": true, "actor": true, "actress": true, "singer": true, "striker": true,
	"midfielder": true, "defender": true, "goalkeeper": true, "jockey": true, "trainer": true,
	"founder": true, "ceo": true, "executive": true, "candidate": true, "commander": true,
}

// sayVerbs follow a person who speaks: "Kelly said".
var sayVerbs = map[string]bool{
	"said": true, "says": true, "told": true, "added": true, "explained": true, "wrote": true,
	"argued": true, "noted": true, "asked": true, "declared": true, "stated": true, "tweeted": true,
	"testified": true, "recalled": true, "insisted": true, "admitted": true, "replied": true,
	"believes": true, "thinks": true, "tells": true, "acknowledged": true, "laughed": true, "smiled": true,
}

// locatives are the prepositions that put a name in space: "in Kelly".
var locatives = map[string]bool{
	"in": true, "at": true, "near": true, "outside": true, "into": true, "across": true,
	"around": true, "throughout": true, "inside": true, "toward": true, "towards": true, "via": true,
	"entering": true, "reached": true,
}

// Frequency ranks under which a census name is a common one.
const (
	commonGivenRank   = 1500
	commonSurnameRank = 5000
)

// Strengths of the evidence that a word names a person in a text.
const (
	// personSpoken: a common census name is the subject of a verb of
	// saying ("Kelly said").
	personSpoken = 1
	// personNamed: the word ends a run opened by a title or a given name
	// ("President Donald Trump"), or is that given name.
	personNamed = 2
)

// personWords returns the normalised single words that the text uses as a
// person's name, with the strength of the evidence: the surname of a run
// that opens with a title or a given name, its given name, and the subject
// of a verb of saying when the word is a common census name.
func personWords(toks []token, text string, ix *gazetteer.Index) map[string]int {
	out := map[string]int{}
	for i := 0; i < len(toks); i++ {
		if !toks[i].capital {
			continue
		}
		j := i
		for {
			if j+1 < len(toks) && toks[j+1].capital && personGap(toks[j], toks[j+1]) {
				j++
				continue
			}
			// "Mike de Kock", "Ursula von der Leyen": particles inside a name
			k := j + 1
			for k < len(toks) && nameParticles[toks[k].text] && toks[k].gap == ' ' {
				k++
			}
			if k > j+1 && k < len(toks) && toks[k].capital && toks[k].gap == ' ' {
				j = k
				continue
			}
			break
		}
		if j > i {
			markRun(toks, i, j, ix, out)
		}
		if j == i {
			w := strings.ToLower(toks[i].text)
			if key := gazetteer.Normalize(w); out[key] < personSpoken && isCommonPersonName(ix, w) && spokenBy(toks, i) && !possessive(text, toks[i]) {
				out[key] = personSpoken
			}
		}
		i = j
	}
	return out
}

// personGap reports whether b continues a person's name that reaches a:
// a space, a hyphen (Diaz-Balart), or the dot after an initial or a
// title (John F. Kelly, Lt. Col. Ricky Thomas).
func personGap(a, b token) bool {
	switch b.gap {
	case ' ', '-':
		return true
	case '.':
		w := strings.ToLower(a.text)
		return utf8.RuneCountInString(a.text) == 1 || titles[w]
	}
	return false
}

// markRun records the person words of the capitalised run toks[i..j].
func markRun(toks []token, i, j int, ix *gazetteer.Index, out map[string]int) {
	// the name may start inside the run: "Facebook chief Mark Zuckerberg"
	// is a run from Facebook whose person starts at Mark
	for k := i; k < j; k++ {
		w := strings.ToLower(toks[k].text)
		if titles[w] || isGivenName(ix, w) {
			i = k
			break
		}
	}
	first := strings.ToLower(toks[i].text)
	last := strings.ToLower(toks[j].text)
	titled := titles[first]
	if i > 0 && toks[i].gap == ' ' && titles[strings.ToLower(toks[i-1].text)] {
		titled = true // "councillor Dewly Nelson"
	}
	given := ix.PersonName(first).Given
	if !titled && (given == 0 || given > commonGivenRank*2 || isEnglishWord(ix, first)) {
		return // "In Hawaii" is no person
	}
	if !titled && anyMajor(ix.Lookup(gazetteer.Normalize(last))) {
		return // "George Washington" leaves Washington a place
	}
	// the run must end on a surname, not on a common noun: "Jackson
	// County", "Virginia Beach" are no people
	if ix.CommonWordRank(last) > 0 && ix.PersonName(last).Surname == 0 {
		return
	}
	if geoWords[last] || regionWords[last] {
		return
	}
	out[gazetteer.Normalize(last)] = personNamed
	if !titled && j == i+1 {
		out[gazetteer.Normalize(first)] = personNamed // "Kelly Clarkson": Kelly too
	}
}

// possessive reports whether the token is followed by 's ("Hawaii's").
func possessive(text string, t token) bool {
	return hasPossessive(text, t.end) || strings.HasPrefix(text[t.end:], "'s") || strings.HasPrefix(text[t.end:], "’s")
}

// spokenBy reports whether token i is the subject of a verb of saying
// ("Kelly said") or follows one at the end of a quote (", said Kelly.").
func spokenBy(toks []token, i int) bool {
	if i+1 < len(toks) && sayVerbs[strings.ToLower(toks[i+1].text)] && (toks[i+1].gap == ' ' || toks[i+1].gap == 0) {
		return true
	}
	return i > 0 && toks[i].gap == ' ' && sayVerbs[strings.ToLower(toks[i-1].text)] && !toks[i-1].capital
}

func isCensusName(ix *gazetteer.Index, w string) bool {
	r := ix.PersonName(w)
	return r.Given > 0 || r.Surname > 0
}

// isCommonPersonName reports whether w is a frequent given name or surname.
func isCommonPersonName(ix *gazetteer.Index, w string) bool {
	r := ix.PersonName(w)
	return r.Given > 0 && r.Given <= commonGivenRank || r.Surname > 0 && r.Surname <= commonSurnameRank
}

// locativeBefore reports whether a preposition of place comes right
// before token i: "in Kelly", "near Nelson".
func locativeBefore(toks []token, i int) bool {
	return i > 0 && toks[i].gap == ' ' && locatives[strings.ToLower(toks[i-1].text)]
}

// isMajor reports whether a candidate is too prominent to be given up for
// a person's name on weak evidence: a country, a capital, an admin-1
// region or seat, or a city of a million people.
func isMajor(c gazetteer.Candidate) bool {
	p := c.Place
	switch p.FeatureCode {
	case "PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "PPLC", "ADM1", "PPLA", "CONT", "OCN":
		return true
	}
	return p.Kind == gazetteer.KindCountry || p.Population >= 1_000_000
}

// personReading decides whether the single-word span s is a person's name
// here rather than a place. persons holds the words the text uses for
// people.
func personReading(s span, toks []token, text string, ix *gazetteer.Index, persons map[string]int) bool {
	if s.first != s.last {
		return false
	}
	t := toks[s.first]
	if locativeBefore(toks, s.first) || qualifiedAfter(toks, s.last, ix) || (t.lineStart && t.allCaps) {
		return false
	}
	best := strongest(s.cands)
	if isCountry(best) {
		return false
	}
	switch persons[s.key] {
	case personNamed:
		return true
	case personSpoken:
		return !anyMajor(s.cands)
	}
	from := s.first > 0 && strings.EqualFold(toks[s.first-1].text, "from")
	if spokenBy(toks, s.first) && !from && !possessive(text, t) && !anyMajor(s.cands) && strongest(s.cands).Place.Population < smallTown {
		return true // "Malbog said": a small town does not speak
	}
	w := strings.ToLower(t.text)
	return isCommonPersonName(ix, w) && !anyMajor(s.cands) && !possessive(text, t)
}

func anyMajor(cands []gazetteer.Candidate) bool {
	for _, c := range cands {
		if isMajor(c) {
			return true
		}
	}
	return false
}

// qualifiedAfter reports whether token k is followed by a comma and a
// capitalised word, as in "Kelly, Texas" or "Nelson, B.C.": the shape of
// a place named with its region.
func qualifiedAfter(toks []token, k int, ix *gazetteer.Index) bool {
	if !(k+1 < len(toks) && toks[k+1].gap == 0 && toks[k+1].capital && !toks[k+1].sentenceStart &&
		commaBetween(toks[k], toks[k+1])) {
		return false
	}
	// the word after the comma must be able to name an area: "Kelly,
	// Wyoming", not "Helen, Clarence, Irene"
	for _, c := range ix.Lookup(gazetteer.Normalize(toks[k+1].text)) {
		if c.Place.Kind == gazetteer.KindCountry || c.Place.Kind == gazetteer.KindRegion {
			return true
		}
	}
	return false
}

// commaBetween reports whether only a comma (and spaces) separates two
// tokens, as the tokenizer recorded it.
func commaBetween(a, b token) bool { return b.start-a.end <= 3 && b.commaBefore }

// contraction reports whether a word is an English contraction (We're,
// they'll, don't), which no place name is.
func contraction(w string) bool {
	for _, suf := range [...]string{"'re", "’re", "'ll", "’ll", "'ve", "’ve", "n't", "n’t", "'m", "’m", "'d", "’d"} {
		if strings.HasSuffix(strings.ToLower(w), suf) {
			return true
		}
	}
	return false
}

// altNameNoise reports whether candidate c matched key only through an
// alternate name that is an ordinary word, a person's name or a short
// code ("Levi" for a South African town, "Julia" for Plovdiv, "No" for
// Ho): such names are kept only for major places.
func altNameNoise(c gazetteer.Candidate, key string, ix *gazetteer.Index) bool {
	if strings.Contains(key, " ") {
		return false
	}
	if isFamous(c.Place) {
		// even a famous place is not named by a very frequent word
		// ("Man" for Amman)
		return gazetteer.Normalize(c.Place.Name) != key && isEnglishWord(ix, key) && c.Place.Kind != gazetteer.KindCountry
	}
	if gazetteer.Normalize(c.Place.Name) == key {
		return false
	}
	if c.Place.Kind == gazetteer.KindCity && c.Place.Population < tinyPlace && !similarNames(gazetteer.Normalize(c.Place.Name), key) {
		return true // "Taliban" for a Turkish hamlet: an old or foreign name
	}
	return len(key) <= 3 || ix.CommonWordRank(key) > 0 || isCommonPersonName(ix, key)
}

// isEnglishWord reports whether w is among the frequent English words:
// such a word opening a run ("In", "After") is no given name.
func isEnglishWord(ix *gazetteer.Index, w string) bool {
	r := ix.CommonWordRank(w)
	return r > 0 && r < 10000
}

// tinyPlace is the population under which a town is matched only by its
// own name or a spelling of it, not by unrelated alternate names.
const tinyPlace = 5000

// similarNames reports whether two keys are spellings of one name: they
// share their first letter and most of their letters (Novoselivka,
// Novoselovka).
func similarNames(a, b string) bool {
	if a == "" || b == "" || a[0] != b[0] {
		return false
	}
	return float64(editDistance(a, b)) <= 0.34*float64(max(len(a), len(b)))
}

// editDistance is the Levenshtein distance between two byte strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// isFamous reports whether a place is known far beyond its region: a
// country, a continent, a national capital, an admin-1 region, or a city
// of a million people.
func isFamous(p *gazetteer.Place) bool {
	switch p.FeatureCode {
	case "PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "PPLC", "ADM1", "CONT", "OCN":
		return true
	}
	return p.Kind == gazetteer.KindCountry || p.Population >= 1_000_000
}

// nameParticles are the lower-case words inside people's names.
var nameParticles = map[string]bool{
	"de": true, "da": true, "van": true, "von": true, "der": true, "den": true, "del": true,
	"la": true, "le": true, "bin": true, "ibn": true, "al": true, "el": true, "dos": true,
}

// isGivenName reports whether w is a frequent census given name that is
// not also a frequent English word.
func isGivenName(ix *gazetteer.Index, w string) bool {
	g := ix.PersonName(w).Given
	return g > 0 && g <= commonGivenRank*2 && !isEnglishWord(ix, w)
}
