package server_test

import (
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/geo/zones"
)

const (
	gna = "Government of National Accord"
	lna = "Libyan National Army"
)

// places the invariants are about, from GeoNames (lon, lat).
var (
	tripoli  = orb.Point{13.18733, 32.88743}
	misrata  = orb.Point{15.09254, 32.37535}
	zintan   = orb.Point{12.25291, 31.93155}
	gharyan  = orb.Point{13.02028, 32.17222}
	benghazi = orb.Point{20.06859, 32.11486}
	tobruk   = orb.Point{23.95385, 32.08963}
)

// controlMap is the zones and frontlines the server gives for a day.
type controlMap struct {
	zones, fronts []*geojson.Feature
}

func (ts *testServer) control(t *testing.T, datetime string) controlMap {
	t.Helper()
	q := "?limit=10000"
	if datetime != "" {
		q += "&datetime=" + datetime
	}
	get := func(collection string) []*geojson.Feature {
		res := ts.get(t, "/collections/"+collection+"/items"+q)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", collection, res.status, clip(res.body))
		}
		fc, err := geojson.UnmarshalFeatureCollection(res.body)
		if err != nil {
			t.Fatalf("%s: %v", collection, err)
		}
		return fc.Features
	}
	return controlMap{zones: get("zones"), fronts: get("frontlines")}
}

// actorAt names the actor whose zone holds p, or has a vertex within
// 0.3°: the fixture's 1:110m coastline leaves coastal cities offshore.
func (m controlMap) actorAt(p orb.Point) string {
	best, bestD := "", 0.3
	for _, f := range m.zones {
		actor, _ := f.Properties["actor"].(string)
		if actor == "" {
			continue // contested land
		}
		mp := f.Geometry.(orb.MultiPolygon)
		if planar.MultiPolygonContains(mp, p) {
			return actor
		}
		for _, poly := range mp {
			for _, ring := range poly {
				for _, v := range ring {
					if d := math.Hypot(v[0]-p[0], v[1]-p[1]); d < bestD {
						best, bestD = actor, d
					}
				}
			}
		}
	}
	return best
}

// TestControlCollections checks the zones and frontlines of the Libya
// articles through HTTP: the invariants of the issue and valid
// geometries inside the country on each day.
func TestControlCollections(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	libya := gazettest.CountryShapes(t)["LY"]
	if libya == nil {
		t.Fatal("the fixture has no shape for Libya")
	}
	for _, day := range []string{"2019-04-03", "2019-04-05", "2019-04-07"} {
		t.Run(day, func(t *testing.T) {
			m := ts.control(t, day)
			if len(m.zones) == 0 {
				t.Fatal("no zones")
			}
			for _, f := range append(append([]*geojson.Feature{}, m.zones...), m.fronts...) {
				checkControlFeature(t, f, day, libya)
			}
		})
	}

	m := ts.control(t, "2019-04-07")
	for _, tt := range []struct {
		name  string
		place orb.Point
		want  string
	}{
		{"Tripoli", tripoli, gna}, {"Misrata", misrata, gna}, {"Zintan", zintan, gna},
		{"Gharyan", gharyan, lna}, {"Benghazi", benghazi, lna}, {"Tobruk", tobruk, lna},
	} {
		if got := m.actorAt(tt.place); got != tt.want {
			t.Errorf("2019-04-07: %s is in %q's zone, want %q", tt.name, got, tt.want)
		}
	}
	// a feature of a day before the latest is found by its id
	past := ts.control(t, "2019-04-05")
	for _, f := range append(append([]*geojson.Feature{}, past.zones...), past.fronts...) {
		c := "zones"
		if _, ok := f.Geometry.(orb.MultiLineString); ok {
			c = "frontlines"
		}
		var one feature
		ts.getJSON(t, "/collections/"+c+"/items/"+f.ID.(string), "application/geo+json", &one)
		if one.ID != f.ID || one.Properties["date"] != "2019-04-05" {
			t.Errorf("item %v: got id %v, date %v", f.ID, one.ID, one.Properties["date"])
		}
	}
	checkProblem(t, ts.get(t, "/collections/zones/items/zone-2019-02-31-x"), http.StatusNotFound)
	if !frontCrosses(m.fronts, orb.LineString{tripoli, gharyan}) {
		t.Errorf("2019-04-07: no frontline crosses Tripoli-Gharyan (%d lines)", len(m.fronts))
	}
	if got := ts.control(t, "2019-04-03").actorAt(gharyan); got == lna {
		t.Errorf("2019-04-03, before the capture: Gharyan is in the LNA's zone")
	}
	// an interval's end is the day drawn; no datetime is the latest event's day
	if got := ts.control(t, "2019-04-01/2019-04-07").zones[0].Properties["date"]; got != "2019-04-07" {
		t.Errorf("interval to 2019-04-07: date %v", got)
	}
	if got := ts.control(t, "").zones[0].Properties["date"]; got != latestEventDate(t, ts) {
		t.Errorf("no datetime: date %v, want the latest event's %s", got, latestEventDate(t, ts))
	}
	// the collections' temporal extent is the days one can ask for
	var events, zones struct {
		Extent struct {
			Temporal struct{ Interval [][]string } `json:"temporal"`
		} `json:"extent"`
	}
	ts.getJSON(t, "/collections/events", "application/json", &events)
	ts.getJSON(t, "/collections/zones", "application/json", &zones)
	if e, z := events.Extent.Temporal.Interval, zones.Extent.Temporal.Interval; len(z) != 1 || len(e) != 1 || !slices.Equal(e[0], z[0]) {
		t.Errorf("zones temporal extent %v, want the events' %v", z, e)
	}
}

