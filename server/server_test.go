package server_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestEndpointsContentTypes: every read endpoint answers 200 with its
// content type, public CORS, caching headers and a JSON body; f=json is
// accepted wherever a format can be chosen.
func TestEndpointsContentTypes(t *testing.T) {
	ts := seeded(t)
	tests := []struct {
		name, path, contentType string
		// wantKeys are top-level members the body must have.
		wantKeys []string
	}{
		{"landing page", "/", "application/json", []string{"title", "links"}},
		{"landing page f=json", "/?f=json", "application/json", []string{"links"}},
		{"conformance", "/conformance", "application/json", []string{"conformsTo"}},
		{"conformance f=json", "/conformance?f=json", "application/json", []string{"conformsTo"}},
		{"API definition", "/api", "application/vnd.oai.openapi+json", []string{"openapi", "paths"}},
		{"collections", "/collections", "application/json", []string{"collections", "links"}},
		{"collections f=json", "/collections?f=json", "application/json", []string{"collections"}},
		{"places collection", "/collections/places", "application/json", []string{"id", "links", "extent"}},
		{"events collection", "/collections/events", "application/json", []string{"id", "links", "extent"}},
		{"estimates collection", "/collections/estimates", "application/json", []string{"id", "links", "extent"}},
		{"distances collection", "/collections/distances", "application/json", []string{"id", "links", "extent"}},
		{"places items", "/collections/places/items", "application/geo+json", []string{"features", "numberMatched", "numberReturned", "links"}},
		{"events items", "/collections/events/items", "application/geo+json", []string{"features", "numberMatched"}},
		{"events items f=json", "/collections/events/items?f=json", "application/geo+json", []string{"features"}},
		{"estimates items", "/collections/estimates/items", "application/geo+json", []string{"features"}},
		{"distances items", "/collections/distances/items", "application/geo+json", []string{"features"}},
		{"articles", "/api/articles", "application/json", []string{"articles", "count"}},
		{"article", "/api/articles/1", "application/json", []string{"id", "text", "mentions", "events"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string]any
			res := ts.getJSON(t, tt.path, tt.contentType, &body)
			for _, k := range tt.wantKeys {
				if _, ok := body[k]; !ok {
					t.Errorf("body has no %q: %s", k, clip(res.body))
				}
			}
			if got := res.header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			}
			if res.header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
				t.Errorf("Cache-Control %q, want a max-age", cc)
			}
		})
	}
}

func TestLandingPageLinks(t *testing.T) {
	ts := seeded(t)
	var body struct {
		Links []link `json:"links"`
	}
	ts.getJSON(t, "/", "application/json", &body)
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		href := linkHref(body.Links, rel)
		if href == "" {
			t.Errorf("landing page has no %q link", rel)
			continue
		}
		if res := ts.get(t, ts.pathOf(t, href)); res.status != http.StatusOK {
			t.Errorf("%s link %s: status %d", rel, href, res.status)
		}
	}
}

func TestConformance(t *testing.T) {
	ts := seeded(t)
	var body struct {
		ConformsTo []string `json:"conformsTo"`
	}
	ts.getJSON(t, "/conformance", "application/json", &body)
	for _, c := range []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	} {
		if !slices.Contains(body.ConformsTo, c) {
			t.Errorf("conformsTo lacks %s", c)
		}
	}
}

func TestCollectionsList(t *testing.T) {
	ts := seeded(t)
	var body struct {
		Collections []struct {
			ID    string `json:"id"`
			Links []link `json:"links"`
		} `json:"collections"`
	}
	ts.getJSON(t, "/collections", "application/json", &body)
	var ids []string
	for _, c := range body.Collections {
		ids = append(ids, c.ID)
		items := linkHref(c.Links, "items")
		if items == "" {
			t.Errorf("collection %s has no items link", c.ID)
			continue
		}
		ts.items(t, ts.pathOf(t, items))
	}
	sort.Strings(ids)
	if want := []string{"distances", "estimates", "events", "frontlines", "places", "zones"}; !slices.Equal(ids, want) {
		t.Errorf("collections %v, want %v", ids, want)
	}
}

