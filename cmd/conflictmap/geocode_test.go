package main

import (
	"strings"
	"testing"
)

// geocodeRow is one candidate line of `geocode`'s table.
type geocodeRow map[string]string

// parseGeocode reads the aligned table: columns start where the header's
// titles do, so names with spaces survive.
func parseGeocode(t *testing.T, out string) (rows []geocodeRow, more string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	header := lines[0]
	titles := strings.Fields(header)
	if len(titles) == 0 || titles[0] != "RANK" {
		t.Fatalf("no RANK header:\n%s", out)
	}
	starts := make([]int, len(titles))
	for i, title := range titles {
		starts[i] = strings.Index(header, title)
	}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "(") {
			more = l
			continue
		}
		r := geocodeRow{}
		for i, title := range titles {
			end := len(l)
			if i+1 < len(starts) {
				end = min(starts[i+1], len(l))
			}
			if starts[i] <= end {
				r[title] = strings.TrimSpace(l[starts[i]:end])
			}
		}
		rows = append(rows, r)
	}
	return rows, more
}

func TestGeocode(t *testing.T) {
	db := fixtureDB(t)
	tests := []struct {
		name string
		args []string
		// first is the expected top candidate as NAME/COUNTRY/GEONAMEID
		first    string
		wantRows int // 0: any number
		wantMore bool
		// also lists candidates that must be in the table too
		also []string
	}{
		{name: "Tripoli favours the Libyan capital", args: []string{"Tripoli"},
			first: "Tripoli/LY/2210247", also: []string{"Tripoli/LB/266826"}},
		{name: "--country LB favours the Lebanese city", args: []string{"--country", "LB", "Tripoli"},
			first: "Tripoli/LB/266826", also: []string{"Tripoli/LY/2210247"}},
		{name: "--country is case-insensitive", args: []string{"--country", "lb", "Tripoli"},
			first: "Tripoli/LB/266826"},
		{name: "--country LY", args: []string{"--country", "LY", "Tripoli"},
			first: "Tripoli/LY/2210247"},
		{name: "lower-case name", args: []string{"tripoli"},
			first: "Tripoli/LY/2210247"},
		{name: "multi-word name from two arguments", args: []string{"Bani", "Walid"},
			first: "Bani Walid/LY/"},
		{name: "--limit 1 says how many more", args: []string{"--limit", "1", "Tripoli"},
			first: "Tripoli/LY/2210247", wantRows: 1, wantMore: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, newVars(t, db), nil, append([]string{"geocode"}, tt.args...)...)
			if res.code != 0 || res.stderr != "" {
				t.Fatalf("want exit 0 and a quiet stderr, got\n%v", res)
			}
			rows, more := parseGeocode(t, res.stdout)
			if len(rows) == 0 {
				t.Fatalf("no candidates:\n%s", res.stdout)
			}
			key := func(r geocodeRow) string { return r["NAME"] + "/" + r["COUNTRY"] + "/" + r["GEONAMEID"] }
			if got := key(rows[0]); !strings.HasPrefix(got, tt.first) {
				t.Errorf("first candidate = %s, want %s\n%s", got, tt.first, res.stdout)
			}
			if rows[0]["RANK"] != "1" {
				t.Errorf("first rank = %q, want 1", rows[0]["RANK"])
			}
			if tt.wantRows > 0 && len(rows) != tt.wantRows {
				t.Errorf("%d rows, want %d", len(rows), tt.wantRows)
			}
			if (more != "") != tt.wantMore || (more != "" && !strings.HasSuffix(more, " more)")) {
				t.Errorf("more line = %q, want one: %v", more, tt.wantMore)
			}
			for _, a := range tt.also {
				found := false
				for _, r := range rows {
					found = found || key(r) == a
				}
				if !found {
					t.Errorf("candidate %s is missing:\n%s", a, res.stdout)
				}
			}
		})
	}
}

func TestGeocodeErrors(t *testing.T) {
	db := fixtureDB(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown name", []string{"Xyzzyqq"}, 1, `no gazetteer entry is named "Xyzzyqq"`},
		{"no name", nil, 2, "geocode needs a NAME"},
		{"blank name", []string{"  "}, 2, "geocode needs a NAME"},
		{"three-letter country", []string{"--country", "LBN", "Tripoli"}, 2, `--country wants a two-letter ISO code, got "LBN"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, newVars(t, db), nil, append([]string{"geocode"}, tt.args...)...)
			checkOneLineError(t, res, tt.wantCode, tt.wantErr)
		})
	}
}
