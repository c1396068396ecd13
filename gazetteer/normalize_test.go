package gazetteer

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"diacritics", "Mişrātah", "misratah"},
		{"case", "TRIPOLI", "tripoli"},
		{"curly apostrophe", "Ma’rib", "marib"},
		{"straight apostrophe", "Ma'rib", "marib"},
		{"left quote", "‘Ayn Zārah", "ayn zarah"},
		{"ayn letter", "Saʿdah", "sadah"},
		{"hyphen", "Bani-Walid", "bani walid"},
		{"al article hyphen", "al-Khums", "khums"},
		{"Al article space", "Al Khums", "khums"},
		{"el article", "El-Obeid", "obeid"},
		{"article alone stays", "Al", "al"},
		{"not an article", "Alexandria", "alexandria"},
		{"spaces collapse", "  Bani   Walid ", "bani walid"},
		{"dots", "U.S.", "u s"},
		{"polish l", "Łódź", "lodz"},
		{"german sharp s", "Gießen", "giesen"},
		{"empty", "", ""},
		{"punctuation only", "--", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsLatinKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"tripoli", true},
		{"bani walid", true},
		{"طرابلس", false},
		{"триполи", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsLatinKey(tt.key); got != tt.want {
			t.Errorf("IsLatinKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Mişrātah", "al-Khums", "‘", "\xff", "Al ", "a\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Normalize(s)
		if Normalize(k) != k && stripArticle(k) == k {
			t.Errorf("Normalize not idempotent on %q: %q -> %q", s, k, Normalize(k))
		}
		if len(k) > 0 && (k[0] == ' ' || k[len(k)-1] == ' ') {
			t.Errorf("Normalize(%q) = %q has edge spaces", s, k)
		}
	})
}
