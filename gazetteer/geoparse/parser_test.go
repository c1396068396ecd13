package geoparse_test

import (
	"math"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

func newParser(t testing.TB) *geoparse.Parser {
	t.Helper()
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// found maps each mention's text to "Name/CC".
func found(res geoparse.Result) map[string]string {
	out := map[string]string{}
	for _, m := range res.Mentions {
		out[m.Text] = m.Place.Name + "/" + m.Place.Country
	}
	return out
}

func TestParseFindsPlaces(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name string
		text string
		want map[string]string // mention text -> Name/CC
	}{
		{"multi-word name", "Fighters entered Bani Walid overnight.", map[string]string{"Bani Walid": "Bani Walid/LY"}},
		{"multi-word country", "Envoys from the United Arab Emirates arrived.", map[string]string{"United Arab Emirates": "United Arab Emirates/AE"}},
		{"abbreviations", "The UAE, the UK and the US issued a statement.", map[string]string{"UAE": "United Arab Emirates/AE", "UK": "United Kingdom/GB", "US": "United States/US"}},
		{"dotted abbreviation", "The U.S. embassy in Libya closed.", map[string]string{"U.S.": "United States/US", "Libya": "Libya/LY"}},
		{"spelling variants", "Militias from Misurata and from Misrata joined.", map[string]string{"Misurata": "Mişrātah/LY", "Misrata": "Mişrātah/LY"}},
		{"dateline", "TRIPOLI, April 5 (Wire) - Shelling hit the south of the city.", map[string]string{"TRIPOLI": "Tripoli/LY"}},
		{"possessive", "Libya’s capital Tripoli was shelled.", map[string]string{"Libya": "Libya/LY", "Tripoli": "Tripoli/LY"}},
		{"hyphenated adjective", "The Tripoli-based government said so.", map[string]string{"Tripoli": "Tripoli/LY"}},
		{"sentence-initial strong place", "Benghazi was quiet. Tobruk too.", map[string]string{"Benghazi": "Benghazi/LY", "Tobruk": "Tobruk/LY"}},
		{"demonym is associated", "A Libyan official spoke in Tripoli.", map[string]string{"Libyan": "Libya/LY", "Tripoli": "Tripoli/LY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(p.Parse(tt.text))
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("mention %q = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
			for k := range got {
				if _, ok := tt.want[k]; !ok {
					t.Errorf("unexpected mention %q -> %s", k, got[k])
				}
			}
		})
	}
}

func TestParseRejectsNonPlaces(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name    string
		text    string
		notText string // must not be a mention
	}{
		{"newspaper named after a city", "Staff of The Washington Post contributed.", "Washington"},
		{"organisation with a country", "A general of US Africa Command spoke.", "US"},
		{"organisation with a continent", "A general of US Africa Command spoke.", "Africa"},
		{"acronym that is a village elsewhere", "The UN called for a truce.", "UN"},
		{"person's name", "Marine Corps General Thomas Waldhauser said so.", "Thomas"},
		{"sentence-initial common word", "Reading the statement, he paused.", "Reading"},
		{"weekday", "On Thursday, though, fighting resumed.", "Thursday"},
		{"compass word", "Western and Arab nations called for calm in Libya.", "Western"},
		{"pronoun", "I leave Libya with a heavy heart.", "I"},
		{"minor namesake far away", "Libya was hit by Nato airstrikes in Tripoli.", "Nato"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			for _, m := range res.Mentions {
				if m.Text == tt.notText {
					t.Errorf("%q taken for a place: %v", tt.notText, m.Place)
				}
			}
		})
	}
}

func TestParseRejectionReasons(t *testing.T) {
	p := newParser(t)
	res := p.Parse("Staff of The Washington Post contributed.")
	if len(res.Rejected) == 0 || res.Rejected[0].Text != "Washington" {
		t.Fatalf("want Washington rejected with a reason, got %+v", res.Rejected)
	}
	if !strings.Contains(res.Rejected[0].Reason, "organisation") {
		t.Errorf("reason = %q", res.Rejected[0].Reason)
	}
}

func TestParseResolvesByContext(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name, text, mention, wantCC string
	}{
		{"Tripoli in Libya", "Fighting in Libya reached Tripoli and Misrata.", "Tripoli", "LY"},
		{"Tripoli in Lebanon", "In Lebanon, protesters filled Beirut and Tripoli.", "Tripoli", "LB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			for _, m := range res.Mentions {
				if m.Text == tt.mention {
					if m.Place.Country != tt.wantCC {
						t.Errorf("%s resolved to %v, want country %s", tt.mention, m.Place, tt.wantCC)
					}
					if m.Confidence <= 0 || m.Confidence > 1 {
						t.Errorf("confidence %v out of (0,1]", m.Confidence)
					}
					return
				}
			}
			t.Errorf("no mention %q in %v", tt.mention, found(res))
		})
	}
}

func TestParseOffsetsAreExact(t *testing.T) {
	p := newParser(t)
	text := "date 2019-04-05\n“We are coming,” said a commander near Gharyan, Libya’s mountain town."
	res := p.Parse(text)
	if len(res.Mentions) == 0 {
		t.Fatal("no mentions")
	}
	for _, m := range res.Mentions {
		if text[m.Start:m.End] != m.Text {
			t.Errorf("text[%d:%d] = %q, mention says %q", m.Start, m.End, text[m.Start:m.End], m.Text)
		}
	}
}

