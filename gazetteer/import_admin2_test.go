package gazetteer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestAdmin2NameForms(t *testing.T) {
	tests := []struct {
		name, cc string
		want     admin2Forms
	}{
		{"Laurel County", "US", admin2Forms{Generic: true, Bare: "Laurel", Class: []string{"County"}}},
		{"Rapides Parish", "US", admin2Forms{Generic: true, Bare: "Rapides", Class: []string{"Parish"}}},
		{"Charles City County", "US", admin2Forms{Generic: true, Bare: "Charles City", Class: []string{"County"}}},
		{"Jisr al-Shughur District", "SY", admin2Forms{Generic: true, Bare: "Jisr al-Shughur", Class: []string{"District"}}},
		{"Gwoza", "NG", admin2Forms{Bare: "Gwoza", Class: []string{"LGA", "Local Government Area"},
			Forms: []string{"Gwoza LGA", "Gwoza Local Government Area"}}},
		{"Lubero", "CD", admin2Forms{Bare: "Lubero", Class: []string{"Territory"}, Forms: []string{"Lubero Territory"}}},
		{"Volnovakha Raion", "UA", admin2Forms{Generic: true, Bare: "Volnovakha", Class: []string{"Raion", "Rayon", "District"},
			Forms: []string{"Volnovakha Rayon", "Volnovakha District"}}},
		{"Province du Yatenga", "BF", admin2Forms{Generic: true, Bare: "Yatenga", Class: []string{"Province"},
			Forms: []string{"Yatenga Province"}}},
		{"Caza de Zgharta", "LB", admin2Forms{Generic: true, Bare: "Zgharta", Class: []string{"District"},
			Forms: []string{"Zgharta District"}}},
		{"Baboua Sub-Prefecture", "CF", admin2Forms{Generic: true, Bare: "Baboua", Class: []string{"Sub-Prefecture"}}},
		{"Kadıköy İlçesi", "TR", admin2Forms{Generic: true, Bare: "Kadıköy", Class: []string{"District"},
			Forms: []string{"Kadıköy District"}}},
		{"Boma (city)", "CD", admin2Forms{Generic: true, Bare: "Boma"}},
		{"City of Baltimore", "US", admin2Forms{Generic: true, Bare: "Baltimore"}},
		{"Lancashire", "GB", admin2Forms{Bare: "Lancashire"}},
		{"spaces collapse", "CO", admin2Forms{Bare: "spaces collapse", Class: []string{"Municipality"},
			Forms: []string{"spaces collapse Municipality"}}},
		{"a generic word alone stays whole", "US", admin2Forms{Bare: "a generic word alone stays whole"}},
		{"County", "US", admin2Forms{Bare: "County"}},
		{"District 9", "ZA", admin2Forms{Bare: "District 9"}},
		{"Al", "NG", admin2Forms{Bare: "Al", Class: []string{"LGA", "Local Government Area"}}},
		{"Al-Qusayr District", "SY", admin2Forms{Generic: true, Bare: "Al-Qusayr", Class: []string{"District"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := admin2NameForms(tt.name, tt.cc)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("admin2NameForms(%q, %s) =\n%+v, want\n%+v", tt.name, tt.cc, got, tt.want)
			}
		})
	}
	if got := admin2NameForms("Bogotá  D.C.", "CO").Bare; got != "Bogotá D.C." {
		t.Errorf("double space: bare %q", got)
	}
}

// TestAdminWordKeys: the tables carry each word's key so that the import
// does not normalise them 47,643 times over.
func TestAdminWordKeys(t *testing.T) {
	for _, list := range [][]adminWord{admin2Suffixes, admin2Prefixes} {
		for _, w := range list {
			if w.key != Normalize(w.word) {
				t.Errorf("%q: key %q, want %q", w.word, w.key, Normalize(w.word))
			}
			if n := len(strings.Fields(w.key)); n > maxAdminWords {
				t.Errorf("%q has %d words, more than maxAdminWords", w.word, n)
			}
		}
	}
}

