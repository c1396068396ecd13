package gazetteer_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/sqlitedb"
)

func TestLoadIndexRebuildsStaleSnapshot(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		stale func(t *testing.T, db *sql.DB)
	}{
		{"none", exec(`DELETE FROM index_snapshot`)},
		{"older format", exec(`UPDATE index_snapshot SET format = format - 1`)},
		{"built under another schema", exec(`UPDATE index_snapshot SET schema = 1`)},
		{"truncated", exec(`UPDATE index_snapshot SET data = substr(data, 1, length(data) / 2)`)},
		{"a part missing", exec(`DELETE FROM index_snapshot WHERE part = 1`)},
		{"a size of a petabyte", exec(`UPDATE index_snapshot SET size = 1 << 50`)},
		{"a byte changed", func(t *testing.T, db *sql.DB) {
			var b []byte
			if err := db.QueryRow(`SELECT data FROM index_snapshot`).Scan(&b); err != nil {
				t.Fatal(err)
			}
			b[len(b)/3] ^= 1
			exec(`UPDATE index_snapshot SET data = ?`, b)(t, db)
		}},
		{"database imported before snapshots", exec(`DROP TABLE index_snapshot;
			DELETE FROM schema_migrations WHERE component = 'gazetteer' AND version > 3`)},
	}
	_, template := fixture(t)
	want := loadTableIndex(t, template)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), fmt.Sprintf("g%d.db", i))
			exec(`VACUUM INTO ?`, path)(t, template)
			db, err := sqlitedb.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tt.stale(t, db)
			store, err := gazetteer.NewStore(ctx, db) // migrates an old database
			if err != nil {
				t.Fatal(err)
			}
			if ix, err := gazetteer.LoadStoredSnapshot(ctx, store); ix != nil || err != nil {
				t.Fatalf("stale snapshot used: %v, %v", ix, err)
			}
			ix, err := gazetteer.LoadIndex(ctx, store)
			if err != nil {
				t.Fatal(err)
			}
			compareIndex(t, want, ix)
			stored, err := gazetteer.LoadStoredSnapshot(ctx, store)
			if err != nil || stored == nil || stored.Len() != ix.Len() {
				t.Fatalf("no snapshot stored after LoadIndex: %v, %v", stored, err)
			}
		})
	}
}

func exec(q string, args ...any) func(*testing.T, *sql.DB) {
	return func(t *testing.T, db *sql.DB) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadIndexReadOnly(t *testing.T) {
	ctx := context.Background()
	_, path := gazettest.NewStore(t, gazettest.FixtureSources())
	rw, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := loadTableIndex(t, rw)
	exec(`DELETE FROM index_snapshot`)(t, rw)
	rw.Close()
	ro, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	store, err := gazetteer.NewStore(ctx, ro)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := gazetteer.LoadIndex(ctx, store)
	if err != nil {
		t.Fatalf("LoadIndex on a read-only database: %v", err)
	}
	compareIndex(t, want, ix)
	if ix, err := gazetteer.LoadStoredSnapshot(ctx, store); ix != nil || err != nil {
		t.Errorf("a read-only database got a snapshot: %v, %v", ix, err)
	}
}

func TestImportReplacesSnapshot(t *testing.T) {
	ctx := context.Background()
	store, db := fixture(t)
	// an import of only the GeoNames file keeps the other tables, and its
	// snapshot must show the places it changes
	exec(`DELETE FROM place_names WHERE key = 'tripoli'`)(t, db)
	if _, err := store.Import(ctx, gazetteer.Sources{GeoNames: gazettest.FixtureSources().GeoNames}, nil, false); err != nil {
		t.Fatal(err)
	}
	ix, err := gazetteer.LoadStoredSnapshot(ctx, store)
	if err != nil || ix == nil {
		t.Fatalf("no snapshot after import: %v", err)
	}
	if !ix.Has("tripoli") {
		t.Error("snapshot does not have the names the import restored")
	}
	compareIndex(t, loadTableIndex(t, db), ix)
}

// TestIndexConcurrentUse loads the index from several goroutines at once
// while none is stored (each builds it; at most one stores it), then asks
// one index from several goroutines; run it with -race.
func TestIndexConcurrentUse(t *testing.T) {
	ctx := context.Background()
	store, db := fixture(t)
	exec(`DELETE FROM index_snapshot`)(t, db)
	const n = 4
	loaded := make([]*gazetteer.Index, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { loaded[i], errs[i] = gazetteer.LoadIndex(ctx, store) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || loaded[i].Len() != loaded[0].Len() {
			t.Fatalf("load %d: %v", i, errs[i])
		}
	}
	if ix, err := gazetteer.LoadStoredSnapshot(ctx, store); ix == nil || err != nil {
		t.Fatalf("no snapshot stored: %v", err)
	}
	ix := loaded[0]
	keys := ix.NameKeys()
	for range n {
		wg.Go(func() {
			for _, k := range keys {
				for _, c := range ix.Lookup(k) {
					ix.Place(c.Place.ID)
					ix.RegionOf(c.Place.Country, c.Place.Admin1)
					ix.Country(c.Place.Country)
					ix.Near(c.Place.Lat, c.Place.Lon, 5, func(*gazetteer.Place, float64) bool { return false })
				}
				ix.Has(k)
				ix.CommonWordRank(k)
			}
		})
	}
	wg.Wait()
}
