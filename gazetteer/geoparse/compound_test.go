package geoparse_test

import (
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

// TestRegionsDistrictsFacilitiesWater covers the places that are not
// towns: admin-1 regions in the forms news uses, parts of regions, named
// regions and seas from the named-places file, city districts, airports
// and other sites.
func TestRegionsDistrictsFacilitiesWater(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name      string
		text      string
		mention   string // the mention's text
		wantName  string // resolved entry's name ("" to skip)
		wantKind  gazetteer.Kind
		wantCC    string
		facility  string // Mention.Facility
		precision int
	}{
		{"the X district", "Fighting spread across the Murzuq district of Libya.", "Murzuq", "Murzuq District", gazetteer.KindRegion, "LY", "", 3},
		{"X province named after its capital", "Shelling hit villages in Aleppo province, Syria.", "Aleppo", "Aleppo", gazetteer.KindRegion, "SY", "", 3},
		{"X region", "Aid convoys entered the Tigray region of Ethiopia.", "Tigray", "Tigray", gazetteer.KindRegion, "ET", "", 3},
		{"capitalised designator is part of the name", "Shelling hit villages in Aleppo Province, Syria.", "Aleppo Province", "Aleppo", gazetteer.KindRegion, "SY", "", 3},
		{"northern part of a region", "He lived for years in northern Virginia.", "Virginia", "Northern Virginia", gazetteer.KindRegion, "US", "", 3},
		{"sea with the article", "Boats sank in the Mediterranean off Libya.", "Mediterranean", "Mediterranean Sea", gazetteer.KindWater, "", "", 3},
		{"gulf with of", "A tanker waited in the Gulf of Sirte near Libya.", "Gulf of Sirte", "Gulf of Sidra", gazetteer.KindWater, "LY", "", 3},
		{"mountains", "Forces held the Nafusa Mountains in Libya.", "Nafusa Mountains", "", gazetteer.KindRegion, "LY", "", 3},
		{"historic region", "Oil flows from Cyrenaica, in eastern Libya.", "Cyrenaica", "", gazetteer.KindRegion, "LY", "", 3},
		{"city district", "Shells fell on Abu Salim in Tripoli, Libya.", "Abu Salim", "Abu Salim", gazetteer.KindDistrict, "LY", "", 2},
		{"airport by name", "Flights left Mitiga International Airport in Tripoli.", "Mitiga International Airport", "Mitiga International Airport", gazetteer.KindFacility, "LY", "", 1},
		{"airport by stem", "Flights left Mitiga airport in Tripoli, Libya.", "Mitiga airport", "Mitiga International Airport", gazetteer.KindFacility, "LY", "", 1},
		{"possessive airport", "Forces neared Tripoli’s international airport in Libya.", "Tripoli", "Mitiga International Airport", gazetteer.KindFacility, "LY", "international airport", 1},
		{"the airport in X", "A drone hit the airport in Sabha, Libya.", "Sabha", "", gazetteer.KindFacility, "LY", "airport", 1},
		{"site with no dataset falls back to its city", "Ships were shelled in Misrata port, Libya.", "Misrata port", "Mişrātah", gazetteer.KindCity, "LY", "port", 2},
		{"continent", "The envoy toured Africa and Libya.", "Africa", "Africa", gazetteer.KindRegion, "", "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			var m *geoparse.Mention
			for i := range res.Mentions {
				if res.Mentions[i].Text == tt.mention {
					m = &res.Mentions[i]
				}
			}
			if m == nil {
				t.Fatalf("no mention %q; got %v; rejected %+v", tt.mention, found(res), res.Rejected)
			}
			if tt.wantName != "" && m.Place.Name != tt.wantName {
				t.Errorf("resolved to %q, want %q", m.Place.Name, tt.wantName)
			}
			if m.Place.Kind != tt.wantKind || m.Place.Country != tt.wantCC {
				t.Errorf("kind/country = %s/%s, want %s/%s (%v)", m.Place.Kind, m.Place.Country, tt.wantKind, tt.wantCC, m.Place)
			}
			if m.Facility != tt.facility {
				t.Errorf("facility = %q, want %q", m.Facility, tt.facility)
			}
			if m.GeoPrecision != tt.precision {
				t.Errorf("geo_precision = %d, want %d", m.GeoPrecision, tt.precision)
			}
			if m.Place.Extent.IsZero() && m.Place.Kind != gazetteer.KindCity {
				t.Errorf("%s has no extent", m.Place.Name)
			}
		})
	}
}

func TestPartOfRegionMovesTowardsItsSide(t *testing.T) {
	p := newParser(t)
	whole := p.Parse("Hifter lived in Virginia, in the US.")
	north := p.Parse("Hifter lived in northern Virginia, in the US.")
	var w, n *gazetteer.Place
	for _, m := range whole.Mentions {
		if m.Text == "Virginia" {
			w = m.Place
		}
	}
	for _, m := range north.Mentions {
		if m.Text == "Virginia" { // the lower-case direction stays out of the span
			n = m.Place
		}
	}
	if w == nil || n == nil {
		t.Fatalf("mentions missing: %v / %v", found(whole), found(north))
	}
	if !(n.Lat > w.Lat) {
		t.Errorf("northern Virginia at %.3f is not north of Virginia at %.3f", n.Lat, w.Lat)
	}
}

func TestCommonWordRegionsNeedTheirDesignator(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name, text, mention string
		want                bool
	}{
		{"bare common word", "He moved to the Centre last year, away from Yaounde.", "Centre", false},
		{"with designator", "Troops deployed in the Centre region of Cameroon.", "Centre", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for _, m := range p.Parse(tt.text).Mentions {
				if m.Text == tt.mention {
					got = true
				}
			}
			if got != tt.want {
				t.Errorf("mention %q found = %v, want %v", tt.mention, got, tt.want)
			}
		})
	}
}
