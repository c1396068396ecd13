package gazetteer

import "strings"

// adminWord is a generic word of admin-2 names as GeoNames writes it
// ("Raion", "Département de") and the class words English news uses for
// the same kind of unit ("District").
type adminWord struct {
	word    string
	key     string // Normalize(word)
	english []string
}

// admin2Suffixes are generic words that end admin-2 names ("Laurel
// County", "Volnovakha Raion"), longest first so that "Sub-Prefecture" is
// tried before "Prefecture".
var admin2Suffixes = []adminWord{
	{"Local Government Area", "local government area", []string{"LGA", "Local Government Area"}},
	{"City and Borough", "city and borough", nil}, // Alaska: Juneau City and Borough
	{"Census Area", "census area", nil},
	{"Regional Council", "regional council", nil},
	{"Rural Council", "rural council", nil},
	{"Sub-Prefecture", "sub prefecture", []string{"Sub-Prefecture"}},
	{"County", "county", []string{"County"}},
	{"Parish", "parish", []string{"Parish"}},
	{"Borough", "borough", []string{"Borough"}},
	{"District", "district", []string{"District"}},
	{"Municipality", "municipality", []string{"Municipality"}},
	{"Territory", "territory", []string{"Territory"}},
	{"Department", "department", []string{"Department"}},
	{"Division", "division", []string{"Division"}},
	{"Province", "province", []string{"Province"}},
	{"Prefecture", "prefecture", []string{"Prefecture"}},
	{"Governorate", "governorate", []string{"Governorate"}},
	{"Cercle", "cercle", []string{"Cercle"}},
	{"Zone", "zone", []string{"Zone"}},
	{"Raion", "raion", []string{"Raion", "Rayon", "District"}},
	{"Rayon", "rayon", []string{"Rayon", "Raion", "District"}},
	{"Okrug", "okrug", []string{"Okrug", "District"}},
	{"Agency", "agency", []string{"Agency"}},
	{"LGA", "lga", []string{"LGA", "Local Government Area"}},
	{"İlçesi", "ilcesi", []string{"District"}}, // Turkish
	{"Tumani", "tumani", []string{"District"}}, // Uzbek
	{"Kommun", "kommun", []string{"Municipality"}},
	{"Kommune", "kommune", []string{"Municipality"}},
	{"City", "city", nil}, // "Mbuji-Mayi City", "Boma (city)": the city is the town
	{"Shi", "shi", nil},   // Japanese city
}

// admin2Prefixes are generic words that open admin-2 names ("Province du
// Yatenga", "Caza de Zgharta"), longest first.
var admin2Prefixes = []adminWord{
	{"Royal Borough of", "royal borough of", nil},
	{"Province de la", "province de la", []string{"Province"}},
	{"Département de la", "departement de la", []string{"Department"}},
	{"Province du", "province du", []string{"Province"}},
	{"Province de", "province de", []string{"Province"}},
	{"Province of", "province of", []string{"Province"}},
	{"Département du", "departement du", []string{"Department"}},
	{"Département de", "departement de", []string{"Department"}},
	{"Circunscrição de", "circunscricao de", []string{"District"}},
	{"Circunscrição da", "circunscricao da", []string{"District"}},
	{"Distrito de", "distrito de", []string{"District"}},
	{"Concelho de", "concelho de", []string{"Municipality"}},
	{"Municipio de", "municipio de", []string{"Municipality"}},
	{"Caza de", "caza de", []string{"District"}},
	{"Caza du", "caza du", []string{"District"}},
	{"Borough of", "borough of", nil},
	{"City of", "city of", nil},
	{"Ville de", "ville de", nil},
	{"County", "county", nil}, // "County Durham"
	{"Qaḑā’", "qada", []string{"District"}},
	{"Mudīrīyat", "mudiriyat", []string{"Province"}},
	{"Degmada", "degmada", []string{"District"}},
}

