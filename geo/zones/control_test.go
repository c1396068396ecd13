package zones_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
	"github.com/conflictmap/conflictmap/geo/zones"
)

// allLibya are the bundled articles on the Libya offensive.
var allLibya = []string{"libya-01.txt", "libya-02.txt", "libya-03.txt"}

// libyaControl builds control at date from the given bundled articles
// over Libya's Natural Earth polygon.
func libyaControl(t *testing.T, date string, files []string) zones.Map {
	return libyaControlKeep(t, date, files, nil)
}

// libyaControlKeep is libyaControl keeping only the claims keep accepts
// (all when keep is nil).
func libyaControlKeep(t *testing.T, date string, files []string, keep func(events.ControlClaim) bool) zones.Map {
	t.Helper()
	ix := gazettest.Index(t)
	p, err := geoparse.New(ix)
	if err != nil {
		t.Fatal(err)
	}
	x := events.NewExtractor(events.DefaultActors(), ix)
	var claims []events.ControlClaim
	var clashes []zones.Clash
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", f))
		if err != nil {
			t.Fatal(err)
		}
		a, err := article.Parse(data, f)
		if err != nil {
			t.Fatal(err)
		}
		res := p.Parse(a.Text)
		evts := x.Extract(a, res)
		for _, c := range x.ControlClaims(a, res, evts) {
			if keep == nil || keep(c) {
				claims = append(claims, c)
			}
		}
		for _, e := range evts {
			if e.SubEventType == "Armed clash" {
				clashes = append(clashes, zones.Clash{ID: e.ID, Date: e.Date, Lat: e.Location.Lat, Lon: e.Location.Lon})
			}
		}
	}
	store, _ := gazettest.NewStore(t, gazettest.FixtureSources())
	shape, err := store.CountryShape(context.Background(), "LY")
	if err != nil {
		t.Fatal(err)
	}
	country, ok := shape.(orb.MultiPolygon)
	if !ok {
		country = orb.MultiPolygon{shape.(orb.Polygon)}
	}
	d, _ := time.Parse("2006-01-02", date)
	return zones.Build(country, claims, clashes, d, zones.Config{})
}

var (
	tripoli  = [2]float64{32.88743, 13.18733}
	misrata  = [2]float64{32.37535, 15.09254}
	zintan   = [2]float64{31.93155, 12.25291}
	gharyan  = [2]float64{32.17222, 13.02028}
	benghazi = [2]float64{32.11486, 20.06859}
	tobruk   = [2]float64{32.08963, 23.95385}
)

const (
	gna = "Government of National Accord"
	lna = "Libyan National Army"
)

func TestControlInvariants(t *testing.T) {
	tests := []struct {
		name, date string
		files      []string
		place      [2]float64
		placeName  string
		want       string // "" : not in any zone of that actor
		notActor   string
	}{
		{"Tripoli is the GNA's on 04-07", "2019-04-07", allLibya, tripoli, "Tripoli", gna, ""},
		{"Misrata is the GNA's on 04-07", "2019-04-07", allLibya, misrata, "Misrata", gna, ""},
		{"Zintan is the GNA's on 04-07", "2019-04-07", allLibya, zintan, "Zintan", gna, ""},
		{"Gharyan is the LNA's on 04-07", "2019-04-07", allLibya, gharyan, "Gharyan", lna, ""},
		{"Benghazi is the LNA's on 04-07", "2019-04-07", allLibya, benghazi, "Benghazi", lna, ""},
		{"Tobruk is the LNA's on 04-07", "2019-04-07", allLibya, tobruk, "Tobruk", lna, ""},
		{"Gharyan is not the LNA's on 04-03, before the capture", "2019-04-03", allLibya, gharyan, "Gharyan", "", lna},
		// libya-01 (Friday) and libya-03 (Thursday) both report the capture
		{"without the articles reporting the capture, Gharyan is not the LNA's", "2019-04-07", []string{"libya-02.txt"}, gharyan, "Gharyan", "", lna},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := libyaControl(t, tt.date, tt.files)
			// the fixture's 1:110m coastline is some 20 km coarse: coastal
			// cities may lie that far from the land the grid covers
			got := m.ActorAt(tt.place[0], tt.place[1], 0.3)
			if tt.want != "" && got != tt.want {
				t.Errorf("%s is in %q's zone, want %q", tt.placeName, got, tt.want)
			}
			if tt.notActor != "" && got == tt.notActor {
				t.Errorf("%s is in %q's zone", tt.placeName, got)
			}
			for _, z := range m.Zones {
				if err := zones.Valid(z.Area); err != nil {
					t.Errorf("%s zone invalid: %v", z.Actor, err)
				}
			}
		})
	}
}