// TestItemsProperties checks what each collection says of its features.
func TestItemsProperties(t *testing.T) {
	ts := seeded(t)
	t.Run("places", func(t *testing.T) {
		byName := map[string]feature{}
		for _, f := range ts.allItems(t, "places") {
			byName[f.Properties["name"].(string)] = f
		}
		tripoli, ok := byName["Tripoli"]
		if !ok {
			t.Fatalf("no Tripoli among the places: %v", keys(byName))
		}
		p := tripoli.Properties
		if n, _ := p["mention_count"].(float64); n < 3 {
			t.Errorf("Tripoli mention_count %v, want several", p["mention_count"])
		}
		if arts, _ := p["articles"].([]any); len(arts) != 3 {
			t.Errorf("Tripoli articles %v, want all 3", p["articles"])
		}
		if p["first_mention"] != "2019-04-05" || p["last_mention"] != "2019-04-07" {
			t.Errorf("Tripoli mentions %v..%v, want 2019-04-05..2019-04-07", p["first_mention"], p["last_mention"])
		}
	})
	t.Run("events", func(t *testing.T) {
		evts := ts.allItems(t, "events")
		if len(evts) == 0 {
			t.Fatal("no events")
		}
		fused := false
		for _, f := range evts {
			for _, k := range []string{"sources", "num_sources", "num_articles", "contradictions", "date", "sub_event_type"} {
				if _, ok := f.Properties[k]; !ok {
					t.Errorf("event %v has no %q", f.ID, k)
				}
			}
			if n, _ := f.Properties["num_articles"].(float64); n >= 2 {
				fused = true
			}
			if got, want := f.Properties["num_sources"], float64(len(eventArticles(f))); got != want {
				t.Errorf("event %v: num_sources %v, but %v sources", f.ID, got, want)
			}
		}
		if !fused {
			t.Error("no event is fused from two articles")
		}
	})
	t.Run("estimates are polygons", func(t *testing.T) {
		ests := ts.allItems(t, "estimates")
		if len(ests) == 0 {
			t.Fatal("no estimates")
		}
		for _, f := range ests {
			var g struct {
				Type        string        `json:"type"`
				Coordinates [][][]float64 `json:"coordinates"`
			}
			if err := json.Unmarshal(f.Geometry, &g); err != nil || g.Type != "Polygon" {
				t.Fatalf("estimate %v geometry %s, want a Polygon", f.ID, f.Geometry)
			}
			ring := g.Coordinates[0]
			if len(ring) < 4 || !slices.Equal(ring[0], ring[len(ring)-1]) {
				t.Errorf("estimate %v ring is not closed", f.ID)
			}
			if _, ok := f.Properties["uncertainty_km"]; !ok {
				t.Errorf("estimate %v has no uncertainty_km", f.ID)
			}
		}
	})
}

// TestFeatureIDsUnique: byID keeps one feature per id, so a duplicate id
// would make a feature unreachable.
func TestFeatureIDsUnique(t *testing.T) {
	ts := seeded(t)
	for _, c := range []string{"places", "events", "estimates", "distances"} {
		seen := map[string]bool{}
		for _, f := range ts.allItems(t, c) {
			id := f.idString()
			if id == "" || seen[id] {
				t.Errorf("%s: feature id %q is empty or repeated", c, id)
			}
			seen[id] = true
		}
	}
}

// TestItemByID fetches every feature of every collection by its id and
// compares it with the feature in the list.
func TestItemByID(t *testing.T) {
	ts := seeded(t)
	for _, c := range []string{"places", "events", "estimates", "distances"} {
		t.Run(c, func(t *testing.T) {
			list := ts.allItems(t, c)
			if len(list) == 0 {
				t.Fatalf("%s has no features", c)
			}
			for _, f := range list {
				path := "/collections/" + c + "/items/" + url.PathEscape(f.idString())
				var got feature
				ts.getJSON(t, path, "application/geo+json", &got)
				if got.Type != "Feature" || got.idString() != f.idString() {
					t.Errorf("%s: got %s %v, want Feature %v", path, got.Type, got.ID, f.ID)
				}
				if string(compact(t, got.Geometry)) != string(compact(t, f.Geometry)) {
					t.Errorf("%s: geometry differs from the list's", path)
				}
				if linkHref(got.Links, "self") == "" || linkHref(got.Links, "collection") == "" {
					t.Errorf("%s: links %v, want self and collection", path, got.Links)
				}
			}
		})
	}
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return b
}