func FuzzAdmin2NameForms(f *testing.F) {
	for _, s := range []string{"Laurel County", "Gwoza", "Province du Yatenga", "Al", "County", "Kadıköy İlçesi", "- LGA", "Boma (city)"} {
		f.Add(s, "NG")
	}
	f.Fuzz(func(t *testing.T, name, cc string) {
		got := admin2NameForms(name, cc)
		if got.Generic && (!hasLetter(got.Bare) || Normalize(got.Bare) == Normalize(name)) {
			t.Fatalf("%q: generic word cut to bare %q", name, got.Bare)
		}
		for _, form := range got.Forms {
			// the forms must never add a single-word key
			if k := Normalize(form); !strings.Contains(k, " ") || k == Normalize(name) {
				t.Fatalf("%q: form %q has key %q", name, form, k)
			}
		}
		if !reflect.DeepEqual(got, admin2NameForms(name, cc)) {
			t.Fatalf("%q: not deterministic", name)
		}
	})
}

func TestParseAdmin2Code(t *testing.T) {
	tests := []struct {
		code       string
		cc, a1, a2 string
		wantErr    bool
	}{
		{"US.KY.125", "US", "KY", "125", false},
		{"SY.12.169022", "SY", "12", "169022", false},
		{"NG.27.111", "NG", "27", "111", false},
		{"US.KY", "", "", "", true},
		{"US.KY.125.1", "", "", "", true},
		{"us.KY.125", "", "", "", true},
		{"USA.KY.125", "", "", "", true},
		{"US..125", "", "", "", true},
		{"US.KY.", "", "", "", true},
		{"US.K Y.125", "", "", "", true},
		{"", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			cc, a1, a2, err := ParseAdmin2Code(tt.code)
			if tt.wantErr {
				if !errors.Is(err, ErrBadAdmin2Code) {
					t.Errorf("err = %v, want ErrBadAdmin2Code", err)
				}
				return
			}
			if err != nil || cc != tt.cc || a1 != tt.a1 || a2 != tt.a2 {
				t.Errorf("= %q %q %q %v, want %q %q %q", cc, a1, a2, err, tt.cc, tt.a1, tt.a2)
			}
		})
	}
}

func FuzzParseAdmin2Code(f *testing.F) {
	f.Add("US.KY.125")
	f.Add("SY.12.169022")
	f.Add("..")
	f.Fuzz(func(t *testing.T, code string) {
		cc, a1, a2, err := ParseAdmin2Code(code)
		if err != nil {
			return
		}
		if cc+"."+a1+"."+a2 != code || len(cc) != 2 || strings.ToUpper(cc) != cc || !alnum(a1) || !alnum(a2) {
			t.Fatalf("accepted %q as %q %q %q", code, cc, a1, a2)
		}
	})
}

func TestAdmin2ID(t *testing.T) {
	lo, hi := admin2IDRange()
	seen := map[ID]string{}
	// the first two pairs collide under syntheticID's 32-bit hash
	for _, code := range []string{"BR.05.2923605", "CO.28.73055", "BR.15.3154408", "MA.07.161", "US.KY.125", "US.KY.195"} {
		id := Admin2ID(code)
		if id < lo || id > hi {
			t.Errorf("Admin2ID(%s) = %d, outside [%d, %d]", code, id, lo, hi)
		}
		if other, ok := seen[id]; ok {
			t.Errorf("Admin2ID(%s) = Admin2ID(%s)", code, other)
		}
		seen[id] = code
		if id != Admin2ID(code) {
			t.Errorf("Admin2ID(%s) is not stable", code)
		}
	}
	if regionID("BR.05.2923605") != regionID("CO.28.73055") {
		t.Errorf("the 32-bit hash no longer collides on these codes; the comment on admin2IDBits is stale")
	}
	// the other synthetic ranges stay clear of it
	for _, id := range []ID{regionID("US.KY"), syntheticID(namedIDBase, "x"), syntheticID(facilityIDBase, "x"), CountryID("US")} {
		if id >= lo && id <= hi {
			t.Errorf("id %d of another range falls in the admin-2 range", id)
		}
	}
}

func TestReadSpokenWords(t *testing.T) {
	list := `[{"word":"you","count":9},{"word":"Isaac","count":5},{"word":"Zürich","count":4},{"word":"Moray","count":1}]`
	got, err := readSpokenWords(strings.NewReader(list), 3)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"you": true, "isaac": true, "zurich": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("readSpokenWords = %v, want %v", got, want)
	}
	if _, err := readSpokenWords(strings.NewReader(`{`), 3); err == nil {
		t.Error("no error for a malformed list")
	}
}
