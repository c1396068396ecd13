package gazetteer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// latLon is a point the tests place units by.
type latLon struct{ lat, lon float64 }

func inside(b gazetteer.BBox, p latLon) bool {
	return p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3]
}

// adm2 returns the one admin-2 candidate of key in country cc, admin-1 a1.
func adm2(t *testing.T, cands []gazetteer.Candidate, key, cc, a1 string) *gazetteer.Place {
	t.Helper()
	var found []*gazetteer.Place
	for _, c := range cands {
		if c.Place.FeatureCode == "ADM2" && c.Place.Country == cc && c.Place.Admin1 == a1 {
			found = append(found, c.Place)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%q: %d admin-2 candidates in %s.%s, want 1 (all: %v)", key, len(found), cc, a1, cands)
	}
	return found[0]
}

func TestAdmin2Lookup(t *testing.T) {
	ix := gazettest.Index(t)
	tests := []struct {
		name       string
		key        string
		cc, a1, a2 string
		pop        int64
		// the point lies within km of near; the extent holds every
		// place of holds
		near  latLon
		km    float64
		holds []latLon
	}{
		{"Laurel County, KY, by its Census shape", "laurel county", "US", "KY", "125", 10615,
			latLon{37.11, -84.12}, 5, []latLon{{37.12898, -84.08326} /* London, its seat */, {37.3, -83.9}, {36.95, -84.3}}},
		{"Rapides Parish, LA, by its Census shape", "rapides parish", "US", "LA", "079", 74022,
			latLon{31.2, -92.53}, 10, []latLon{{31.31129, -92.44514} /* Alexandria */, {31.3224, -92.4343} /* Pineville */}},
		{"Pike County, KY, not Ohio's", "pike county", "US", "KY", "195", 0,
			latLon{37.47, -82.4}, 15, []latLon{{37.47927, -82.51876} /* Pikeville */}},
		{"Pike County, OH, not Kentucky's", "pike county", "US", "OH", "131", 0,
			latLon{39.07, -83.05}, 15, []latLon{{39.12673, -82.98546} /* Waverly */}},
		{"Manbij District, at its seat", "manbij district", "SY", "09", "167355", 99497,
			latLon{36.52815, 37.95495}, 0.01, []latLon{{36.52815, 37.95495}, {36.6, 38.0}}},
		{"Gwoza LGA, Borno, at its seat", "gwoza lga", "NG", "27", "111", 22268,
			latLon{11.08313, 13.69595}, 0.01, []latLon{{11.22135, 13.48783} /* Tokombere */}},
		{"Gwoza Local Government Area", "gwoza local government area", "NG", "27", "111", 22268,
			latLon{11.08313, 13.69595}, 0.01, nil},
		{"Volnovakha Raion as a district", "volnovakha district", "UA", "05", "1404", 29229,
			latLon{47.60103, 37.49674}, 0.01, nil},
		{"Volnovakha Rayon", "volnovakha rayon", "UA", "05", "1404", 29229,
			latLon{47.60103, 37.49674}, 0.01, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := adm2(t, ix.Lookup(tt.key), tt.key, tt.cc, tt.a1)
			if p.Admin2 != tt.a2 || p.FeatureClass != "A" || p.Kind != gazetteer.KindRegion || p.ID != gazetteer.Admin2ID(tt.cc+"."+tt.a1+"."+tt.a2) {
				t.Errorf("%v: admin2 %q class %q kind %q", p, p.Admin2, p.FeatureClass, p.Kind)
			}
			if tt.pop != 0 && p.Population != tt.pop {
				t.Errorf("population %d, want the towns' %d", p.Population, tt.pop)
			}
			if d := gazetteer.HaversineKm(p.Lat, p.Lon, tt.near.lat, tt.near.lon); d > tt.km {
				t.Errorf("at %.4f,%.4f: %.1f km from %v, want within %g", p.Lat, p.Lon, d, tt.near, tt.km)
			}
			if !inside(p.Extent, latLon{p.Lat, p.Lon}) {
				t.Errorf("point %.4f,%.4f outside its extent %v", p.Lat, p.Lon, p.Extent)
			}
			for _, h := range tt.holds {
				if !inside(p.Extent, h) {
					t.Errorf("extent %v does not hold %v", p.Extent, h)
				}
			}
			if w := p.Extent[2] - p.Extent[0]; w > 2 {
				t.Errorf("extent %v is %.1f° wide", p.Extent, w)
			}
		})
	}
}