func TestCapitalReference(t *testing.T) {
	p := newParser(t)
	res := p.Parse("Libya's rival forces fought near the capital.")
	if len(res.References) != 1 || res.References[0].Place.Name != "Tripoli" {
		t.Fatalf("references = %+v, want the capital -> Tripoli", res.References)
	}
	for _, m := range res.Mentions {
		if strings.Contains(m.Text, "capital") {
			t.Errorf("'the capital' became a name mention: %+v", m)
		}
	}
}

func TestRelativeEstimates(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name         string
		text         string
		wantText     string
		wantKm       float64
		wantBearing  string
		wantQual     string
		wantResolved string
		wantLat      float64
		wantLon      float64
	}{
		{"km south of the capital", "In Libya, forces took over a town 95km south of the capital.",
			"a town 95km south of the capital", 95, "S", "", "Gharyan", 32.0306, 13.1873},
		{"miles with a named place", "They captured Gharyan, about 60 miles south of Tripoli, on Thursday.",
			"Gharyan, about 60 miles south of Tripoli", 96.56064, "S", "about", "Gharyan", 32.0166, 13.1873},
		{"less than", "Fighting struck regions less than 50km south of the capital of Libya.",
			"less than 50km south of the capital", 50, "S", "less than", "", 32.4366, 13.1873},
		{"some kilometres east", "Shelling hit a point some 20 kilometres east of Misrata.",
			"some 20 kilometres east of Misrata", 20, "E", "some", "", 32.3753, 15.3055},
		{"two-word bearing", "A drone fell 30 km north-west of Sirte, in Libya.",
			"30 km north-west of Sirte", 30, "NW", "", "", 31.4, 16.35},
		{"direction only", "Clashes were reported north-west of Sirte in Libya.",
			"north-west of Sirte", 25, "NW", "", "", 31.37, 16.39},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.Parse(tt.text)
			if len(res.Estimates) == 0 {
				t.Fatalf("no estimate in %q", tt.text)
			}
			e := res.Estimates[0]
			if e.Text != tt.wantText {
				t.Errorf("text = %q, want %q", e.Text, tt.wantText)
			}
			if math.Abs(e.DistanceKm-tt.wantKm) > 0.01 || e.Bearing != tt.wantBearing || e.Qualifier != tt.wantQual {
				t.Errorf("got %.3f km %s %q, want %.3f km %s %q", e.DistanceKm, e.Bearing, e.Qualifier, tt.wantKm, tt.wantBearing, tt.wantQual)
			}
			if d := haversine(e.Lat, e.Lon, tt.wantLat, tt.wantLon); d > 3 {
				t.Errorf("point (%.4f, %.4f) is %.1f km from expected (%.4f, %.4f)", e.Lat, e.Lon, d, tt.wantLat, tt.wantLon)
			}
			if e.UncertaintyKm <= 0 {
				t.Errorf("uncertainty %v, want > 0", e.UncertaintyKm)
			}
			resolved := ""
			if e.ResolvedPlace != nil {
				resolved = e.ResolvedPlace.Name
				if e.MeasuredKm <= 0 {
					t.Errorf("resolved place without measured distance")
				}
			}
			if resolved != tt.wantResolved {
				t.Errorf("resolved = %q, want %q", resolved, tt.wantResolved)
			}
		})
	}
}

func TestQualifierWidensUncertainty(t *testing.T) {
	p := newParser(t)
	exact := p.Parse("A blast 40km south-south-west of Tripoli, Libya.").Estimates
	vague := p.Parse("A blast less than 40km south-south-west of Tripoli, Libya.").Estimates
	if len(exact) != 1 || len(vague) != 1 {
		t.Fatalf("estimates: %d and %d, want 1 each", len(exact), len(vague))
	}
	if exact[0].Bearing != "SSW" || exact[0].BearingDeg != 202.5 {
		t.Errorf("bearing %s %.2f, want SSW 202.5", exact[0].Bearing, exact[0].BearingDeg)
	}
	if !(vague[0].UncertaintyKm > exact[0].UncertaintyKm) {
		t.Errorf("'less than' uncertainty %.1f not above plain %.1f", vague[0].UncertaintyKm, exact[0].UncertaintyKm)
	}
}

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"TRIPOLI, April 5 - a town 95km south of the capital",
		"Libya’s capital Tripoli", "U.S.-backed", "’s", "al-", "Gharyan, about 60 miles south of Tripoli",
		"\u0301\u0301", "A 1e309 km north of Sirte", "north-north-north-west of Tripoli",
	} {
		f.Add(s)
	}
	p := newParser(f)
	f.Fuzz(func(t *testing.T, text string) {
		res := p.Parse(text)
		for _, m := range res.Mentions {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text {
				t.Fatalf("bad mention span %+v", m)
			}
			if m.Place == nil {
				t.Fatalf("unresolved mention %+v", m)
			}
		}
		for _, e := range res.Estimates {
			if math.IsNaN(e.Lat) || math.IsNaN(e.Lon) || e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180 {
				t.Fatalf("bad estimate point %+v", e)
			}
			if text[e.Start:e.End] != e.Text {
				t.Fatalf("bad estimate span %+v", e)
			}
		}
	})
}