// TestPaging walks limit=1 pages by their next links, then back by prev.
func TestPaging(t *testing.T) {
	ts := seeded(t)
	all := ts.allItems(t, "events")
	if len(all) < 3 {
		t.Fatalf("%d events, want at least 3 to page", len(all))
	}
	var walked []string
	var pages []string
	path := "/collections/events/items?limit=1"
	for len(pages) <= len(all) {
		fc := ts.items(t, path)
		pages = append(pages, path)
		if fc.NumberMatched != len(all) {
			t.Errorf("%s: numberMatched %d, want %d", path, fc.NumberMatched, len(all))
		}
		if fc.NumberReturned != 1 {
			t.Fatalf("%s: numberReturned %d, want 1", path, fc.NumberReturned)
		}
		walked = append(walked, fc.Features[0].idString())
		if (len(pages) == 1) != (linkHref(fc.Links, "prev") == "") {
			t.Errorf("%s: prev link %q on page %d", path, linkHref(fc.Links, "prev"), len(pages))
		}
		next := linkHref(fc.Links, "next")
		if next == "" {
			break
		}
		path = ts.pathOf(t, next)
	}
	var want []string
	for _, f := range all {
		want = append(want, f.idString())
	}
	if !slices.Equal(walked, want) {
		t.Errorf("paging walked %v, want %v", walked, want)
	}
	// back from the last page by prev links
	var back []string
	path = pages[len(pages)-1]
	for i := 0; i <= len(all); i++ {
		fc := ts.items(t, path)
		back = append(back, fc.Features[0].idString())
		prev := linkHref(fc.Links, "prev")
		if prev == "" {
			break
		}
		path = ts.pathOf(t, prev)
	}
	slices.Reverse(back)
	if !slices.Equal(back, want) {
		t.Errorf("prev links walked %v (reversed), want %v", back, want)
	}

	t.Run("offset past the end", func(t *testing.T) {
		fc := ts.items(t, "/collections/events/items?offset=1000")
		if fc.NumberReturned != 0 || fc.NumberMatched != len(all) || linkHref(fc.Links, "next") != "" {
			t.Errorf("returned %d matched %d next %q", fc.NumberReturned, fc.NumberMatched, linkHref(fc.Links, "next"))
		}
	})
	t.Run("next keeps the filters", func(t *testing.T) {
		fc := ts.items(t, "/collections/events/items?limit=1&bbox=12.9,32.7,13.4,33.0")
		next := linkHref(fc.Links, "next")
		if !strings.Contains(next, "bbox=") {
			t.Errorf("next link %q lost the bbox", next)
		}
	})
}

func TestDefaultLimit(t *testing.T) {
	ts := seeded(t)
	fc := ts.items(t, "/collections/places/items")
	if fc.NumberMatched > 100 && fc.NumberReturned != 100 {
		t.Errorf("numberReturned %d of %d, want the default limit 100", fc.NumberReturned, fc.NumberMatched)
	}
	self := linkHref(fc.Links, "self")
	if !strings.Contains(self, "limit=100") {
		t.Errorf("self link %q does not say limit=100", self)
	}
	if fc := ts.items(t, "/collections/places/items?limit=10000"); fc.NumberReturned != fc.NumberMatched {
		t.Errorf("limit=10000: returned %d of %d", fc.NumberReturned, fc.NumberMatched)
	}
}

