package gazetteer

import (
	"errors"
	"strings"
	"testing"
)

const tripoliLine = "2210247\tTripoli\tTripoli\tTarabulus,Tripolis,TIP\t32.88743\t13.18733\tP\tPPLC\tLY\t\t77\t\t\t\t1150989\t\t81\tAfrica/Tripoli\t2019-09-05"

// londonKYLine is a county seat: its admin-2 code (column 12) names Laurel
// County, Kentucky.
const londonKYLine = "4298960\tLondon\tLondon\t\t37.12898\t-84.08326\tP\tPPLA2\tUS\t\tKY\t125\t\t\t8126\t\t377\tAmerica/New_York\t2017-03-09"

func TestParseGeoNamesLine(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		wantErr bool
	}{
		{"cities500 row", tripoliLine, false},
		{"windows line end", tripoliLine + "\r\n", false},
		{"too few columns", "1\tx\tx", true},
		{"bad id", strings.Replace(tripoliLine, "2210247", "x", 1), true},
		{"latitude out of range", strings.Replace(tripoliLine, "32.88743", "132.8", 1), true},
		{"latitude not a number", strings.Replace(tripoliLine, "32.88743", "NaN", 1), true},
		{"bad population", strings.Replace(tripoliLine, "1150989", "-5", 1), true},
		{"empty name", strings.Replace(tripoliLine, "\tTripoli\tTripoli\t", "\t\tTripoli\t", 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseGeoNamesLine(tt.line)
			if tt.wantErr {
				if !errors.Is(err, ErrBadDump) {
					t.Errorf("err = %v, want ErrBadDump", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != 2210247 || r.Name != "Tripoli" || r.Country != "LY" || r.FeatureCode != "PPLC" || r.Population != 1150989 || len(r.AlternateNames) != 3 || r.Admin2 != "" {
				t.Errorf("parsed %+v", r)
			}
		})
	}
}

func TestParseGeoNamesLineAdmin2(t *testing.T) {
	r, err := ParseGeoNamesLine(londonKYLine)
	if err != nil {
		t.Fatal(err)
	}
	if r.Country != "US" || r.Admin1 != "KY" || r.Admin2 != "125" || r.FeatureCode != "PPLA2" {
		t.Errorf("parsed %+v, want US KY 125 PPLA2", r)
	}
}

func TestNameFlags(t *testing.T) {
	tests := []struct {
		alt  string
		want int
	}{
		{"Tarabulus", 0}, {"TIP", FlagCode}, {"HLLT", FlagCode}, {"E40", FlagCode},
		{"https://en.wikipedia.org/wiki/Tripoli", -1}, {"UK", FlagCode},
	}
	for _, tt := range tests {
		if got := nameFlags(tt.alt, "Tripoli"); got != tt.want {
			t.Errorf("nameFlags(%q) = %d, want %d", tt.alt, got, tt.want)
		}
	}
}

func FuzzParseGeoNamesLine(f *testing.F) {
	f.Add(tripoliLine)
	f.Add(londonKYLine)
	f.Add("1\t\t\t\t0\t0\t\t\t\t\t\t\t\t\t")
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseGeoNamesLine(line)
		if err != nil {
			return
		}
		if r.ID <= 0 || r.Name == "" || !(r.Lat >= -90 && r.Lat <= 90) || !(r.Lon >= -180 && r.Lon <= 180) || r.Population < 0 {
			t.Fatalf("accepted an invalid record %+v", r)
		}
	})
}
