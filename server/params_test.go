package server_test

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/conflictmap/conflictmap/server"
)

func TestParseBBox(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    orb.Bound
		wrap    bool
		wantErr bool
	}{
		{"2D", "12.9,32.7,13.4,33.0", orb.Bound{Min: orb.Point{12.9, 32.7}, Max: orb.Point{13.4, 33}}, false, false},
		{"3D keeps the 2D part", "12.9,32.7,-5,13.4,33.0,5", orb.Bound{Min: orb.Point{12.9, 32.7}, Max: orb.Point{13.4, 33}}, false, false},
		{"spaces", " 1 , 2 , 3 , 4 ", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}, false, false},
		{"whole world", "-180,-90,180,90", orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, false, false},
		{"across the antimeridian", "170,-10,-170,10", orb.Bound{Min: orb.Point{170, -10}, Max: orb.Point{-170, 10}}, true, false},
		{"a point", "13,32,13,32", orb.Bound{Min: orb.Point{13, 32}, Max: orb.Point{13, 32}}, false, false},
		{"3 numbers", "1,2,3", orb.Bound{}, false, true},
		{"5 numbers", "1,2,3,4,5", orb.Bound{}, false, true},
		{"empty", "", orb.Bound{}, false, true},
		{"empty part", "1,,3,4", orb.Bound{}, false, true},
		{"letters", "a,b,c,d", orb.Bound{}, false, true},
		{"NaN", "NaN,0,1,1", orb.Bound{}, false, true},
		{"Inf", "0,0,+Inf,1", orb.Bound{}, false, true},
		{"south above north", "0,10,1,5", orb.Bound{}, false, true},
		{"latitude 91", "0,0,1,91", orb.Bound{}, false, true},
		{"west edge beyond 180", "200,0,10,10", orb.Bound{}, false, true},
		{"east edge beyond -180", "-10,0,-200,10", orb.Bound{}, false, true},
		{"3D latitude -95", "0,-95,0,1,1,1", orb.Bound{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, wrap, err := server.ParseBBox(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseBBox(%q) = %v, %v, %v; want error %v", tt.in, got, wrap, err, tt.wantErr)
			}
			if err != nil {
				if err.Error() == "" {
					t.Error("empty error")
				}
				return
			}
			if got != tt.want || wrap != tt.wrap {
				t.Errorf("ParseBBox(%q) = %v, %v; want %v, %v", tt.in, got, wrap, tt.want, tt.wrap)
			}
		})
	}
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseDatetime(t *testing.T) {
	const open = ""
	tests := []struct {
		in         string
		start, end string // open: that end is open
		wantErr    bool
	}{
		{"2019-04-04", "2019-04-04", "2019-04-04", false},
		{"2019-04-04T23:30:00Z", "2019-04-04", "2019-04-04", false},
		{"2019-04-04T23:30:00-05:00", "2019-04-05", "2019-04-05", false},
		{"2019-04-06/..", "2019-04-06", open, false},
		{"2019-04-06/", "2019-04-06", open, false},
		{"../2019-04-04", open, "2019-04-04", false},
		{"/2019-04-04", open, "2019-04-04", false},
		{"2019-04-01/2019-04-05", "2019-04-01", "2019-04-05", false},
		// year 1 is a date like any other, not an open end
		{"0001-01-01", "0001-01-01", "0001-01-01", false},
		{"0001-01-01/2019-04-05", "0001-01-01", "2019-04-05", false},
		// GDAL's OAPIF driver cuts times short
		{"2019-01-01T", "2019-01-01", "2019-01-01", false},
		{"2019-01-01T10Z/2019-01-02T10:30Z", "2019-01-01", "2019-01-02", false},
		{"", open, open, true},
		{"../..", open, open, true},
		{"/", open, open, true},
		{"2019-13-01", open, open, true},
		{"2019-02-30", open, open, true},
		{"2019-04-05/2019-04-01", open, open, true},
		{"2019-04-01/2019-04-02/2019-04-03", open, open, true},
		{"yesterday", open, open, true},
		{"2019-04-05T25:00:00Z", open, open, true},
		{"2019-04-05TnoonZ", open, open, true},
		{"2019-04-05T10:61Z", open, open, true},
		{"2019-04-05T+1Z", open, open, true},
		{"2019-04-06/0001-01-01", open, open, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			iv, err := server.ParseDatetime(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDatetime(%q) = %+v, %v; want error %v", tt.in, iv, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if iv.HasStart != (tt.start != open) || iv.HasEnd != (tt.end != open) ||
				iv.HasStart && !iv.Start.Equal(day(tt.start)) || iv.HasEnd && !iv.End.Equal(day(tt.end)) {
				t.Errorf("ParseDatetime(%q) = %+v, want %q..%q", tt.in, iv, tt.start, tt.end)
			}
		})
	}
}