// admin2Class is how English news names the admin-2 units of a country
// whose GeoNames names carry no generic word ("Ikorodu" → "Ikorodu LGA").
var admin2Class = map[string][]string{
	"NG": {"LGA", "Local Government Area"},
	"CD": {"Territory"},
	"MX": {"Municipality"}, "CO": {"Municipality"}, "BR": {"Municipality"},
	"AF": {"District"}, "YE": {"District"}, "SO": {"District"}, "IQ": {"District"}, "SY": {"District"},
	"PK": {"District"}, "IN": {"District"}, "MM": {"District"}, "KE": {"District"}, "LB": {"District"},
	"BD": {"District"}, "SS": {"County"}, "UG": {"District"}, "MZ": {"District"}, "ET": {"Zone"},
	"PS": {"Governorate"},
	"ML": {"Cercle"},
	"CF": {"Sub-Prefecture"},
	"TD": {"Department"}, "NE": {"Department"}, "CM": {"Department", "Division"}, "SN": {"Department"},
	"BF": {"Province"},
	"UA": {"Raion", "District"}, "RU": {"Rayon", "District"}, "BY": {"Raion", "District"},
}

// admin2Forms are the names an admin-2 unit is indexed under.
type admin2Forms struct {
	// Generic says the given name carries a generic word of its own.
	Generic bool
	// Bare is the given name without its generic word ("Laurel" for
	// "Laurel County"), or the given name itself when it has none.
	Bare string
	// Class are the English class words of the unit ("District").
	Class []string
	// Forms are further names, each the bare name with a class word
	// ("Volnovakha District", "Ikorodu LGA"); none is a single word.
	Forms []string
}

// admin2NameForms derives the names of the admin-2 unit called name in the
// country cc. Only forms that keep a generic word are returned as Forms:
// the bare name alone would create single-word keys ("Pike", "Henry",
// "Laurel") that collide with towns, people and common words.
func admin2NameForms(name, cc string) admin2Forms {
	name = strings.Join(strings.Fields(name), " ")
	out := admin2Forms{Bare: name, Class: admin2Class[cc]}
	if bare, w, ok := cutAdminWord(name); ok {
		out.Generic, out.Bare, out.Class = true, bare, w.english
	}
	if !hasLetter(out.Bare) {
		return out
	}
	seen := map[string]bool{Normalize(name): true}
	bare := Normalize(out.Bare) + " "
	for _, c := range out.Class {
		f := out.Bare + " " + c
		// the key must extend the bare name's: Normalize drops a leading
		// "al", which would leave "Al LGA" the bare class word
		if k := Normalize(f); !seen[k] && strings.HasPrefix(k, bare) {
			seen[k] = true
			out.Forms = append(out.Forms, f)
		}
	}
	return out
}

// maxAdminWords is the most words a generic word spans.
const maxAdminWords = 3

// cutAdminWord removes a generic word from either end of name. It refuses
// to leave a bare name with no letter in it ("District 9" stays whole).
func cutAdminWord(name string) (string, adminWord, bool) {
	words := strings.Fields(name)
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = Normalize(w)
	}
	for _, w := range admin2Suffixes {
		for n := 1; n <= maxAdminWords && n < len(words); n++ {
			if strings.Join(keys[len(keys)-n:], " ") != w.key {
				continue
			}
			if bare := strings.Join(words[:len(words)-n], " "); hasLetter(bare) {
				return bare, w, true
			}
		}
	}
	for _, w := range admin2Prefixes {
		for n := 1; n <= maxAdminWords && n < len(words); n++ {
			if strings.Join(keys[:n], " ") != w.key {
				continue
			}
			if bare := strings.Join(words[n:], " "); hasLetter(bare) {
				return bare, w, true
			}
		}
	}
	return name, adminWord{}, false
}

func hasLetter(s string) bool {
	for _, c := range Normalize(s) {
		if c >= 'a' && c <= 'z' || c > 127 {
			return true
		}
	}
	return false
}