// TestFrontlineCrossesTripoliGharyan: on 04-07 the front runs between
// the capital and the captured town.
func TestFrontlineCrossesTripoliGharyan(t *testing.T) {
	m := libyaControl(t, "2019-04-07", allLibya)
	seg := orb.LineString{{tripoli[1], tripoli[0]}, {gharyan[1], gharyan[0]}}
	for _, f := range m.Fronts {
		for _, l := range f.Line {
			if crosses(l, seg) {
				return
			}
		}
	}
	t.Errorf("no front line crosses Tripoli-Gharyan (%d fronts)", len(m.Fronts))
}

// crosses reports whether any segment of a intersects segment b.
func crosses(a orb.LineString, b orb.LineString) bool {
	for i := 1; i < len(a); i++ {
		if segmentsIntersect(a[i-1], a[i], b[0], b[1]) {
			return true
		}
	}
	return false
}

func segmentsIntersect(p1, p2, p3, p4 orb.Point) bool {
	d := func(a, b, c orb.Point) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	d1, d2, d3, d4 := d(p3, p4, p1), d(p3, p4, p2), d(p1, p2, p3), d(p1, p2, p4)
	return (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0)
}

// TestLosingTheCaptureReportMovesGharyan: with every claim but the
// capture reports, the LNA still holds the east and the GNA the west, and
// Gharyan is no longer the LNA's.
func TestLosingTheCaptureReportMovesGharyan(t *testing.T) {
	noCapture := func(c events.ControlClaim) bool { return c.Kind != events.ClaimCapture }
	m := libyaControlKeep(t, "2019-04-07", allLibya, noCapture)
	if got := m.ActorAt(tobruk[0], tobruk[1], 0.3); got != lna {
		t.Fatalf("Tobruk is %q's, want the LNA's: the test needs the rest of the map", got)
	}
	if got := m.ActorAt(tripoli[0], tripoli[1], 0.3); got != gna {
		t.Fatalf("Tripoli is %q's, want the GNA's", got)
	}
	if got := m.ActorAt(gharyan[0], gharyan[1], 0.3); got == lna {
		t.Errorf("Gharyan is still the LNA's without the capture reports")
	}
}

// libyaShape is Libya's polygon from the full gazetteer data when it is
// built (the 50m Natural Earth shapes the server uses), else the fixture.
func libyaShape(tb testing.TB) orb.MultiPolygon {
	tb.Helper()
	src, ok := gazettest.FullSources()
	if !ok {
		src = gazettest.FixtureSources()
	}
	store, _ := gazettest.NewStore(tb, src)
	shape, err := store.CountryShape(context.Background(), "LY")
	if err != nil {
		tb.Fatal(err)
	}
	if mp, ok := shape.(orb.MultiPolygon); ok {
		return mp
	}
	return orb.MultiPolygon{shape.(orb.Polygon)}
}

// BenchmarkBuild is the yardstick: zones plus frontlines for a
// country with 200 controlled places held by 4 actors and 1,000 events.
func BenchmarkBuild(b *testing.B) {
	country := libyaShape(b)
	rng := rand.New(rand.NewPCG(5, 7))
	bound := country.Bound()
	inside := func() (lat, lon float64) {
		for {
			lon = bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0])
			lat = bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])
			if planar.MultiPolygonContains(country, orb.Point{lon, lat}) {
				return lat, lon
			}
		}
	}
	day := time.Date(2019, 4, 7, 0, 0, 0, 0, time.UTC)
	actors := []string{"A", "B", "C", "D"}
	var claims []events.ControlClaim
	for i := range 200 {
		lat, lon := inside()
		claims = append(claims, events.ControlClaim{Place: fmt.Sprint("p", i), PlaceID: int64(i), Lat: lat, Lon: lon,
			Country: "LY", Actor: actors[rng.IntN(len(actors))], Date: day.AddDate(0, 0, -rng.IntN(30)).Format("2006-01-02"),
			Kind: events.ClaimCapture})
	}
	var clashes []zones.Clash
	for i := range 1000 {
		lat, lon := inside()
		clashes = append(clashes, zones.Clash{ID: fmt.Sprint("e", i), Date: day.AddDate(0, 0, -rng.IntN(30)), Lat: lat, Lon: lon})
	}
	b.ReportAllocs()
	for b.Loop() {
		m := zones.Build(country, claims, clashes, day, zones.Config{})
		if len(m.Zones) != len(actors) || len(m.Fronts) == 0 {
			b.Fatalf("%d zones, %d fronts", len(m.Zones), len(m.Fronts))
		}
	}
}

