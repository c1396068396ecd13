package loadtest

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
)

func TestParseArea(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name      string
		body      string
		bound     orb.Bound
		from, to  time.Time
		events    int
		wantWorld bool
	}{
		{
			name: "two events padded by a degree",
			body: `{"type":"FeatureCollection","features":[
				{"geometry":{"type":"Point","coordinates":[13.1,32.9]},"properties":{"date":"2019-04-07"}},
				{"geometry":{"type":"Point","coordinates":[36.6,35.9]},"properties":{"date":"2020-02-28"}}]}`,
			bound:  orb.Bound{Min: orb.Point{12.1, 31.9}, Max: orb.Point{37.6, 36.9}},
			from:   day("2019-04-07"),
			to:     day("2020-02-28"),
			events: 2,
		},
		{
			name:  "padding stops at the poles of web mercator and the antimeridian",
			body:  `{"features":[{"geometry":{"type":"Point","coordinates":[179.5,84.8]},"properties":{"date":"2021-01-01"}}]}`,
			bound: orb.Bound{Min: orb.Point{178.5, 83.8}, Max: orb.Point{180, 85}},
			from:  day("2021-01-01"), to: day("2021-01-01"), events: 1,
		},
		{
			name:      "no events is the world",
			body:      `{"type":"FeatureCollection","features":[]}`,
			wantWorld: true,
		},
		{
			name:      "non-point geometries are skipped",
			body:      `{"features":[{"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}]}`,
			wantWorld: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseArea([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantWorld {
				if a.Bound != World.Bound || a.From.IsZero() {
					t.Fatalf("area = %+v, want the world with today's date", a)
				}
				return
			}
			if !near(a.Bound, tc.bound) || !a.From.Equal(tc.from) || !a.To.Equal(tc.to) || len(a.Events) != tc.events {
				t.Fatalf("area = %v %v..%v (%d events), want %v %v..%v (%d)", a.Bound, a.From, a.To, len(a.Events), tc.bound, tc.from, tc.to, tc.events)
			}
		})
	}
	t.Run("bad json is an error", func(t *testing.T) {
		if _, err := ParseArea([]byte(`{"features":`)); err == nil {
			t.Fatal("no error")
		}
	})
}

func near(a, b orb.Bound) bool {
	for _, d := range []float64{a.Min[0] - b.Min[0], a.Min[1] - b.Min[1], a.Max[0] - b.Max[0], a.Max[1] - b.Max[1]} {
		if d > 1e-9 || d < -1e-9 {
			return false
		}
	}
	return true
}
