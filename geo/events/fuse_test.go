package events

import (
	"testing"
)

func ev(id, article, sub string, date string, lat, lon float64, prec int, fat *int) Event {
	return Event{ID: id, Article: article, Source: article, EventType: Battles, SubEventType: sub, Date: day(date),
		TimePrecision: prec, Location: Location{Name: id, Lat: lat, Lon: lon, GeoPrecision: 1}, Fatalities: fat}
}

func intp(n int) *int { return &n }

func TestFuse(t *testing.T) {
	gharyanFri := ev("a/1", "a", SubOvertakes, "2019-04-05", 32.0308, 13.1873, 1, nil)
	gharyanFri.Location.UncertaintyKm = 37
	gharyanFri.Location.StatedKm = 95
	gharyanFri.Location.GeoPrecision = 2 // a relative estimate
	gharyanThu := ev("b/1", "b", SubOvertakes, "2019-04-04", 32.17222, 13.02028, 1, nil)
	gharyanThu.Location.StatedKm = 96.56
	tests := []struct {
		name      string
		in        []Event
		wantFused int
		check     func(t *testing.T, fs []Fused)
	}{
		{"same capture, two sources, date and distance disagree", []Event{gharyanFri, gharyanThu}, 1, func(t *testing.T, fs []Fused) {
			f := fs[0]
			if f.NumSources != 2 || f.NumArticles != 2 || len(f.Sources) != 2 {
				t.Errorf("sources %d articles %d", f.NumSources, f.NumArticles)
			}
			if f.DateString() != "2019-04-04" {
				t.Errorf("date %s, want the earliest 2019-04-04", f.DateString())
			}
			fields := map[string]bool{}
			for _, c := range f.Contradictions {
				fields[c.Field] = true
				if len(c.Claims) != 2 || c.Why == "" {
					t.Errorf("contradiction %+v", c)
				}
			}
			if !fields["date"] || !fields["distance_km"] {
				t.Errorf("contradictions %v, want date and distance_km", fields)
			}
			if f.Location.Name != "b/1" {
				t.Errorf("location from %s, want the named place b/1", f.Location.Name)
			}
		}},
		{"different sub-types stay apart", []Event{
			ev("a/1", "a", SubOvertakes, "2019-04-05", 32, 13, 1, nil),
			ev("b/1", "b", "Armed clash", "2019-04-05", 32, 13, 1, nil)}, 2, nil},
		{"two days apart stay apart", []Event{
			ev("a/1", "a", "Armed clash", "2019-04-01", 32, 13, 1, nil),
			ev("b/1", "b", "Armed clash", "2019-04-03", 32, 13, 1, nil)}, 2, nil},
		{"40 km apart stay apart", []Event{
			ev("a/1", "a", "Armed clash", "2019-04-01", 32, 13, 1, nil),
			ev("b/1", "b", "Armed clash", "2019-04-01", 32.36, 13, 1, nil)}, 2, nil},
		{"casualty figures: lowest used, all kept", []Event{
			ev("a/1", "a", "Armed clash", "2019-04-07", 32, 13, 1, intp(21)),
			ev("b/1", "b", "Armed clash", "2019-04-07", 32.05, 13, 1, intp(14)),
			ev("c/1", "c", "Armed clash", "2019-04-07", 32.02, 13, 1, nil)}, 1, func(t *testing.T, fs []Fused) {
			if fs[0].Fatalities == nil || *fs[0].Fatalities != 14 {
				t.Errorf("fatalities %v, want the lowest 14", fs[0].Fatalities)
			}
			if len(fs[0].Contradictions) != 1 || fs[0].Contradictions[0].Field != "fatalities" || len(fs[0].Contradictions[0].Claims) != 2 {
				t.Errorf("contradictions %+v", fs[0].Contradictions)
			}
		}},
		{"one article never fuses with itself", []Event{
			ev("a/1", "a", "Armed clash", "2019-04-07", 32, 13, 1, nil),
			ev("a/2", "a", "Armed clash", "2019-04-07", 32, 13, 1, nil)}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Fuse(tt.in)
			if len(fs) != tt.wantFused {
				t.Fatalf("%d fused events, want %d", len(fs), tt.wantFused)
			}
			if tt.check != nil {
				tt.check(t, fs)
			}
			// the order of the input does not matter
			rev := append([]Event(nil), tt.in...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			again := Fuse(rev)
			for i := range fs {
				if fs[i].ID != again[i].ID {
					t.Errorf("fused ids depend on input order: %s vs %s", fs[i].ID, again[i].ID)
				}
			}
		})
	}
}
