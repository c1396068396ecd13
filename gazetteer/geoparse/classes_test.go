package geoparse_test

import (
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

// Each table below is one class of error measured on public corpora
// (issue 13), with sentences written for these tests.

// placeOf returns the place of the mention whose text is text, or nil.
func placeOf(res geoparse.Result, text string) *geoparse.Mention {
	for i := range res.Mentions {
		if res.Mentions[i].Text == text {
			return &res.Mentions[i]
		}
	}
	return nil
}

type resolveCase struct {
	name, text, mention string
	country             string // ISO-2 of the place it must resolve to
	featureCode         string // "" for any
	admin1              string // "" for any
}

func checkResolves(t *testing.T, p *geoparse.Parser, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			m := placeOf(res, tt.mention)
			if m == nil {
				t.Fatalf("%q not found as a place in %q (mentions %v, rejected %v)", tt.mention, tt.text, found(res), res.Rejected)
			}
			pl := m.Place
			if pl.Country != tt.country || tt.featureCode != "" && pl.FeatureCode != tt.featureCode || tt.admin1 != "" && pl.Admin1 != tt.admin1 {
				t.Errorf("%q resolved to %v (admin1 %s), want %s %s %s", tt.mention, pl, pl.Admin1, tt.country, tt.featureCode, tt.admin1)
			}
		})
	}
}

func TestWholeEntities(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name, text, mention string
		kind                gazetteer.Kind
		country             string
	}{
		{"continent", "Ministers from Europe and Africa met on migration.", "Europe", gazetteer.KindRegion, ""},
		{"second continent", "Ministers from Europe and Africa met on migration.", "Africa", gazetteer.KindRegion, ""},
		{"macro-region", "Oil prices rose on tension in the Middle East.", "Middle East", gazetteer.KindRegion, ""},
		{"country", "The envoy flew on to Libya.", "Libya", gazetteer.KindCountry, "LY"},
		{"admin-1 region", "Flooding closed roads across Murzuq District.", "Murzuq District", gazetteer.KindRegion, "LY"},
		{"sea", "Rescuers searched the Mediterranean for survivors.", "Mediterranean", gazetteer.KindWater, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := placeOf(p.Parse(tt.text), tt.mention)
			if m == nil {
				t.Fatalf("%q not found", tt.mention)
			}
			if m.Place.Kind != tt.kind || m.Place.Country != tt.country {
				t.Errorf("%q = %v kind %s, want kind %s country %q", tt.mention, m.Place, m.Place.Kind, tt.kind, tt.country)
			}
			if e := m.Place.Extent; e.IsZero() || e[0] >= e[2] || e[1] >= e[3] {
				t.Errorf("%q has no extent: %v", tt.mention, e)
			}
			if m.GeoPrecision != 3 {
				t.Errorf("%q geo_precision = %d, want 3", tt.mention, m.GeoPrecision)
			}
		})
	}
}

func TestFamousPlacesBeatNamesakes(t *testing.T) {
	checkResolves(t, newParser(t), []resolveCase{
		{"capital in a US story", "Officials in Texas and Oklahoma said the delegation would fly to Paris next week.", "Paris", "FR", "PPLC", ""},
		{"country in a US story", "The Tennessee senator criticised the sale of jets to Lebanon.", "Lebanon", "LB", "", ""},
		{"country named like US towns", "Farmers in Iowa worry about tariffs imposed by China.", "China", "CN", "", ""},
		{"capital named like a US town", "Idaho lawmakers condemned the statement from Moscow.", "Moscow", "RU", "PPLC", ""},
		{"capital named like a Georgia town", "Georgia's governor met investors who had flown in from Cairo and Rome.", "Cairo", "EG", "PPLC", ""},
		{"a region's seat of the same name", "Shelling hit Raqqa on Monday.", "Raqqa", "SY", "PPLA", ""},
		{"comparable namesake: the focus decides", "In Lebanon, protesters filled Beirut and Tripoli.", "Tripoli", "LB", "", ""},
	})
}

