package gazetteer_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

// tableIndex is the index as the tables say it should be, read the plain
// way LoadIndex used to (maps filled row by row): the reference that every
// snapshot-backed Index must answer like.
type tableIndex struct {
	places    []gazetteer.Place
	byID      map[gazetteer.ID]int
	byKey     map[string][]gazetteer.Candidate
	countries map[string]gazetteer.Country
	common    map[string]int
	persons   map[string]gazetteer.PersonNameRank
	maxWords  int
}

func loadTableIndex(t *testing.T, db *sql.DB) *tableIndex {
	t.Helper()
	ti := &tableIndex{byID: map[gazetteer.ID]int{}, byKey: map[string][]gazetteer.Candidate{},
		countries: map[string]gazetteer.Country{}, common: map[string]int{}, persons: map[string]gazetteer.PersonNameRank{}}
	query(t, db, `SELECT id, name, lat, lon, feature_class, feature_code, country, admin1, admin2, population, kind,
		COALESCE(min_lon,0), COALESCE(min_lat,0), COALESCE(max_lon,0), COALESCE(max_lat,0) FROM places ORDER BY id`, func(r *sql.Rows) error {
		var p gazetteer.Place
		err := r.Scan(&p.ID, &p.Name, &p.Lat, &p.Lon, &p.FeatureClass, &p.FeatureCode, &p.Country, &p.Admin1, &p.Admin2,
			&p.Population, &p.Kind, &p.Extent[0], &p.Extent[1], &p.Extent[2], &p.Extent[3])
		ti.byID[p.ID] = len(ti.places)
		ti.places = append(ti.places, p)
		return err
	})
	query(t, db, `SELECT key, place_id, flags FROM place_names`, func(r *sql.Rows) error {
		var key string
		var id gazetteer.ID
		var flags int
		if err := r.Scan(&key, &id, &flags); err != nil {
			return err
		}
		i, ok := ti.byID[id]
		if flags&(gazetteer.FlagCode|gazetteer.FlagBare) != 0 || !gazetteer.IsLatinKey(key) || !ok {
			return nil
		}
		ti.byKey[key] = append(ti.byKey[key], gazetteer.Candidate{Place: &ti.places[i], Flags: flags})
		ti.maxWords = max(ti.maxWords, strings.Count(key, " ")+1)
		return nil
	})
	query(t, db, `SELECT code, name, official, capital, capital_id FROM countries`, func(r *sql.Rows) error {
		var c gazetteer.Country
		err := r.Scan(&c.Code, &c.Name, &c.Official, &c.Capital, &c.CapitalID)
		if i, ok := ti.byID[gazetteer.CountryID(c.Code)]; ok {
			c.Lat, c.Lon = ti.places[i].Lat, ti.places[i].Lon
		}
		ti.countries[c.Code] = c
		return err
	})
	// countries and admin-1 regions weigh the towns in them
	towns := map[string]int64{}
	for _, p := range ti.places {
		if p.FeatureClass == "P" {
			towns[p.Country] += p.Population
			towns[p.Country+"."+p.Admin1] += p.Population
		}
	}
	for i := range ti.places {
		switch p := &ti.places[i]; {
		case p.Kind == gazetteer.KindCountry:
			p.TownPopulation = towns[p.Country]
		case p.FeatureCode == "ADM1":
			p.TownPopulation = towns[p.Country+"."+p.Admin1]
		}
	}
	query(t, db, `SELECT name, given_rank, surname_rank FROM person_names`, func(r *sql.Rows) error {
		var w string
		var pr gazetteer.PersonNameRank
		err := r.Scan(&w, &pr.Given, &pr.Surname)
		ti.persons[w] = pr
		return err
	})
	query(t, db, `SELECT word, rank FROM common_words`, func(r *sql.Rows) error {
		var w string
		var rank int
		err := r.Scan(&w, &rank)
		ti.common[w] = rank
		return err
	})
	return ti
}

func query(t *testing.T, db *sql.DB, q string, row func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// fixture imports the fixture gazetteer and opens a second handle on it
// for the test to read and change the tables.
func fixture(t *testing.T) (*gazetteer.Store, *sql.DB) {
	t.Helper()
	store, path := gazettest.NewStore(t, gazettest.FixtureSources())
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return store, db
}

func TestSnapshotAnswersLikeTables(t *testing.T) {
	ctx := context.Background()
	store, db := fixture(t)
	want := loadTableIndex(t, db)
	load := []struct {
		name string
		load func() (*gazetteer.Index, error)
	}{
		{"snapshot stored by import", func() (*gazetteer.Index, error) { return gazetteer.LoadStoredSnapshot(ctx, store) }},
		{"built from the tables", func() (*gazetteer.Index, error) { return gazetteer.RebuildIndex(ctx, store) }},
		{"LoadIndex", func() (*gazetteer.Index, error) { return gazetteer.LoadIndex(ctx, store) }},
	}
	for _, l := range load {
		t.Run(l.name, func(t *testing.T) {
			ix, err := l.load()
			if err != nil || ix == nil {
				t.Fatalf("load: %v, %v", ix, err)
			}
			compareIndex(t, want, ix)
		})
	}
}

// compareIndex checks every answer of ix against the tables.
func compareIndex(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	t.Helper()
	if len(want.places) < 100 || len(want.byKey) < 100 || len(want.countries) < 10 || len(want.common) < 100 {
		t.Fatalf("fixture too small to test: %d places, %d keys", len(want.places), len(want.byKey))
	}
	t.Run("places", func(t *testing.T) { comparePlaces(t, want, ix) })
	t.Run("names", func(t *testing.T) { compareNames(t, want, ix) })
	t.Run("countries", func(t *testing.T) { compareCountries(t, want, ix) })
	t.Run("common words", func(t *testing.T) { compareCommonWords(t, want, ix) })
	t.Run("person names", func(t *testing.T) {
		if len(want.persons) < 100 {
			t.Fatalf("only %d person names in the fixture", len(want.persons))
		}
		for w, r := range want.persons {
			if got := ix.PersonName(w); got != r {
				t.Errorf("PersonName(%q) = %+v, want %+v", w, got, r)
			}
		}
		if got := ix.PersonName("zzqx"); got != (gazetteer.PersonNameRank{}) {
			t.Errorf("PersonName of a non-name = %+v", got)
		}
	})
	t.Run("regions", func(t *testing.T) { compareRegions(t, want, ix) })
	t.Run("near", func(t *testing.T) { compareNear(t, want, ix) })
}

func comparePlaces(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	if ix.Len() != len(want.places) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(want.places))
	}
	i := 0
	ix.Places(func(p *gazetteer.Place) bool {
		if !reflect.DeepEqual(*p, want.places[i]) {
			t.Errorf("place %d = %+v (towns %d), want %+v (towns %d)", i, *p, p.TownPopulation, want.places[i], want.places[i].TownPopulation)
		}
		if got := ix.Place(p.ID); got != p {
			t.Errorf("Place(%d) = %v, want the entry Places gave", p.ID, got)
		}
		i++
		return true
	})
	for _, id := range []gazetteer.ID{0, math.MinInt64, math.MaxInt64, want.places[0].ID - 1, want.places[len(want.places)-1].ID + 1} {
		if p := ix.Place(id); p != nil {
			t.Errorf("Place(%d) = %v, want nil", id, p)
		}
	}
}