func TestIntervalOverlaps(t *testing.T) {
	iv := server.Interval{Start: day("2019-04-04"), End: day("2019-04-05"), HasStart: true, HasEnd: true}
	tests := []struct {
		from, to string
		want     bool
	}{
		{"2019-04-04", "2019-04-04", true},
		{"2019-04-05", "2019-04-07", true},
		{"2019-04-01", "2019-04-03", false},
		{"2019-04-06", "2019-04-06", false},
		{"2019-04-01", "2019-04-30", true},
	}
	for _, tt := range tests {
		if got := iv.Overlaps(day(tt.from), day(tt.to)); got != tt.want {
			t.Errorf("Overlaps(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	open := server.Interval{Start: day("2019-04-06"), HasStart: true}
	if open.Overlaps(day("2019-04-04"), day("2019-04-05")) || !open.Overlaps(day("2020-01-01"), day("2020-01-01")) {
		t.Error("an interval open at its end")
	}
}

func TestParsePostedArticle(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		query       map[string][]string
		wantStatus  int // 0: accepted
		wantDate    string
		wantSource  string
	}{
		{"text with query metadata", "text/plain", "Clashes in Misrata.", map[string][]string{"date": {"2019-04-05"}, "source": {"Wire"}}, 0, "2019-04-05", "Wire"},
		{"text with a header date", "text/plain; charset=utf-8", "date 2019-04-05\nClashes in Misrata.", nil, 0, "2019-04-05", "api"},
		{"query date wins over the header", "text/plain", "date 2019-04-05\nClashes.", map[string][]string{"date": {"2019-04-06"}}, 0, "2019-04-06", "api"},
		{"JSON", "application/json", `{"text":"Clashes in Misrata.","date":"2019-04-05","source":"Radio","url":"https://example.org"}`, nil, 0, "2019-04-05", "Radio"},
		{"JSON with a charset", "application/json; charset=utf-8", `{"text":"Clashes."}`, nil, 0, "", "api"},
		{"no content type", "", "Clashes.", nil, 415, "", ""},
		{"image", "image/png", "Clashes.", nil, 415, "", ""},
		{"broken media type", "text/", "Clashes.", nil, 415, "", ""},
		{"malformed JSON", "application/json", `{"text":`, nil, 400, "", ""},
		{"unknown field", "application/json", `{"text":"x","by":"y"}`, nil, 400, "", ""},
		{"JSON array", "application/json", `[]`, nil, 400, "", ""},
		{"trailing object", "application/json", `{"text":"x"}{"text":"y"}`, nil, 400, "", ""},
		{"trailing bracket", "application/json", `{"text":"Clashes."}]`, nil, 400, "", ""},
		{"trailing brace", "application/json", `{"text":"Clashes."}}`, nil, 400, "", ""},
		{"empty", "text/plain", "", nil, 400, "", ""},
		{"NUL", "text/plain", "a\x00b", nil, 400, "", ""},
		{"invalid UTF-8", "text/plain", "caf\xe9", nil, 400, "", ""},
		{"bad date", "application/json", `{"text":"x","date":"2019-04-31"}`, nil, 400, "", ""},
		{"long source", "text/plain", "x", map[string][]string{"source": {strings.Repeat("s", 201)}}, 400, "", ""},
		{"long url", "text/plain", "x", map[string][]string{"url": {strings.Repeat("u", 2001)}}, 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := server.ParsePostedArticle(tt.contentType, []byte(tt.body), tt.query)
			if tt.wantStatus != 0 {
				var p *server.Problem
				if !errors.As(err, &p) || p.Status != tt.wantStatus || p.Detail == "" {
					t.Fatalf("error %v, want a %d problem with a detail", err, tt.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if a.DateString() != tt.wantDate || a.Source != tt.wantSource {
				t.Errorf("date %q source %q, want %q %q", a.DateString(), a.Source, tt.wantDate, tt.wantSource)
			}
		})
	}
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"12.9,32.7,13.4,33.0", "170,-10,-170,10", "1,2,3", "1,2,3,4,5,6", "NaN,0,1,1",
		"0,0,Inf,1", "-180,-90,180,90", "0,91,1,1", "1e308,1,1,1", "0x1p-2,0,1,1", ",,,", "200,0,10,10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, wrap, err := server.ParseBBox(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseBBox(%q) = %v: not finite", s, b)
			}
		}
		if b.Min[0] < -180 || b.Min[0] > 180 || b.Max[0] < -180 || b.Max[0] > 180 {
			t.Fatalf("ParseBBox(%q) = %v: longitude outside -180..180", s, b)
		}
		if b.Min[1] < -90 || b.Max[1] > 90 || b.Min[1] > b.Max[1] {
			t.Fatalf("ParseBBox(%q) = %v: latitudes out of range or order", s, b)
		}
		if wrap != (b.Min[0] > b.Max[0]) {
			t.Fatalf("ParseBBox(%q) = %v: wrap %v", s, b, wrap)
		}
	})
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2019-04-04", "2019-04-06/..", "../2019-04-04", "2019-04-01/2019-04-05", "../..", "/",
		"2019-04-04T23:30:00-05:00", "2019-04-05/2019-04-01", "a/b/c", "0001-01-01", "2019-04-06/0001-01-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := server.ParseDatetime(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if !iv.HasStart && !iv.HasEnd {
			t.Fatalf("ParseDatetime(%q) is open at both ends", s)
		}
		if iv.HasStart && iv.HasEnd && iv.End.Before(iv.Start) {
			t.Fatalf("ParseDatetime(%q) = %v..%v ends before it starts", s, iv.Start, iv.End)
		}
		for _, d := range []time.Time{iv.Start, iv.End} {
			if d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour)) {
				t.Fatalf("ParseDatetime(%q): %v is not a UTC day", s, d)
			}
		}
		if !iv.HasStart && !iv.Start.IsZero() || !iv.HasEnd && !iv.End.IsZero() {
			t.Fatalf("ParseDatetime(%q) = %+v: an open end has a date", s, iv)
		}
		// an end the client wrote is never read as an open one
		a, b, interval := strings.Cut(s, "/")
		if !interval {
			b = a
		}
		if a != "" && a != ".." && !iv.HasStart || b != "" && b != ".." && !iv.HasEnd {
			t.Fatalf("ParseDatetime(%q) = %+v: a given end became open", s, iv)
		}
		// every given end is in one of the forms offered: a date, RFC 3339,
		// or GDAL's short ones; a time that is not one (hour 25) is refused
		for _, part := range []string{a, b} {
			if part != "" && part != ".." && !isDatetimeForm(part) {
				t.Fatalf("ParseDatetime(%q) accepted %q", s, part)
			}
		}
	})
}