func TestQualifiersPickTheNamesake(t *testing.T) {
	checkResolves(t, newParser(t), []resolveCase{
		{"city, state", "The festival moved to Paris, Texas, this year.", "Paris", "US", "", "TX"},
		{"AP abbreviation", "The mayor of Springfield, Ill., resigned.", "Springfield", "US", "", "IL"},
		{"AP abbreviation Georgia", "A storm hit Athens, Ga., overnight.", "Athens", "US", "", "GA"},
		{"country qualifier", "She grew up in London, Canada, before moving south.", "London", "CA", "", ""},
		{"region after a comma", "Troops left Novoselivka, Donetsk region, on Sunday.", "Novoselivka", "UA", "", "05"},
		{"parenthesised region", "Shells hit Novoselivka (Donetsk Oblast) again.", "Novoselivka", "UA", "", "05"},
		{"region after in", "Shelling hit Kafr Nabl in Idlib on Monday.", "Kafr Nabl", "SY", "", ""},
		{"county named in the text", "Laurel County officials said London residents would vote on Tuesday.", "London", "US", "", "KY"},
		{"postal code in a dateline", "GAINESVILLE, GA - Water rates will rise in July.", "GAINESVILLE", "US", "", "GA"},
	})
}

func TestNotPlaces(t *testing.T) {
	p := newParser(t)
	tests := []struct{ name, text, notText string }{
		{"surname after a full name", "Chief of staff John Kelly left early. Kelly declined to comment.", "Kelly"},
		{"surname speaking", "The plan will fail, Johnson said on Tuesday.", "Johnson"},
		{"given name and surname", "Coach Allen praised the defence.", "Allen"},
		{"common word as alternate name", "No one was hurt in the fire.", "No"},
		{"acronym that is a country code", "The US says IS fighters still hold two villages.", "IS"},
		{"organisation acronym", "AU troops guarded the convoy.", "AU"},
		{"contraction", "We're not leaving, she said.", "We're"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			if m := placeOf(res, tt.notText); m != nil {
				t.Errorf("%q taken for a place: %v", tt.notText, m.Place)
			}
		})
	}
}

func TestPersonNamesStillPlacesInContext(t *testing.T) {
	checkResolves(t, newParser(t), []resolveCase{
		{"preposition of place", "Residents of Kelly, Wyoming, lost power. Crews worked in Kelly all night.", "Kelly", "US", "", ""},
	})
}

func TestHeadlines(t *testing.T) {
	checkResolves(t, newParser(t), []resolveCase{
		{"title case", "Mogadishu Explosions Target Federal Govt Soldiers", "Mogadishu", "SO", "", ""},
		{"title case with region", "Massacre in Torreon Coahuila", "Torreon", "MX", "", ""},
		{"no final full stop, single place", "Gunmen kill five near Aleppo", "Aleppo", "SY", "", ""},
	})
}

func TestPlacesInsidePlaces(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name, text, site, city string
		kind                   gazetteer.Kind
	}{
		{"mosque in a city", "Gunmen attacked worshippers at the Grand Mosque in Kano on Friday.", "Grand Mosque", "Kano", gazetteer.KindFacility},
		{"church in a city", "Mortars fell near St Michael's Church in Aleppo.", "St Michael's Church", "Aleppo", gazetteer.KindFacility},
		{"district of a city", "Clashes broke out in the Mansoura district of Aden.", "Mansoura district", "Aden", gazetteer.KindDistrict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			site, city := placeOf(res, tt.site), placeOf(res, tt.city)
			if site == nil || city == nil {
				t.Fatalf("want mentions %q and %q, got %v", tt.site, tt.city, found(res))
			}
			if site.Place.ID != city.Place.ID || site.Place.Lat != city.Place.Lat {
				t.Errorf("site %v not at its city %v", site.Place, city.Place)
			}
			if site.GeoPrecision != 2 || site.Place.Kind != tt.kind || site.Facility == "" {
				t.Errorf("site precision %d kind %s facility %q, want 2 %s and a facility word", site.GeoPrecision, site.Place.Kind, site.Facility, tt.kind)
			}
		})
	}
}

func TestDemonymsAreNotLocations(t *testing.T) {
	p := newParser(t)
	res := p.Parse("Libyan officials inspected Russian-made rockets.")
	for _, m := range res.Mentions {
		if m.Role == geoparse.RoleLocation {
			t.Errorf("%q is a location, want only demonyms", m.Text)
		}
	}
	if res.Focus != "LY" {
		t.Errorf("focus = %q, want LY from the demonym", res.Focus)
	}
}