func compareNames(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	if ix.MaxWords() != want.maxWords {
		t.Errorf("MaxWords = %d, want %d", ix.MaxWords(), want.maxWords)
	}
	if n := len(ix.NameKeys()); n != len(want.byKey) {
		t.Errorf("%d keys, want %d", n, len(want.byKey))
	}
	for key, cands := range want.byKey {
		if !ix.Has(key) {
			t.Errorf("Has(%q) = false", key)
		}
		if got, want := describe(ix.Lookup(key)), describe(cands); got != want {
			t.Errorf("Lookup(%q) = %s, want %s", key, got, want)
		}
		if _, ok := want.byKey[key+"x"]; !ok && (ix.Has(key+"x") || ix.Lookup(key+"x") != nil) {
			t.Errorf("%q found", key+"x")
		}
	}
	for _, key := range []string{"", " ", "no such place", strings.Repeat("a", 1000)} {
		if ix.Has(key) || ix.Lookup(key) != nil {
			t.Errorf("%q found", key)
		}
	}
}

// describe writes candidates as id/flags pairs, in order.
func describe(cands []gazetteer.Candidate) string {
	var b strings.Builder
	for _, c := range cands {
		fmt.Fprintf(&b, "%d/%d ", c.Place.ID, c.Flags)
	}
	return b.String()
}

func compareCountries(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	if n := len(ix.CountryCodes()); n != len(want.countries) {
		t.Errorf("%d countries, want %d", n, len(want.countries))
	}
	for cc, c := range want.countries {
		if got := ix.Country(cc); got == nil || !reflect.DeepEqual(*got, c) {
			t.Errorf("Country(%q) = %+v, want %+v", cc, got, c)
		}
	}
	if c := ix.Country("ZZ"); c != nil {
		t.Errorf("Country(ZZ) = %+v", c)
	}
}

func compareCommonWords(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	if n := len(ix.CommonWords()); n != len(want.common) {
		t.Errorf("%d common words, want %d", n, len(want.common))
	}
	for w, r := range want.common {
		if got := ix.CommonWordRank(w); got != r {
			t.Errorf("CommonWordRank(%q) = %d, want %d", w, got, r)
		}
	}
	if r := ix.CommonWordRank("tripolitanianess"); r != 0 {
		t.Errorf("rank of an uncommon word = %d", r)
	}
}

func compareRegions(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	regions := map[string]gazetteer.ID{}
	for _, p := range want.places {
		if p.FeatureCode == "ADM1" {
			regions[p.Country+"."+p.Admin1] = p.ID
		}
	}
	if len(regions) == 0 {
		t.Fatal("no regions in the fixture")
	}
	for k, id := range regions {
		cc, a1, _ := strings.Cut(k, ".")
		if r := ix.RegionOf(cc, a1); r == nil || r.ID != id {
			t.Errorf("RegionOf(%s, %s) = %v, want %d", cc, a1, r, id)
		}
	}
	if r := ix.RegionOf("LY", "no such region"); r != nil {
		t.Errorf("RegionOf(LY, none) = %v", r)
	}
}

// compareNear checks Near against a scan of every place.
func compareNear(t *testing.T, want *tableIndex, ix *gazetteer.Index) {
	for i := 0; i < len(want.places); i += 37 {
		c := want.places[i]
		for _, km := range []float64{20, 300} {
			var got []gazetteer.ID
			ix.Near(c.Lat, c.Lon, km, func(p *gazetteer.Place, d float64) bool {
				got = append(got, p.ID)
				return true
			})
			var scan []gazetteer.ID
			for _, p := range want.places {
				if gazetteer.HaversineKm(c.Lat, c.Lon, p.Lat, p.Lon) <= km {
					scan = append(scan, p.ID)
				}
			}
			sort.Slice(got, func(a, b int) bool { return got[a] < got[b] })
			if !reflect.DeepEqual(got, scan) {
				t.Errorf("Near(%s, %g km) = %d places, scan finds %d", c.Name, km, len(got), len(scan))
			}
		}
	}
}