// TestBBoxFilter: a box around Tripoli keeps Tripoli's events and drops
// Benghazi's and Gharyan's.
func TestBBoxFilter(t *testing.T) {
	ts := seeded(t)
	tests := []struct {
		name, bbox    string
		want, notWant []string
	}{
		{"around Tripoli", "12.9,32.7,13.4,33.0", []string{"Tripoli"}, []string{"Benghazi", "Gharyan"}},
		{"around Tripoli, 3D", "12.9,32.7,-100,13.4,33.0,100", []string{"Tripoli"}, []string{"Benghazi", "Gharyan"}},
		{"around Benghazi", "19.9,32.0,20.2,32.2", []string{"Benghazi"}, []string{"Tripoli", "Gharyan"}},
		{"all of Libya", "9,19,26,34", []string{"Tripoli", "Benghazi", "Gharyan"}, nil},
		{"antimeridian box misses Libya", "170,-10,-170,10", nil, []string{"Tripoli", "Benghazi", "Gharyan"}},
		{"whole world across the antimeridian", "-170,-90,-175,90", []string{"Tripoli", "Benghazi"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := ts.items(t, "/collections/events/items?bbox="+tt.bbox)
			got := map[string]int{}
			for _, f := range fc.Features {
				got[f.Properties["location_name"].(string)]++
			}
			for _, w := range tt.want {
				if got[w] == 0 {
					t.Errorf("no %s event in %v", w, got)
				}
			}
			for _, w := range tt.notWant {
				if got[w] > 0 {
					t.Errorf("%d %s events in the box: %v", got[w], w, got)
				}
			}
			if fc.NumberMatched != len(fc.Features) {
				t.Errorf("numberMatched %d, %d features", fc.NumberMatched, len(fc.Features))
			}
		})
	}
}

// TestDatetimeFilter: the Gharyan capture happened on 2019-04-04.
func TestDatetimeFilter(t *testing.T) {
	ts := seeded(t)
	isGharyanCapture := func(f feature) bool {
		return f.Properties["location_name"] == "Gharyan" && f.Properties["date"] == "2019-04-04"
	}
	tests := []struct {
		datetime    string
		wantGharyan bool
		// dates every matching event's date must be within
		from, to string
	}{
		{"2019-04-04", true, "2019-04-04", "2019-04-04"},
		{"2019-04-04T12:00:00Z", true, "2019-04-04", "2019-04-04"},
		{"2019-04-06/..", false, "2019-04-06", "9999-12-31"},
		{"2019-04-06/", false, "2019-04-06", "9999-12-31"},
		{"../2019-04-04", true, "0000-01-01", "2019-04-04"},
		{"2019-04-04/2019-04-05", true, "2019-04-04", "2019-04-05"},
		{"2019-04-05/2019-04-05", false, "2019-04-05", "2019-04-05"},
	}
	for _, tt := range tests {
		t.Run(tt.datetime, func(t *testing.T) {
			fc := ts.items(t, "/collections/events/items?datetime="+url.QueryEscape(tt.datetime))
			found := false
			for _, f := range fc.Features {
				found = found || isGharyanCapture(f)
				d, _ := f.Properties["date"].(string)
				if d < tt.from || d > tt.to {
					t.Errorf("event %v dated %s is outside %s", f.ID, d, tt.datetime)
				}
			}
			if found != tt.wantGharyan {
				t.Errorf("Gharyan capture returned: %v, want %v", found, tt.wantGharyan)
			}
			if len(fc.Features) == 0 {
				t.Error("no events at all")
			}
		})
	}
	t.Run("places by mention dates", func(t *testing.T) {
		fc := ts.items(t, "/collections/places/items?limit=10000&datetime=2019-04-07")
		for _, f := range fc.Features {
			if f.Properties["last_mention"].(string) < "2019-04-07" {
				t.Errorf("place %v last mentioned %v matched 2019-04-07", f.Properties["name"], f.Properties["last_mention"])
			}
		}
		if len(fc.Features) == 0 {
			t.Error("no place was mentioned on 2019-04-07")
		}
	})
}

// distanceLines returns the distance features by destination name.
func distanceLines(t *testing.T, ts *testServer, query string) map[string]feature {
	t.Helper()
	fc := ts.items(t, "/collections/distances/items?limit=10000"+query)
	out := map[string]feature{}
	for _, f := range fc.Features {
		out[f.Properties["to"].(string)] = f
	}
	return out
}