// TestControlStanding: a place with no claim by the date takes its
// first later statement within the standing days, never a later capture.
func TestControlStanding(t *testing.T) {
	claim := func(id int64, actor, date, kind string) events.ControlClaim {
		return events.ControlClaim{Place: fmt.Sprint("p", id), PlaceID: id, Actor: actor, Date: date, Kind: kind}
	}
	day := time.Date(2019, 4, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		claims []events.ControlClaim
		want   string // "actor standing", or "" for no holding
	}{
		{"a claim by the date", []events.ControlClaim{claim(1, "A", "2019-04-01", events.ClaimCapture), claim(1, "B", "2019-04-05", events.ClaimStatement)}, "A false"},
		{"a later statement stands back", []events.ControlClaim{claim(1, "B", "2019-04-05", events.ClaimStatement)}, "B true"},
		{"a later alignment stands back", []events.ControlClaim{claim(1, "B", "2019-04-05", events.ClaimAlignment)}, "B true"},
		{"a later capture does not", []events.ControlClaim{claim(1, "B", "2019-04-05", events.ClaimCapture)}, ""},
		{"a capture before the statement stops it", []events.ControlClaim{claim(1, "B", "2019-04-07", events.ClaimStatement), claim(1, "B", "2019-04-04", events.ClaimCapture)}, ""},
		{"a capture the same day stops it", []events.ControlClaim{claim(1, "B", "2019-04-04", events.ClaimStatement), claim(1, "B", "2019-04-04", events.ClaimCapture)}, ""},
		{"beyond the standing days", []events.ControlClaim{claim(1, "B", "2019-05-04", events.ClaimStatement)}, ""},
		{"a disputed statement does not", []events.ControlClaim{{PlaceID: 1, Actor: "B", Date: "2019-04-05", Kind: events.ClaimStatement, Disputed: true}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			held, _ := zones.Control(tt.claims, day, 30)
			got := ""
			if len(held) > 1 {
				t.Fatalf("%d holdings of one place", len(held))
			}
			if len(held) == 1 {
				got = fmt.Sprint(held[0].Actor, " ", held[0].Standing)
			}
			if got != tt.want {
				t.Errorf("holding %q, want %q", got, tt.want)
			}
		})
	}
}

// TestZonesPartitionTheLand: land near the held places, up to the coast
// and the borders, lies in exactly one zone: the zones are cut to the
// country's outline, not kept a cell short of it.
func TestZonesPartitionTheLand(t *testing.T) {
	m := libyaControl(t, "2019-04-07", allLibya)
	store, _ := gazettest.NewStore(t, gazettest.FixtureSources())
	shape, err := store.CountryShape(context.Background(), "LY")
	if err != nil {
		t.Fatal(err)
	}
	country, ok := shape.(orb.MultiPolygon)
	if !ok {
		country = orb.MultiPolygon{shape.(orb.Polygon)}
	}
	rng := rand.New(rand.NewPCG(7, 8))
	// north-west Libya, well within reach of Tripoli, Misrata and Zintan
	in, missed := 0, 0
	for in < 2000 {
		p := orb.Point{10 + rng.Float64()*6, 30 + rng.Float64()*3.5}
		if !planar.MultiPolygonContains(country, p) {
			continue
		}
		in++
		n := 0
		for _, z := range m.Zones {
			if planar.MultiPolygonContains(z.Area, p) {
				n++
			}
		}
		switch {
		case n > 1:
			t.Fatalf("%v lies in %d zones", p, n)
		case n == 0:
			missed++
		}
	}
	// only slivers narrower than a grid cell may be missed
	if missed > in/200 {
		t.Errorf("%d of %d points of land lie in no zone", missed, in)
	}
}