// isDatetimeForm reports whether s is a date or date-time in a form the
// datetime parameter offers.
func isDatetimeForm(s string) bool {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T", "2006-01-02T15Z", "2006-01-02T15:04Z"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func FuzzParsePostedArticle(f *testing.F) {
	f.Add("text/plain", []byte("date 2019-04-05\nClashes in Misrata."), "", "Wire", "")
	f.Add("text/plain; charset=utf-8", []byte("Clashes."), "2019-04-05", "", "https://example.org")
	f.Add("application/json", []byte(`{"text":"Clashes.","date":"2019-04-05","source":"s","url":"u"}`), "", "", "")
	f.Add("application/json", []byte(`{"text":"Clashes."}]`), "", "", "")
	f.Add("application/json", []byte(`{"text":"x"} {"text":"y"}`), "", "", "")
	f.Add("application/json", []byte(`null`), "", "", "")
	f.Add("image/png", []byte("\x89PNG"), "", "", "")
	f.Add("", []byte("x"), "", "", "")
	f.Add("text/plain", []byte("a\x00b"), "2019-02-30", "", "")
	f.Add("text/plain", []byte("caf\xe9"), "", "", "")
	f.Fuzz(func(t *testing.T, contentType string, body []byte, date, source, url string) {
		query := map[string][]string{}
		for k, v := range map[string]string{"date": date, "source": source, "url": url} {
			if v != "" {
				query[k] = []string{v}
			}
		}
		a, err := server.ParsePostedArticle(contentType, body, query)
		if err != nil {
			var p *server.Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %v is not a Problem", err)
			}
			if p.Status != http.StatusBadRequest && p.Status != http.StatusUnsupportedMediaType || p.Detail == "" {
				t.Fatalf("problem %+v: want a 400 or 415 with a detail", p)
			}
			return
		}
		if strings.TrimSpace(a.Text[a.Body:]) == "" || !utf8.ValidString(a.Text) || strings.ContainsRune(a.Text, 0) {
			t.Fatalf("accepted text %q", a.Text)
		}
		if a.Source == "" || len(a.Source) > 200 || len(a.URL) > 2000 {
			t.Fatalf("accepted source %q, url of %d bytes", a.Source, len(a.URL))
		}
		if a.HasDate() && (a.Date.Year() < 1800 || a.Date.Year() > 2200) {
			t.Fatalf("accepted date %v", a.Date)
		}
		if strings.HasPrefix(strings.TrimSpace(strings.ToLower(contentType)), "application/json") && !json.Valid(body) {
			t.Fatalf("accepted a body that is not JSON: %q", body)
		}
	})
}
