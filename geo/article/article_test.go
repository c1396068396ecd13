package article

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantErr  error
		wantDate string
		wantBody string
	}{
		{"date header", "date 2019-04-05\nFighting near Tripoli.", nil, "2019-04-05", "Fighting near Tripoli."},
		{"indented header after blank lines", "\n\n   date 2019-04-07\r\nText.", nil, "2019-04-07", "Text."},
		{"no header", "Fighting near Tripoli.", nil, "", "Fighting near Tripoli."},
		{"header with text on its line", " date 2019-04-07 Forces were evacuated.\nMore.", nil, "2019-04-07", "Forces were evacuated.\nMore."},
		{"word date in prose", "date night in Tripoli was quiet.", nil, "", "date night in Tripoli was quiet."},
		{"date later is text", "Text first.\ndate 2019-04-05\n", nil, "", "Text first.\ndate 2019-04-05\n"},
		{"bad header date", "date 2019-13-45\nText", ErrDate, "", ""},
		{"header only", "date 2019-04-05\n  \n", ErrEmpty, "", ""},
		{"empty", "", ErrEmpty, "", ""},
		{"blank", " \n\t\n", ErrEmpty, "", ""},
		{"binary", "abc\x00def", ErrBinary, "", ""},
		{"invalid utf8", "caf\xe9", ErrEncoding, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse([]byte(tt.in), "x.txt")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := a.DateString(); got != tt.wantDate {
				t.Errorf("date = %q, want %q", got, tt.wantDate)
			}
			if got := a.Text[a.Body:]; got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	_, err := Read(strings.NewReader(strings.Repeat("a", MaxBytes+10)), "big.txt", time.Time{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"date 2019-04-05\nText", "", "\x00", "date x\n", "  date 2019-02-30\n\nx", "\xff\xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		if a.Body < 0 || a.Body > len(a.Text) {
			t.Fatalf("body offset %d outside text of %d bytes", a.Body, len(a.Text))
		}
	})
}

func TestParseAtOverridesHeader(t *testing.T) {
	want := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct{ name, in string }{
		{"good header", "date 2019-04-05\nText"},
		{"bad header", "date 2019-99-99\nText"},
		{"no header", "Text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAt([]byte(tt.in), "x", want)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Date.Equal(want) {
				t.Errorf("date = %v, want %v", a.Date, want)
			}
			if a.Text[a.Body:] != "Text" {
				t.Errorf("body = %q", a.Text[a.Body:])
			}
		})
	}
}