// TestAdmin2NamesOutsideTheMatcher: names that would collide stay in the
// store but out of the matcher's index.
func TestAdmin2NamesOutsideTheMatcher(t *testing.T) {
	ix := gazettest.Index(t)
	store, _ := gazettest.NewStore(t, gazettest.FixtureSources())
	tests := []struct {
		name, key string
		// inIndex, inStore: whether an admin-2 unit answers key there
		inIndex, inStore bool
	}{
		{"the full name", "laurel county", true, true},
		{"without its generic word", "laurel", false, true},
		{"a unit named after its town", "gwoza", false, true},
		{"a unit no town locates", "jisr al shughur district", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for _, c := range ix.Lookup(tt.key) {
				got = got || c.Place.FeatureCode == "ADM2"
			}
			if got != tt.inIndex {
				t.Errorf("Index.Lookup(%q) has an admin-2 unit: %t, want %t", tt.key, got, tt.inIndex)
			}
			places, err := store.Lookup(context.Background(), tt.key)
			if err != nil {
				t.Fatal(err)
			}
			got = false
			for _, p := range places {
				got = got || p.FeatureCode == "ADM2"
			}
			if got != tt.inStore {
				t.Errorf("Store.Lookup(%q) has an admin-2 unit: %t, want %t", tt.key, got, tt.inStore)
			}
		})
	}
	if cands := ix.Lookup("gwoza"); len(cands) == 0 || cands[0].Place.FeatureClass != "P" {
		t.Errorf("gwoza: %v, want the town", cands)
	}
}

// TestAdmin2FromTowns: without the Census shapes, a county sits at its
// seat, its extent the padded box of its towns.
func TestAdmin2FromTowns(t *testing.T) {
	tests := []struct {
		name     string
		counties string // the USCounties source
		want     latLon
	}{
		{"with shapes: the shape's centroid", gazettest.FixtureSources().USCounties, latLon{37.109, -84.118}},
		{"towns only: the seat, London", "", latLon{37.12898, -84.08326}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := gazettest.FixtureSources()
			src.USCounties = tt.counties
			store, _ := gazettest.NewStore(t, src)
			places, err := store.Lookup(context.Background(), "Laurel County")
			if err != nil || len(places) != 1 {
				t.Fatalf("Laurel County: %v, %v", places, err)
			}
			p := places[0]
			if d := gazetteer.HaversineKm(p.Lat, p.Lon, tt.want.lat, tt.want.lon); d > 0.5 {
				t.Errorf("at %.4f,%.4f, want %v", p.Lat, p.Lon, tt.want)
			}
			// London, East Bernstadt and North Corbin, with room around
			for _, h := range []latLon{{37.12898, -84.08326}, {37.18953, -84.11771}, {36.96064, -84.09326}} {
				if !inside(p.Extent, h) {
					t.Errorf("extent %v does not hold %v", p.Extent, h)
				}
			}
		})
	}
}

// TestAdmin2ImportTwice: a second import leaves every admin-2 row and name
// as it was.
func TestAdmin2ImportTwice(t *testing.T) {
	ctx := context.Background()
	store, path := gazettest.NewStore(t, gazettest.FixtureSources())
	before := admin2Rows(t, path)
	if len(before) == 0 {
		t.Fatal("no admin-2 rows after the first import")
	}
	if _, err := store.Import(ctx, gazettest.FixtureSources(), nil, false); err != nil {
		t.Fatal(err)
	}
	if after := admin2Rows(t, path); !reflect.DeepEqual(before, after) {
		t.Errorf("second import changed the admin-2 rows:\n%v\n%v", before, after)
	}
}