// checkControlFeature: the properties a zone or frontline carries, and a
// geometry that is valid and inside the country.
func checkControlFeature(t *testing.T, f *geojson.Feature, day string, country orb.Geometry) {
	t.Helper()
	if f.Properties["date"] != day {
		t.Errorf("%v: date %v, want %s", f.ID, f.Properties["date"], day)
	}
	if s, _ := f.Properties["method"].(string); s == "" {
		t.Errorf("%v: no method", f.ID)
	}
	if _, ok := f.Properties["events"].([]any); !ok {
		t.Errorf("%v: events %v, want a list", f.ID, f.Properties["events"])
	}
	land, ok := country.(orb.MultiPolygon)
	if !ok {
		land = orb.MultiPolygon{country.(orb.Polygon)}
	}
	var points []orb.Point
	switch g := f.Geometry.(type) {
	case orb.MultiPolygon:
		if err := zones.Valid(g); err != nil {
			t.Errorf("%v: invalid zone: %v", f.ID, err)
		}
		if f.Properties["contested"] == false {
			if s, _ := f.Properties["actor"].(string); s == "" {
				t.Errorf("%v: a zone with no actor", f.ID)
			}
			if ps, _ := f.Properties["places"].([]any); len(ps) == 0 {
				t.Errorf("%v: no places shaped the zone", f.ID)
			}
		}
		for _, poly := range g {
			for _, ring := range poly {
				points = append(points, ring...)
			}
		}
	case orb.MultiLineString:
		if as, _ := f.Properties["actors"].([]any); len(as) != 2 || as[0] == as[1] {
			t.Errorf("%v: actors %v, want two different", f.ID, f.Properties["actors"])
		}
		for _, l := range g {
			if len(l) < 2 {
				t.Errorf("%v: a line of %d points", f.ID, len(l))
			}
			points = append(points, l...)
		}
	default:
		t.Fatalf("%v: geometry %s", f.ID, f.Geometry.GeoJSONType())
	}
	for _, p := range points {
		if !planar.MultiPolygonContains(land, p) && !onOutline(land, p, 1e-7) {
			t.Errorf("%v: vertex %v lies outside the country", f.ID, p)
			return
		}
	}
}

// onOutline reports whether p lies within tol degrees of a ring of mp:
// zones cut to the country have their vertices on its border.
func onOutline(mp orb.MultiPolygon, p orb.Point, tol float64) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				if planar.DistanceFromSegment(r[i-1], r[i], p) <= tol {
					return true
				}
			}
		}
	}
	return false
}

func frontCrosses(fronts []*geojson.Feature, seg orb.LineString) bool {
	for _, f := range fronts {
		for _, l := range f.Geometry.(orb.MultiLineString) {
			for i := 1; i < len(l); i++ {
				if segmentsCross(l[i-1], l[i], seg[0], seg[1]) {
					return true
				}
			}
		}
	}
	return false
}

func segmentsCross(p1, p2, p3, p4 orb.Point) bool {
	d := func(a, b, c orb.Point) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	return (d(p3, p4, p1) > 0) != (d(p3, p4, p2) > 0) && (d(p1, p2, p3) > 0) != (d(p1, p2, p4) > 0)
}

func latestEventDate(t *testing.T, ts *testServer) string {
	t.Helper()
	latest := ""
	for _, f := range ts.allItems(t, "events") {
		if d, _ := f.Properties["date"].(string); d > latest {
			latest = d
		}
	}
	return latest
}

// TestControlFollowsArticles: deleting the articles that report the
// capture of Gharyan (libya-01 and libya-03 both do) moves it out of the
// LNA's zone on 04-07, not before the last is gone; posting one of them
// back returns it.
func TestControlFollowsArticles(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	if got := ts.control(t, "2019-04-07").actorAt(gharyan); got != lna {
		t.Fatalf("before: Gharyan is %q's, want the LNA's", got)
	}
	del := func(id string) {
		t.Helper()
		if res := ts.request(t, http.MethodDelete, "/api/articles/"+id, nil, "Authorization", bearer); res.status != http.StatusNoContent {
			t.Fatalf("DELETE %s: %d %s", id, res.status, clip(res.body))
		}
	}
	del("3")
	if got := ts.control(t, "2019-04-07").actorAt(gharyan); got != lna {
		t.Errorf("libya-01 still reports the capture, but Gharyan is %q's", got)
	}
	del("1")
	// libya-02, left alone, makes no claim of control: the map empties
	if got := ts.control(t, "2019-04-07").actorAt(gharyan); got == lna {
		t.Errorf("without the capture reports, Gharyan is still the LNA's")
	}

	text, err := os.ReadFile(filepath.Join(gazettest.RepoRoot(), "testdata", "articles", "libya-03.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := ts.post(t, "/api/articles?source=libya-03.txt", "text/plain", text); res.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.status, clip(res.body))
	}
	if got := ts.control(t, "2019-04-07").actorAt(gharyan); got != lna {
		t.Errorf("with the capture reported again, Gharyan is %q's, want the LNA's", got)
	}
}

// TestControlBadDatetime: a datetime that is not one answers 400.
func TestControlBadDatetime(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	for _, q := range []string{"datetime=yesterday", "datetime=2019-13-01", "from=Tripoli"} {
		for _, c := range []string{"zones", "frontlines"} {
			checkProblem(t, ts.get(t, "/collections/"+c+"/items?"+q), http.StatusBadRequest)
		}
	}
}