func TestDistancesFromTripoli(t *testing.T) {
	ts := seeded(t)
	lines := distanceLines(t, ts, "")
	g, ok := lines["Gharyan"]
	if !ok {
		t.Fatalf("no line to Gharyan: %v", keys(lines))
	}
	p := g.Properties
	if p["from"] != "Tripoli" {
		t.Errorf("default focal place %v, want Tripoli", p["from"])
	}
	km, _ := p["km"].(float64)
	if km < 75 || km > 90 {
		t.Errorf("Tripoli-Gharyan %v km, want about 81", km)
	}
	if miles, _ := p["miles"].(float64); math.Abs(miles-km/1.609344) > 0.01 {
		t.Errorf("miles %v for %v km", miles, km)
	}
	if b, _ := p["initial_bearing"].(float64); b < 180 || b > 200 {
		t.Errorf("initial bearing %v, want south-southwest", b)
	}
	var geom struct {
		Type        string      `json:"type"`
		Coordinates [][]float64 `json:"coordinates"`
	}
	if err := json.Unmarshal(g.Geometry, &geom); err != nil || geom.Type != "LineString" || len(geom.Coordinates) < 2 {
		t.Fatalf("geometry %s, want a LineString", g.Geometry)
	}
	if start := geom.Coordinates[0]; math.Abs(start[0]-13.187) > 0.01 || math.Abs(start[1]-32.887) > 0.01 {
		t.Errorf("line starts at %v, want Tripoli", start)
	}
	claims, _ := p["claims"].([]any)
	if len(claims) < 2 {
		t.Fatalf("claims %v, want the 95 km and 60 miles the articles state", p["claims"])
	}
	var stated []float64
	for _, c := range claims {
		m := c.(map[string]any)
		s, _ := m["stated_km"].(float64)
		r, _ := m["ratio"].(float64)
		stated = append(stated, s)
		if math.Abs(r-s/km) > 0.002 {
			t.Errorf("claim %v: ratio %v, want stated/km = %v", m["text"], r, s/km)
		}
		if m["text"] == "" || m["article"] == "" {
			t.Errorf("claim %v lacks text or article", m)
		}
	}
	sort.Float64s(stated)
	if math.Abs(stated[0]-95) > 0.01 || math.Abs(stated[len(stated)-1]-96.561) > 0.01 {
		t.Errorf("stated km %v, want 95 and 96.561 (60 miles)", stated)
	}
	if _, ok := lines["Tripoli"]; ok {
		t.Error("a line from Tripoli to Tripoli")
	}
}

func TestDistancesFrom(t *testing.T) {
	ts := seeded(t)
	for _, from := range []string{"Benghazi", "88319"} {
		t.Run(from, func(t *testing.T) {
			lines := distanceLines(t, ts, "&from="+from)
			tr, ok := lines["Tripoli"]
			if !ok {
				t.Fatalf("no line to Tripoli: %v", keys(lines))
			}
			if tr.Properties["from"] != "Benghazi" {
				t.Errorf("from %v, want Benghazi", tr.Properties["from"])
			}
			if km, _ := tr.Properties["km"].(float64); km < 600 || km > 700 {
				t.Errorf("Benghazi-Tripoli %v km, want about 650", km)
			}
			if b, _ := tr.Properties["initial_bearing"].(float64); b < 270 || b > 300 {
				t.Errorf("bearing Benghazi-Tripoli %v, want west-northwest", b)
			}
			if _, ok := lines["Benghazi"]; ok {
				t.Error("a line from Benghazi to Benghazi")
			}
			// the item endpoint takes the same focal place
			id := tr.idString()
			var f feature
			ts.getJSON(t, "/collections/distances/items/"+url.PathEscape(id)+"?from="+from, "application/geo+json", &f)
			if f.Properties["from"] != "Benghazi" {
				t.Errorf("item %s from %v, want Benghazi", id, f.Properties["from"])
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestLayerCacheBounded: every distinct ?from= spelling used to build and
// keep a layer until the next write, so a client looping over spellings
// (or over the gazetteer's geonameids) could fill the server's memory.
func TestLayerCacheBounded(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	const spellings = 64
	for i := range spellings {
		// "Benghazi" in a different mix of upper and lower case each time
		name := []byte("benghazi")
		for j := range name {
			if i>>j&1 == 1 {
				name[j] -= 'a' - 'A'
			}
		}
		fc := ts.items(t, "/collections/distances/items?from="+string(name))
		if len(fc.Features) == 0 || fc.Features[0].Properties["from"] != "Benghazi" {
			t.Fatalf("from=%s: %d features", name, len(fc.Features))
		}
		ts.get(t, "/collections/places/items/p88319?from="+string(name))
	}
	if n := ts.srv.CachedLayers(); n > 16 {
		t.Errorf("%d layers cached after %d spellings of one place", n, spellings)
	}
}