func admin2Rows(t *testing.T, path string) []string {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT p.id, p.name, p.lat, p.lon, p.population, p.min_lon, p.max_lat, n.key, n.flags
		FROM places p JOIN place_names n ON n.place_id = p.id WHERE p.feature_code = 'ADM2' ORDER BY p.id, n.key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, pop, flags int64
		var name, key string
		var lat, lon, minLon, maxLat float64
		if err := rows.Scan(&id, &name, &lat, &lon, &pop, &minLon, &maxLat, &key, &flags); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(id, name, lat, lon, pop, minLon, maxLat, key, flags))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportCountiesNeedAdmin2(t *testing.T) {
	src := gazettest.FixtureSources()
	src.Admin2 = ""
	store, _ := gazettest.NewStore(t, gazetteer.Sources{GeoNames: src.GeoNames})
	if _, err := store.Import(context.Background(), src, nil, false); !errors.Is(err, gazetteer.ErrCountiesNeedAdmin2) {
		t.Errorf("err = %v, want ErrCountiesNeedAdmin2", err)
	}
}

// TestAdmin2UnitsInTheDump: a dump with ADM2 features of its own
// (allCountries.txt) keeps them; no estimated unit doubles them.
func TestAdmin2UnitsInTheDump(t *testing.T) {
	const (
		london = "4298960\tLondon\tLondon\t\t37.12898\t-84.08326\tP\tPPLA2\tUS\t\tKY\t125\t\t\t8126\t\t377\tAmerica/New_York\t2017-03-09\n"
		laurel = "4297983\tLaurel County\tLaurel County\t\t37.11067\t-84.11772\tA\tADM2\tUS\t\tKY\t125\t\t\t60180\t\t377\tAmerica/New_York\t2011-05-14\n"
	)
	tests := []struct {
		name          string
		dump          string
		wantID        gazetteer.ID
		units, inDump int
	}{
		{"cities500: estimated from London", london, gazetteer.Admin2ID("US.KY.125"), 1, 0},
		{"allCountries: the dump's own", london + laurel, 4297983, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := gazetteer.Sources{GeoNames: filepath.Join(dir, "dump.txt"), Admin2: filepath.Join(dir, "admin2.json")}
			if err := os.WriteFile(src.GeoNames, []byte(tt.dump), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(src.Admin2, []byte(`[{"code":"US.KY.125","name":"Laurel County"}]`), 0o644); err != nil {
				t.Fatal(err)
			}
			store, _ := gazettest.NewStore(t, gazetteer.Sources{GeoNames: src.GeoNames})
			rep, err := store.Import(context.Background(), src, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Admin2.Units != tt.units || rep.Admin2.InDump != tt.inDump {
				t.Errorf("report %+v, want %d units, %d in the dump", rep.Admin2, tt.units, tt.inDump)
			}
			places, err := store.Lookup(context.Background(), "Laurel County")
			if err != nil {
				t.Fatal(err)
			}
			if len(places) != 1 || places[0].ID != tt.wantID {
				t.Errorf("Laurel County: %v, want only %d", places, tt.wantID)
			}
		})
	}
}

// TestAdmin2SpokenWords: a one-word unit name that everyday English says
// stays out of the matcher when the word list is imported.
func TestAdmin2SpokenWords(t *testing.T) {
	units := `[{"code":"NG.27.111","name":"Mafia"},{"code":"UA.05.1404","name":"Moray"}]`
	tests := []struct {
		name    string
		words   bool // import the word list
		key     string
		inIndex bool
	}{
		{"Mafia, rank 7,189", true, "mafia", false},
		{"Mafia LGA keeps its class word", true, "mafia lga", true},
		{"Moray, rank 25,871", true, "moray", true},
		{"no word list, no check", false, "mafia", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := gazettest.FixtureSources()
			src.Admin2 = filepath.Join(t.TempDir(), "admin2.json")
			if err := os.WriteFile(src.Admin2, []byte(units), 0o644); err != nil {
				t.Fatal(err)
			}
			if !tt.words {
				src.CommonWords = ""
			}
			store, _ := gazettest.NewStore(t, src)
			ix, err := gazetteer.LoadIndex(context.Background(), store)
			if err != nil {
				t.Fatal(err)
			}
			got := false
			for _, c := range ix.Lookup(tt.key) {
				got = got || c.Place.FeatureCode == "ADM2"
			}
			if got != tt.inIndex {
				t.Errorf("Index.Lookup(%q) has the unit: %t, want %t", tt.key, got, tt.inIndex)
			}
		})
	}
}
